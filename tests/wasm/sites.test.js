// sites.test.js: a recorded trace's call sites through the JS API
// (trace.sites(), c/wasm/site_wasm_api.c): the names come from C's reader,
// one per distinct site in order of first appearance, with each op's index;
// replay rows and slices keep them; a trace without the column has none.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { heaplab } = require('./helpers.js');

const RECORDED = [
  'op,id,size,result,thread,time,site',
  'alloc,0,16,0,0,100,prog!main+0x10',
  'alloc,1,32,0,1,200,libc.so.6!strdup+0x1a',
  'realloc,0,64,0,0,300,prog!main+0x10',
  'free,1,0,0,1,400,',
  'alloc,2,8,0,0,500,prog+0x99',
  '',
].join('\n');

test('trace.sites(): names and per-op indexes from C', async () => {
  const lab = await heaplab().load();
  const t = lab.loadTrace(RECORDED, { name: 'rec.csv' });
  const s = t.sites();
  assert.deepEqual(s.names, ['prog!main+0x10', 'libc.so.6!strdup+0x1a', 'prog+0x99']);
  assert.deepEqual(Array.from(s.of), [0, 1, 0, -1, 2]);
  const h = lab.createHeap({ log: true });
  const r = h.replay(t, { rows: true, verify: true });
  assert.equal(r.error, 0);
  assert.deepEqual(Array.from(r.rows.sites().of), [0, 1, 0, -1, 2], 'replay rows keep the sites');
  const cut = r.rows.slice(2);
  assert.deepEqual(Array.from(cut.sites().of), [0, 1]);
  assert.equal(cut.push('alloc', 7, 8), 0);
  assert.deepEqual(Array.from(cut.sites().of), [0, 1, -1], 'an op pushed by hand has no site');
  for (const x of [cut, r.rows, t]) x.destroy();
  h.destroy();
});

test('a trace without a site column has no sites', async () => {
  const lab = await heaplab().load();
  const t = lab.loadTrace('op,id,size\nalloc,0,8\nfree,0,0\n');
  assert.equal(t.sites(), null);
  t.destroy();
  const bad = lab.loadTrace('op,id,size,thread\nalloc,0,8,x\n', { name: 'b.csv' });
  assert.match(bad.error, /^b\.csv:2: thread/);
});
