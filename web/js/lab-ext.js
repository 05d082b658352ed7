// lab-ext.js: the parts of the lab that other modules contribute.
//
// The regression tree's prediction API (web/js/api-ml.js: lab.fitTree,
// lab.predict) and the OSTEP simulator (web/js/lab-ostep.js: lab.ostep)
// hang off the same lab object and call the same module instance; this is
// the one place that wires them in.
import { attachPrediction } from './api-ml.js';
import { attachOstep } from './lab-ostep.js';

// Adds the extension APIs to `lab` (they call the same module `mod`).
export function attachExtensions(lab, mod) {
  attachPrediction(lab, mod);
  attachOstep(lab, mod);
}
