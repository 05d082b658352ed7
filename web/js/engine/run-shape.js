// run-shape.js: what the page is given of a run's log, made in the worker
// as the log is drained from C part by part (RunShaper). The charts' series
// are folded in C from each part before it is drained (lab/series.js:
// bucketed, a few thousand points a series whatever the run's length, and
// where fragmentation starts), so neither the page nor the worker walks a
// 3,000,000-op log to draw a chart; the exact point at the cursor comes from
// the step's heap statistics (model/chart-config.js pointOfStats). A run up
// to FULL_COLUMN_STEPS steps (lessons, manual runs) is sent to the page
// whole; a longer one as its steps and log rows in windows (model/run-rows.js,
// engine-core.js rows): neither side keeps a long run's whole log.
import { ROW_WINDOW } from '../model/run-rows.js';

export const FULL_COLUMN_STEPS = 20000;
// The op fields of the steps' columns (op and id always come: log.js LogDrain fields): all
// that is drained of a long run's parts but its last.
export const SHAPE_FIELDS = Object.freeze(['size']);

// The ops of a long run's last slice: its rows are the tail the page is sent (result()).
export const TAIL_OPS = 4 * ROW_WINDOW;

// Returns how many ops the next slice of a replay replays: `slice`, but a long run's last
// TAIL_OPS ops come in a slice of their own, so only they are drained whole (events and every
// field: a last slice of up to 50,000 ops, drained whole for its last 128 rows, cost git_log
// 28 of its 153 ns per op). rest: the ops left; rows: the rows so far (a run that may still
// be short, FULL_COLUMN_STEPS rows or fewer, must stay in one part).
export function sliceOps(rest, rows, slice) {
  return rows > FULL_COLUMN_STEPS && rest > TAIL_OPS && rest <= slice + TAIL_OPS ? rest - TAIL_OPS : slice;
}

// A run's log drained from C part by part, after each slice of its replay (take(), in step
// order): the steps' columns (op, id, size) of every part go into one set of columns sized
// for the whole run at the start, and the last part is also drained whole (events and every
// field); no other part is kept, so the worker never holds a long run's whole log, and no
// part is copied again to join them. (Parts kept apart and joined at the end had cost git_log
// a second copy of its steps in fresh memory: ~0.3 ms of 85,070 ops.) result() gives what the
// page is sent, with the run's series (a RunSeries each part was folded into as it was drained).
export class RunShaper {
  // series: the run's RunSeries (lab/series.js); heap: the heap replaying the run (log: true);
  // ops: the run's length.
  constructor(series, heap, ops) {
    this.seriesOf = series;
    this.heap = heap;
    this.n = 0;
    this.steps = heap.logDrain();
    this.steps.reserve(ops, SHAPE_FIELDS);
    this.last = null; // {base, part}: the last part drained whole (a short run's whole log)
  }

  // Drains what the heap's log holds after a slice of the replay; last: the run's last slice;
  // events: whether the slice was logged with its events (a replay that failed early ends
  // with a slice logged without them: its part then has none).
  take(last, events = true) {
    const base = this.n;
    if (!last) {
      this.n += this.steps.drain({ events: false, fields: SHAPE_FIELDS, series: this.seriesOf });
      return;
    }
    this.steps.drain({ events: false, fields: SHAPE_FIELDS, clear: false }); // its steps, then the part whole
    const whole = this.heap.logDrain();
    this.n += whole.drain({ events, series: this.seriesOf });
    this.last = { base, part: whole.table() };
  }

  // Returns {log, series, fragStart, maxHeap, maxId}: log is the whole table for a run up to
  // FULL_COLUMN_STEPS steps (drained in one part); else the steps (op, id, cols.size) and, as
  // `tail`, a window (model/run-rows.js) of its last rows (up to two ROW_WINDOWs, within the last part).
  result() {
    const out = this.seriesOf.result();
    const { base, part } = this.last;
    if (this.n <= FULL_COLUMN_STEPS) {
      if (base !== 0) throw new Error('a short run is drained in one part');
      return { ...out, log: part };
    }
    const from = Math.max(base, (Math.ceil(this.n / ROW_WINDOW) - 2) * ROW_WINDOW);
    const tail = { ...sliceRows(part, from - base, part.n), from };
    const { op, id, cols } = this.steps.table();
    return { ...out, log: { n: this.n, op, id, cols: { size: cols.size }, tail } };
  }
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
