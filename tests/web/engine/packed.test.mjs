// packed.test.mjs: the page's data-block inflation (web/js/engine/packed.js)
// against what web/build.mjs writes: gzip level 9, base64, with the
// whitespace a <script> block may add around it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { inflate } from '../../../web/js/engine/packed.js';

test('inflate gives back the text build.mjs packed (UTF-8, long, empty)', async () => {
  for (const text of ['', 'op,id,size\nalloc,0,16\n', 'ünïcödé — ✓ 漢字\n'.repeat(50), 'x'.repeat(300000)]) {
    const b64 = gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64');
    assert.equal(await inflate(`\n  ${b64}\n`), text);
  }
});

test('inflate rejects what is not gzip', async () => {
  await assert.rejects(inflate(Buffer.from('not gzip at all').toString('base64')));
});
