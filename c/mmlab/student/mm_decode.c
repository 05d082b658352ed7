/* mm_decode.c: reads a student's heap the way CS:APP's textbook lays it out,
 * to draw the student's own blocks (`heaplab mm --decode cs-app`):
 *
 *   | pad | prologue hdr 8|1 | prologue ftr 8|1 | hdr size|a | payload ... [ftr] | ... | epilogue hdr 0|1 |
 *
 * Every block starts with a 4-byte header: the block's size (a multiple of 8,
 * header included) with the allocated bit in bit 0; a footer is optional (it
 * is not read). The walk starts at the prologue (an allocated 8-byte block
 * whose header is one of the first words) and follows the sizes to the
 * epilogue, which must sit in the heap's last word. It is then checked against
 * what the driver knows: every live payload is the payload (header + 4) of an
 * allocated block and ends inside it, and no other block is allocated (the
 * prologue aside). Any disagreement returns -1 with the reason, and the tool
 * falls back to the outside view; an allocator with another layout (explicit
 * lists with 8-byte headers, segregated fits...) simply disagrees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "memlib.h"
#include "mm_decode.h"
#include "mm_shared.h"

struct blk { uint64_t off, size; uint32_t alloc; };

static struct blk *prev, *cur;
static size_t n_prev, n_cur, cap_prev, cap_cur;

static uint32_t word_at(const char *heap, uint64_t off) {
    uint32_t w;
    memcpy(&w, heap + off, 4);
    return w;
}

static int push(struct blk b) {
    if (n_cur == cap_cur) {
        size_t c = cap_cur ? cap_cur * 2 : 1024;
        struct blk *p = realloc(cur, c * sizeof *p);
        if (!p) return -1;
        cur = p;
        cap_cur = c;
    }
    cur[n_cur++] = b;
    return 0;
}

/* The prologue's header offset, or -1. */
static int64_t find_prologue(const char *heap, uint64_t heap_size) {
    for (uint64_t h = 0; h <= 28 && h + 8 <= heap_size; h += 4) {
        uint32_t w = word_at(heap, h);
        if ((w & 7) == 1 && (w & ~7u) == 8) return (int64_t)h;
    }
    return -1;
}

static int walk(const char *heap, uint64_t heap_size, char *why, size_t len) {
    n_cur = 0;
    int64_t start = find_prologue(heap, heap_size);
    if (start < 0) {
        snprintf(why, len, "no prologue (an allocated 8-byte block) in the heap's first words");
        return -1;
    }
    for (uint64_t h = (uint64_t)start;;) {
        if (h + 4 > heap_size) {
            snprintf(why, len, "the headers run past the break (next header at offset %llu, heap %llu bytes)",
                     (unsigned long long)h, (unsigned long long)heap_size);
            return -1;
        }
        uint32_t w = word_at(heap, h);
        uint64_t size = w & ~7u;
        if (size == 0) {
            if (h + 4 != heap_size) {
                snprintf(why, len, "a size-0 header (the epilogue) at offset %llu, but the heap ends at %llu",
                         (unsigned long long)h, (unsigned long long)heap_size);
                return -1;
            }
            return 0;
        }
        if (h + size + 4 > heap_size) {
            snprintf(why, len, "the block at offset %llu (size %llu) runs past the break at %llu",
                     (unsigned long long)h, (unsigned long long)size, (unsigned long long)heap_size);
            return -1;
        }
        if (push((struct blk){ h, size, w & 1 })) {
            snprintf(why, len, "out of memory");
            return -1;
        }
        h += size;
    }
}

/* Checks the walk against the driver's live payloads. */
static int agree(const char *heap, const struct mm_live *live, size_t n_live, char *why, size_t len) {
    size_t j = 0, allocated = 0;
    for (size_t i = 1; i < n_cur; i++) allocated += cur[i].alloc;
    for (size_t i = 0; i < n_live; i++) {
        uint64_t p = (uint64_t)(live[i].lo - heap), end = (uint64_t)(live[i].hi - heap);
        while (j < n_cur && cur[j].off + 4 < p) j++;
        if (j == n_cur || cur[j].off + 4 != p || !cur[j].alloc) {
            snprintf(why, len, "the payload of id %u at offset %llu does not follow an allocated block's header",
                     live[i].id, (unsigned long long)p);
            return -1;
        }
        if (end > cur[j].off + cur[j].size) {
            snprintf(why, len, "the payload of id %u (offset %llu .. %llu) runs past its block (size %llu at %llu)",
                     live[i].id, (unsigned long long)p, (unsigned long long)end - 1, (unsigned long long)cur[j].size,
                     (unsigned long long)cur[j].off);
            return -1;
        }
    }
    if (allocated != n_live) {
        snprintf(why, len, "%zu blocks are marked allocated after the prologue, but %zu payloads are live", allocated, n_live);
        return -1;
    }
    return 0;
}

static int same(const struct blk *a, const struct blk *b) {
    return a->off == b->off && a->size == b->size && a->alloc == b->alloc;
}

/* Writes the changes from prev to cur, then makes cur the previous walk. */
static int emit(uint32_t op, int fd) {
    size_t cap = n_prev + n_cur, n = 0, a = 0, b = 0;
    struct mm_blk *out = malloc((cap ? cap : 1) * sizeof *out);
    if (!out) return -1;
    while (a < n_prev || b < n_cur) {
        if (a < n_prev && b < n_cur && same(&prev[a], &cur[b])) { a++; b++; continue; }
        if (b == n_cur || (a < n_prev && prev[a].off <= cur[b].off)) {
            out[n++] = (struct mm_blk){ op, prev[a].alloc ? MM_BLK_ALLOC : 0, prev[a].off, prev[a].size };
            a++;
        } else {
            out[n++] = (struct mm_blk){ op, MM_BLK_ADD | (cur[b].alloc ? MM_BLK_ALLOC : 0), cur[b].off, cur[b].size };
            b++;
        }
    }
    const char *s = (const char *)out;
    size_t left = n * sizeof *out;
    while (left) {
        ssize_t w = write(fd, s, left);
        if (w <= 0) break;
        s += w;
        left -= (size_t)w;
    }
    free(out);
    struct blk *t = prev;
    size_t tc = cap_prev;
    prev = cur;
    n_prev = n_cur;
    cap_prev = cap_cur;
    cur = t;
    cap_cur = tc;
    n_cur = 0;
    return left ? -1 : 0;
}

int mm_decode_step(uint32_t op, const struct mm_live *live, size_t n_live, int fd, char *why, size_t len) {
    const char *heap = mem_heap_lo();
    if (walk(heap, mem_heapsize(), why, len) || agree(heap, live, n_live, why, len)) return -1;
    if (emit(op, fd)) {
        snprintf(why, len, "cannot write the block list");
        return -1;
    }
    return 0;
}
