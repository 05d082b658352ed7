// hygiene.test.mjs: the page's rules checked on its sources and on the built
// file. Sources: no markup or code from strings anywhere in web/js, nothing
// fetched, every file headed by a design comment and under ~400 lines; the
// four roles told apart by folder (lab/: the public JS API, engine/: the
// worker bridge, model/: DOM-free, views/: DOM only; the controllers and
// main.js at the top), each role importing only what it may, and no circle
// in the import graph. lessons/ holds the lessons as data and their answers (DOM-free too). Built file: packed scripts without the forbidden
// calls, a CSP that names no network source.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;
const JS = `${ROOT}web/js`;
const FORBIDDEN = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|new Function|eval\s*\()|\bfetch\s*\(|XMLHttpRequest|WebSocket|importScripts/;
const FOLDERS = ['engine', 'lab', 'lessons', 'model', 'views'];
const TOP = ['app.js', 'boot.js', 'controls.js', 'lesson-mode.js', 'main.js', 'mm-mode.js', 'ostep-mode.js', 'predictions.js', 'rehearse.js'];
// What each role may import (by role); 'top' is main.js and the controllers.
const MAY_IMPORT = {
  lab: ['lab'],
  model: ['model'],
  lessons: ['lessons', 'model'], // the lessons as data, and their answers computed from engine answers
  engine: ['engine', 'model', 'lab'], // the bridge over the public API (the page side uses only its pure decoders)
  views: ['views', 'model'],
  top: ['top', 'engine', 'lessons', 'model', 'views'],
};
// Touching the page or the browser's globals (the model and the API must run in node).
const DOM = /\b(document|window|navigator|location|history|localStorage|requestAnimationFrame|HTMLElement|IntersectionObserver)\b/;
// Calling the wasm module directly (its exports are _hl_* and _malloc/_free; its memory HEAP*).
const WASM = /\b_hl_\w+|\b_(malloc|free)\b|\bHEAP(U8|U32|32|F64)\b|\bHeapLab\b/;

// Returns every .js file under dir, as paths relative to web/js.
function sources(dir = JS) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return f.endsWith('.js') ? [relative(JS, p)] : [];
  });
}

// Returns the text of a source without its line comments (so prose may name anything).
function code(file) {
  return readFileSync(join(JS, file), 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

// Returns the role of a source: its folder, or 'top'.
function roleOf(file) {
  const dir = file.split('/')[0];
  return FOLDERS.includes(dir) ? dir : 'top';
}

// Returns the relative imports of a source, resolved to paths relative to web/js (files outside web/js keep a ../ path).
function importsOf(file) {
  const out = [];
  for (const m of code(file).matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'([^']+)'/g)) {
    if (m[1].startsWith('.')) out.push(relative(JS, resolve(JS, dirname(file), m[1])));
  }
  return out;
}

const FILES = sources();
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

// Returns one import circle as a list of files (first = last), or null when the graph has none.
export function findCircle(graph) {
  const state = new Map(); // file -> 1 on the current path, 2 done
  const path = [];
  const visit = (f) => {
    state.set(f, 1);
    path.push(f);
    for (const g of graph.get(f) || []) {
      if (!graph.has(g)) continue;
      if (state.get(g) === 1) return [...path.slice(path.indexOf(g)), g];
      if (!state.has(g)) { const c = visit(g); if (c) return c; }
    }
    path.pop();
    state.set(f, 2);
    return null;
  };
  for (const f of graph.keys()) if (!state.has(f)) { const c = visit(f); if (c) return c; }
  return null;
}

test('page sources: no markup or code from strings, no network, a design comment, small files', () => {
  assert.ok(FILES.length >= 30);
  for (const f of FILES) {
    const text = readFileSync(join(JS, f), 'utf8');
    assert.doesNotMatch(code(f), FORBIDDEN, f);
    const base = f.split('/').pop();
    assert.ok(text.startsWith(`// ${base}: `), `${f} opens with a design comment naming it`);
    assert.ok(text.split('\n').length <= 420, `${f} has ${text.split('\n').length} lines`);
  }
});

test('folders: the four roles and the controllers, each folder small', () => {
  const dirs = readdirSync(JS).filter((f) => statSync(join(JS, f)).isDirectory()).sort();
  assert.deepEqual(dirs, FOLDERS);
  assert.deepEqual(FILES.filter((f) => roleOf(f) === 'top').sort(), TOP);
  for (const d of FOLDERS) assert.ok(FILES.some((f) => roleOf(f) === d), `web/js/${d}/ is empty`);
  // Each folder (a role's subfolders included) holds at most 16 files directly.
  const byDir = new Map();
  for (const f of FILES) byDir.set(dirname(f), (byDir.get(dirname(f)) ?? 0) + 1);
  for (const [d, n] of byDir) if (d !== '.') assert.ok(n <= 16, `web/js/${d}/ holds ${n} files`);
});

// The whole house: every folder under c/, ml/, tests/ and web/ holds at most
// 16 files directly. The files are the repository's (git: tracked or new, not
// ignored, so test screenshots do not count); without git, the folders' own.
function houseFiles() {
  try {
    return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'c', 'ml', 'tests', 'web'],
      { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f && existsSync(join(ROOT, f)));
  } catch {
    const walk = (dir) => readdirSync(join(ROOT, dir)).flatMap((f) => {
      const p = join(dir, f);
      return statSync(join(ROOT, p)).isDirectory() ? (f === 'screenshots' ? [] : walk(p)) : [p];
    });
    return ['c', 'ml', 'tests', 'web'].flatMap(walk);
  }
}

test('folders: every folder of the repository is small', () => {
  const byDir = new Map();
  for (const f of houseFiles()) byDir.set(dirname(f), (byDir.get(dirname(f)) ?? 0) + 1);
  const crowded = [...byDir].filter(([, n]) => n > 16).map(([d, n]) => `${d}/ holds ${n} files`);
  assert.deepEqual(crowded, []);
});

test('roles: each folder imports only what it may', () => {
  for (const [f, deps] of GRAPH) {
    const role = roleOf(f);
    for (const d of deps) {
      if (f === 'lab/lab.js' && d === '../../build/wasm/heaplab-core.js') continue; // the Emscripten factory
      assert.ok(GRAPH.has(d), `${f} imports ${d}, which is not a web/js source`);
      assert.ok(MAY_IMPORT[role].includes(roleOf(d)), `${f} (${role}/) imports ${d} (${roleOf(d)})`);
    }
  }
});

test('model/ and lab/ never touch the page; model/ never calls the wasm module', () => {
  for (const f of FILES) {
    const role = roleOf(f);
    if (role === 'model' || role === 'lab' || role === 'lessons') assert.doesNotMatch(code(f), DOM, `${f} touches the DOM or browser globals`);
    if (role === 'model' || role === 'lessons') assert.doesNotMatch(code(f), WASM, `${f} calls the wasm module`);
  }
});

test('views are given what they show: they never hold the app or the engine, nor ask the engine', () => {
  const REACH = /(?<![\w.])(app|engine)\b|\bthis\.(app|engine)\b|\.request\(|\blatestOf\(/;
  for (const f of FILES.filter((x) => roleOf(x) === 'views')) {
    const bare = code(f).replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
    assert.doesNotMatch(bare, REACH, `${f} reaches for the app or the engine`);
  }
  assert.match("x = this.app.run", REACH);
  assert.match("constructor(engine, maps)", REACH);
  assert.doesNotMatch("this.e.app.setAttribute('aria-busy')", REACH);
});

test('no circles: no file imports a file that (through others) imports it back', () => {
  assert.equal(findCircle(GRAPH), null, `import circle: ${(findCircle(GRAPH) || []).join(' -> ')}`);
  // the check itself finds a circle when there is one
  assert.deepEqual(findCircle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', []]])), ['a', 'b', 'c', 'a']);
  assert.deepEqual(findCircle(new Map([['a', ['a']]])), ['a', 'a']);
  assert.equal(findCircle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), null);
});

test('built page: packed scripts inflate to code without the forbidden calls; the CSP allows no network', (t) => {
  const path = `${ROOT}dist/heaplab.html`;
  if (!existsSync(path)) { t.skip('dist/heaplab.html not built'); return; }
  const html = readFileSync(path, 'utf8');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp[1], /default-src 'none'/);
  assert.match(csp[1], /connect-src 'none'/);
  assert.doesNotMatch(csp[1], /https?:|'unsafe-inline'|'unsafe-eval'|\*/);
  for (const id of ['heaplab-app', 'heaplab-module']) {
    const m = new RegExp(`<script type="application/x-heaplab-gzip-base64" id="${id}">([^<]+)</script>`).exec(html);
    assert.ok(m, `${id} block`);
    const code = gunzipSync(Buffer.from(m[1], 'base64')).toString('utf8');
    assert.doesNotMatch(code, /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b|new Function\(|\beval\(/, id);
  }
  assert.equal((html.match(/<script>/g) || []).length, 1, 'one inline script (the boot script)');
  assert.doesNotMatch(html, /<(link|img|iframe)[^>]+(href|src)="https?:/);
});
