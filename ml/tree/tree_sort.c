/* tree_sort.c: the two sorts of the tree.
 *  - tree_sort_sklearn: sklearn 1.2.1's introsort (median of 3, three-way
 *    partition, heapsort below depth 2*log2(n)), carrying the sample ids. Its
 *    unstable order of equal keys decides the order in which targets are
 *    summed, which matters bitwise when targets are not small integers.
 *  - tree_sort_column: an LSD radix sort of float32 keys, used once per
 *    column by the presorted fast path (where the order of equal keys is
 *    provably irrelevant); resumable anywhere in a pass (struct
 *    column_sort), since one column of a 3.3M-op trace's 1.15M rows took
 *    30-36 ms natively in one call.
 */
#include <math.h>
#include <string.h>
#include "tree/tree_internal.h"

/* Swaps entries i and j of both arrays. */
static inline void swap2(float *Xf, int32_t *s, int i, int j)
{
    float t = Xf[i]; Xf[i] = Xf[j]; Xf[j] = t;
    int32_t u = s[i]; s[i] = s[j]; s[j] = u;
}

/* Median of first, middle and last key, as sklearn picks its pivot. */
static inline float median3(const float *Xf, int n)
{
    float a = Xf[0], b = Xf[n / 2], c = Xf[n - 1];
    if (a < b) {
        if (b < c) return b;
        if (a < c) return c;
        return a;
    }
    if (b < c) {
        if (a < c) return a;
        return c;
    }
    return b;
}

/* Restores max-heap order of Xf[start..end) below start. */
static void sift_down(float *Xf, int32_t *s, int start, int end)
{
    int root = start;
    for (;;) {
        int child = root * 2 + 1, maxind = root;
        if (child < end && Xf[maxind] < Xf[child]) maxind = child;
        if (child + 1 < end && Xf[maxind] < Xf[child + 1]) maxind = child + 1;
        if (maxind == root) break;
        swap2(Xf, s, root, maxind);
        root = maxind;
    }
}

/* In-place heapsort of n >= 2 keys. */
static void heapsort2(float *Xf, int32_t *s, int n)
{
    int start = (n - 2) / 2, end = n;
    for (;;) {
        sift_down(Xf, s, start, end);
        if (start == 0) break;
        start--;
    }
    for (end = n - 1; end > 0; end--) {
        swap2(Xf, s, 0, end);
        sift_down(Xf, s, 0, end);
    }
}

/* sklearn's three-way partition of Xf[0..n) around the median of three:
 * below the pivot to [0, *lo), equal in [*lo, *hi), above from *hi. */
static void partition3(float *Xf, int32_t *s, int n, int *lo, int *hi)
{
    float pivot = median3(Xf, n);
    int i = 0, l = 0, r = n;
    while (i < r) {
        if (Xf[i] < pivot) {
            swap2(Xf, s, i, l);
            i++;
            l++;
        } else if (Xf[i] > pivot) {
            r--;
            swap2(Xf, s, i, r);
        } else {
            i++;
        }
    }
    *lo = l;
    *hi = r;
}

/* Introsort with sklearn's recursion on the left part, loop on the right. */
static void introsort(float *Xf, int32_t *s, int n, int maxd)
{
    while (n > 1) {
        if (maxd <= 0) {
            heapsort2(Xf, s, n);
            return;
        }
        maxd--;
        int l, r;
        partition3(Xf, s, n, &l, &r);
        introsort(Xf, s, l, maxd);
        Xf += r;
        s += r;
        n -= r;
    }
}

/* sklearn's depth limit: 2 floor(log2 n). */
static int max_depth_of(int n)
{
    return 2 * (int)(log((double)n) / log(2.0));
}

/* Sorts Xf[0..n) ascending with samples alongside, exactly as sklearn. */
void tree_sort_sklearn(float *Xf, int32_t *samples, int n)
{
    if (n == 0) return;
    introsort(Xf, samples, n, max_depth_of(n));
}

/* Segments of at most this many entries are sorted in one step (recursively). */
enum { SK_SMALL = 2048 };

void tree_sort_sklearn_begin(struct sk_sort *k, float *Xf, int32_t *samples, int n)
{
    k->Xf = Xf;
    k->samples = samples;
    k->top = 0;
    if (n > 1) k->st[k->top++] = (struct sk_seg){0, n, max_depth_of(n)};
}

int tree_sort_sklearn_more(struct sk_sort *k, double work, double *done)
{
    while (k->top > 0 && *done < work) {
        struct sk_seg g = k->st[--k->top];
        float *Xf = k->Xf + g.off;
        int32_t *s = k->samples + g.off;
        if (g.n <= 1) continue;
        if (g.n <= SK_SMALL || g.maxd <= 0) { /* what the recursion does from here, in one step */
            introsort(Xf, s, g.n, g.maxd);
            *done += (double)g.n * (1 + max_depth_of(g.n) / 2);
            continue;
        }
        int l, r;
        partition3(Xf, s, g.n, &l, &r);
        *done += g.n;
        k->st[k->top++] = (struct sk_seg){g.off + r, g.n - r, g.maxd - 1}; /* the loop's right part, */
        k->st[k->top++] = (struct sk_seg){g.off, l, g.maxd - 1};           /* after the recursion's left */
    }
    return k->top == 0;
}

/* Order-preserving map of a float's bits to an unsigned key. */
static inline uint32_t float_key(float v)
{
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

/* Entries a slice may still touch of `left` remaining: at least one. */
static inline int chunk(double work, double done, int left)
{
    double k = work - done;
    return k >= left ? left : k < 1.0 ? 1 : (int)k;
}

/* The sort's phases: the keys, then per byte a count and a scatter (a byte
 * all entries share is skipped, as one bucket), then the ids copied home
 * and the values gathered. Keys live in `sorted` reinterpreted as uint32
 * during the passes. */
enum { CS_KEYS, CS_COUNT, CS_SCATTER, CS_IDS, CS_GATHER, CS_DONE };

void tree_sort_column_begin(struct column_sort *c, const float *vals, int n, int32_t *idx, float *sorted,
                            uint32_t *key_tmp, int32_t *idx_tmp)
{
    memset(c, 0, sizeof *c);
    c->vals = vals;
    c->n = n;
    c->idx = idx;
    c->sorted = sorted;
    c->key_tmp = key_tmp;
    c->idx_tmp = idx_tmp;
    c->phase = n > 0 ? CS_KEYS : CS_DONE;
}

/* Starts the count of the pass at c->shift, or the end once every byte is done. */
static void next_pass(struct column_sort *c)
{
    c->i = 0;
    if (c->shift >= 32) {
        c->phase = CS_IDS;
        return;
    }
    memset(c->count, 0, sizeof c->count);
    c->phase = CS_COUNT;
}

int tree_sort_column_more(struct column_sort *c, double work, double *done)
{
    const int n = c->n;
    while (c->phase != CS_DONE && *done < work) {
        int i = c->i, end = i + chunk(work, *done, n - i);
        *done += end - i;
        c->i = end;
        switch (c->phase) {
        case CS_KEYS: {
            uint32_t *key = (uint32_t *)(void *)c->sorted;
            for (; i < end; i++) {
                key[i] = float_key(c->vals[i]);
                c->idx[i] = i;
            }
            if (end == n) {
                c->ka = key;
                c->kb = c->key_tmp;
                c->ia = c->idx;
                c->ib = c->idx_tmp;
                c->shift = 0;
                next_pass(c);
            }
            break;
        }
        case CS_COUNT:
            for (; i < end; i++) c->count[((c->ka[i] >> c->shift) & 255u) + 1]++;
            if (end < n) break;
            c->i = 0;
            if (c->count[((c->ka[0] >> c->shift) & 255u) + 1] == (uint32_t)n) { /* one bucket */
                c->shift += 8;
                next_pass(c);
                break;
            }
            for (int b = 0; b < 256; b++) c->count[b + 1] += c->count[b];
            c->phase = CS_SCATTER;
            break;
        case CS_SCATTER:
            for (; i < end; i++) {
                uint32_t d = (c->ka[i] >> c->shift) & 255u;
                uint32_t at = c->count[d]++;
                c->kb[at] = c->ka[i];
                c->ib[at] = c->ia[i];
            }
            if (end < n) break;
            {
                uint32_t *kt = c->ka; c->ka = c->kb; c->kb = kt;
                int32_t *it = c->ia; c->ia = c->ib; c->ib = it;
            }
            c->shift += 8;
            next_pass(c);
            break;
        case CS_IDS:
            if (c->ia != c->idx) memcpy(c->idx + i, c->ia + i, (size_t)(end - i) * sizeof *c->idx);
            if (end == n) { c->phase = CS_GATHER; c->i = 0; }
            break;
        case CS_GATHER:
            for (; i < end; i++) c->sorted[i] = c->vals[c->idx[i]];
            if (end == n) c->phase = CS_DONE;
            break;
        }
    }
    return c->phase == CS_DONE;
}

/* Ascending order of a column: ids into idx, values into sorted (the sort in one slice). */
void tree_sort_column(const float *vals, int n, int32_t *idx, float *sorted,
                      uint32_t *key_tmp, int32_t *idx_tmp)
{
    struct column_sort c;
    double done = 0.0;
    tree_sort_column_begin(&c, vals, n, idx, sorted, key_tmp, idx_tmp);
    tree_sort_column_more(&c, INFINITY, &done);
}
