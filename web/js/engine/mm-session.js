// mm-session.js: an imported mm log for the mm mode, parsed in the engine
// (engine-core.js answers the 'mm' request with it, inside the worker) by C
// through lab.loadMmLog: { traces } of plain data, or { error, line }.

// Returns lab.loadMmLog's answer for text named name.
export function mmSession(lab, text, name) {
  if (typeof lab.loadMmLog !== 'function') return { error: 'this build cannot read mm logs (lab.loadMmLog)', line: 0 };
  if (typeof text !== 'string') return { error: 'the mm log must be text', line: 0 };
  return lab.loadMmLog(text, { name: String(name || 'mm.log') });
}
