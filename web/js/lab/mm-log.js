// mm-log.js: the mm log (what `heaplab mm --log` writes about a student's
// Malloc Lab allocator; format in c/mm/mm_log.h) read by C and handed to JS
// as plain data:
//
//   lab.loadMmLog(text, { name }) -> { traces: [{ name, ops, align, status, check, op, failOffset,
//                                      message, rows: { n, op, kind, id, size, offset, heapSize },
//                                      decode: { state, op, message, blocks: { n, op, add, alloc, offset, size } } }] }
//                                    or { error: 'name:line: message', line } (nothing kept)
//   lab.mmLog                     -> { magic, statuses, checks, decodes }: the format's first line and names
//
// rows are columns (Float64Array; kind holds 'a' 'r' 'f' as char codes,
// offset -1 a NULL payload). The field layouts and the names come from C
// (c/wasm/mm_wasm_api.c); C keeps nothing once the log is copied out.

import { addr, readCString, readF64, readFields, readText, utf8, writeBytes } from './memory.js';

// Returns n rows of the table at p (fields from fieldsFn) as columns { n, field: Float64Array }.
function columns(mod, p, n, fieldsFn) {
  if (!addr(p)) throw new Error('HeapLab: reading the mm log failed (out of memory)');
  const names = readFields(mod, fieldsFn);
  const flat = readF64(mod, p, n, names.length);
  const out = { n };
  names.forEach((f, k) => {
    const col = new Float64Array(n);
    for (let r = 0; r < n; r++) col[r] = flat[r * names.length + k];
    out[f] = col;
  });
  return out;
}

// Returns trace i of the log C holds, as plain data (names: the status, check and decode names).
function readTrace(mod, i, names) {
  const tf = readFields(mod, mod._hl_mm_trace_fields);
  const head = readF64(mod, mod._hl_mm_trace(i), 1, tf.length);
  const t = Object.fromEntries(tf.map((f, k) => [f, head[k]]));
  return {
    name: readCString(mod, mod._hl_mm_trace_text(i, 0)),
    ops: t.ops, align: t.align, status: names.statuses[t.status], check: names.checks[t.check], op: t.op,
    failOffset: t.failOffset, message: readCString(mod, mod._hl_mm_trace_text(i, 1)),
    rows: columns(mod, mod._hl_mm_rows(i), t.rows, mod._hl_mm_row_fields),
    decode: {
      state: names.decodes[t.decode], op: t.decodeOp, message: readCString(mod, mod._hl_mm_trace_text(i, 2)),
      blocks: columns(mod, mod._hl_mm_blocks(i), t.blocks, mod._hl_mm_block_fields),
    },
  };
}

// Adds loadMmLog and mmLog to lab (module mod).
export function attachMmLog(lab, mod) {
  const names = (which) => readCString(mod, mod._hl_mm_names(which)).split(',').filter(Boolean);
  const all = { statuses: names(0), checks: names(1), decodes: names(2) };
  lab.mmLog = { magic: readCString(mod, mod._hl_mm_magic()), ...all };
  lab.loadMmLog = (text, { name = 'mm.log' } = {}) => {
    const label = String(name);
    if (typeof text !== 'string') return { error: `${label}:0: the mm log must be a string`, line: 0 };
    const body = utf8(text);
    const tag = utf8(label);
    const p = mod._hl_input(body.length + tag.length);
    if (addr(p) === 0) return { error: `${label}:0: out of memory for the log text`, line: 0 };
    writeBytes(mod, p, body);
    writeBytes(mod, p, tag, body.length);
    const n = mod._hl_mm_parse(body.length, tag.length);
    if (n < 0) {
      const len = n === -1 ? mod._hl_text_length() : -1;
      const msg = len >= 0 ? readText(mod, mod._hl_text_ptr(), len) : `${label}:0: reading the mm log failed (${n})`;
      const m = /:(\d+): /.exec(msg);
      return { error: msg, line: m ? Number(m[1]) : 0 };
    }
    try {
      const traces = [];
      for (let i = 0; i < n; i++) traces.push(readTrace(mod, i, all));
      return { traces };
    } finally {
      mod._hl_mm_release();
    }
  };
}
