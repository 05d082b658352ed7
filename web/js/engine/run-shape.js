// run-shape.js: what the page is given of a run's whole log, made in the
// worker. The charts' series are bucketed here (model/chart-config.js,
// MAX_POINTS a series, a few thousand points whatever the run's length) and
// where fragmentation starts is found here (model/history.js), so the page
// never walks a 3,000,000-op log to draw a chart; the exact point at the
// cursor comes from the step's heap statistics (chart-config.js
// pointOfStats). A run up to FULL_COLUMN_STEPS steps (lessons, manual runs)
// is then sent to the page whole; a longer one as its steps and log rows in
// windows (model/run-rows.js, engine-core.js rows).
import { emptySeries, extendSeries } from '../model/chart-config.js';
import { fragmentationStart } from '../model/history.js';
import { ROW_WINDOW } from '../model/run-rows.js';

export const FULL_COLUMN_STEPS = 20000;
const SLICE = 200000; // ops bucketed per slice (a few ms)

// A generator over a run's log table (log.js logTable shape) yielding the fraction done
// after each slice; returns {series, fragStart}.
export function* shapeRun(table) {
  const s = emptySeries(table.n);
  for (let from = 0; from < table.n; from += SLICE) {
    extendSeries(s, table, from, Math.min(table.n, from + SLICE));
    yield Math.min(1, (from + SLICE) / Math.max(1, table.n));
  }
  if (table.n === 0) extendSeries(s, table, 0, 0);
  delete s.open;
  return { series: s, fragStart: fragmentationStart(table) };
}

// Returns rows [from, to) of a log table (log.js logTable shape) as a window (model/run-rows.js):
// copies of the columns, the events' starts counted from the window's first event.
function sliceRows(t, from, to) {
  const e0 = t.events.start[from], e1 = t.events.start[to];
  const cols = {};
  for (const [name, c] of Object.entries(t.cols)) cols[name] = c.slice(from, to);
  const start = t.events.start.slice(from, to + 1).map((x) => x - e0);
  const ev = { n: to - from, names: t.events.names, start, kind: t.events.kind.slice(e0, e1), detail: t.events.detail.slice(e0, e1) };
  for (const k of ['a', 'b', 'c']) ev[k] = t.events[k].slice(e0, e1);
  return { from, n: to - from, op: t.op.slice(from, to), id: t.id.slice(from, to), cols, events: ev };
}

// Returns what the page is sent of a run's log table: the table itself for a run up to
// FULL_COLUMN_STEPS steps; else its steps (op, id, cols.size) and, as `tail`, a window of
// its last rows (one or two ROW_WINDOWs: the step a run lands at is its last).
export function pageLog(table) {
  if (table.n <= FULL_COLUMN_STEPS) return table;
  const tail = Math.max(0, (Math.ceil(table.n / ROW_WINDOW) - 2) * ROW_WINDOW);
  return { n: table.n, op: table.op, id: table.id, cols: { size: table.cols.size }, tail: sliceRows(table, tail, table.n) };
}

// Returns the largest value of a typed array (-1 when empty).
export function maxOf(a) {
  let m = -1;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}
