// blocks.js: a heap's block table (what C's hl_blocks fills: one row of
// uint32 per block, its fields named by C) decoded into block objects.
// Pure: no wasm, so the page can decode a table the engine worker sent
// as a transferred buffer instead of receiving thousands of cloned objects.
//
//   table = { n, names: ['offset', 'size', ...], data: Uint32Array(n * names.length) }
//   block = { offset, size, free, payloadOffset, payloadSize, nextFree, id }

// Returns the blocks of a table, in address order.
export function decodeBlocks(table) {
  const { n, names, data } = table;
  const stride = names.length;
  const at = {};
  names.forEach((f, i) => { at[f] = i; });
  const out = new Array(n);
  for (let i = 0, r = 0; i < n; i++, r += stride) {
    out[i] = {
      offset: data[r + at.offset], size: data[r + at.size], free: data[r + at.free] !== 0,
      payloadOffset: data[r + at.payloadOffset], payloadSize: data[r + at.payloadSize],
      nextFree: data[r + at.nextFree], id: (data[r + at.idHi] | 0) * 4294967296 + data[r + at.idLo],
    };
  }
  return out;
}
