// state.js: the page's model, DOM-free and importable in node.
//
// A *run* is what the engine did with a whole trace: the rich CSV log it
// exported (one row per op, parsed into typed columns) and its event list
// indexed by op. The *cursor* k (0..n) names a state: the heap after the
// first k ops. Every view is a function of (run, k) and of the heap the
// engine rebuilds from the first k log rows (prefixText); nothing here
// mutates a view of the heap. The derived block table turns the engine's
// block snapshot into labelled byte ranges (header, payload, padding, free,
// footer) for drawing and for tests.

export const POLICIES = ['first', 'next', 'best', 'worst'];
export const ALL_POLICIES = [...POLICIES, 'fast'];
export const ORDERS = ['lifo', 'fifo', 'addr'];
export const ALIGNS = [8, 16];
export const ARENAS = [256, 1024, 4096, 16384, 65536, 1 << 20, 16 << 20, 64 << 20];
export const DEFAULT_SETTINGS = Object.freeze({ policy: 'first', order: 'lifo', coalesce: true, align: 8, arena: 64 << 20 });
export const HEADER_BYTES = 4;
export const OP_NAMES = ['alloc', 'free', 'realloc', 'calloc'];
const NUM_COLS = ['size', 'offset', 'block_size', 'scanned', 'heap_size', 'live_bytes', 'free_bytes', 'largest_free', 'result', 'free_blocks'];

// Returns settings with every field valid (unknown or bad values fall back to defaults).
export function normalizeSettings(s = {}) {
  const d = DEFAULT_SETTINGS;
  const align = Number(s.align);
  const arena = Number(s.arena);
  return {
    policy: ALL_POLICIES.includes(s.policy) ? s.policy : d.policy,
    order: ORDERS.includes(s.order) ? s.order : d.order,
    coalesce: s.coalesce === undefined ? d.coalesce : s.coalesce === true || s.coalesce === 1 || s.coalesce === '1' || s.coalesce === 'true',
    align: ALIGNS.includes(align) ? align : d.align,
    arena: Number.isInteger(arena) && arena >= 64 && arena <= 1 << 30 ? arena : d.arena,
  };
}

// Returns a run parsed from the engine's rich CSV log: typed columns, one entry per op.
// Throws an Error naming the line when a row is not what the engine writes.
export function parseRichLog(text) {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length && lines[lines.length - 1].endsWith('\r')) lines.forEach((l, i) => { lines[i] = l.replace(/\r$/, ''); });
  const header = lines.shift() || '';
  const names = header.split(',');
  const col = (name) => names.indexOf(name);
  const iop = col('op'), iid = col('id');
  if (iop < 0 || iid < 0 || col('size') < 0) throw new Error(`log line 1: header lacks op,id,size: ${header}`);
  const n = lines.length;
  const run = { n, header, lines, op: new Uint8Array(n), id: new Float64Array(n), cols: {} };
  const idx = {};
  for (const c of NUM_COLS) {
    if (col(c) >= 0) { idx[c] = col(c); run.cols[c] = new Float64Array(n); }
  }
  for (let i = 0; i < n; i++) {
    const f = lines[i].split(',');
    const op = OP_NAMES.indexOf(f[iop]);
    if (op < 0) throw new Error(`log line ${i + 2}: unknown op '${f[iop]}'`);
    run.op[i] = op;
    run.id[i] = Number(f[iid]);
    for (const c in idx) run.cols[c][i] = Number(f[idx[c]]);
  }
  run.maxId = n ? Math.max(-1, ...maxOf(run.id)) : -1;
  run.maxHeap = run.cols.heap_size ? Math.max(0, ...maxOf(run.cols.heap_size)) : 0;
  return run;
}

// Returns a run built from the engine's op records (heap.events(0)): the same typed
// columns as parseRichLog, and `lines`, each op as a row of the minimal rich
// trace "op,id,size,offset,result" (enough to replay it, recorded bad frees included).
export function runFromRecords(records) {
  const n = records.length;
  const run = { n, header: 'op,id,size,offset,result', lines: new Array(n), op: new Uint8Array(n), id: new Float64Array(n), cols: {} };
  const cols = {};
  for (const c of ['size', 'offset', 'block_size', 'scanned', 'heap_size', 'live_bytes', 'free_bytes', 'largest_free', 'result']) cols[c] = run.cols[c] = new Float64Array(n);
  let maxId = -1, maxHeap = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const op = OP_NAMES.indexOf(r.op);
    run.op[i] = op < 0 ? 0 : op;
    run.id[i] = r.id;
    cols.size[i] = r.size; cols.offset[i] = r.offset; cols.block_size[i] = r.blockSize; cols.scanned[i] = r.scanned;
    cols.heap_size[i] = r.heapSize; cols.live_bytes[i] = r.liveBytes; cols.free_bytes[i] = r.freeBytes;
    cols.largest_free[i] = r.largestFree; cols.result[i] = r.result;
    run.lines[i] = `${op === 3 ? 'alloc' : r.op},${r.id},${r.size},${r.offset},${r.result}`;
    if (r.id > maxId) maxId = r.id;
    if (r.heapSize > maxHeap) maxHeap = r.heapSize;
  }
  run.maxId = maxId;
  run.maxHeap = maxHeap;
  return run;
}

// Returns [max] of a typed array without spreading it (safe for 10^6 entries).
function maxOf(a) {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return [m];
}

// Returns the trace text whose replay rebuilds the state at cursor k: the log header and its first k rows.
export function prefixText(run, k, extraRows = []) {
  const rows = run.lines.slice(0, clamp(k, 0, run.n));
  return [run.header, ...rows, ...extraRows].join('\n') + '\n';
}

// Returns k clamped into [lo, hi] as an integer.
export function clamp(k, lo, hi) {
  const v = Math.trunc(Number(k));
  if (!Number.isFinite(v)) return lo;
  return Math.min(hi, Math.max(lo, v));
}

// Returns the cursor after a playback action; the result is always in [0, n].
export function moveCursor(cursor, n, action) {
  switch (action) {
    case 'forward': return clamp(cursor + 1, 0, n);
    case 'back': return clamp(cursor - 1, 0, n);
    case 'reset': return 0;
    case 'end': return n;
    default: return clamp(action, 0, n);
  }
}

// Returns a rich-log row (same columns as the run's header) for a manual op; unknown columns are 0.
export function manualRow(header, op, id, size) {
  return header.split(',').map((c) => (c === 'op' ? op : c === 'id' ? String(id) : c === 'size' ? String(size) : '0')).join(',');
}

// Returns the derived block table: byte ranges covering [0, heapSize) in address order,
// each {kind, start, end, block} where kind is pad|header|payload|padding|free|footer|epilogue
// and block indexes `blocks` (-1 for pad/epilogue). Invariant: ranges tile [0, heapSize).
export function blockTable(blocks, heapSize, align) {
  const out = [];
  const first = blocks.length ? blocks[0].offset : Math.max(0, heapSize - HEADER_BYTES);
  if (first > 0) out.push({ kind: 'pad', start: 0, end: first, block: -1 });
  blocks.forEach((b, i) => {
    const end = b.offset + b.size;
    if (b.free) {
      out.push({ kind: 'header', start: b.offset, end: b.offset + HEADER_BYTES, block: i });
      out.push({ kind: 'free', start: b.offset + HEADER_BYTES, end: end - HEADER_BYTES, block: i });
      out.push({ kind: 'footer', start: end - HEADER_BYTES, end, block: i });
    } else {
      const pay = Math.min(b.payloadSize, b.size - HEADER_BYTES);
      out.push({ kind: 'header', start: b.offset, end: b.offset + HEADER_BYTES, block: i });
      out.push({ kind: 'payload', start: b.offset + HEADER_BYTES, end: b.offset + HEADER_BYTES + pay, block: i });
      if (b.offset + HEADER_BYTES + pay < end) out.push({ kind: 'padding', start: b.offset + HEADER_BYTES + pay, end, block: i });
    }
  });
  const last = blocks.length ? blocks[blocks.length - 1].offset + blocks[blocks.length - 1].size : first;
  if (last < heapSize) out.push({ kind: 'epilogue', start: last, end: heapSize, block: -1 });
  return out.filter((r) => r.end > r.start || align < 0);
}

// Returns the index of the block containing byte `off` (binary search), or -1.
export function blockAt(blocks, off) {
  let lo = 0, hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid];
    if (off < b.offset) hi = mid - 1;
    else if (off >= b.offset + b.size) lo = mid + 1;
    else return mid;
  }
  return -1;
}

// Returns what an op's events touched: the block offsets placed, split off, freed or
// merged, the break range extended, and a short label naming what happened last-most
// ("split", "coalesced (case 4)", "break +64", "placed", "freed", "failed").
export function touchedBy(evs) {
  const blocks = new Set();
  let extend = null;
  const words = [];
  for (const e of evs) {
    if (e.kind === 'place') { blocks.add(e.a); words.push('placed'); }
    else if (e.kind === 'free') { blocks.add(e.a); words.push('freed'); }
    else if (e.kind === 'coalesce') { blocks.add(e.a); words.push(`coalesced (case ${e.detail})`); }
    else if (e.kind === 'split') { blocks.add(e.a); blocks.add(e.a + e.b); words.push('split'); }
    else if (e.kind === 'extend') { extend = [e.a, e.b]; words.push(`break +${e.b - e.a}`); }
    else if (e.kind === 'fail') words.push('failed');
  }
  const order = ['failed', 'coalesced', 'split', 'break', 'freed', 'placed'];
  const label = [...new Set(words)].sort((x, y) => order.findIndex((o) => x.startsWith(o)) - order.findIndex((o) => y.startsWith(o))).slice(0, 2).join(', ');
  return { blocks, extend, label };
}

// Returns the live blocks (allocated) of a snapshot as {id, offset, payloadSize} sorted by id.
export function liveBlocks(blocks) {
  return blocks.filter((b) => !b.free).map((b) => ({ id: b.id, offset: b.payloadOffset, payloadSize: b.payloadSize }))
    .sort((a, b) => a.id - b.id);
}
