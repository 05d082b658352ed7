// build.mjs: writes dist/heaplab.html, the single self-contained page.
//
// Inputs: web/index.html (markup with three markers), web/css/*.css
// (inlined as one <style>), web/js/main.js bundled by esbuild into one
// classic IIFE script (Chart.js from node_modules and the bundled traces
// web/data/*.csv included), web/js/engine/engine-worker.js bundled the same way
// (its text is a constant of the page script), and dist/heaplab.js (the wasm
// module: a classic script defining global HeapLab).
//
// To stay under the 488 KB budget (raised from 448 when the allocator's hot path
// gave each heap kind its own malloc and free bodies, and parse and training
// became resumable: the wasm module 146 -> 185 KB packed; from 480 when realloc
// got its quick body and the charts' series moved into C: 208 -> 215 KB) the page script and the wasm module are
// stored gzipped and base64-encoded in non-executed data blocks; the one
// inline script (boot.js, bundled with the inflate helper it shares with
// the engine, web/js/engine/packed.js) inflates the page script with
// DecompressionStream and runs it from a blob: URL, and the page runs the
// module in a Web Worker built from a blob the same way. The CSP allows exactly that: the
// inline style and boot script by sha256, blob: scripts and workers, wasm
// compilation, and nothing from any network.
//
// Usage: node web/build.mjs [--wasm PATH] [--out PATH]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const BUDGET = 488 * 1024;

// Returns the value following `flag` on the command line, or `fallback`.
function arg(flag, fallback) {
  const i = process.argv.indexOf(flag);
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : fallback;
}

// Returns the CSP source token for an inline element's exact text.
function hashOf(text) {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

// Returns the bundled traces: {name: CSV text}, one JSON object.
function bundleData() {
  const dir = join(here, 'data');
  const out = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.csv')).sort()) {
    out[f.replace(/\.csv$/, '')] = readFileSync(join(dir, f), 'utf8');
  }
  return out;
}

// Returns text gzipped and base64-encoded (for a non-executed data block).
function packed(text) {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64');
}

// Returns web/js/<entry> and its imports as one classic (IIFE) script.
async function bundle(entry, { minify = !process.env.HEAPLAB_DEBUG, target = ['chrome100', 'firefox100', 'safari15'], define } = {}) {
  const res = await build({
    entryPoints: [join(here, 'js', entry)],
    bundle: true,
    format: 'iife',
    minify,
    target,
    write: false,
    legalComments: 'none',
    define,
    logLevel: 'warning',
  });
  return res.outputFiles[0].text;
}

// The inline bootstrap (always minified; it unpacks the rest, so it needs DecompressionStream).
const bundleBoot = () => bundle('boot.js', { minify: true, target: ['chrome100', 'firefox113', 'safari16'] });

// The engine worker's script (engine/engine-worker.js and its imports).
const bundleWorker = () => bundle('engine/engine-worker.js');

// The page script: main.js and its imports, with the bundled traces and the worker's source built in.
const bundleScript = (data, worker) => bundle('main.js', {
  define: { HEAPLAB_DATA: JSON.stringify(data), WORKER_SOURCE: JSON.stringify(worker), 'process.env.NODE_ENV': '"production"' },
});

// Returns text safe to place inside <script> or <style> (no closing tag inside).
function inlineSafe(text, tag) {
  return text.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}

async function main() {
  const wasmPath = arg('--wasm', join(root, 'dist', 'heaplab.js'));
  const outPath = arg('--out', join(root, 'dist', 'heaplab.html'));
  if (!existsSync(wasmPath)) {
    console.error(`web/build.mjs: ${wasmPath} is missing (build it first: make -f c/Makefile wasm)`);
    process.exit(1);
  }
  const html = readFileSync(join(here, 'index.html'), 'utf8');
  const css = readdirSync(join(here, 'css')).filter((n) => n.endsWith('.css')).sort()
    .map((n) => readFileSync(join(here, 'css', n), 'utf8')).join('\n');
  // The module runs only inside the engine's worker, so it is stored as a
  // non-executed data block (gzip, base64): half the size of the raw script.
  const wasm = packed(readFileSync(wasmPath, 'utf8'));
  const appText = await bundleScript(bundleData(), await bundleWorker());
  const app = packed(appText);
  const boot = inlineSafe(await bundleBoot(), 'script');
  const style = inlineSafe(css, 'style');
  const csp = [
    "default-src 'none'",
    `script-src 'wasm-unsafe-eval' blob: ${hashOf(boot)}`,
    `style-src ${hashOf(style)}`,
    'img-src data: blob:',
    'worker-src blob:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const out = html
    .replace('<!--CSP-->', `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
    .replace('<!--STYLE-->', () => `<style>${style}</style>`)
    .replace('<!--SCRIPTS-->', () => [
      `<script type="application/x-heaplab-gzip-base64" id="heaplab-module">${wasm}</script>`,
      `<script type="application/x-heaplab-gzip-base64" id="heaplab-app">${app}</script>`,
      `<script>${boot}</script>`,
    ].join('\n'));
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, out);
  const size = Buffer.byteLength(out);
  console.log(`web/build.mjs: wrote ${outPath} (${(size / 1024).toFixed(1)} KB: page script ${(appText.length / 1024).toFixed(1)} KB -> ${(app.length / 1024).toFixed(1)} KB packed, wasm module ${(wasm.length / 1024).toFixed(1)} KB packed)`);
  if (size > BUDGET && !process.env.HEAPLAB_DEBUG) {
    console.error(`web/build.mjs: ${outPath} is ${size} bytes, over the ${BUDGET}-byte budget`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
