// api.test.js: the API surface and the three ways to load dist/heaplab.js.
//  - What the module exports (HeapLab, lab, heap, and the shape of every
//    object they return) equals api-surface.json, and, once README.md
//    documents the API, equals the names README.md shows in inline code
//    (`HeapLab.x`, `lab.x`, `heap.x`): a drift in either direction fails.
//  - dist/heaplab.js works with require, with ESM import (dist/heaplab.mjs
//    named + default, and the .js itself as a default import), as a classic
//    script defining global HeapLab (in a vm context without node globals),
//    and from a file:// page in Chromium when /usr/bin/chromium exists.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { execFileSync } = require('node:child_process');
const { ROOT, DIST, heaplab, tmpdir } = require('../helpers.js');

const SURFACE = JSON.parse(fs.readFileSync(path.join(__dirname, 'api-surface.json'), 'utf8'));
const README = path.join(ROOT, 'README.md');
const sorted = (a) => [...a].sort();

// Returns the public names of an object: own enumerable keys plus public prototype methods.
function publicNames(obj) {
  const names = new Set(Object.keys(obj));
  const proto = Object.getPrototypeOf(obj);
  if (proto && proto !== Object.prototype) {
    for (const k of Object.getOwnPropertyNames(proto)) if (k !== 'constructor' && !k.startsWith('_')) names.add(k);
  }
  return sorted(names);
}

test('exports equal api-surface.json', async () => {
  const HeapLab = heaplab();
  assert.deepEqual(publicNames(HeapLab), sorted(SURFACE.HeapLab));
  const lab = await HeapLab.load();
  assert.deepEqual(publicNames(lab), sorted(SURFACE.lab));
  const heap = lab.createHeap();
  assert.deepEqual(publicNames(heap), sorted(SURFACE.heap));
  assert.deepEqual(sorted(Object.keys(heap.options)), sorted(SURFACE.options));
  assert.deepEqual(sorted(Object.keys(lab.defaults)), sorted(SURFACE.options));
  const p = heap.malloc(10);
  heap.free(heap.malloc(100));
  heap.free(3);
  assert.deepEqual(sorted(Object.keys(heap.blocks()[0])), sorted(SURFACE.block));
  assert.deepEqual(sorted(Object.keys(heap.stats())), sorted(SURFACE.stats));
  assert.deepEqual(sorted(Object.keys(heap.check())), sorted(SURFACE.check));
  const ops = heap.events();
  for (const o of ops) {
    assert.deepEqual(sorted(Object.keys(o)), sorted(SURFACE.op));
    for (const e of o.events) assert.deepEqual(sorted(Object.keys(e)), sorted(SURFACE.event));
  }
  assert.deepEqual(ops.map((o) => o.op), ['alloc', 'alloc', 'free', 'free']);
  assert.deepEqual(ops[3].events, [{ kind: 'fail', detail: 1, a: HeapLab.EBADPTR, b: 3, c: 0 }]);
  assert.deepEqual(heap.events(2).map((o) => o.seq), [2, 3]);
  assert.deepEqual(heap.events(99), []);
  const r = heap.replay(lab.generate('stack', 3, 200));
  assert.deepEqual(sorted(Object.keys(r)), sorted(SURFACE.replay));
  assert.deepEqual(sorted(Object.keys(heap.replay('op,id,size\nfree,9,0\n'))), sorted(SURFACE.replayError));
  const t = lab.generateTrace('random', 4, 300);
  assert.deepEqual(publicNames(t), sorted(SURFACE.trace));
  const rr = lab.createHeap().replay(t, { verify: false, rows: true });
  assert.deepEqual(sorted(Object.keys(rr)), sorted(SURFACE.replayRows));
  const still = lab.createHeap({ log: false });
  const cur = still.cursor(rr.rows);
  assert.deepEqual(publicNames(cur), sorted(SURFACE.cursor));
  assert.equal(cur.seek(150), 0);
  assert.deepEqual(sorted(Object.keys(cur.stats())), sorted(SURFACE.cursorStats));
  assert.deepEqual(sorted(Object.keys(heap.logTable())), sorted(SURFACE.logTable));
  cur.destroy();
  still.destroy();
  rr.rows.destroy();
  t.destroy();
  assert.equal(p, 8);
  // The arena view: bytes [0, break), the block header (size | flags) 4 bytes before each payload.
  const arena = heap.arena();
  assert.equal(arena.length, heap.stats().heapSize);
  const dv = new DataView(arena.buffer, arena.byteOffset, arena.length);
  for (const b of heap.blocks()) assert.equal(dv.getUint32(b.offset, true) & ~7, b.size);
  heap.payload(p).set([9, 8, 7]);
  assert.deepEqual([...heap.arena().subarray(p, p + 3)], [9, 8, 7]);
  assert.equal(heap.payload(p + 8), null);
  assert.deepEqual([HeapLab.ENOMEM, HeapLab.EINVAL, HeapLab.ETOOBIG, HeapLab.EBADPTR, HeapLab.EDOUBLEFREE], [-1, -2, -3, -4, -5]);
  assert.equal(lab.strerror(HeapLab.EDOUBLEFREE).length > 0, true);
  heap.destroy();
});

test('loading installs no process-wide handlers (the host keeps its own)', async () => {
  const count = () => ['unhandledRejection', 'uncaughtException', 'exit'].map((e) => process.listenerCount(e));
  const before = count();
  await heaplab().load();
  assert.deepEqual(count(), before);
});

test('README.md documents exactly the exported API', (t) => {
  const text = fs.existsSync(README) ? fs.readFileSync(README, 'utf8') : '';
  if (!text.includes('`HeapLab.load')) {
    t.skip('README.md has no JS API section yet (no `HeapLab.load`); api-surface.json is the reference');
    return;
  }
  const found = { HeapLab: new Set(), lab: new Set(), heap: new Set() };
  for (const m of text.matchAll(/`(?:await\s+)?(HeapLab|lab|heap)\.([A-Za-z_$][\w$]*)/g)) {
    if (!/^(c|h|js|mjs|cjs|html|json)$/.test(m[2])) found[m[1]].add(m[2]);
  }
  for (const k of Object.keys(found)) {
    assert.deepEqual(sorted(found[k]), sorted(SURFACE[k]), `README.md's \`${k}.…\` names vs the module`);
  }
});

test('ESM import: dist/heaplab.mjs (named and default) and dist/heaplab.js (default)', () => {
  const mjs = path.join(ROOT, 'dist', 'heaplab.mjs');
  const src = `
    import HeapLab, { load, ENOMEM } from ${JSON.stringify(mjs)};
    import Cjs from ${JSON.stringify(DIST)};
    const lab = await load();
    const h = lab.createHeap({ arenaBytes: 64 });
    console.log(JSON.stringify([HeapLab.load === load, Cjs.load === load, ENOMEM, h.malloc(100), h.malloc(8)]));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', src]).toString().trim();
  assert.equal(out, JSON.stringify([true, true, -1, -3, 8]));
});

test('classic script: defines global HeapLab without node globals', async () => {
  const code = fs.readFileSync(DIST, 'utf8');
  const window = {};
  const ctx = vm.createContext({
    window, self: window, document: { currentScript: null }, console, TextDecoder, TextEncoder, WebAssembly,
    atob, setTimeout, clearTimeout, performance, URL,
  });
  vm.runInContext(code, ctx, { filename: 'heaplab.js' });
  assert.equal(typeof ctx.HeapLab, 'object');
  assert.equal(typeof ctx.module, 'undefined');
  const lab = await ctx.HeapLab.load();
  const h = lab.createHeap({ policy: 'best' });
  const p = h.malloc(24);
  assert.equal(p, 8);
  assert.equal(h.free(p), 0);
  assert.equal(h.check().code, 0);
});

test('classic script from a file:// page in Chromium', { timeout: 60000 }, async (t) => {
  const chromium = '/usr/bin/chromium';
  let pw;
  try {
    pw = require(path.join(ROOT, 'node_modules', 'playwright-core'));
  } catch {
    pw = null;
  }
  if (!fs.existsSync(chromium) || !pw) {
    t.skip('no /usr/bin/chromium or playwright-core');
    return;
  }
  const dir = tmpdir('page');
  fs.copyFileSync(DIST, path.join(dir, 'heaplab.js'));
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>t</title>
<script src="heaplab.js"></script>
<script>
HeapLab.load().then((lab) => {
  const h = lab.createHeap({ policy: 'next' });
  const a = h.malloc(40), b = h.calloc(4, 4);
  h.free(a);
  document.title = JSON.stringify([a, b, h.free(a), h.blocks().length, h.check().code, lab.generate('queue', 1, 5).split('\\n').length]);
}, (e) => { document.title = 'error ' + e; });
</script>`);
  const browser = await pw.chromium.launch({
    executablePath: chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${dir}/index.html`);
    await page.waitForFunction(() => document.title !== 't', null, { timeout: 30000 });
    assert.equal(await page.title(), JSON.stringify([8, 56, -5, 2, 0, 7]));
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), [], 'no network requests');
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true });
  }
});
