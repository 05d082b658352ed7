// predict-work.js: the engine's prediction requests over the lab API: the
// report at once (lab.predict) or trained in slices (lab.predictSlices: C
// builds the trees node by node), so the worker can report progress and a
// Cancel stops the training between slices, keeping nothing. The chart's
// width (options.columns, in device pixels) goes to C, which shapes the
// test series to that many columns (ml/predict/predict_chart.c) and leaves
// the raw series (495,000 values each on a 3.3M-op trace) out of the
// report: the page never copies nor draws more points than the chart has
// columns, and the report's JSON stays small.
import { errorText } from '../model/words.js';

const PREDICT_WORK = 5e5; // units of work per slice, every stage of C's predict_more (~10-30 ms in wasm)

// Returns the lab's options for the engine's: the chart's width, or C's default width (true) when unknown.
function labOptions({ columns, ...options }) {
  return { ...options, columns: Number.isInteger(columns) && columns > 0 ? columns : true };
}

// Returns {report} for the trace with options (limit included; columns: the chart's pixel
// width), or {error} when unavailable.
export function predictOnce(lab, trace, options) {
  if (typeof lab.predict !== 'function') return { error: 'The prediction engine is not part of this build.' };
  try {
    return { report: lab.predict(trace, labOptions(options)) };
  } catch (e) {
    return { error: errorText(e) };
  }
}

// The same as predictOnce, as a generator yielding {phase: 'training', fraction} after each
// slice and returning predictOnce's result; stopped early (return()), it frees the job.
export function* predictInSlices(lab, trace, options) {
  if (typeof lab.predictSlices !== 'function') return predictOnce(lab, trace, options);
  let job;
  try {
    job = lab.predictSlices(trace, labOptions(options));
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
    return { report: job.end() };
  } catch (e) {
    return { error: errorText(e) };
  } finally {
    if (!ended) job.abort();
  }
}
