/* baselines.c: last value, global mode, Markov-1 and n-gram with backoff.
 * A context table is built by sorting (context, successor) tuples
 * (tuple_sort.h), so each
 * context's successors are adjacent and counted in one pass; lookups are
 * binary searches. Deterministic ties: the smaller size wins.
 */
#include <stdlib.h>
#include <string.h>
#include "predict/baselines.h"
#include "predict/tuple_sort.h"

/* Lexicographic comparison of j values. */
static int cmp_ctx(const double *x, const double *y, int j)
{
    for (int i = 0; i < j; i++) {
        if (x[i] < y[i]) return -1;
        if (x[i] > y[i]) return 1;
    }
    return 0;
}

/* The (context, successor) rows for contexts of length j over s[0..t_split)
 * (j = 0: the sizes themselves), malloc'd, with their count in *n (0: NULL);
 * NULL with *n > 0 out of memory. */
double *ngram_tuples(const double *s, int t_split, int j, int *n)
{
    *n = t_split - j > 0 ? t_split - j : 0;
    if (*n == 0) return NULL;
    int w = j + 1;
    double *tup = malloc((size_t)*n * w * sizeof *tup);
    if (!tup) return NULL;
    for (int t = j; t < t_split; t++)
        memcpy(tup + (size_t)(t - j) * w, s + t - j, (size_t)w * sizeof *tup);
    return tup;
}

/* Makes the table of contexts of length j (1..order) from its n tuples
 * sorted (tuple_sort); frees tup; 0 or -1. */
int ngram_level_from_sorted(struct ngram_model *g, double *tup, int n, int j)
{
    g->count[j - 1] = 0;
    g->ctx[j - 1] = NULL;
    g->next[j - 1] = NULL;
    if (n <= 0) {
        free(tup);
        return 0;
    }
    int w = j + 1;
    double *ctx = malloc((size_t)n * j * sizeof *ctx);
    double *nxt = malloc((size_t)n * sizeof *nxt);
    if (!ctx || !nxt) {
        free(tup); free(ctx); free(nxt);
        return -1;
    }
    int k = 0;
    for (int i = 0; i < n;) {
        const double *c = tup + (size_t)i * w;
        int best_run = 0;
        double best = 0.0;
        int e = i;
        while (e < n && cmp_ctx(tup + (size_t)e * w, c, j) == 0) {
            int r = e;
            while (r < n && cmp_ctx(tup + (size_t)r * w, c, j) == 0 &&
                   tup[(size_t)r * w + j] == tup[(size_t)e * w + j])
                r++;
            if (r - e > best_run) { best_run = r - e; best = tup[(size_t)e * w + j]; }
            e = r;
        }
        memcpy(ctx + (size_t)k * j, c, (size_t)j * sizeof *ctx);
        nxt[k++] = best;
        i = e;
    }
    free(tup);
    g->count[j - 1] = k;
    g->ctx[j - 1] = ctx;
    g->next[j - 1] = nxt;
    return 0;
}

/* Builds the table for contexts of length j (1..g->order); 0 or -1. */
int ngram_train_level(struct ngram_model *g, const double *s, int t_split, int j)
{
    int n;
    double *tup = ngram_tuples(s, t_split, j, &n);
    if (n > 0 && (!tup || tuple_sort(tup, (size_t)n, j + 1))) {
        free(tup);
        return -1;
    }
    return ngram_level_from_sorted(g, tup, n, j);
}

/* Starts a model of contexts up to `order`: no table, no mode yet; 0 or -1 for bad arguments. */
int ngram_start(struct ngram_model *g, int t_split, int order)
{
    memset(g, 0, sizeof *g);
    if (order < 1 || order > 8 || t_split < 1) return -1;
    g->order = order;
    return 0;
}

/* Sets the model's mode from the sorted training sizes sorted[0..n) (ties: the smaller). */
void ngram_mode_from_sorted(struct ngram_model *g, const double *sorted, int n)
{
    int best_run = 0;
    for (int i = 0; i < n;) {
        int e = i;
        while (e < n && sorted[e] == sorted[i]) e++;
        if (e - i > best_run) { best_run = e - i; g->mode = sorted[i]; }
        i = e;
    }
}

/* Starts a model of contexts up to `order` on s[0..t_split): its mode, no table yet; 0 or -1. */
int ngram_train_mode(struct ngram_model *g, const double *s, int t_split, int order)
{
    if (ngram_start(g, t_split, order)) return -1;
    int n;
    double *tmp = ngram_tuples(s, t_split, 0, &n);
    if (!tmp || tuple_sort(tmp, (size_t)n, 1)) {
        free(tmp);
        return -1;
    }
    ngram_mode_from_sorted(g, tmp, n);
    free(tmp);
    return 0;
}

/* Trains the tables of contexts 1..order on s[0..t_split); 0 or -1. */
int ngram_train(struct ngram_model *g, const double *s, int t_split, int order)
{
    if (ngram_train_mode(g, s, t_split, order)) return -1;
    for (int j = 1; j <= order; j++)
        if (ngram_train_level(g, s, t_split, j)) {
            ngram_free(g);
            return -1;
        }
    return 0;
}

/* Fills pred[0..m-t_split) with baseline `kind`'s test predictions from a
 * model g trained on s[0..t_split) up to order >= 1 (markov1 backs off from
 * context length 1 only): what baseline_predict gives, without training. */
void baseline_from_model(int kind, const struct ngram_model *g, const double *s, int m, int t_split, double *pred)
{
    baseline_from_model_range(kind, g, s, t_split, t_split, m, pred);
}

/* baseline_from_model for the targets [from, to). */
void baseline_from_model_range(int kind, const struct ngram_model *g, const double *s, int t_split, int from, int to,
                               double *pred)
{
    struct ngram_model m1 = *g;
    m1.order = 1; /* markov1: the same level-1 table */
    for (int t = from; t < to; t++)
        pred[t - t_split] = kind == BASE_LAST ? s[t - 1] : kind == BASE_MODE ? g->mode
                          : ngram_predict(kind == BASE_MARKOV1 ? &m1 : g, s, t);
}

/* Successor of the longest known context ending h[len-1], else the mode. */
double ngram_predict(const struct ngram_model *g, const double *h, int len)
{
    for (int j = g->order < len ? g->order : len; j >= 1; j--) {
        const double *key = h + len - j;
        int lo = 0, hi = g->count[j - 1];
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            int c = cmp_ctx(g->ctx[j - 1] + (size_t)mid * j, key, j);
            if (c == 0) return g->next[j - 1][mid];
            if (c < 0) lo = mid + 1;
            else hi = mid;
        }
    }
    return g->mode;
}

/* Releases the tables; g becomes empty. */
void ngram_free(struct ngram_model *g)
{
    for (int j = 0; j < 8; j++) {
        free(g->ctx[j]);
        free(g->next[j]);
    }
    memset(g, 0, sizeof *g);
}

/* Fills pred with one baseline's test predictions; 0 or -1. */
int baseline_predict(int kind, const double *s, int m, int t_split, int order, double *pred)
{
    if (t_split < 1 || t_split > m) return -1;
    if (kind == BASE_LAST) {
        for (int t = t_split; t < m; t++) pred[t - t_split] = s[t - 1];
        return 0;
    }
    struct ngram_model g;
    int ord = kind == BASE_NGRAM ? order : 1;
    if (ngram_train(&g, s, t_split, ord)) return -1;
    for (int t = t_split; t < m; t++)
        pred[t - t_split] = kind == BASE_MODE ? g.mode : ngram_predict(&g, s, t);
    ngram_free(&g);
    return 0;
}
