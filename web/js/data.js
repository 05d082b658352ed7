// data.js: the bundled real-program traces (cut-down prefixes of
// ../shared/traces/real, see web/data/). web/build.mjs embeds them as
// base64 gzip in the constant HEAPLAB_DATA; they are inflated on first use
// with the browser's DecompressionStream, so the page stays small and
// fetches nothing.

/* global HEAPLAB_DATA */
const DATA = typeof HEAPLAB_DATA === 'object' ? HEAPLAB_DATA : {};

export const REAL_TRACES = [
  ['gcc_cc1_pngtest', 'gcc cc1 compiling pngtest.c'],
  ['git_log', 'git log --stat'],
  ['python_json', 'Python loading JSON'],
  ['sqlite3', 'sqlite3 shell'],
].filter(([name]) => name in DATA);

const cache = new Map();

// Returns the CSV text of a bundled trace (decompressed once, then cached).
export async function realTrace(name) {
  if (cache.has(name)) return cache.get(name);
  if (!(name in DATA)) throw new Error(`no bundled trace named ${name}`);
  const bin = Uint8Array.from(atob(DATA[name]), (ch) => ch.charCodeAt(0));
  const stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'));
  const text = await new Response(stream).text();
  cache.set(name, text);
  return text;
}
