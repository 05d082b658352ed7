// state.js: the page's model, DOM-free and importable in node.
//
// A *run* is what the engine did with a whole trace: its log as typed
// columns, one entry per op (heap.logTable(): the fields C names), and its
// event list indexed by op. The *cursor* k (0..n) names a state: the heap
// after the first k ops. Every view is a function of (run, k) and of the
// heap the engine moves to step k in C; nothing here mutates a view of the
// heap. The derived block table turns the engine's
// block snapshot into labelled byte ranges (header, payload, padding, free,
// footer) for drawing and for tests.
//
// What the engine knows (policy and order names, alignments, defaults, the
// header size) is C's: the engine reads it from the module once and hands
// it over as a *vocabulary* (engine-core.js vocabularyOf, in the 'info'
// answer), plain data the functions here are given:
//   {policies, comparePolicies, orders, aligns, headerBytes, minArena,
//    defaults: {policy, order, coalesce, align, arena}}
// Only the page's own choices are written here (the arena sizes offered).

export const ARENAS = [256, 1024, 4096, 16384, 65536, 1 << 20, 16 << 20, 64 << 20];
export const MAX_ARENA = 1 << 30; // the largest arena a link may ask for

// Returns settings with every field valid under vocabulary v (unknown or bad values fall back to v.defaults).
export function normalizeSettings(s = {}, v) {
  const d = v.defaults;
  const align = Number(s.align);
  const arena = Number(s.arena);
  return {
    policy: v.policies.includes(s.policy) ? s.policy : d.policy,
    order: v.orders.includes(s.order) ? s.order : d.order,
    coalesce: s.coalesce === undefined ? d.coalesce : s.coalesce === true || s.coalesce === 1 || s.coalesce === '1' || s.coalesce === 'true',
    align: v.aligns.includes(align) ? align : d.align,
    arena: Number.isInteger(arena) && arena >= v.minArena && arena <= MAX_ARENA ? arena : d.arena,
  };
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

// Returns the derived block table: byte ranges covering [0, heapSize) in address order,
// each {kind, start, end, block} where kind is pad|header|payload|padding|free|footer|epilogue
// and block indexes `blocks` (-1 for pad/epilogue); headers and footers are the
// vocabulary's headerBytes long. Invariant: ranges tile [0, heapSize).
// With `reuse` (the table of an earlier call, no longer read by anyone else) its array and
// range objects are rewritten instead of made again: a map redrawn every step on a heap of
// 10,000 blocks would otherwise make some 30,000 objects a step.
export function blockTable(blocks, heapSize, align, { headerBytes: hdr }, reuse = null) {
  const out = reuse || [];
  let n = 0;
  const keepEmpty = align < 0;
  // Adds range [start, end) of `kind` (empty ranges only when keepEmpty).
  const add = (kind, start, end, block) => {
    if (!(end > start || keepEmpty)) return;
    const r = out[n];
    if (r) { r.kind = kind; r.start = start; r.end = end; r.block = block; } else out.push({ kind, start, end, block });
    n++;
  };
  const first = blocks.length ? blocks[0].offset : Math.max(0, heapSize - hdr);
  if (first > 0) add('pad', 0, first, -1);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    const end = b.offset + b.size;
    add('header', b.offset, b.offset + hdr, i);
    if (b.free) {
      add('free', b.offset + hdr, end - hdr, i);
      add('footer', end - hdr, end, i);
    } else {
      const pay = Math.min(b.payloadSize, b.size - hdr);
      add('payload', b.offset + hdr, b.offset + hdr + pay, i);
      if (b.offset + hdr + pay < end) add('padding', b.offset + hdr + pay, end, i);
    }
  }
  const last = blocks.length ? blocks[blocks.length - 1].offset + blocks[blocks.length - 1].size : first;
  if (last < heapSize) add('epilogue', last, heapSize, -1);
  out.length = n;
  return out;
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
