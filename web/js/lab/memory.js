// memory.js: reading what C wrote into wasm linear memory.
//
// Memory can grow during any call into C, which detaches every typed-array
// view taken before it. So nothing here keeps a view: each helper takes the
// module's current HEAP* array at the moment it reads, and pointers coming
// back from C are made unsigned (`>>> 0`) since linear memory may pass 2 GiB.

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

// Returns the unsigned byte address for a pointer returned by C (0 = NULL).
export function addr(p) {
  return p >>> 0;
}

// Returns a copy of `count` rows of `stride` uint32 words at byte address p.
export function readU32(mod, p, count, stride) {
  const start = addr(p) >>> 2;
  return mod.HEAPU32.slice(start, start + count * stride);
}

// Returns a copy of `count` rows of `stride` int32 words at byte address p.
export function readI32(mod, p, count, stride) {
  const start = addr(p) >>> 2;
  return mod.HEAP32.slice(start, start + count * stride);
}

// Returns a copy of `count` rows of `stride` doubles at byte address p.
export function readF64(mod, p, count, stride) {
  const start = addr(p) >>> 3;
  return mod.HEAPF64.slice(start, start + count * stride);
}

// Returns the NUL-terminated UTF-8 string at p, or null for a NULL pointer.
export function readCString(mod, p) {
  const start = addr(p);
  if (start === 0) return null;
  const heap = mod.HEAPU8;
  let end = start;
  while (heap[end] !== 0) end++;
  return decoder.decode(heap.subarray(start, end));
}

// Returns the names C gives for indices 0, 1, ... (name function fn): `count` of them, or up to the first NULL.
export function readNames(mod, fn, count = Infinity) {
  const out = [];
  for (let i = 0, s; i < count && (s = readCString(mod, fn(i))) !== null; i++) out.push(s);
  return out;
}

// Returns the field names of a table C fills (fn returns "name1,name2,..."): its layout, read from C.
export function readFields(mod, fn) {
  return readCString(mod, fn()).split(',').filter(Boolean);
}

// Returns an object {field: row[i]} for a row read with a field list from readFields.
export function rowObject(fields, row, at = 0) {
  const out = {};
  for (let i = 0; i < fields.length; i++) out[fields[i]] = row[at + i];
  return out;
}

// The longest string V8 makes (0x1fffffe8 UTF-16 units): a JS engine's fact, not C's.
// UTF-8 never has fewer bytes than units, so text of at most this many bytes always fits.
export const MAX_TEXT_BYTES = 0x1fffffe8;

// Returns `len` bytes at p decoded as UTF-8 (len from C, so no scan for NUL);
// throws RangeError naming the size when the text cannot be one JS string.
export function readText(mod, p, len) {
  if (len > MAX_TEXT_BYTES) {
    throw new RangeError(`HeapLab: the text is ${len} bytes, more than a JavaScript string can hold (${MAX_TEXT_BYTES})`);
  }
  const start = addr(p);
  return decoder.decode(mod.HEAPU8.subarray(start, start + len));
}

// Returns UTF-8 bytes (a copy or a view) decoded as a string.
export function fromUtf8(bytes) {
  return decoder.decode(bytes);
}

// Returns the UTF-8 bytes of a string.
export function utf8(s) {
  return encoder.encode(s);
}

// Copies doubles into linear memory at p (8-byte aligned; the caller got p from C just before).
export function writeF64(mod, p, values) {
  mod.HEAPF64.set(values, addr(p) >>> 3);
}

// Copies bytes into linear memory at p (the caller got p from C just before).
export function writeBytes(mod, p, bytes, at = 0) {
  mod.HEAPU8.set(bytes, addr(p) + at);
}

// Returns a live view of `len` bytes at p: valid until the next call into C.
export function view(mod, p, len) {
  const start = addr(p);
  return mod.HEAPU8.subarray(start, start + len);
}
