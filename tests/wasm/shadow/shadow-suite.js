// shadow-suite.js: the differential stress test over every policy x order x
// coalescing combination (200,000 seeded ops each, check() after every op),
// split into halves so node --test can run them on two cores.
// HEAPLAB_SHADOW_OPS changes the length (e.g. 20000 for a quick run).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { heaplab, combos } = require('../helpers.js');
const { runStream } = require('./shadow.js');

const OPS = Number(process.env.HEAPLAB_SHADOW_OPS || 200000);
// Without coalescing the free list only ever shatters (thousands of 16-byte
// fragments, so every check() walks thousands of blocks): those streams
// reset the heap every EPISODE ops. With coalescing, one unbroken stream.
const EPISODE = 2500;

// Registers the tests for the pairs of combinations (i / 2) % parts === part.
function shadowSuite(part, parts) {
  test(`shadow model agrees with the engine (part ${part + 1} of ${parts})`, async (t) => {
    const HeapLab = heaplab();
    const lab = await HeapLab.load();
    const all = combos(lab);
    assert.equal(all.length, lab.policies.length * lab.orders.length * 2);
    for (const [i, c] of all.entries()) {
      // combos() alternates coalescing on/off: each part gets both kinds.
      if (Math.floor(i / 2) % parts !== part) continue;
      // A third of the streams use 16-byte alignment; a small arena keeps ENOMEM in play.
      const options = { ...c, align: i % 3 === 2 ? 16 : 8, arenaBytes: 256 << 10 };
      const episode = c.coalesce ? Infinity : EPISODE;
      await t.test(`${c.policy}/${c.order}/${c.coalesce ? 'coalesce' : 'no-coalesce'}/align${options.align}`, () => {
        const t0 = performance.now();
        const counts = runStream(lab, HeapLab, options, OPS, 1000 + i, { episode });
        assert.ok(counts.malloc > OPS / 4 && counts.free > OPS / 5 && counts.realloc > 0 && counts.calloc > 0 && counts.bad > 0);
        const us = ((performance.now() - t0) * 1000) / OPS;
        t.diagnostic(`${JSON.stringify(options)} ${OPS} ops, ${us.toFixed(1)} us/op: ${JSON.stringify(counts)}`);
      });
    }
  });
}

module.exports = { shadowSuite };
