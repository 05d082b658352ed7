// build-lab.mjs: writes the wasm module's JS face for node and for pages.
//
//   dist/heaplab.js   esbuild bundle of the JS API (web/js/lab) + the emcc
//                     core (build/wasm/heaplab-core.js): one classic script
//                     (global HeapLab) that is also a CommonJS module
//   dist/heaplab.mjs  ES-module entry for node (`import HeapLab, { load }`)
//
// The core's node branch names fs/path (never reached with the wasm
// inlined): they stay external. Called by c/Makefile after the core is built.
//
// Usage: node web/build-lab.mjs ENTRY
import { build } from 'esbuild';
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = resolve(process.argv[2] || join(root, 'web/js/lab/lab.js'));
const out = join(root, 'dist/heaplab.js');
mkdirSync(dirname(out), { recursive: true });

await build({
  entryPoints: [entry],
  bundle: true,
  format: 'iife',
  globalName: 'HeapLab',
  platform: 'neutral',
  mainFields: ['main', 'module'],
  external: ['fs', 'path'],
  logLevel: 'warning',
  banner: { js: '/* HeapLab: allocator + event log + regression tree in wasm. Classic script (global HeapLab) or CommonJS. */' },
  footer: { js: 'if (typeof module === "object" && module.exports) module.exports = HeapLab;' },
  outfile: out,
});

// The ES-module entry re-exports the CommonJS build, named and default.
const names = Object.keys(createRequire(import.meta.url)(out)).filter((k) => k !== 'default');
writeFileSync(join(root, 'dist/heaplab.mjs'), [
  '// heaplab.mjs: ES-module entry for node; the module itself is heaplab.js.',
  "import { createRequire } from 'node:module';",
  "const HeapLab = createRequire(import.meta.url)('./heaplab.js');",
  'export default HeapLab;',
  `export const { ${names.join(', ')} } = HeapLab;`,
  '',
].join('\n'));
