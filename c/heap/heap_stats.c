/* heap_stats.c: read-only views of a heap: statistics derived on demand,
 * the block walker (one walker serves the dump, the checker's callers and
 * the JS snapshot), what a refused offset is (the error path of free and
 * realloc), the payload accessors, and names for codes.
 *
 * What is stored and what is derived (heap_check verifies every identity):
 *   stored   free_count, free_bytes    by the list functions, with a log
 *                                       (freelist.c); without one, walked
 *                                       when asked (listed_totals)
 *            live_payload, peak_payload, requests, scanned_total, failures,
 *            brk, brk_peak             by the op bodies (heap.c, heap_realloc.c)
 *   derived  alloc_blocks      = live.count: one live-table entry per allocated block
 *                                (without the table: the set bits of the live bitmap)
 *            alloc_block_bytes = (epilogue - first) - free_bytes: the blocks
 *                                tile [first, epilogue), with or without
 *                                coalescing; the align-4 bytes of padding
 *                                before `first` and the 4-byte epilogue are
 *                                not in any block
 *            internal_frag     = alloc_block_bytes - live_payload
 *            largest_free      by walking the lists (freelist.c)
 */
#include "heap/heap_internal.h"

/* Returns the bytes of allocated blocks (headers included): every block byte that is not free. */
uint64_t alloc_block_bytes(const struct heap *h) {
    uint32_t n;
    uint64_t bytes;
    listed_totals(h, &n, &bytes);
    return (uint64_t)(h->brk - BLOCK_HEADER_SIZE - h->first) - bytes;
}

void heap_get_stats(const struct heap *h, struct heap_stats *s) {
    memset(s, 0, sizeof *s);
    listed_totals(h, &s->free_blocks, &s->free_bytes);
    s->live_payload = h->live_payload;
    s->peak_payload = h->peak_payload;
    s->heap_size = h->brk;
    s->heap_peak = h->brk_peak;
    s->arena_size = h->opt.arena_size;
    s->utilization = h->brk ? (double)h->peak_payload / h->brk : 0;
    s->internal_frag = h->info ? alloc_block_bytes(h) - h->live_payload : 0;
    s->alloc_blocks = h->info ? h->live.count : live_bits_count(h);
    s->largest_free = largest_free(h);
    s->external_frag = s->free_bytes ? 1.0 - (double)s->largest_free / (double)s->free_bytes : 0;
    s->requests = h->requests;
    s->scanned_total = h->scanned_total;
    s->scanned_mean = h->requests ? (double)h->scanned_total / (double)h->requests : 0;
    s->failures = h->failures;
    s->side_peak = ((uint64_t)h->brk_peak + 511) / 512 * sizeof(uint64_t) +
                   (h->info ? (uint64_t)h->live.cap * sizeof(struct live_entry) : 0);
}

uint32_t heap_walk(const struct heap *h, heap_block_fn fn, void *ctx) {
    uint32_t n = 0;
    for (uint32_t b = h->first; block_size(h->mem, b) != 0; b = block_next(h->mem, b)) {
        struct heap_block_info info = {
            .offset = b,
            .size = block_size(h->mem, b),
            .payload_off = block_payload(b),
            .is_free = block_is_free(h->mem, b),
            .id = -1,
        };
        if (info.is_free) {
            info.next_free = block_next_free(h->mem, b);
            info.size_class = list_class(h, info.size);
        } else {
            const struct live_entry *e = live_find(&h->live, info.payload_off);
            if (e) {
                info.payload_size = e->size;
                info.id = e->id;
            }
        }
        n++;
        if (fn && fn(&info, ctx)) break;
    }
    return n;
}

/* Classifies an offset that is not a live payload: HEAP_EDOUBLEFREE when it
 * is a free block's payload, else HEAP_EBADPTR. Walks the heap (error path only). */
int classify_bad_payload(const struct heap *h, uint64_t off) {
    if (off >= h->brk || off % h->opt.align != 0 || off < block_payload(h->first)) return HEAP_EBADPTR;
    for (uint32_t b = h->first; block_size(h->mem, b) != 0; b = block_next(h->mem, b)) {
        if (block_payload(b) == off) return block_is_free(h->mem, b) ? HEAP_EDOUBLEFREE : HEAP_EBADPTR;
        if (block_payload(b) > off) break;
    }
    return HEAP_EBADPTR;
}

void *heap_payload(struct heap *h, uint32_t off) { return live_bit(h, off) ? h->mem + off : NULL; }

uint32_t heap_payload_size(const struct heap *h, uint32_t off) {
    const struct live_entry *e = live_find(&h->live, off);
    return e ? e->size : 0;
}

int64_t heap_payload_id(const struct heap *h, uint32_t off) {
    const struct live_entry *e = live_find(&h->live, off);
    return e ? e->id : -1;
}

uint8_t *heap_arena(struct heap *h) { return h->mem; }

int64_t heap_next_id(const struct heap *h) { return h->next_id; }

struct event_log *heap_log(struct heap *h) { return h->log; }

uint32_t heap_break(const struct heap *h) { return h->brk; }
uint32_t heap_header_size(void) { return BLOCK_HEADER_SIZE; }
uint32_t heap_free_head(const struct heap *h) {
    uint32_t c = list_first_nonempty(h, 0);
    return c < HEAP_CLASS_COUNT ? h->head[c] : 0;
}

uint32_t heap_class_head(const struct heap *h, int c) { return c >= 0 && c < HEAP_CLASS_COUNT ? h->head[c] : 0; }
uint32_t heap_rover(const struct heap *h) { return h->rover; }

const char *heap_strerror(int code) {
    switch (code) {
    case HEAP_OK: return "ok";
    case HEAP_ENOMEM: return "out of memory: the arena cannot hold the request";
    case HEAP_EINVAL: return "invalid argument (size 0 or not a number)";
    case HEAP_ETOOBIG: return "request larger than the arena";
    case HEAP_EBADPTR: return "not the payload of a live block";
    case HEAP_EDOUBLEFREE: return "block already freed";
    case HEAP_CHECK_TILING: return "blocks do not tile the heap";
    case HEAP_CHECK_SIZE: return "bad block size";
    case HEAP_CHECK_ALIGN: return "misaligned payload";
    case HEAP_CHECK_FOOTER: return "footer differs from header";
    case HEAP_CHECK_ADJACENT_FREE: return "two adjacent free blocks";
    case HEAP_CHECK_LIST_NOT_FREE: return "free list holds a block that is not free";
    case HEAP_CHECK_FREE_NOT_LISTED: return "free block missing from the free list";
    case HEAP_CHECK_CYCLE: return "free list cycle or broken back link";
    case HEAP_CHECK_ROVER: return "rover not on a free-list block";
    case HEAP_CHECK_PREV_BIT: return "prev-allocated bit wrong";
    case HEAP_CHECK_EPILOGUE: return "epilogue or break wrong";
    case HEAP_CHECK_COUNTERS: return "counters disagree with the blocks";
    case HEAP_CHECK_ORDER: return "address-ordered free list out of order";
    case HEAP_CHECK_LIVE_TABLE: return "live-payload table disagrees with the blocks";
    default: return "unknown error";
    }
}
