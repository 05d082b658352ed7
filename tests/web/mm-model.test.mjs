// mm-model.test.mjs: "your allocator's heap" from the outside
// (web/js/model/modes/mm-model.js) on hand-made traces shaped as lab.loadMmLog
// returns them: live payloads, overhead (bytes below the break no payload
// covers, each once), overlaps, the failing step, the map's segments.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mmState, failStep, stepCount, rowWords, verdictWords, mapRows, overlaps, payloadAt } from '../../web/js/model/modes/mm-model.js';

// A trace of records [op, kind, id, size, offset, heap].
function traceOf(records, extra = {}) {
  const col = (i, f = (v) => v) => Float64Array.from(records, (r) => f(r[i]));
  return {
    name: 't.rep', ops: records.length, align: 8, status: 'ok', check: 'none', op: -1, failOffset: -1, message: '',
    rows: { n: records.length, op: col(0), kind: col(1, (k) => k.charCodeAt(0)), id: col(2), size: col(3), offset: col(4), heapSize: col(5) },
    ...extra,
  };
}

const ok = traceOf([
  [0, 'a', 0, 100, 8, 112], // id 0 at 8..107
  [1, 'a', 1, 20, 120, 144], // id 1 at 120..139
  [2, 'r', 0, 200, 152, 360], // id 0 moves to 152..351
  [3, 'f', 1, 0, 120, 360],
  [4, 'a', 2, 16, -1, 360], // NULL
]);

test('the state after k records', () => {
  assert.equal(stepCount(ok), 6);
  assert.equal(failStep(ok), -1);
  const s0 = mmState(ok, 0);
  assert.deepEqual([s0.live, s0.heapSize, s0.overhead, s0.row, s0.maxHeap], [[], 0, 0, -1, 360]);
  const s2 = mmState(ok, 2);
  assert.deepEqual(s2.live, [{ id: 0, offset: 8, size: 100 }, { id: 1, offset: 120, size: 20 }]);
  assert.deepEqual([s2.heapSize, s2.livePayload, s2.overhead, s2.peakPayload], [144, 120, 24, 120]);
  const s3 = mmState(ok, 3);
  assert.deepEqual(s3.live.map((b) => [b.id, b.offset]), [[1, 120], [0, 152]]);
  assert.deepEqual([s3.livePayload, s3.peakPayload, s3.overhead], [220, 220, 140]);
  const s5 = mmState(ok, 99); // clamped
  assert.deepEqual([s5.k, s5.live.length, s5.livePayload, s5.peakPayload], [5, 1, 200, 220]);
  assert.equal(payloadAt(s5, 151), null);
  assert.equal(payloadAt(s5, 152).id, 0);
  assert.equal(rowWords(ok, 2), 'Op 2: mm_realloc(id 0, 200) returned heap offset 152; the heap is 360 bytes.');
  assert.equal(rowWords(ok, 3), 'Op 3: mm_free(id 1, heap offset 120); the heap is 360 bytes.');
  assert.equal(rowWords(ok, 4), 'Op 4: mm_malloc(16) for id 2 returned NULL; the heap is 360 bytes.');
  assert.match(verdictWords(ok).text, /^Valid on all 5 ops/);
});

test('overlapping payloads count their shared bytes once, and the map shows where', () => {
  const bad = traceOf([[0, 'a', 0, 100, 8, 112], [1, 'a', 1, 100, 60, 168]],
    { status: 'invalid', check: 'overlap', op: 1, failOffset: 60, message: 'mm_malloc(100) for id 1 returned heap offset 60 .. 159, which overlaps …' });
  assert.equal(failStep(bad), 2);
  const s = mmState(bad, 2);
  assert.deepEqual([s.livePayload, s.overhead], [200, 168 - 152]);
  assert.deepEqual(overlaps(s), [{ start: 60, end: 108 }]);
  const m = mapRows(s, 2);
  assert.equal(m.bytesPerRow, 84);
  assert.deepEqual(m.rows.map((r) => [r.lo, r.hi]), [[0, 84], [84, 168]]);
  assert.deepEqual(m.rows[0].segs.map((g) => [g.kind, g.start, g.end]),
    [['held', 0, 8], ['payload', 8, 108], ['payload', 60, 160], ['overlap', 60, 108]]);
  assert.deepEqual(m.rows[1].segs.map((g) => g.kind), ['payload', 'payload', 'held', 'overlap']);
  assert.equal(verdictWords(bad).text, 'Invalid at op 1: mm_malloc(100) for id 1 returned heap offset 60 .. 159, which overlaps …');
});

test('a crash inside an op: the log stops before it, and the words say so', () => {
  const crash = traceOf([[0, 'a', 0, 64, 8, 72]], { ops: 3, status: 'crash', op: 1, message: 'the program died of signal 11 (Segmentation fault) in the checked pass at op 1' });
  assert.equal(failStep(crash), 1);
  assert.match(verdictWords(crash).text, /^Crashed at op 1: .* \(the allocator never returned from that op, so the log stops before it\)$/);
  const s = mmState(crash, 1);
  const m = mapRows(s, 8);
  assert.equal(m.total, 72);
  assert.deepEqual(m.rows.flatMap((r) => r.segs).filter((g) => g.kind === 'beyond'), []);
});
