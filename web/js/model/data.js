// data.js: the bundled real-program traces, cut-down prefixes of
// ../shared/traces/real (web/data/*.csv). web/build.mjs puts them in the
// constant HEAPLAB_DATA ({name: CSV text}); the page script that holds them
// is stored compressed, so they cost little in the single file.

/* global HEAPLAB_DATA */
const DATA = typeof HEAPLAB_DATA === 'object' ? HEAPLAB_DATA : {};

export const REAL_TRACES = [
  ['gcc_cc1_pngtest', 'gcc cc1 compiling pngtest.c'],
  ['git_log', 'git log --stat'],
  ['python_json', 'Python loading JSON'],
  ['sqlite3', 'sqlite3 shell'],
].filter(([name]) => name in DATA);

// Returns the CSV text of a bundled trace.
export async function realTrace(name) {
  if (!(name in DATA)) throw new Error(`no bundled trace named ${name}`);
  return DATA[name];
}
