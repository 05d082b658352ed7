/*
 * mm_first_fit.c: HeapLab's reference Malloc Lab allocator, an implicit free
 * list with first-fit placement and immediate boundary-tag coalescing, in the
 * style and vocabulary of CS:APP (chapter 9.9.12), with typed static inline
 * helpers in place of the book's macros.
 *
 *   block:  | header: size | a | payload ... (padding) | footer: size | a |
 *   heap:   | pad | prologue hdr | prologue ftr | blocks ... | epilogue hdr (size 0, a) |
 *
 * Words are 4 bytes, payloads 8-byte aligned (ALIGNMENT 16: 16), the minimum
 * block holds a header, a footer and one aligned payload. Where the book
 * extends the heap by CHUNKSIZE, this grows it by exactly what is missing (a
 * free block at the end of the heap counts), as HeapLab's own engine does.
 * Used by tests/mm/run.sh as the correct allocator: it must be valid on every
 * trace, with utilization close to `heaplab replay --policy first --order addr`.
 */
#include <stdint.h>
#include <string.h>
#include "memlib.h"
#include "mm.h"

#ifndef ALIGNMENT
#define ALIGNMENT 8
#endif
#define WSIZE 4u              /* word: header and footer */
#define DSIZE 8u              /* double word */

static char *heap_listp; /* the prologue block's payload */

static inline uint32_t pack(uint32_t size, uint32_t alloc) { return size | alloc; }
static inline uint32_t get(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline void put(void *p, uint32_t v) { memcpy(p, &v, 4); }
static inline uint32_t get_size(const void *p) { return get(p) & ~(uint32_t)0x7; }
static inline uint32_t get_alloc(const void *p) { return get(p) & 0x1; }
static inline char *hdrp(void *bp) { return (char *)bp - WSIZE; }
static inline char *ftrp(void *bp) { return (char *)bp + get_size(hdrp(bp)) - DSIZE; }
static inline char *next_blkp(void *bp) { return (char *)bp + get_size((char *)bp - WSIZE); }
static inline char *prev_blkp(void *bp) { return (char *)bp - get_size((char *)bp - DSIZE); }
static inline size_t align_up(size_t n) { return (n + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1); }

/* Merges bp with its free neighbours (cases 1-4); returns the merged block. */
static void *coalesce(void *bp) {
    uint32_t prev_alloc = get_alloc(ftrp(prev_blkp(bp)));
    uint32_t next_alloc = get_alloc(hdrp(next_blkp(bp)));
    uint32_t size = get_size(hdrp(bp));
    if (prev_alloc && next_alloc) return bp;            /* case 1 */
    if (prev_alloc && !next_alloc) {                    /* case 2 */
        size += get_size(hdrp(next_blkp(bp)));
        put(hdrp(bp), pack(size, 0));
        put(ftrp(bp), pack(size, 0));
    } else if (!prev_alloc && next_alloc) {             /* case 3 */
        size += get_size(hdrp(prev_blkp(bp)));
        put(ftrp(bp), pack(size, 0));
        put(hdrp(prev_blkp(bp)), pack(size, 0));
        bp = prev_blkp(bp);
    } else {                                            /* case 4 */
        size += get_size(hdrp(prev_blkp(bp))) + get_size(ftrp(next_blkp(bp)));
        put(hdrp(prev_blkp(bp)), pack(size, 0));
        put(ftrp(next_blkp(bp)), pack(size, 0));
        bp = prev_blkp(bp);
    }
    return bp;
}

/* Grows the heap by bytes (a multiple of the alignment) as one free block. */
static void *extend_heap(size_t bytes) {
    char *bp = mem_sbrk((int)bytes);
    if (bp == (void *)-1) return NULL;
    put(hdrp(bp), pack((uint32_t)bytes, 0));   /* free block header (the old epilogue) */
    put(ftrp(bp), pack((uint32_t)bytes, 0));   /* free block footer */
    put(hdrp(next_blkp(bp)), pack(0, 1));      /* new epilogue header */
    return coalesce(bp);
}

int mm_init(void) {
    char *p = mem_sbrk(4 * WSIZE);
    if (p == (void *)-1) return -1;
    put(p, 0);                            /* alignment padding */
    put(p + 1 * WSIZE, pack(DSIZE, 1));   /* prologue header */
    put(p + 2 * WSIZE, pack(DSIZE, 1));   /* prologue footer */
    put(p + 3 * WSIZE, pack(0, 1));       /* epilogue header */
    heap_listp = p + 2 * WSIZE;
    return 0;
}

/* First fit: the first free block of at least asize bytes, or NULL. */
static void *find_fit(size_t asize) {
    for (char *bp = heap_listp; get_size(hdrp(bp)) > 0; bp = next_blkp(bp))
        if (!get_alloc(hdrp(bp)) && asize <= get_size(hdrp(bp))) return bp;
    return NULL;
}

/* Allocates asize bytes at the start of free block bp, splitting off the rest
 * when it can hold a minimum block. */
static void place(void *bp, size_t asize) {
    size_t csize = get_size(hdrp(bp)), min = align_up(DSIZE + 1);
    if (csize - asize >= min) {
        put(hdrp(bp), pack((uint32_t)asize, 1));
        put(ftrp(bp), pack((uint32_t)asize, 1));
        bp = next_blkp(bp);
        put(hdrp(bp), pack((uint32_t)(csize - asize), 0));
        put(ftrp(bp), pack((uint32_t)(csize - asize), 0));
    } else {
        put(hdrp(bp), pack((uint32_t)csize, 1));
        put(ftrp(bp), pack((uint32_t)csize, 1));
    }
}

/* The block size for a request: header, payload and footer, aligned. */
static size_t adjust(size_t size) {
    size_t asize = align_up(size + DSIZE);
    return asize < align_up(DSIZE + 1) ? align_up(DSIZE + 1) : asize;
}

void *mm_malloc(size_t size) {
    if (size == 0 || size > (1u << 30)) return NULL;
    size_t asize = adjust(size);
    char *bp = find_fit(asize);
    if (!bp) {
        /* grow by what is missing: a free block that ends the heap is reused */
        char *last_ftr = (char *)mem_heap_hi() + 1 - DSIZE;
        size_t have = get_alloc(last_ftr) ? 0 : get_size(last_ftr);
        if (!(bp = extend_heap(asize - have))) return NULL;
    }
    place(bp, asize);
    return bp;
}

void mm_free(void *bp) {
    if (!bp) return;
    size_t size = get_size(hdrp(bp));
    put(hdrp(bp), pack((uint32_t)size, 0));
    put(ftrp(bp), pack((uint32_t)size, 0));
    coalesce(bp);
}

/* Realloc in place when it can (the block is large enough; it absorbs a
 * free next block; or it ends the heap and the heap grows), else malloc,
 * copy, free. */
void *mm_realloc(void *ptr, size_t size) {
    if (!ptr) return mm_malloc(size);
    if (size == 0) { mm_free(ptr); return NULL; }
    size_t asize = adjust(size), old = get_size(hdrp(ptr));
    if (asize <= old) return ptr;
    char *next = next_blkp(ptr);
    size_t next_size = get_size(hdrp(next));
    if (next_size == 0 || (!get_alloc(hdrp(next)) && get_size(hdrp(next_blkp(next))) == 0 && old + next_size < asize)) {
        /* ptr (with a free block after it) ends the heap: grow it by what is missing */
        size_t have = old + (next_size ? next_size : 0);
        if (mem_sbrk((int)(asize - have)) == (void *)-1) return NULL;
        put(hdrp(ptr), pack((uint32_t)asize, 1));
        put(ftrp(ptr), pack((uint32_t)asize, 1));
        put(hdrp(next_blkp(ptr)), pack(0, 1)); /* the new epilogue */
        return ptr;
    }
    if (!get_alloc(hdrp(next)) && old + next_size >= asize) {
        size_t total = old + next_size;
        put(hdrp(ptr), pack((uint32_t)total, 1));
        put(ftrp(ptr), pack((uint32_t)total, 1));
        if (total - asize >= align_up(DSIZE + 1)) place(ptr, asize); /* split the tail off again */
        return ptr;
    }
    void *newptr = mm_malloc(size);
    if (!newptr) return NULL;
    memcpy(newptr, ptr, old - DSIZE);
    mm_free(ptr);
    return newptr;
}
