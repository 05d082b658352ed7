// packed.js: the page's packed data blocks. web/build.mjs stores the page
// script (#heaplab-app) and the wasm module (#heaplab-module) gzipped and
// base64-encoded in non-executed <script> blocks; this gives back their
// text, inflated with the browser's DecompressionStream. boot.js (bundled
// on its own into the one inline script) and engine.js (the worker's
// module text) both use it, so the decoding is written once.

// Resolves to the UTF-8 text that the base64 string b64 holds gzipped.
export async function inflate(b64) {
  const bin = Uint8Array.from(atob(b64.trim()), (ch) => ch.charCodeAt(0));
  const stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

// Resolves to the inflated text of the page's data block #id; rejects, naming `what`, when the page lacks it.
export async function blockText(id, what) {
  const block = document.getElementById(id);
  if (!block) throw new Error(`${what} is not in this page`);
  return inflate(block.textContent);
}
