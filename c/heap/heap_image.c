/* heap_image.c: a heap's allocator state saved compactly and restored into
 * another heap with the same options (checkpoints: c/trace/trace_cursor.c).
 *
 * What the allocator's decisions depend on is its metadata, not payload
 * bytes: every block's header, and a free block's links and footer, plus
 * the handle's fields (break, list heads, rover, counters) and the table of
 * live payloads. An image holds exactly that, as (offset, word) pairs in
 * address order: for gcc's 6.9 MB heap with 6,187 blocks about 72 KB
 * instead of a 6.9 MB arena copy. Payload bytes are not part of an image:
 * after a restore they hold whatever the destination's arena held, as
 * payload bytes of a fresh malloc do (only calloc promises zeros, and it
 * writes them itself).
 *
 * The destination keeps its own event log (an image records nothing it did
 * not do) and its own buffers, grown when too small.
 */
#include <stdlib.h>
#include "heap/heap_internal.h"

struct heap_image {
    struct heap h;      /* the handle's fields; its pointers are not used */
    uint32_t *words;    /* pairs: arena offset, 32-bit word */
    size_t nwords;      /* pairs */
    struct live_entry *slots; /* the live table, as is (h.live.cap slots) */
};

/* Returns 1 when a and b build the same heap (the log and backing flags aside). */
static int same_shape(const struct heap_options *a, const struct heap_options *b) {
    return a->policy == b->policy && a->order == b->order && a->coalesce == b->coalesce && a->align == b->align &&
           a->arena_size == b->arena_size && a->grow_step == b->grow_step;
}

/* Returns the metadata words of block b: 1 for an allocated block or the
 * epilogue, 4 for a free one (header, next, prev, footer). */
static size_t block_words(const uint8_t *mem, uint32_t b) {
    return block_is_alloc(mem, b) || block_size(mem, b) == 0 ? 1 : 4;
}

struct heap_image *heap_image_save(const struct heap *h) {
    size_t n = 0;
    for (uint32_t b = h->first;; b = block_next(h->mem, b)) {
        n += block_words(h->mem, b);
        if (block_size(h->mem, b) == 0) break;
    }
    struct heap_image *img = malloc(sizeof *img);
    if (!img) return NULL;
    img->h = *h;
    img->nwords = n;
    img->words = malloc(n * 2 * sizeof *img->words);
    img->slots = h->live.cap ? malloc((size_t)h->live.cap * sizeof *img->slots) : NULL;
    if (!img->words || (h->live.cap && !img->slots)) {
        heap_image_free(img);
        return NULL;
    }
    if (h->live.cap) memcpy(img->slots, h->live.slots, (size_t)h->live.cap * sizeof *img->slots);
    uint32_t *w = img->words;
    for (uint32_t b = h->first;; b = block_next(h->mem, b)) {
        uint32_t size = block_size(h->mem, b);
        uint32_t at[4] = {b, b + 4, b + 8, size ? block_footer(b, size) : 0};
        for (size_t i = 0; i < block_words(h->mem, b); i++) {
            *w++ = at[i];
            *w++ = word_get(h->mem, at[i]);
        }
        if (size == 0) break;
    }
    return img;
}

void heap_image_free(struct heap_image *img) {
    if (!img) return;
    free(img->words);
    free(img->slots);
    free(img);
}

size_t heap_image_bytes(const struct heap_image *img) {
    return sizeof *img + img->nwords * 2 * sizeof *img->words + (size_t)img->h.live.cap * sizeof *img->slots;
}

int heap_image_restore(struct heap *dst, const struct heap_image *img) {
    const struct heap *src = &img->h;
    if (!same_shape(&dst->opt, &src->opt)) return HEAP_EINVAL;
    /* a heap that keeps sizes and ids has one table entry for each live
     * payload (the checker's invariant; a free reads its entry without a
     * test for a missing one: heapinfo.h live_slot_of): an image without
     * them cannot give it one */
    if (dst->info && !src->info) return HEAP_EINVAL;
    uint8_t *mem = dst->mem;
    uint32_t mem_cap = dst->mem_cap, bits_cap = dst->bits_cap;
    if (bits_cap < src->brk) {
        if (live_bits_fit(dst, bits_cap, src->brk, src->brk) != 0) return HEAP_ENOMEM;
        dst->bits_cap = bits_cap = src->brk;
    }
    if (mem_cap < src->brk) {
        mem = realloc(dst->mem, src->brk);
        if (!mem) return HEAP_ENOMEM;
        dst->mem = mem;
        dst->mem_cap = mem_cap = src->brk;
    }
    struct live_entry *slots = dst->live.slots;
    if (dst->info && src->info && dst->live.cap != src->live.cap) {
        slots = realloc(dst->live.slots, (size_t)src->live.cap * sizeof *slots);
        if (!slots) return HEAP_ENOMEM;
    }
    struct event_log *log = dst->log;
    struct heap_options opt = dst->opt;
    uint64_t *bits = dst->live_bits;
    size_t bits_room = dst->bits_room;
    struct size_index *sizes = dst->sizes;
    int info = dst->info;
    struct live_table live = dst->live;
    *dst = *src;
    dst->opt = opt;
    dst->log = log;
    dst->mem = mem;
    dst->mem_cap = mem_cap;
    dst->bits_cap = bits_cap;
    dst->live_bits = bits;
    dst->bits_room = bits_room;
    dst->sizes = sizes;
    dst->info = info;
    spec_refresh(dst);
    if (sizes) size_index_clear(sizes);
    if (info && src->info) {
        dst->live.slots = slots;
        if (src->live.cap) memcpy(slots, img->slots, (size_t)src->live.cap * sizeof *slots);
    } else { /* dst keeps no table: it keeps its own (empty), and no requested bytes */
        dst->live = live;
        dst->live_payload = dst->peak_payload = 0;
    }
    /* the bitmap is derived from the saved headers: a bit for each allocated block */
    memset(bits, 0, ((size_t)bits_cap + 511) / 512 * sizeof *bits);
    /* and so are the free blocks' count and bytes (a heap without a log, as
     * src may be, does not keep them; freelist.c) */
    dst->free_count = 0;
    dst->free_bytes = 0;
    for (size_t i = 0; i < img->nwords;) { /* per block: its header, then 3 more words when free */
        uint32_t at = img->words[2 * i], w = img->words[2 * i + 1];
        int alloc = (w & BLOCK_ALLOC) || (w & ~BLOCK_FLAGS) == 0;
        if ((w & BLOCK_ALLOC) && (w & ~BLOCK_FLAGS)) live_bit_set(dst, block_payload(at));
        if (!alloc) {
            dst->free_count++;
            dst->free_bytes += w & ~BLOCK_FLAGS;
        }
        if (!alloc && dst->sizes && size_index_add(dst->sizes, w & ~BLOCK_FLAGS) != 0) size_index_lost(dst);
        for (size_t k = 0, n = alloc ? 1 : 4; k < n && i < img->nwords; k++, i++)
            word_put(mem, img->words[2 * i], img->words[2 * i + 1]);
    }
    return 0;
}

