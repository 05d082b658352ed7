// limits.test.js: text too long for one JS string (issue 16, item 7). V8
// makes no string past 0x1fffffe8 units; the API says so in its own words
// (readText throws a RangeError naming the size; lab.ostep returns
// { status < 0, error }) instead of V8's raw "Cannot create a string".
// A real run that long takes GBs of memory, so readText is given a module
// whose text claims that length.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { ROOT } = require('../helpers.js');

test('readText refuses a text longer than a JS string, naming its size', async () => {
  const { readText, MAX_TEXT_BYTES } = await import(path.join(ROOT, 'web/js/lab/memory.js'));
  const mod = { HEAPU8: new Uint8Array(16) };
  assert.equal(MAX_TEXT_BYTES, 0x1fffffe8);
  assert.throws(() => readText(mod, 0, MAX_TEXT_BYTES + 1), /is 536870889 bytes, more than a JavaScript string can hold/);
  assert.equal(readText(mod, 0, 4), '\0\0\0\0', 'short texts still read');
});
