// tables.js: the layouts of the tables C fills in linear memory, read once
// per module instance from C (c/wasm/*_api.c name each table's fields in
// one X-macro list: its stride, its names and the row it writes).
//
//   block   uint32 per block     (heap.blocks)
//   stats   double               (heap.stats)
//   op      double per op record (heap.events, heap.logTable)
//   event   uint32 per event
//   replay  double               (heap.replay)
//   cursor  double               (cursor.stats)
//
// JS never spells a stride or a field position: it looks the field up here.

import { readFields } from './memory.js';

const cache = new WeakMap();

// Returns {block, stats, op, event, replay, cursor}: each {names, at: {name: index}, stride}.
export function tables(mod) {
  let t = cache.get(mod);
  if (!t) {
    const one = (fn) => {
      const names = readFields(mod, fn);
      return { names, at: Object.fromEntries(names.map((n, i) => [n, i])), stride: names.length };
    };
    t = {
      block: one(mod._hl_block_fields), stats: one(mod._hl_stats_fields), op: one(mod._hl_op_fields),
      event: one(mod._hl_event_fields), replay: one(mod._hl_replay_fields), cursor: one(mod._hl_cursor_fields),
    };
    cache.set(mod, t);
  }
  return t;
}
