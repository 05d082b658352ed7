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
// The op fields add() reads from a part it will not keep (a long run's parts but its last:
// the engine drains only these, log.js LogDrain fields; op and id always come).
export const SHAPE_FIELDS = Object.freeze(['size']);

// Returns one typed array holding `parts` end to end (their common type, else Float64Array: exact for all).
function joined(parts) {
  const Type = parts.length && parts.every((a) => a.constructor === parts[0].constructor) ? parts[0].constructor : Float64Array;
  const out = new Type(parts.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of parts) { out.set(a, at); at += a.length; }
  return out;
}

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

// A run's log read part by part as it is drained from C (add(), in step order): it keeps
// the steps' columns and the last part whole, and lets every other part go, so the worker
// never holds a long run's whole log either. result() gives what the page is sent, with the
// run's series (a RunSeries each part was folded into as it was drained).
export class RunShaper {
  constructor(series) {
    this.seriesOf = series;
    this.n = 0;
    this.steps = { op: [], id: [], size: [] };
    this.parts = []; // every part while the run is short (it is then sent whole), else the last
  }

  // Takes the next part of the log (log.js logTable shape, its op 0 the run's step this.n).
  add(part) {
    const base = this.n;
    this.steps.op.push(part.op);
    this.steps.id.push(part.id);
    this.steps.size.push(part.cols.size);
    this.n += part.n;
    if (this.n > FULL_COLUMN_STEPS) this.parts = [];
    this.parts.push({ base, part });
  }

  // Returns {log, series, fragStart, maxHeap, maxId}: log is the whole table for a run up to
  // FULL_COLUMN_STEPS steps (drained in one part); else the steps (op, id, cols.size) and, as
  // `tail`, a window (model/run-rows.js) of its last rows (up to two ROW_WINDOWs, within the last part).
  result() {
    const out = this.seriesOf.result();
    const { base, part } = this.parts[this.parts.length - 1];
    if (this.n <= FULL_COLUMN_STEPS) {
      if (this.parts.length !== 1) throw new Error('a short run is drained in one part');
      return { ...out, log: part };
    }
    const from = Math.max(base, (Math.ceil(this.n / ROW_WINDOW) - 2) * ROW_WINDOW);
    const tail = { ...sliceRows(part, from - base, part.n), from };
    const { op, id, size } = this.steps;
    return { ...out, log: { n: this.n, op: joined(op), id: joined(id), cols: { size: joined(size) }, tail } };
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
