// events.js: the event log in flat typed arrays (DOM-free), so a 100,000-op
// run crosses from the worker to the page as a few transferable buffers
// instead of 400,000 objects. Op i's events are start[i] .. start[i+1].
// Also derives the free-block count after every op from the events, using
// exactly the engine's bookkeeping (c/heap.c, c/heap_realloc.c):
//   free +1; coalesce case 2|3 -1, case 4 -2;
//   place -1 unless a split came just before it (the remainder stays free);
//   extend that creates a new block (the next place is at the old epilogue) +1;
//   realloc growing in place: into the neighbour -1 unless split, into the
//   break -1 when a free neighbour was absorbed.
// tests/web checks this against heap.stats().freeBlocks after every op.

export const KINDS = ['request', 'scan', 'split', 'place', 'extend', 'free', 'coalesce', 'realloc', 'fail'];
const K = Object.fromEntries(KINDS.map((k, i) => [k, i]));
const REALLOC_GROW_NEXT = 2;
const REALLOC_GROW_BRK = 3;

// Returns {n, start, kind, detail, a, b, c}: the events of op records (heap.events(0)) flattened.
export function flattenEvents(records) {
  const n = records.length;
  let total = 0;
  for (const r of records) total += r.events.length;
  const out = {
    n, start: new Uint32Array(n + 1), kind: new Uint8Array(total), detail: new Uint8Array(total),
    a: new Float64Array(total), b: new Float64Array(total), c: new Float64Array(total),
  };
  let e = 0;
  for (let i = 0; i < n; i++) {
    out.start[i] = e;
    for (const ev of records[i].events) {
      const k = typeof ev.kind === 'number' ? ev.kind : K[ev.kind];
      out.kind[e] = k === undefined ? 255 : k;
      out.detail[e] = ev.detail;
      out.a[e] = ev.a;
      out.b[e] = ev.b;
      out.c[e] = ev.c;
      e++;
    }
  }
  out.start[n] = e;
  return out;
}

// Returns the transferable buffers of flattened events (for postMessage).
export function eventBuffers(ev) {
  return [ev.start.buffer, ev.kind.buffer, ev.detail.buffer, ev.a.buffer, ev.b.buffer, ev.c.buffer];
}

// Returns op i's events as objects {kind, detail, a, b, c} (empty outside the run).
export function eventsAt(ev, i) {
  if (!ev || i < 0 || i >= ev.n) return [];
  const out = [];
  for (let e = ev.start[i]; e < ev.start[i + 1]; e++) {
    out.push({ kind: KINDS[ev.kind[e]] || 'unknown', detail: ev.detail[e], a: ev.a[e], b: ev.b[e], c: ev.c[e] });
  }
  return out;
}

// Returns a Float64Array: the number of free blocks after each op (rules at the top of this file).
export function freeBlockSeries(run, ev) {
  const out = new Float64Array(ev.n);
  const blockOf = new Map(); // id -> block size, to tell a break growth that absorbed a neighbour
  const bs = run.cols.block_size;
  const res = run.cols.result;
  let count = 0;
  for (let i = 0; i < ev.n; i++) {
    let newBlockAt = -1, prevSplit = false, growBy = 0, grewSplit = false, request = 0;
    for (let e = ev.start[i]; e < ev.start[i + 1]; e++) {
      const kind = ev.kind[e];
      if (kind === K.request) request = ev.b[e];
      if (kind === K.free) count++;
      else if (kind === K.coalesce) count -= ev.detail[e] === 4 ? 2 : 1;
      else if (kind === K.extend) { newBlockAt = ev.a[e] - 4; growBy = ev.c[e]; }
      else if (kind === K.place) {
        if (ev.a[e] === newBlockAt) count++;
        if (!prevSplit) count--;
        newBlockAt = -1;
      } else if (kind === K.realloc) {
        if (ev.detail[e] === REALLOC_GROW_NEXT && !grewSplit) count--;
        if (ev.detail[e] === REALLOC_GROW_BRK) {
          const old = blockOf.get(run.id[i]) || 0;
          if (request - old - growBy > 0) count--;
        }
      }
      prevSplit = kind === K.split;
      if (kind === K.split) grewSplit = true;
    }
    if (res && res[i] >= 0 && run.op[i] !== 1) blockOf.set(run.id[i], bs ? bs[i] : 0);
    out[i] = count;
  }
  return out;
}
