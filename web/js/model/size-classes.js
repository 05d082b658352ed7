// size-classes.js: the fast policy's segregated free lists as the page draws
// them (DOM-free). The class boundaries are C's (vocabulary sizeClassMin:
// class c holds free blocks of minSize[c] up to minSize[c + 1] - 1 bytes);
// which classes hold blocks, each list's head and its order are read off the
// snapshot's free blocks and their next links.

// Returns the class of a block of `size` bytes: the last c with minSize[c] <= size.
export function classOf(size, minSize) {
  let lo = 0, hi = minSize.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (minSize[mid] <= size) lo = mid; else hi = mid - 1;
  }
  return lo;
}

// Returns the byte range of class c as text ("48–55 bytes"; the last class open-ended).
export function classRange(c, minSize) {
  return c + 1 < minSize.length ? `${minSize[c]}–${minSize[c + 1] - 1} bytes` : `${minSize[c]} bytes and more`;
}

// Returns the non-empty classes, in class order: [{cls, head, list: [offsets from the head]}].
// A list's head is its free block no other free block links to.
export function classLists(blocks, minSize) {
  const free = blocks.filter((b) => b.free);
  const byOff = new Map(free.map((b) => [b.offset, b]));
  const pointed = new Set(free.map((b) => b.nextFree).filter(Boolean));
  const out = [];
  for (const b of free) {
    if (pointed.has(b.offset)) continue;
    const list = [];
    const seen = new Set();
    for (let x = b; x && !seen.has(x.offset); x = byOff.get(x.nextFree)) { seen.add(x.offset); list.push(x.offset); }
    out.push({ cls: classOf(b.size, minSize), head: b.offset, list });
  }
  return out.sort((a, b) => a.cls - b.cls);
}
