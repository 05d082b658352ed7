/* size_features.c: lag and context features of the size sequence (the list and
 * its meaning is in size_features.h). The NEXTk features keep, per context of k
 * sizes, the size that followed it most recently, in open-addressing hash
 * maps keyed by the context's values (linear probing, at most half full).
 * A map grows incrementally: when it doubles, the old table stays beside the
 * new one and each later put moves MOVE_PER_PUT of its slots, so no single
 * push rehashes the whole map (next3's map holds a million contexts on a
 * 3.3M-op trace: one rehash of half a million entries took 110-260 ms in
 * wasm, in one slice of the page's training). Lookups try the new table,
 * then the old; puts go to the new one, so a key found there is never
 * overwritten by its stale old copy. The contents, so every feature row,
 * are the same as with a rehash at once.
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

/* Old slots moved to the new table per put: at a growth the old table is
 * half full and the new one twice its size, so the move ends after cap/8
 * puts, long before the new table is half full (it then holds at most
 * 5/8 of the old capacity). */
#define MOVE_PER_PUT 8

/* Slot of key (k values) in a table of cap slots, or the empty slot where it would go. */
static uint64_t slot_in(uint64_t cap, const double *keys, const uint8_t *full, const double *key, int k)
{
    uint64_t i = ctx_hash(key, k) & (cap - 1);
    while (full[i] && memcmp(keys + i * 3, key, (size_t)k * sizeof *key) != 0) i = (i + 1) & (cap - 1);
    return i;
}

/* Slot of key in the current table. */
static uint64_t map_slot(const struct succ_map *m, const double *key, int k)
{
    return slot_in(m->cap, m->keys, m->full, key, k);
}

/* Writes key -> v into empty current slot i. */
static void slot_fill(struct succ_map *m, uint64_t i, const double *key, int k, double v)
{
    memset(m->keys + i * 3, 0, 3 * sizeof *m->keys);
    memcpy(m->keys + i * 3, key, (size_t)k * sizeof *key);
    m->val[i] = v;
    m->full[i] = 1;
    m->used++;
}

/* Moves up to `slots` slots of the old table (keys already in the new one
 * were put since and are newer: they stay); frees it once all are moved. */
static void map_move(struct succ_map *m, int k, uint64_t slots)
{
    if (!m->old_cap) return;
    uint64_t end = m->moved + slots < m->old_cap ? m->moved + slots : m->old_cap;
    for (uint64_t o = m->moved; o < end; o++) {
        if (!m->old_full[o]) continue;
        const double *key = m->old_keys + o * 3;
        uint64_t i = map_slot(m, key, k);
        if (!m->full[i]) slot_fill(m, i, key, k, m->old_val[o]);
    }
    m->moved = end;
    if (end < m->old_cap) return;
    free(m->old_keys); free(m->old_val); free(m->old_full);
    m->old_keys = m->old_val = NULL;
    m->old_full = NULL;
    m->old_cap = m->moved = 0;
}

/* Sets key -> v, growing at 50% load (incrementally: map_move); 0 or -1. */
static int map_put(struct succ_map *m, const double *key, int k, double v)
{
    map_move(m, k, MOVE_PER_PUT);
    if ((m->used + 1) * 2 > m->cap) {
        map_move(m, k, UINT64_MAX); /* never needed at these rates; keeps one old table at most */
        uint64_t cap = m->cap ? m->cap * 2 : 64;
        double *keys = malloc(cap * 3 * sizeof *keys), *val = malloc(cap * sizeof *val);
        uint8_t *full = calloc(cap, 1);
        if (!keys || !val || !full) {
            free(keys); free(val); free(full);
            return -1;
        }
        m->old_cap = m->cap;
        m->old_keys = m->keys;
        m->old_val = m->val;
        m->old_full = m->full;
        m->moved = 0;
        m->cap = cap;
        m->used = 0;
        m->keys = keys;
        m->val = val;
        m->full = full;
        if (!m->old_cap) { /* the first table: nothing to move */
            free(m->old_keys); free(m->old_val); free(m->old_full);
            m->old_keys = m->old_val = NULL;
            m->old_full = NULL;
        }
    }
    uint64_t i = map_slot(m, key, k);
    if (!m->full[i]) slot_fill(m, i, key, k, v);
    else m->val[i] = v;
    return 0;
}

/* Value stored for key, or -1 when the context was never followed. */
static double map_get(const struct succ_map *m, const double *key, int k)
{
    if (!m->cap) return -1.0;
    uint64_t i = map_slot(m, key, k);
    if (m->full[i]) return m->val[i];
    if (!m->old_cap) return -1.0;
    i = slot_in(m->old_cap, m->old_keys, m->old_full, key, k);
    return m->old_full[i] ? m->old_val[i] : -1.0;
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

/* Releases one map (and the table it was moving out of, if any). */
static void map_free(struct succ_map *m)
{
    free(m->keys);
    free(m->val);
    free(m->full);
    free(m->old_keys);
    free(m->old_val);
    free(m->old_full);
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
