// sites.js: the call sites of a run's ops, for the block details and the log
// (DOM-free). A run imported from a recorded trace (`heaplab record --sites`)
// carries run.sites = {names, of}: the distinct site names as C's reader kept
// them (trace.sites(), c/trace/trace_sites.h) and each row's index into them
// (-1: none). Other runs have no sites and every function here returns null.

const OP_FREE = 1; // enum log_op

// Returns the site name of row i, or null.
export function siteAt(run, i) {
  const s = run && run.sites;
  if (!s || i < 0 || i >= s.of.length) return null;
  const k = s.of[i];
  return k >= 0 ? s.names[k] : null;
}

const lastRow = new WeakMap(); // run -> Int32Array: block id -> its last alloc/realloc row

// Returns the site of the call that last allocated or resized block `id` in the
// first k rows (the block shown at step k), or null.
export function blockSite(run, id, k) {
  if (!run || !run.sites || !(id >= 0)) return null;
  let rows = lastRow.get(run);
  if (!rows) {
    rows = new Int32Array(Math.max(0, run.maxId) + 1).fill(-1);
    for (let i = 0; i < run.n; i++) if (run.op[i] !== OP_FREE && run.id[i] >= 0 && run.id[i] < rows.length) rows[run.id[i]] = i;
    lastRow.set(run, rows);
  }
  let i = id < rows.length ? rows[id] : -1;
  if (i >= k) { // the id was used again later (a hand-made trace): look back from step k
    for (i = Math.min(k, run.n) - 1; i >= 0; i--) if (run.id[i] === id && run.op[i] !== OP_FREE) break;
  }
  return i >= 0 ? siteAt(run, i) : null;
}
