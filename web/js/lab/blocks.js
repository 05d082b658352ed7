// blocks.js: a heap's block table (what C's hl_blocks fills: one row of
// uint32 per block, its fields named by C) decoded into block objects.
// Pure: no wasm, so the page can decode a table the engine worker sent
// as a transferred buffer instead of receiving thousands of cloned objects.
//
//   table = { n, names: ['offset', 'size', ...], data: Uint32Array(n * names.length) }
//   block = { offset, size, free, payloadOffset, payloadSize, nextFree, id }

// Returns the blocks of a table, in address order. Blocks are never changed once made, so a block
// equal to one of `prev` (an earlier decode, in address order) is that same object: a step that
// changed two blocks of 6,000 makes two objects, not 6,000 (less to allocate and to collect).
export function decodeBlocks(table, prev = null) {
  const { n, names, data } = table;
  const stride = names.length;
  const at = {};
  names.forEach((f, i) => { at[f] = i; });
  const out = new Array(n);
  const m = prev ? prev.length : 0;
  for (let i = 0, r = 0, j = 0; i < n; i++, r += stride) {
    const offset = data[r + at.offset], size = data[r + at.size], free = data[r + at.free] !== 0;
    const payloadOffset = data[r + at.payloadOffset], payloadSize = data[r + at.payloadSize];
    const nextFree = data[r + at.nextFree], id = (data[r + at.idHi] | 0) * 4294967296 + data[r + at.idLo];
    while (j < m && prev[j].offset < offset) j++;
    const p = j < m ? prev[j] : null;
    out[i] = p && p.offset === offset && p.size === size && p.free === free && p.payloadOffset === payloadOffset
      && p.payloadSize === payloadSize && p.nextFree === nextFree && p.id === id
      ? p : { offset, size, free, payloadOffset, payloadSize, nextFree, id };
  }
  return out;
}
