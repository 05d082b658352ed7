/* live_table.c: the table of live payloads (payload offset -> requested
 * size and logical id). It answers "is this offset a live payload?" in
 * O(1), which is how free/realloc reject interior, foreign and freed
 * offsets without trusting bytes the user could have overwritten, and it
 * holds what the statistics need (requested sizes) and the log needs (ids).
 * Open addressing with linear probing; deletion shifts entries back, so
 * there are no tombstones. Load factor stays at or below 1/2.
 */
#include <stdlib.h>
#include <string.h>
#include "heapinfo/heapinfo.h"

#define LIVE_MIN_CAP 64u
_Static_assert((LIVE_MIN_CAP & (LIVE_MIN_CAP - 1)) == 0, "capacities are powers of two (the hash masks)");
_Static_assert(sizeof(struct live_entry) == 16, "16-byte entries: what the benchmark README charges per live block");

/* Returns 0, or -1 when out of host memory. */
int live_init(struct live_table *t) {
    t->slots = calloc(LIVE_MIN_CAP, sizeof *t->slots);
    t->cap = t->slots ? LIVE_MIN_CAP : 0;
    t->count = 0;
    return t->slots ? 0 : -1;
}

void live_destroy(struct live_table *t) {
    free(t->slots);
    t->slots = NULL;
    t->cap = t->count = 0;
}

/* Empties the table and shrinks it to its first capacity, so an emptied
 * heap's table (and the side bytes the statistics charge) is a fresh one's. */
void live_clear(struct live_table *t) {
    if (t->cap > LIVE_MIN_CAP) {
        struct live_entry *s = realloc(t->slots, LIVE_MIN_CAP * sizeof *s);
        if (s) t->slots = s, t->cap = LIVE_MIN_CAP;
    }
    memset(t->slots, 0, (size_t)t->cap * sizeof *t->slots);
    t->count = 0;
}

/* Places an entry known to be absent into slots of capacity cap. */
static void slot_put(struct live_entry *slots, uint32_t cap, struct live_entry e) {
    uint32_t i = live_hash(e.off, cap);
    while (slots[i].off) i = (i + 1) & (cap - 1);
    slots[i] = e;
}

/* Doubles the capacity; returns 0 or -1. */
int live_grow(struct live_table *t) {
    if (t->cap > UINT32_MAX / 2) return -1;
    uint32_t cap = t->cap * 2;
    struct live_entry *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (uint32_t i = 0; i < t->cap; i++)
        if (t->slots[i].off) slot_put(slots, cap, t->slots[i]);
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

/* Empties slot i (its entry removed, the count already down), shifting
 * later entries of its probe run back, so there are no tombstones. */
void live_shift_back(struct live_table *t, uint32_t i) {
    uint32_t mask = t->cap - 1;
    for (uint32_t j = (i + 1) & mask; t->slots[j].off; j = (j + 1) & mask) {
        uint32_t home = live_hash(t->slots[j].off, t->cap);
        /* move j into the hole at i unless its home lies cyclically in (i, j] */
        int stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    t->slots[i].off = 0;
}
