// run-shape.js: what the page is given of a run's whole log, made in the
// worker. The charts' series are bucketed here (model/chart-config.js,
// MAX_POINTS a series, a few thousand points whatever the run's length) and
// where fragmentation starts is found here (model/history.js), so the page
// never walks a 3,000,000-op log to draw a chart. A long run's columns that
// only the charts read (blocks scanned, live, free and largest free bytes,
// free blocks: five 4-byte columns, 65 MB on a 3.3M-op run) are then left
// out of what the page is sent; the exact point at the cursor comes from the
// step's heap statistics (chart-config.js pointOfStats). A run up to
// FULL_COLUMN_STEPS steps (lessons, manual runs) keeps every column: the
// lessons' questions read them.
import { emptySeries, extendSeries } from '../model/chart-config.js';
import { fragmentationStart } from '../model/history.js';

export const CHART_ONLY = ['scanned', 'liveBytes', 'freeBytes', 'largestFree', 'freeBlocks'];
export const FULL_COLUMN_STEPS = 20000;
const SLICE = 200000; // ops bucketed per slice (a few ms)

// A generator over a run's log table (log.js logTable shape) yielding the fraction done
// after each slice; returns {series, fragStart} and, for a long run, deletes CHART_ONLY from table.cols.
export function* shapeRun(table) {
  const s = emptySeries(table.n);
  for (let from = 0; from < table.n; from += SLICE) {
    extendSeries(s, table, from, Math.min(table.n, from + SLICE));
    yield Math.min(1, (from + SLICE) / Math.max(1, table.n));
  }
  if (table.n === 0) extendSeries(s, table, 0, 0);
  delete s.open;
  const fragStart = fragmentationStart(table);
  if (table.n > FULL_COLUMN_STEPS) for (const c of CHART_ONLY) delete table.cols[c];
  return { series: s, fragStart };
}
