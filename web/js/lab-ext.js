// lab-ext.js: the parts of the lab that other modules contribute.
//
// The regression tree's prediction API (web/js/api-ml.js: lab.fitTree,
// lab.predict) hangs off the same lab object and calls the same module
// instance; this is the one place that wires it in.
import { attachPrediction } from './api-ml.js';

// Adds the extension APIs to `lab` (they call the same module `mod`).
export function attachExtensions(lab, mod) {
  attachPrediction(lab, mod);
}
