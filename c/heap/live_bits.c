/* live_bits.c: the bitmap of live payload starts, kept outside the arena.
 * Bit p/8 is set exactly when offset p is the payload of an allocated
 * block. It is how free and realloc refuse interior, foreign, misaligned
 * and already-freed offsets in one bit test, in every mode, without
 * trusting a byte of the arena (which the user can overwrite); the live
 * table (heapinfo/live_table.c), with requested sizes and ids, is kept only when the
 * log or the page needs them (heap->info).
 * Cost: one bit per 8 bytes of backed arena (1/64 of it), grown with the
 * backing; payloads are at least 8-aligned, so no two share a bit.
 */
#include <stdlib.h>
#include "heap/heap_internal.h"

/* Words covering [0, cap). */
static size_t words_for(uint32_t cap) { return ((size_t)cap + 511) / 512; }

/* Makes the bitmap cover new_cap bytes of arena instead of old_cap, the
 * new bits clear; its memory is sized for at least `room` bytes, so a
 * later growth up to there only clears words (no realloc: in wasm each
 * host growth may grow linear memory, heap.c). Returns 0, or -1 when out
 * of host memory (bitmap unchanged). */
int live_bits_fit(struct heap *h, uint32_t old_cap, uint32_t new_cap, uint32_t room) {
    size_t old_w = h->live_bits ? words_for(old_cap) : 0, new_w = words_for(new_cap);
    if (h->live_bits && new_w <= old_w) return 0;
    if (!h->live_bits || new_w > h->bits_room) {
        size_t room_w = words_for(room > new_cap ? room : new_cap);
        uint64_t *bits = realloc(h->live_bits, room_w * sizeof *bits);
        if (!bits) return -1;
        h->live_bits = bits;
        h->bits_room = room_w;
    }
    memset(h->live_bits + old_w, 0, (new_w - old_w) * sizeof *h->live_bits);
    return 0;
}

/* Returns the number of live payloads (set bits up to the break). */
uint32_t live_bits_count(const struct heap *h) {
    uint32_t n = 0;
    for (size_t i = 0, w = words_for(h->brk); i < w; i++) n += (uint32_t)__builtin_popcountll(h->live_bits[i]);
    return n;
}
