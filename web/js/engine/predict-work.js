// predict-work.js: the engine's prediction requests over the lab API: the
// report at once (lab.predict) or trained in slices (lab.predictSlices: C
// builds the trees node by node), so the worker can report progress and a
// Cancel stops the training between slices, keeping nothing.
import { errorText } from '../model/words.js';

const PREDICT_WORK = 5e5; // units of training per slice (C's tree_fit_more: ~10-30 ms)

// Returns {report} for the trace with options (limit included), or {error} when unavailable.
export function predictOnce(lab, trace, options) {
  if (typeof lab.predict !== 'function') return { error: 'The prediction engine is not part of this build.' };
  try {
    return { report: lab.predict(trace, options) };
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
    return { report: job.end() };
  } catch (e) {
    return { error: errorText(e) };
  } finally {
    if (!ended) job.abort();
  }
}
