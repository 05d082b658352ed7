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

/* Writes rows [from, to) of the (context, successor) rows for contexts of
 * length j: row r is s[r..r+j] (its context, then its successor). */
void ngram_tuples_fill(const double *s, int j, int from, int to, double *tup)
{
    int w = j + 1;
    for (int r = from; r < to; r++) memcpy(tup + (size_t)r * w, s + r, (size_t)w * sizeof *tup);
}

/* The (context, successor) rows for contexts of length j over s[0..t_split)
 * (j = 0: the sizes themselves), malloc'd, with their count in *n (0: NULL);
 * NULL with *n > 0 out of memory. */
double *ngram_tuples(const double *s, int t_split, int j, int *n)
{
    *n = t_split - j > 0 ? t_split - j : 0;
    if (*n == 0) return NULL;
    double *tup = malloc((size_t)*n * (j + 1) * sizeof *tup);
    if (tup) ngram_tuples_fill(s, j, 0, *n, tup);
    return tup;
}

/* The table of one context length is made from its sorted rows in one pass,
 * a row at a time (ngram_level_begin / _more / _finish): rows with the same
 * context are adjacent (a group), and within a group equal successors are
 * adjacent (a run); the group's entry is the successor of its longest run
 * (the first, so the smaller, on a tie). j = 0 is the mode: one group. */

/* Ends the run that started at row lj->rs before row e. */
static void level_close_run(struct ngram_level_job *lj, int e)
{
    if (e - lj->rs > lj->best_run) {
        lj->best_run = e - lj->rs;
        lj->best = lj->tup[(size_t)lj->rs * (lj->j + 1) + lj->j];
    }
}

/* Writes the entry of the group that started at row lj->cs. */
static void level_emit(struct ngram_level_job *lj)
{
    if (lj->j)
        memcpy(lj->ctx + (size_t)lj->k * lj->j, lj->tup + (size_t)lj->cs * (lj->j + 1), (size_t)lj->j * sizeof *lj->ctx);
    lj->nxt[lj->k++] = lj->best;
}

/* Starts the table of contexts of length j from n sorted rows (the caller keeps tup); 0 or -1. */
int ngram_level_begin(struct ngram_level_job *lj, const double *tup, int n, int j)
{
    memset(lj, 0, sizeof *lj);
    lj->tup = tup;
    lj->n = n > 0 ? n : 0;
    lj->j = j;
    lj->cs = -1;
    if (lj->n == 0) return 0;
    lj->ctx = j ? malloc((size_t)n * j * sizeof *lj->ctx) : NULL;
    lj->nxt = malloc((size_t)(j ? n : 1) * sizeof *lj->nxt);
    if ((j && !lj->ctx) || !lj->nxt) {
        ngram_level_abort(lj);
        return -1;
    }
    return 0;
}

/* Reads about `work` units of rows (j + 1 a row); 1 once every row is read, else 0. */
int ngram_level_more(struct ngram_level_job *lj, double work)
{
    const int j = lj->j, w = j + 1;
    double k = work / w;
    int i = lj->i, end = k >= lj->n - i ? lj->n : i + (k < 1.0 ? 1 : (int)k);
    for (; i < end; i++) {
        const double *row = lj->tup + (size_t)i * w;
        if (lj->cs >= 0 && cmp_ctx(row, lj->tup + (size_t)lj->cs * w, j) == 0) {
            if (row[j] != lj->tup[(size_t)lj->rs * w + j]) {
                level_close_run(lj, i);
                lj->rs = i;
            }
        } else {
            if (lj->cs >= 0) {
                level_close_run(lj, i);
                level_emit(lj);
            }
            lj->cs = lj->rs = i;
            lj->best_run = 0;
            lj->best = 0.0;
        }
    }
    lj->i = i;
    if (i < lj->n) return 0;
    if (lj->cs >= 0) {
        level_close_run(lj, lj->n);
        level_emit(lj);
        lj->cs = -1;
    }
    return 1;
}

/* Gives the finished table to g (j = 0: its mode, when there were rows); lj becomes empty. */
void ngram_level_finish(struct ngram_level_job *lj, struct ngram_model *g)
{
    if (lj->j == 0) {
        if (lj->k > 0) g->mode = lj->nxt[0];
        free(lj->nxt);
    } else {
        g->count[lj->j - 1] = lj->k;
        g->ctx[lj->j - 1] = lj->ctx;
        g->next[lj->j - 1] = lj->nxt;
    }
    memset(lj, 0, sizeof *lj);
}

/* Drops an unfinished table (a zeroed lj is fine). */
void ngram_level_abort(struct ngram_level_job *lj)
{
    free(lj->ctx);
    free(lj->nxt);
    memset(lj, 0, sizeof *lj);
}

/* Makes the table of contexts of length j (1..order) from its n tuples
 * sorted (tuple_sort); frees tup; 0 or -1. */
int ngram_level_from_sorted(struct ngram_model *g, double *tup, int n, int j)
{
    struct ngram_level_job lj;
    g->count[j - 1] = 0;
    g->ctx[j - 1] = NULL;
    g->next[j - 1] = NULL;
    int rc = ngram_level_begin(&lj, tup, n, j);
    if (!rc) {
        while (!ngram_level_more(&lj, 1e300)) {}
        ngram_level_finish(&lj, g);
    }
    free(tup);
    return rc;
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
    struct ngram_level_job lj;
    if (ngram_level_begin(&lj, sorted, n, 0)) return;
    while (!ngram_level_more(&lj, 1e300)) {}
    ngram_level_finish(&lj, g);
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
