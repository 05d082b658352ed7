// ostep-session.js: one malloc.py command line run for the OSTEP mode, in
// the engine (engine-core.js answers the 'ostep' request with it, inside
// the same worker and module instance as the allocator's requests).
//
// A session needs two runs of lab.ostep: with the answers forced off (the
// questions as malloc.py asks them) and forced on (the answers, the free
// list, the map and the events); model/modes/ostep-model.js joins them. The
// page caps a run at MAX_OPS operations; the native tool prints any number.
import { makeSession, MAX_OPS } from '../model/modes/ostep-model.js';

// Returns {session} for malloc.py flags, {help} for -h, or {error, status} (one line).
export function ostepSession(lab, flags) {
  if (typeof lab.ostep !== 'function') return { error: 'this build has no OSTEP simulator (lab.ostep)', status: -1 };
  if (typeof flags !== 'string') return { error: 'the OSTEP flags must be one string', status: -1 };
  const answers = lab.ostep(flags, { compute: true, maxOps: MAX_OPS });
  if (answers.status === 1) return { help: answers.help };
  if (answers.status === lab.ostep.codes.E_LIMIT) return { error: `more than ${MAX_OPS} operations: the page shows at most ${MAX_OPS} (build/heaplab ostep prints any number)`, status: answers.status };
  if (answers.status < 0) return { error: answers.error, status: answers.status };
  const questions = lab.ostep(flags, { compute: false, maxOps: MAX_OPS });
  const session = makeSession(flags, questions, answers);
  if (session.error) return { error: session.error, status: -1 };
  return { session };
}
