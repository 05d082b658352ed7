// run-rows.js: a run's event log as the page holds it (DOM-free). A short
// run comes whole: its steps and its log as columns (run.cols, run.events).
// A long run comes as its steps only (op, id and cols.size: what the trace
// asked) and its log rows in windows of ROW_WINDOW rows that the engine makes
// again on demand from the heap at the window's first step (engine 'rows',
// c/wasm/run_rows_api.c); the windows at hand are kept in run.windows, the
// latest KEEP_WINDOWS of them. A window has the columns' shape
// (web/js/lab/log.js logTable) plus `from`, the run's index of its row 0.
import { eventsAt } from './events.js';

export const ROW_WINDOW = 64;
export const KEEP_WINDOWS = 48;

// Returns true when the run carries its whole log (a short run).
export function hasWholeLog(run) {
  return !!(run && run.events);
}

// Adds a window of rows to a long run (kept: the latest KEEP_WINDOWS); ignored for a whole log.
export function addRows(run, win) {
  if (!run || !win || hasWholeLog(run) || !(win.n > 0)) return;
  const ws = run.windows || (run.windows = []);
  const at = ws.findIndex((w) => w.from === win.from);
  if (at >= 0) ws.splice(at, 1);
  ws.push(win);
  if (ws.length > KEEP_WINDOWS) ws.shift();
}

// Returns row i of a run's log as {op, id, size, offset, blockSize, heapSize, result, events}
// (events: objects, events.js eventsAt), or null when it is not at hand.
export function logRow(run, i) {
  const at = windowOf(run, i);
  if (!at) return null;
  const [t, j] = at;
  const c = t.cols;
  const col = (name) => (c[name] ? c[name][j] : 0);
  return {
    op: t.op[j], id: t.id[j], size: col('size'), offset: col('offset'), blockSize: c.blockSize ? c.blockSize[j] : null,
    heapSize: c.heapSize ? c.heapSize[j] : null, result: col('result'), events: eventsAt(t.events, j),
  };
}

// Returns [table, index] of row i: the run itself or the window at hand holding it; null when none.
function windowOf(run, i) {
  if (!run || !(i >= 0 && i < run.n)) return null;
  if (hasWholeLog(run)) return [run, i];
  const w = (run.windows || []).find((x) => i >= x.from && i < x.from + x.n);
  return w ? [w, i - w.from] : null;
}

// Returns the window [from, to) (ROW_WINDOW-aligned) holding the first row of [a, b) that is
// not at hand, or null when all are.
export function missingRows(run, a, b) {
  if (!run || hasWholeLog(run)) return null;
  for (let i = Math.max(0, a); i < Math.min(b, run.n); i++) {
    if (!windowOf(run, i)) {
      const from = Math.floor(i / ROW_WINDOW) * ROW_WINDOW;
      return [from, Math.min(run.n, from + ROW_WINDOW)];
    }
  }
  return null;
}
