/* block.h: the block layout, defined once, as accessors over arena offsets.
 *
 *   allocated block                     free block
 *   +----------------------+            +----------------------+
 *   | size | prev_a | a=1  | header     | size | prev_a | a=0  | header
 *   +----------------------+ <- payload +----------------------+
 *   | payload ...          |            | next free (offset)   |  the original "next" field
 *   |                      |            | prev free (offset)   |
 *   |                      |            | ...                  |
 *   +----------------------+            | size | prev_a | a=0  | footer (boundary tag)
 *                                       +----------------------+
 * Sizes count the whole block (header included) and are multiples of the
 * heap's alignment (8 or 16), so the low 3 bits of a header hold flags.
 * Allocated blocks have no footer: the next block's PREV_ALLOC bit tells
 * whether the footer before it is valid (CS:APP's footer elision).
 * The header sits 4 bytes before the payload; payloads are aligned; the
 * arena starts with align-4 bytes of padding and ends with an epilogue
 * header (size 0, allocated) in the 4 bytes below the break.
 * A block offset (`*_off`) is where its header starts; 0 means "none".
 * At HEAP_DEBUG >= 1 each accessor asserts its precondition (heap_debug.h).
 */
#ifndef HEAPLAB_BLOCK_H
#define HEAPLAB_BLOCK_H

#include <stdint.h>
#include <string.h>
#include "heap/heap_debug.h"

#define BLOCK_HEADER_SIZE 4u
#define BLOCK_MIN_SIZE 16u /* header + next + prev + footer */
#define BLOCK_ALLOC 1u
#define BLOCK_PREV_ALLOC 2u
#define BLOCK_FLAGS 7u
#define BLOCK_MIN_ALIGN 8u  /* the payload alignments a heap accepts: 8 and 16 */
#define BLOCK_MAX_ALIGN 16u

/* The assumptions the layout above rests on. */
_Static_assert(BLOCK_HEADER_SIZE == sizeof(uint32_t), "a header (and a footer, and a link) is one 32-bit word");
_Static_assert(BLOCK_MIN_SIZE >= 4 * sizeof(uint32_t), "a free block must hold header, two links and a footer");
_Static_assert(BLOCK_MIN_SIZE % BLOCK_MAX_ALIGN == 0, "the smallest block is a multiple of every alignment");
_Static_assert((BLOCK_ALLOC & BLOCK_PREV_ALLOC) == 0 && ((BLOCK_ALLOC | BLOCK_PREV_ALLOC) & ~BLOCK_FLAGS) == 0,
               "the flags are distinct bits inside BLOCK_FLAGS");
_Static_assert(BLOCK_FLAGS < BLOCK_MIN_ALIGN && (BLOCK_MIN_ALIGN & (BLOCK_MIN_ALIGN - 1)) == 0,
               "the flag bits fit below the smallest alignment, where every size has zeros");
_Static_assert(BLOCK_HEADER_SIZE < BLOCK_MIN_ALIGN,
               "the first block starts at align - 4 > 0, so offset 0 can mean none and payloads are > 0");

/* Returns the 32-bit word at arena offset off. */
static inline uint32_t word_get(const uint8_t *mem, uint32_t off) {
    uint32_t v;
    memcpy(&v, mem + off, sizeof v);
    return v;
}

/* Stores v at arena offset off. */
static inline void word_put(uint8_t *mem, uint32_t off, uint32_t v) {
    memcpy(mem + off, &v, sizeof v);
}

/* The word just below offset end (a footer: end is the next block), with
 * the 4 taken off the pointer, not the uint32 offset (as the links below). */
static inline uint32_t word_get_below(const uint8_t *mem, uint32_t end) {
    uint32_t v;
    memcpy(&v, mem + end - sizeof v, sizeof v);
    return v;
}
static inline void word_put_below(uint8_t *mem, uint32_t end, uint32_t v) {
    memcpy(mem + end - sizeof v, &v, sizeof v);
}

static inline uint32_t block_size(const uint8_t *mem, uint32_t b) { return word_get(mem, b) & ~BLOCK_FLAGS; }
static inline int block_is_alloc(const uint8_t *mem, uint32_t b) { return (word_get(mem, b) & BLOCK_ALLOC) != 0; }
static inline int block_is_free(const uint8_t *mem, uint32_t b) { return !block_is_alloc(mem, b); }
static inline int block_prev_alloc(const uint8_t *mem, uint32_t b) { return (word_get(mem, b) & BLOCK_PREV_ALLOC) != 0; }
static inline uint32_t block_payload(uint32_t b) { return b + BLOCK_HEADER_SIZE; }
static inline uint32_t block_of_payload(uint32_t p) { return p - BLOCK_HEADER_SIZE; }
static inline uint32_t block_footer(uint32_t b, uint32_t size) { return b + size - BLOCK_HEADER_SIZE; }

/* Next block in address order (the epilogue, size 0, has none). */
static inline uint32_t block_next(const uint8_t *mem, uint32_t b) {
    dbg_assert(block_size(mem, b) != 0 && "block_next of the epilogue");
    return b + block_size(mem, b);
}

/* Previous block: valid only when the PREV_ALLOC bit is clear (its footer exists). */
static inline uint32_t block_prev(const uint8_t *mem, uint32_t b) {
    dbg_assert(!block_prev_alloc(mem, b) && "block_prev needs the footer: the previous block must be free");
    uint32_t prev_size = word_get_below(mem, b) & ~BLOCK_FLAGS;
    dbg_assert(prev_size >= BLOCK_MIN_SIZE && prev_size <= b && "the footer before b holds a block size");
    return b - prev_size;
}

/* Writes an allocated block's header. */
static inline void block_set_alloc(uint8_t *mem, uint32_t b, uint32_t size, int prev_alloc) {
    dbg_assert(size >= BLOCK_MIN_SIZE && (size & BLOCK_FLAGS) == 0 && "block sizes are aligned and hold a free block");
    word_put(mem, b, size | BLOCK_ALLOC | (prev_alloc ? BLOCK_PREV_ALLOC : 0));
}

/* Writes a free block's header and footer. */
static inline void block_set_free(uint8_t *mem, uint32_t b, uint32_t size, int prev_alloc) {
    dbg_assert(size >= BLOCK_MIN_SIZE && (size & BLOCK_FLAGS) == 0 && "block sizes are aligned and hold a free block");
    uint32_t w = size | (prev_alloc ? BLOCK_PREV_ALLOC : 0);
    word_put(mem, b, w);
    word_put_below(mem, b + size, w);
}

/* Sets or clears the PREV_ALLOC bit of block b (the footer of a free block too). */
static inline void block_set_prev_alloc(uint8_t *mem, uint32_t b, int prev_alloc) {
    uint32_t w = word_get(mem, b);
    w = prev_alloc ? (w | BLOCK_PREV_ALLOC) : (w & ~BLOCK_PREV_ALLOC);
    word_put(mem, b, w);
    uint32_t size = w & ~BLOCK_FLAGS;
    if (!(w & BLOCK_ALLOC) && size != 0) word_put_below(mem, b + size, w);
}

/* Free-list links, stored in a free block's payload (only a free block has them).
 * The link's distance is added to the pointer, not to the uint32 offset, so the
 * compiler folds it into the load or store (b + 4 in 32 bits took an lea). */
#define LINKS_NEED_FREE(mem, b) dbg_assert(block_is_free(mem, b) && "free-list links exist only in free blocks")
static inline uint32_t block_next_free(const uint8_t *mem, uint32_t b) {
    LINKS_NEED_FREE(mem, b);
    return word_get(mem + 4, b);
}
static inline uint32_t block_prev_free(const uint8_t *mem, uint32_t b) {
    LINKS_NEED_FREE(mem, b);
    return word_get(mem + 8, b);
}
static inline void block_set_next_free(uint8_t *mem, uint32_t b, uint32_t n) {
    LINKS_NEED_FREE(mem, b);
    word_put(mem + 4, b, n);
}
static inline void block_set_prev_free(uint8_t *mem, uint32_t b, uint32_t p) {
    LINKS_NEED_FREE(mem, b);
    word_put(mem + 8, b, p);
}

#endif
