/* tree_sort.c: the two sorts of the tree.
 *  - tree_sort_sklearn: sklearn 1.2.1's introsort (median of 3, three-way
 *    partition, heapsort below depth 2*log2(n)), carrying the sample ids. Its
 *    unstable order of equal keys decides the order in which targets are
 *    summed, which matters bitwise when targets are not small integers.
 *  - tree_sort_column: an LSD radix sort of float32 keys, used once per
 *    column by the presorted fast path (where the order of equal keys is
 *    provably irrelevant).
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

/* Introsort with sklearn's recursion on the left part, loop on the right. */
static void introsort(float *Xf, int32_t *s, int n, int maxd)
{
    while (n > 1) {
        if (maxd <= 0) {
            heapsort2(Xf, s, n);
            return;
        }
        maxd--;
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
        introsort(Xf, s, l, maxd);
        Xf += r;
        s += r;
        n -= r;
    }
}

/* Sorts Xf[0..n) ascending with samples alongside, exactly as sklearn. */
void tree_sort_sklearn(float *Xf, int32_t *samples, int n)
{
    if (n == 0) return;
    int maxd = 2 * (int)(log((double)n) / log(2.0));
    introsort(Xf, samples, n, maxd);
}

/* Order-preserving map of a float's bits to an unsigned key. */
static inline uint32_t float_key(float v)
{
    uint32_t b;
    memcpy(&b, &v, sizeof b);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

/* Ascending order of a column: ids into idx, values into sorted. */
void tree_sort_column(const float *vals, int n, int32_t *idx, float *sorted,
                      uint32_t *key_tmp, int32_t *idx_tmp)
{
    /* keys live in `sorted` reinterpreted as uint32 during the passes */
    if (n <= 0) return;
    uint32_t *key = (uint32_t *)(void *)sorted;
    for (int i = 0; i < n; i++) {
        key[i] = float_key(vals[i]);
        idx[i] = i;
    }
    uint32_t *ka = key, *kb = key_tmp;
    int32_t *ia = idx, *ib = idx_tmp;
    for (int shift = 0; shift < 32; shift += 8) {
        uint32_t count[257];
        memset(count, 0, sizeof count);
        for (int i = 0; i < n; i++) count[((ka[i] >> shift) & 255u) + 1]++;
        if (count[((ka[0] >> shift) & 255u) + 1] == (uint32_t)n) continue; /* one bucket */
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (int i = 0; i < n; i++) {
            uint32_t d = (ka[i] >> shift) & 255u;
            uint32_t at = count[d]++;
            kb[at] = ka[i];
            ib[at] = ia[i];
        }
        uint32_t *kt = ka; ka = kb; kb = kt;
        int32_t *it = ia; ia = ib; ib = it;
    }
    if (ia != idx) memcpy(idx, ia, (size_t)n * sizeof *idx);
    for (int i = 0; i < n; i++) sorted[i] = vals[idx[i]];
}
