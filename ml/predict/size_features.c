/* size_features.c: lag and context features of the size sequence (the list and
 * its meaning is in size_features.h). The NEXTk features keep, per context of k
 * sizes, the size that followed it most recently, in small open-addressing
 * hash maps keyed by the context's values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "predict/size_features.h"

#define N_EXTRAS 9 /* named extras, in bit order: the size features, then the site features */

/* Columns of a row: the lags plus one per extra bit. */
int features_count(int lags, int extras)
{
    int n = lags;
    for (int b = 0; b < N_EXTRAS; b++)
        if (extras & (1 << b)) n++;
    return n;
}

static const char *const extra_names[N_EXTRAS] = {"run", "delta", "next1", "next2", "next3", "mf1", "mf2", "site", "site_last"};
_Static_assert((1 << N_EXTRAS) - 1 == (FEAT_ALL | FEAT_SITES), "one name per feature bit");

/* Name of column i, written into buf. */
const char *features_name(int lags, int extras, int i, char *buf, int buflen)
{
    if (i < lags) {
        snprintf(buf, (size_t)buflen, "lag%d", i + 1);
        return buf;
    }
    int k = lags;
    for (int b = 0; b < N_EXTRAS; b++)
        if (extras & (1 << b)) {
            if (k == i) {
                snprintf(buf, (size_t)buflen, "%s", extra_names[b]);
                return buf;
            }
            k++;
        }
    snprintf(buf, (size_t)buflen, "?");
    return buf;
}

/* 0 with the extras bits of a comma list, -1 for an unknown name. */
int features_parse(const char *list, int *extras)
{
    int e = 0;
    const char *p = list;
    if (strcmp(list, "none") == 0) { *extras = 0; return 0; }
    if (strcmp(list, "all") == 0) { *extras = FEAT_ALL; return 0; }
    while (*p) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        int found = 0;
        if (len == 3 && strncmp(p, "all", 3) == 0) { e |= FEAT_ALL; found = 1; }
        if (len == 7 && strncmp(p, "default", 7) == 0) { e |= FEATURES_DEFAULT; found = 1; }
        for (int b = 0; b < N_EXTRAS; b++)
            if (strlen(extra_names[b]) == len && strncmp(p, extra_names[b], len) == 0) {
                e |= 1 << b;
                found = 1;
            }
        if (!found) return -1;
        p += len;
        if (*p == ',') p++;
    }
    *extras = e;
    return 0;
}

/* FNV-1a over the bytes of k doubles. */
static uint64_t ctx_hash(const double *k, int n)
{
    uint64_t h = 1469598103934665603ull;
    const unsigned char *b = (const unsigned char *)k;
    for (size_t i = 0; i < (size_t)n * sizeof(double); i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Slot of key (k values) or the empty slot where it would go. */
static uint64_t map_slot(const struct succ_map *m, const double *key, int k)
{
    uint64_t i = ctx_hash(key, k) & (m->cap - 1);
    while (m->full[i] && memcmp(m->keys + i * 3, key, (size_t)k * sizeof *key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* Sets key -> v, growing at 50% load; 0 or -1. */
static int map_put(struct succ_map *m, const double *key, int k, double v)
{
    if ((m->used + 1) * 2 > m->cap) {
        struct succ_map g = {m->cap ? m->cap * 2 : 64, 0, NULL, NULL, NULL};
        g.keys = calloc(g.cap * 3, sizeof *g.keys);
        g.val = malloc(g.cap * sizeof *g.val);
        g.full = calloc(g.cap, 1);
        if (!g.keys || !g.val || !g.full) {
            free(g.keys); free(g.val); free(g.full);
            return -1;
        }
        for (uint64_t i = 0; i < m->cap; i++)
            if (m->full[i]) {
                uint64_t j = map_slot(&g, m->keys + i * 3, k);
                memcpy(g.keys + j * 3, m->keys + i * 3, 3 * sizeof *g.keys);
                g.val[j] = m->val[i];
                g.full[j] = 1;
                g.used++;
            }
        free(m->keys); free(m->val); free(m->full);
        *m = g;
    }
    uint64_t i = map_slot(m, key, k);
    if (!m->full[i]) {
        memset(m->keys + i * 3, 0, 3 * sizeof *m->keys);
        memcpy(m->keys + i * 3, key, (size_t)k * sizeof *key);
        m->full[i] = 1;
        m->used++;
    }
    m->val[i] = v;
    return 0;
}

/* Value stored for key, or -1 when the context was never followed. */
static double map_get(const struct succ_map *m, const double *key, int k)
{
    if (!m->cap) return -1.0;
    uint64_t i = map_slot(m, key, k);
    return m->full[i] ? m->val[i] : -1.0;
}

/* 0 with an empty history, -1 for bad arguments. */
int feat_init(struct feat_state *st, int lags, int extras)
{
    memset(st, 0, sizeof *st);
    if (lags < 1 || lags > FEATURES_MAX_LAGS || extras < 0 || extras > (FEAT_ALL | FEAT_SITES)) return -1;
    st->lags = lags;
    st->extras = extras;
    st->next_site = -1.0;
    return 0;
}

/* i-th most recent value (1 = last), -1 when the history is shorter. */
static double recent(const struct feat_state *st, int i)
{
    int have = st->len < FEATURES_MAX_LAGS + 4 ? st->len : FEATURES_MAX_LAGS + 4;
    return i <= have ? st->hist[have - i] : -1.0;
}

/* Writes the row predicting the next size from the history so far. */
void feat_row(const struct feat_state *st, double *out)
{
    int c = 0;
    for (int i = 1; i <= st->lags; i++) out[c++] = recent(st, i);
    if (st->extras & FEAT_RUN) out[c++] = st->run;
    if (st->extras & FEAT_DELTA) out[c++] = st->len >= 2 ? recent(st, 1) - recent(st, 2) : 0.0;
    for (int k = 1; k <= 3; k++) {
        if (!(st->extras & (FEAT_NEXT1 << (k - 1)))) continue;
        if (st->len < k) { out[c++] = -1.0; continue; }
        double key[3];
        for (int j = 0; j < k; j++) key[j] = recent(st, k - j);
        out[c++] = map_get(&st->succ[k - 1], key, k);
    }
    for (int k = 1; k <= 2; k++) {
        if (!(st->extras & (FEAT_MF1 << (k - 1)))) continue;
        if (st->len < k) { out[c++] = -1.0; continue; }
        double key[3];
        for (int j = 0; j < k; j++) key[j] = recent(st, k - j);
        out[c++] = map_get(&st->best[k - 1], key, k);
    }
    if (st->extras & FEAT_SITE) out[c++] = st->next_site;
    if (st->extras & FEAT_SITE_LAST) out[c++] = st->next_site < 0 ? -1.0 : map_get(&st->site_last, &st->next_site, 1);
}

void feat_set_site(struct feat_state *st, double site) { st->next_site = site; }

/* Counts (context, size) and keeps the context's most frequent successor
 * (ties: the smaller); 0 or -1 out of memory. */
static int count_successor(struct feat_state *st, int k, double size)
{
    double key[3];
    for (int j = 0; j < k; j++) key[j] = recent(st, k - j);
    key[k] = size;
    double n = map_get(&st->pair_count[k - 1], key, k + 1);
    n = n < 0 ? 1.0 : n + 1.0;
    if (map_put(&st->pair_count[k - 1], key, k + 1, n)) return -1;
    double bc = map_get(&st->best_count[k - 1], key, k), bn = map_get(&st->best[k - 1], key, k);
    if (n > bc || (n == bc && size < bn)) {
        if (map_put(&st->best_count[k - 1], key, k, n) || map_put(&st->best[k - 1], key, k, size))
            return -1;
    }
    return 0;
}

/* Appends a size to the history and its context tables; 0 or -1. */
int feat_push(struct feat_state *st, double size)
{
    for (int k = 1; k <= 3; k++) {
        if (!(st->extras & (FEAT_NEXT1 << (k - 1))) || st->len < k) continue;
        double key[3];
        for (int j = 0; j < k; j++) key[j] = recent(st, k - j);
        if (map_put(&st->succ[k - 1], key, k, size)) return -1;
    }
    for (int k = 1; k <= 2; k++)
        if ((st->extras & (FEAT_MF1 << (k - 1))) && st->len >= k && count_successor(st, k, size))
            return -1;
    if ((st->extras & FEAT_SITE_LAST) && st->next_site >= 0 && map_put(&st->site_last, &st->next_site, 1, size))
        return -1;
    st->next_site = -1.0;
    st->run = (st->len > 0 && recent(st, 1) == size) ? (st->run < 64 ? st->run + 1 : 64) : 1;
    const int cap = FEATURES_MAX_LAGS + 4;
    if (st->len >= cap) memmove(st->hist, st->hist + 1, (cap - 1) * sizeof *st->hist);
    st->hist[st->len < cap ? st->len : cap - 1] = size;
    st->len++;
    return 0;
}

/* Releases one map. */
static void map_free(struct succ_map *m)
{
    free(m->keys);
    free(m->val);
    free(m->full);
}

/* Releases the context tables; st becomes empty. */
void feat_free(struct feat_state *st)
{
    for (int k = 0; k < 3; k++) map_free(&st->succ[k]);
    for (int k = 0; k < 2; k++) {
        map_free(&st->pair_count[k]);
        map_free(&st->best[k]);
        map_free(&st->best_count[k]);
    }
    map_free(&st->site_last);
    memset(st, 0, sizeof *st);
}

/* Row count (targets s[lags..m)), with X and y malloc'd; -1 on error. */
int features_build(const double *s, int m, int lags, int extras, double **X, double **y)
{
    return features_build_sites(s, NULL, m, lags, extras, X, y);
}

/* features_build with the call site of each size (NULL: unknown). */
int features_build_sites(const double *s, const double *sites, int m, int lags, int extras, double **X, double **y)
{
    *X = NULL;
    *y = NULL;
    struct feat_state st;
    if (feat_init(&st, lags, extras)) return -1;
    int rows = m > lags ? m - lags : 0, nf = features_count(lags, extras);
    *X = malloc(((size_t)rows * nf + 1) * sizeof **X);
    *y = malloc(((size_t)rows + 1) * sizeof **y);
    int rc = (*X && *y) ? 0 : -1;
    for (int t = 0; t < m && !rc; t++) {
        feat_set_site(&st, sites ? sites[t] : -1.0);
        if (t >= lags) {
            feat_row(&st, *X + (size_t)(t - lags) * nf);
            (*y)[t - lags] = s[t];
        }
        rc = feat_push(&st, s[t]);
    }
    feat_free(&st);
    if (rc) {
        free(*X); free(*y);
        *X = *y = NULL;
        return -1;
    }
    return rows;
}
