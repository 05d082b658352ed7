/* tree_mode.c: a mode leaf's value (the most frequent training target of
 * the leaf, ties: the smaller), counted in a hash table in pieces, so that
 * a big leaf's mode does not take one slice: it was a qsort of the leaf's
 * targets, which in wasm (musl's qsort through a comparator) took 30-45 ms
 * for a leaf of the 3.3M-op trace's depth-8 tree.
 *
 * The best value is kept as counts grow: when a value's count reaches c,
 * it becomes the best if c beats the best count, or equals it with a
 * smaller value. Each value of the final top count reaches it exactly
 * once, after the best count first got there, so the smallest of them wins:
 * the sort's answer. -0.0 counts as 0.0 (they compare equal). The table is
 * open addressing over the leaf's own stamp, so no clearing between leaves.
 */
#include <stdlib.h>
#include <string.h>
#include "tree/tree.h"
#include "tree/tree_internal.h"

int mode_begin(struct mode_count *m, int n)
{
    uint32_t need = 16, bits = 4;
    while (need < 2u * (uint32_t)n) {
        need *= 2;
        bits++;
    }
    if (need > m->cap) {
        free(m->keys);
        free(m->counts);
        free(m->stamps);
        m->keys = malloc(need * sizeof *m->keys);
        m->counts = malloc(need * sizeof *m->counts);
        m->stamps = calloc(need, sizeof *m->stamps);
        m->cap = m->keys && m->counts && m->stamps ? need : 0;
        m->bits = bits;
        m->stamp = 0;
        if (!m->cap) return TREE_E_NOMEM;
    }
    m->stamp++;
    m->i = -1;
    m->best = 0.0;
    m->best_c = 0;
    return TREE_OK;
}

/* Slot of value v in the table (its own, or the empty one where it goes). */
static inline uint32_t mode_slot(const struct mode_count *m, double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    uint32_t i = (uint32_t)((b * 0x9E3779B97F4A7C15ull) >> (64 - m->bits)); /* Fibonacci hashing */
    while (m->stamps[i] == m->stamp && m->keys[i] != v) i = (i + 1) & (m->cap - 1);
    return i;
}

int mode_more(struct mode_count *m, const double *y, const int32_t *samples, int start, int end, double work,
              double *done)
{
    int i = m->i < 0 ? start : m->i;
    double k = work - *done;
    int stop = k >= end - i ? end : i + (k < 1.0 ? 1 : (int)k);
    *done += stop - i;
    for (; i < stop; i++) {
        double v = y[samples[i]] + 0.0; /* -0.0 -> 0.0 */
        uint32_t s = mode_slot(m, v);
        if (m->stamps[s] != m->stamp) {
            m->stamps[s] = m->stamp;
            m->keys[s] = v;
            m->counts[s] = 0;
        }
        int32_t c = ++m->counts[s];
        if (c > m->best_c || (c == m->best_c && v < m->best)) {
            m->best_c = c;
            m->best = v;
        }
    }
    m->i = i;
    return i == end;
}

void mode_free(struct mode_count *m)
{
    free(m->keys);
    free(m->counts);
    free(m->stamps);
    memset(m, 0, sizeof *m);
}
