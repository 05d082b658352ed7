// predict-work.js: the engine's prediction requests over the lab API: the
// report at once (lab.predict) or trained in slices (lab.predictSlices: C
// builds the trees node by node), so the worker can report progress and a
// Cancel stops the training between slices, keeping nothing. The report's
// test series (actual, predicted: the whole test part, 495,000 values each on a
// 3.3M-op trace) are shaped here to the chart's pixel columns (options.columns,
// predict-model.js chartSeries) and sent as report.chart instead, so the page
// never copies nor draws more points than the chart has columns.
import { errorText } from '../model/words.js';
import { chartSeries } from '../model/predict-model.js';

const PREDICT_WORK = 5e5; // units of work per slice, every stage of C's predict_more (~10-30 ms; 120 ms at most on a 3.3M-op trace)

// Returns the report with its test series replaced by report.chart (chartSeries to `columns`).
export function shapeReport(report, columns) {
  const { actual, predicted, ...rest } = report;
  if (actual && predicted) rest.chart = chartSeries(actual, predicted, (report.train || 0) + 1, columns);
  return rest;
}

// Returns {report} for the trace with options (limit included; columns: the chart's pixel
// width), or {error} when unavailable.
export function predictOnce(lab, trace, { columns, ...options }) {
  if (typeof lab.predict !== 'function') return { error: 'The prediction engine is not part of this build.' };
  try {
    return { report: shapeReport(lab.predict(trace, options), columns) };
  } catch (e) {
    return { error: errorText(e) };
  }
}

// The same as predictOnce, as a generator yielding {phase: 'training', fraction} after each
// slice and returning predictOnce's result; stopped early (return()), it frees the job.
export function* predictInSlices(lab, trace, { columns, ...options }) {
  if (typeof lab.predictSlices !== 'function') return predictOnce(lab, trace, { columns, ...options });
  let job;
  try {
    job = lab.predictSlices(trace, options);
  } catch (e) {
    return { error: errorText(e) };
  }
  let ended = false;
  try {
    for (let f = 0; f < 1;) {
      f = job.more(PREDICT_WORK);
      yield { phase: 'training', fraction: f };
    }
    ended = true;
    return { report: shapeReport(job.end(), columns) };
  } catch (e) {
    return { error: errorText(e) };
  } finally {
    if (!ended) job.abort();
  }
}
