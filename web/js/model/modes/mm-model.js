// mm-model.js: DOM-free model of "your allocator's heap": a student's Malloc
// Lab allocator seen from the outside, from an mm log's trace (lab.loadMmLog,
// format in c/mm/mm_log.h). Step k is the heap after the trace's first k op
// records: the payloads live then (offset, size, id), the heap's size
// (mem_heapsize after the op), and what the allocator holds without giving
// it out (the heap minus the live payloads: headers, footers, padding and
// free blocks together, its overhead). The failing step, when the run did
// not end well, is the last one: the op that broke is its last record, or,
// when the allocator never returned from it (a crash, a hang), the op after.
// With `heaplab mm --decode cs-app`, the allocator's own blocks, as its
// headers say, are known at each step until the header walk disagreed with
// the driver (decodedBlocks); the map then draws headers, padding and free
// blocks instead of one "held" colour.

const KIND_CHAR = { 97: 'a', 114: 'r', 102: 'f' };

// Returns the op-record kind letter ('a', 'r', 'f') of row r of trace t.
export function rowKind(t, r) {
  return KIND_CHAR[t.rows.kind[r]] || '?';
}

// Returns the number of steps of trace t (records + 1: step 0 is before the first op).
export function stepCount(t) {
  return t.rows.n + 1;
}

// Returns the step where the run broke (the last step) or -1 when it ended well.
export function failStep(t) {
  return t.status === 'ok' ? -1 : t.rows.n;
}

// Returns the state after the first k records of trace t:
// { k, live: [{id, offset, size}] by offset, heapSize, livePayload, peakPayload, overhead, maxHeap, row }
// where row is the index of the record just applied (-1 at step 0).
export function mmState(t, k) {
  const n = t.rows.n;
  const upto = Math.max(0, Math.min(n, Math.trunc(k) || 0));
  const { id, size, offset } = t.rows;
  const live = new Map();
  let livePayload = 0;
  let peakPayload = 0;
  for (let r = 0; r < upto; r++) {
    const kind = rowKind(t, r);
    const old = live.get(id[r]);
    if (kind !== 'a' && old) {
      live.delete(id[r]);
      livePayload -= old.size;
    }
    if (kind !== 'f' && offset[r] >= 0 && size[r] > 0) {
      live.set(id[r], { id: id[r], offset: offset[r], size: size[r] });
      livePayload += size[r];
    }
    if (livePayload > peakPayload) peakPayload = livePayload;
  }
  const heapSize = upto > 0 ? t.rows.heapSize[upto - 1] : 0;
  const sorted = [...live.values()].sort((a, b) => a.offset - b.offset || a.id - b.id);
  return {
    k: upto,
    live: sorted,
    heapSize,
    livePayload,
    peakPayload,
    overhead: Math.max(0, heapSize - covered(sorted, heapSize)),
    maxHeap: n > 0 ? t.rows.heapSize[n - 1] : 0,
    row: upto - 1,
  };
}

// Returns the bytes below `limit` that some payload of `live` (sorted by offset) covers, each byte once.
function covered(live, limit) {
  let total = 0;
  let reach = 0;
  for (const b of live) {
    const lo = Math.max(b.offset, reach);
    const hi = Math.min(b.offset + b.size, limit);
    if (hi > lo) total += hi - lo;
    reach = Math.max(reach, b.offset + b.size);
  }
  return total;
}

// Returns the words for record r of trace t: "op 3: mm_malloc(48) for id 2 returned heap offset 2056".
export function rowWords(t, r) {
  if (r < 0) return 'Before the first op: mm_init has run; nothing is allocated.';
  const { op, id, size, offset, heapSize } = t.rows;
  const at = offset[r] >= 0 ? `heap offset ${offset[r]}` : 'NULL';
  const kind = rowKind(t, r);
  const what = kind === 'a' ? `mm_malloc(${size[r]}) for id ${id[r]} returned ${at}`
    : kind === 'r' ? `mm_realloc(id ${id[r]}, ${size[r]}) returned ${at}`
      : `mm_free(id ${id[r]}${offset[r] >= 0 ? `, heap offset ${offset[r]}` : ', NULL'})`;
  return `Op ${op[r]}: ${what}; the heap is ${heapSize[r]} bytes.`;
}

// Returns the verdict of trace t in words: { ok, text }.
export function verdictWords(t) {
  if (t.status === 'ok') return { ok: true, text: `Valid on all ${t.ops} ops: every payload aligned, inside the heap, apart from the others, and kept intact.` };
  const where = t.op >= 0 ? ` at op ${t.op}` : '';
  const label = { invalid: 'Invalid', 'out-of-memory': 'Out of memory', crash: 'Crashed', timeout: 'Timed out', exit: 'Exited', error: 'Could not run' }[t.status] || t.status;
  const lost = t.op >= 0 && (t.rows.n === 0 || t.rows.op[t.rows.n - 1] !== t.op) ? ' (the allocator never returned from that op, so the log stops before it)' : '';
  return { ok: false, text: `${label}${where}: ${t.message}${lost}` };
}

// Returns the block payload under heap offset `at` in state s (or null).
export function payloadAt(s, at) {
  for (const b of s.live) if (at >= b.offset && at < b.offset + b.size) return b;
  return null;
}

// Returns the byte ranges [{start, end}] where two live payloads of state s overlap.
export function overlaps(s) {
  const out = [];
  let reach = -1;
  for (const b of s.live) {
    if (b.offset < reach) out.push({ start: b.offset, end: Math.min(reach, b.offset + b.size) });
    reach = Math.max(reach, b.offset + b.size);
  }
  return out;
}

// Returns the allocator's own blocks after step k of trace t, as its headers
// say: { blocks: [{offset, size, alloc}] by offset } (offset: the header's),
// or { blocks: null, why } when the walk was not asked for or had stopped by then.
export function decodedBlocks(t, k) {
  const d = t.decode;
  if (!d || d.state === 'none') return { blocks: null, why: '' };
  const upto = Math.max(0, Math.min(t.rows.n, Math.trunc(k) || 0));
  const lastOp = upto > 0 ? t.rows.op[upto - 1] : -1;
  if (d.state === 'stopped' && lastOp >= d.op) return { blocks: null, why: `The headers stopped following the textbook’s block format ${d.message}.` };
  const b = d.blocks;
  const at = new Map();
  for (let j = 0; j < b.n && b.op[j] <= lastOp; j++) {
    if (b.add[j]) at.set(b.offset[j], { offset: b.offset[j], size: b.size[j], alloc: b.alloc[j] === 1 });
    else at.delete(b.offset[j]);
  }
  return { blocks: [...at.values()].sort((x, y) => x.offset - y.offset), why: '' };
}

// Returns the segments of the decoded blocks in state s: each block's header
// (4 bytes), then its live payload and the rest ('padding': footer and
// rounding) when allocated, or 'free'; an allocated block with no live payload
// (the prologue) is all 'header'; the bytes before the first block and the
// epilogue's word are 'header' too.
function decodedSegs(s, blocks) {
  const live = new Map(s.live.map((p) => [p.offset, p]));
  const segs = [];
  let at = 0;
  const push = (start, end, kind, id = -1) => { if (end > start) segs.push({ start, end, kind, id }); };
  for (const b of blocks) {
    push(at, b.offset, 'header');
    push(b.offset, b.offset + 4, 'header');
    const p = live.get(b.offset + 4);
    if (b.alloc && p) {
      push(b.offset + 4, b.offset + 4 + p.size, 'payload', p.id);
      push(b.offset + 4 + p.size, b.offset + b.size, 'padding');
    } else push(b.offset + 4, b.offset + b.size, b.alloc ? 'header' : 'free');
    at = b.offset + b.size;
  }
  push(at, s.heapSize, 'header');
  return segs;
}

// Returns the map's rows for state s: the heap (up to the run's largest
// heap) cut into `rows` equal spans of `bytesPerRow` bytes. Each span lists
// segments {start, end, kind: 'payload'|'held'|'beyond'|'overlap', id} in address order
// (overlap segments, where two payloads share bytes, come after the others);
// given the decoded blocks, the heap below the break is cut into 'header',
// 'payload', 'padding' and 'free' instead.
export function mapRows(s, rows, blocks = null) {
  const total = Math.max(s.maxHeap, s.heapSize, 1);
  const nRows = Math.max(1, Math.min(rows, total));
  const bytesPerRow = Math.ceil(total / nRows);
  const segs = blocks ? decodedSegs(s, blocks) : [];
  let at = blocks ? s.heapSize : 0;
  for (const b of blocks ? [] : s.live) {
    if (b.offset > at) segs.push({ start: at, end: Math.min(b.offset, s.heapSize), kind: 'held', id: -1 });
    segs.push({ start: b.offset, end: b.offset + b.size, kind: 'payload', id: b.id });
    at = Math.max(at, b.offset + b.size);
  }
  if (at < s.heapSize) segs.push({ start: at, end: s.heapSize, kind: 'held', id: -1 });
  if (Math.max(at, s.heapSize) < total) segs.push({ start: Math.max(at, s.heapSize), end: total, kind: 'beyond', id: -1 });
  for (const o of overlaps(s)) segs.push({ ...o, kind: 'overlap', id: -1 });
  const out = [];
  for (let r = 0; r < nRows; r++) {
    const lo = r * bytesPerRow;
    const hi = Math.min(total, lo + bytesPerRow);
    if (lo >= hi) break;
    out.push({ lo, hi, segs: segs.filter((g) => g.end > lo && g.start < hi && g.end > g.start) });
  }
  return { bytesPerRow, total, rows: out };
}
