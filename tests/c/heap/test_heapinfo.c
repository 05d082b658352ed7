/* test_heapinfo.c: the size index (c/heapinfo/size_index.c), the multiset of
 * free block sizes whose maximum the log records after every op, against a
 * shadow multiset (a sorted array): seeded random adds and removes over
 * sizes from 16 bytes to 4 GiB - 8, so the directory grows to its largest,
 * leaves empty and are reused, and the index empties (and starts over);
 * after every step the maximum and the count (size_index_count also checks
 * each leaf's mask against its counts, the summary bits against the leaves
 * and the kept maximum) must equal the shadow's. Plus named cases: an
 * empty index, duplicates, the maximum's last copy leaving (the next one
 * down is found, in its leaf and across leaves), resizes (a block that
 * shrinks within its leaf and out of it), an index emptied to nothing,
 * the park (test_park: emptied leaves kept in the directory, bounded) and
 * the top block held outside the leaves (test_top).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../check.h"
#include "heapinfo/heapinfo.h"

struct shadow { uint32_t *v; size_t n, cap; };

static void shadow_add(struct shadow *s, uint32_t size) {
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
    }
    size_t i = s->n++;
    while (i > 0 && s->v[i - 1] > size) { s->v[i] = s->v[i - 1]; i--; }
    s->v[i] = size;
}

static void shadow_remove_at(struct shadow *s, size_t i) {
    memmove(s->v + i, s->v + i + 1, (s->n - i - 1) * sizeof *s->v);
    s->n--;
}

static uint32_t shadow_max(const struct shadow *s) { return s->n ? s->v[s->n - 1] : 0; }

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12, rng_state ^= rng_state << 25, rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

/* A block size (a multiple of 8, >= 16): mostly small, sometimes up to 4 GiB - 8. */
static uint32_t random_size(void) {
    int bits = 4 + (int)(rng() % 29); /* 16 B .. 2^32 */
    uint64_t s = (rng() & ((1ull << bits) - 1)) & ~7ull;
    if (s < 16) s = 16;
    if (s > 0xFFFFFFF8ull) s = 0xFFFFFFF8ull;
    return (uint32_t)s;
}

static void test_named(void) {
    struct size_index *x = size_index_create();
    CHECK("created", x != NULL);
    CHECK("empty: max 0, count 0", size_index_max(x) == 0 && size_index_count(x) == 0);
    CHECK("add 64", size_index_add(x, 64) == 0);
    CHECK("add 64 again", size_index_add(x, 64) == 0);
    CHECK("add 4 GiB - 8 (five levels)", size_index_add(x, 0xFFFFFFF8u) == 0);
    CHECK("max is the largest", size_index_max(x) == 0xFFFFFFF8u && size_index_count(x) == 3);
    size_index_remove(x, 0xFFFFFFF8u);
    CHECK("the largest left: the next one down", size_index_max(x) == 64 && size_index_count(x) == 2);
    size_index_remove(x, 64);
    CHECK("one copy of a duplicate left: still the max", size_index_max(x) == 64 && size_index_count(x) == 1);
    size_index_remove(x, 64);
    CHECK("emptied", size_index_max(x) == 0 && size_index_count(x) == 0);
    CHECK("add after emptying", size_index_add(x, 1u << 20) == 0 && size_index_max(x) == 1u << 20);
    CHECK("a smaller size below a tall root", size_index_add(x, 24) == 0 && size_index_count(x) == 2);
    size_index_remove(x, 1u << 20);
    CHECK("the small one is found under the tall root", size_index_max(x) == 24 && size_index_count(x) == 1);
    CHECK("resize within a leaf (the maximum shrinks)", size_index_resize(x, 24, 16) == 0 && size_index_max(x) == 16 && size_index_count(x) == 1);
    CHECK("resize into another leaf", size_index_resize(x, 16, 1u << 16) == 0 && size_index_max(x) == 1u << 16 && size_index_count(x) == 1);
    CHECK("a second leaf", size_index_add(x, 1000) == 0 && size_index_add(x, 1008) == 0 && size_index_count(x) == 3);
    size_index_remove(x, 1u << 16);
    CHECK("the maximum's leaf empties: the next one down, in another leaf", size_index_max(x) == 1008 && size_index_count(x) == 2);
    size_index_remove(x, 1008);
    CHECK("the next one down, in the maximum's own leaf", size_index_max(x) == 1000 && size_index_count(x) == 1);
    size_index_clear(x);
    CHECK("cleared", size_index_max(x) == 0 && size_index_count(x) == 0);
    size_index_destroy(x);
}

static void test_random(int steps) {
    struct size_index *x = size_index_create();
    struct shadow s = { 0 };
    int bad = 0, empties = 0;
    for (int i = 0; i < steps && !bad; i++) {
        /* phases that grow and shrink, so the index empties now and then */
        int grow = (i / 2000) % 2 == 0 ? rng() % 100 < 65 : rng() % 100 < 35;
        if (s.n && rng() % 5 == 0) { /* a listed block resized: mostly a little (its leaf), sometimes anywhere */
            size_t at = rng() % 3 == 0 ? s.n - 1 : (size_t)(rng() % s.n);
            uint32_t old = s.v[at], size = rng() % 2 && old > 64 ? old - 8 * (uint32_t)(1 + rng() % 4) : random_size();
            if (size_index_resize(x, old, size) != 0) bad = 1;
            shadow_remove_at(&s, at);
            shadow_add(&s, size);
        } else if (grow || s.n == 0) {
            uint32_t size = s.n && rng() % 4 == 0 ? s.v[rng() % s.n] : random_size(); /* duplicates too */
            if (size_index_add(x, size) != 0) bad = 1;
            shadow_add(&s, size);
        } else {
            size_t at = rng() % 3 == 0 ? s.n - 1 : (size_t)(rng() % s.n); /* the maximum often */
            size_index_remove(x, s.v[at]);
            shadow_remove_at(&s, at);
            empties += s.n == 0;
        }
        if (size_index_max(x) != shadow_max(&s) || size_index_count(x) != s.n) bad = 2;
    }
    CHECK("random adds and removes: max and count equal the shadow's after every step", bad == 0);
    CHECK("the random run emptied the index at least once", empties > 0);
    free(s.v);
    size_index_destroy(x);
}

/* Returns the leaves in x's directory (in use or parked). */
static uint32_t leaves_in_dir(const struct size_index *x) {
    uint32_t n = 0;
    for (uint32_t li = 1; li < x->nleaf; li++) n += x->leaf[li].hi != FREE_LEAF;
    return n;
}

/* A leaf that empties stays in the directory (parked) for the next
 * SIZE_PARK leaves to empty, so a block that shrinks across 512-byte
 * ranges and comes back finds its leaf; the park is bounded. The leaves
 * hold every block but the top one (the largest: test_top), so a roof
 * larger than all of them stays on top here. */
#define ROOF (1u << 30)
static void test_park(void) {
    struct size_index *x = size_index_create();
    CHECK("park: the roof, then add 1 MiB", size_index_add(x, ROOF) == 0 && size_index_add(x, 1u << 20) == 0);
    uint32_t hi = (1u << 20) >> 9, li = x->dir[hi];
    size_index_remove(x, 1u << 20);
    CHECK("park: the emptied leaf stays in the directory", x->dir[hi] == li && li != 0 && size_index_count(x) == 1 && size_index_max(x) == ROOF);
    CHECK("park: an add into the parked leaf", size_index_add(x, (1u << 20) + 8) == 0 && x->dir[hi] == li &&
          x->max_key << 3 == (1u << 20) + 8 && size_index_count(x) == 2);
    /* a second largest that shrinks 64 bytes at a time, with small blocks below */
    CHECK("park: small blocks", size_index_add(x, 32) == 0 && size_index_add(x, 48) == 0);
    int good = 1;
    uint32_t s = (1u << 20) + 8;
    for (; s > 4096; s -= 64) {
        good &= size_index_resize(x, s, s - 64) == 0 && x->max_key << 3 == s - 64 && size_index_count(x) == 4;
        good &= leaves_in_dir(x) <= 2 + SIZE_PARK;
    }
    CHECK("park: a shrinking maximum of the leaves is found after every step, at most SIZE_PARK leaves parked", good);
    size_index_remove(x, s);
    CHECK("park: its leaf empties with parked leaves above the next one down", x->max_key << 3 == 48 && size_index_count(x) == 3);
    /* leaves emptied in a row: the oldest leaves the directory once SIZE_PARK more have emptied */
    size_index_clear(x);
    good &= size_index_add(x, ROOF) == 0;
    for (uint32_t i = 0; i <= SIZE_PARK; i++) good &= size_index_add(x, (i + 1) << 16) == 0;
    for (uint32_t i = SIZE_PARK + 1; i > 0; i--) size_index_remove(x, i << 16); /* the leaves' maximum each time */
    CHECK("park: SIZE_PARK + 1 leaves emptied: the first left the directory, the others are parked",
          good && x->dir[((SIZE_PARK + 1) << 16) >> 9] == 0 && x->dir[(1u << 16) >> 9] != 0 && leaves_in_dir(x) == SIZE_PARK &&
              size_index_count(x) == 1 && size_index_max(x) == ROOF);
    size_index_destroy(x);
}

/* The top block (the largest) is held outside the leaves: a top that is
 * cut or grown and stays the largest changes no leaf, and one that falls
 * below the leaves' largest trades places with it. */
static void test_top(void) {
    struct size_index *x = size_index_create();
    CHECK("top: a lone block makes no leaf", size_index_add(x, 1u << 20) == 0 && x->nleaf == 1 && size_index_count(x) == 1 &&
          size_index_max(x) == 1u << 20);
    CHECK("top: blocks below it go to the leaves", size_index_add(x, 4096) == 0 && size_index_add(x, 64) == 0 && x->max_key << 3 == 4096);
    uint32_t leaves = leaves_in_dir(x), made = x->nleaf;
    int good = 1;
    uint32_t s = 1u << 20;
    for (; s - 48 >= 4096; s -= 48) good &= size_index_resize(x, s, s - 48) == 0 && size_index_max(x) == s - 48 && size_index_count(x) == 3;
    CHECK("top: a top cut 48 bytes at a time down to the leaves' largest changes no leaf",
          good && leaves_in_dir(x) == leaves && x->nleaf == made && x->max_key << 3 == 4096);
    CHECK("top: cut below the leaves' largest: they trade places", size_index_resize(x, s, 1024) == 0 && size_index_max(x) == 4096 &&
          x->max_key << 3 == 1024 && size_index_count(x) == 3);
    CHECK("top: grown past all again", size_index_resize(x, 4096, 1u << 21) == 0 && size_index_max(x) == 1u << 21 && x->max_key << 3 == 1024);
    CHECK("top: a larger block added: the old top goes to the leaves", size_index_add(x, 1u << 22) == 0 && size_index_max(x) == 1u << 22 &&
          x->max_key << 3 == 1u << 21 && size_index_count(x) == 4);
    CHECK("top: an equal block added stays in the leaves", size_index_add(x, 1u << 22) == 0 && x->max_key << 3 == 1u << 22 && size_index_count(x) == 5);
    size_index_remove(x, 1u << 22);
    CHECK("top: the top removed: the leaves' largest (its twin) is the top", size_index_max(x) == 1u << 22 && x->max_key << 3 == 1u << 21 &&
          size_index_count(x) == 4);
    size_index_remove(x, 64);
    size_index_remove(x, 1024);
    size_index_remove(x, 1u << 22);
    CHECK("top: down to one", size_index_max(x) == 1u << 21 && x->max_key == 0 && size_index_count(x) == 1);
    size_index_remove(x, 1u << 21);
    CHECK("top: empty", size_index_max(x) == 0 && size_index_count(x) == 0);
    size_index_destroy(x);
}

int main(void) {
    test_named();
    test_park();
    test_top();
    test_random(60000);
    return check_done("test_heapinfo");
}
