/* fit_slices.c: the tree fit and the prediction report done in slices
 * (tree_fit_begin/more/end, predict_begin/more/end) give bit for bit what
 * the one-call tree_fit and predict_run give, for every slice size, under
 * both split strategies (presorted columns, and sklearn's per-node sort)
 * and both leaf kinds; progress only moves forward and ends at 1; a job
 * stopped part-way (end with no output, as on a cancel) keeps nothing and
 * leaks nothing (ASan); the four baselines from one model trained a step
 * at a time equal each trained alone, and a table's pass in slices reads a
 * bounded number of rows a call; tuple_sort orders rows as qsort; a big
 * node's split search and a column's sort stop part-way, and the metrics
 * are summed in pieces.
 * tests/ml/parity.py ties tree_fit to scikit-learn.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../c/check.h"
#include "predict/baselines.h"
#include "predict/predict_report.h"
#include "predict/tuple_sort.h"
#include "tree/tree.h"
#include "tree/tree_internal.h"

/* 1 when the two trees' node arrays and importances are bitwise equal. */
static int trees_equal(const struct tree *a, const struct tree *b)
{
    if (a->node_count != b->node_count || a->n_features != b->n_features || a->leaf_mode != b->leaf_mode) return 0;
    size_t n = (size_t)a->node_count;
    return !memcmp(a->left, b->left, n * 4) && !memcmp(a->right, b->right, n * 4) &&
           !memcmp(a->feature, b->feature, n * 4) && !memcmp(a->n_node_samples, b->n_node_samples, n * 4) &&
           !memcmp(a->threshold, b->threshold, n * 8) && !memcmp(a->value, b->value, n * 8) &&
           !memcmp(a->mode, b->mode, n * 8) && !memcmp(a->impurity, b->impurity, n * 8) &&
           !memcmp(a->importances, b->importances, (size_t)a->n_features * 8);
}

/* xorshift32: a value in [0, 2^32). */
static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 17; *s ^= *s << 5;
    return *s;
}

/* Fits in slices of `work` units; returns tree_fit_end's code. Checks progress on the way. */
static int fit_sliced(const double *X, const double *y, int n, int F, const struct tree_params *p, double work,
                      struct tree *out, int *slices)
{
    int rc;
    struct tree_fit_job *j = tree_fit_begin(X, y, n, F, p, &rc);
    if (!j) return rc;
    double last = tree_fit_progress(j);
    int moved_back = 0;
    *slices = 0;
    while ((rc = tree_fit_more(j, work)) == 0) {
        double f = tree_fit_progress(j);
        if (f < last || f > 1.0) moved_back = 1;
        last = f;
        ++*slices;
    }
    CHECK("fit progress moves forward within 0..1", !moved_back);
    CHECK("a finished fit's progress is 1", rc != 1 || tree_fit_progress(j) == 1.0);
    if (rc < 0) { tree_fit_end(j, NULL); return rc; }
    return tree_fit_end(j, out);
}

static void check_fits(void)
{
    enum { N = 3000, F = 5 };
    double *X = malloc(sizeof(double) * N * F), *y = malloc(sizeof(double) * N), *yf = malloc(sizeof(double) * N);
    uint32_t s = 12345;
    for (int i = 0; i < N; i++) {
        for (int f = 0; f < F; f++) X[i * F + f] = (double)(rnd(&s) % (f == 0 ? 7 : 200));
        y[i] = (double)(16 * (1 + (int)X[i * F] % 4) + (int)(X[i * F + 1]) % 3); /* integers: presort */
        yf[i] = y[i] + (double)(rnd(&s) % 1000) / 997.0;                        /* fractions: exact sort */
    }
    for (int variant = 0; variant < 4; variant++) {
        struct tree_params p;
        tree_params_default(&p);
        p.leaf_mode = variant & 1 ? TREE_LEAF_MODE : TREE_LEAF_MEAN;
        p.min_samples_leaf = variant & 1 ? 3 : 1;
        p.random_state = 7;
        if (variant == 3) p.max_features = 3;
        const double *yy = variant & 2 ? yf : y;
        struct tree whole;
        CHECK("one-call fit", tree_fit(&whole, X, yy, N, F, &p) == TREE_OK);
        const double works[] = {1, 50, 4000, 1e5, INFINITY};
        for (size_t w = 0; w < sizeof works / sizeof works[0]; w++) {
            struct tree t;
            int slices;
            int rc = fit_sliced(X, yy, N, F, &p, works[w], &t, &slices);
            int same = rc == TREE_OK && trees_equal(&t, &whole);
            if (!same) fprintf(stderr, "  variant %d, work %g: rc %d, %d vs %d nodes\n", variant, works[w], rc, t.node_count, whole.node_count);
            CHECK("a fit in slices = the one-call fit, bit for bit", same);
            if (works[w] <= 50) CHECK("small slices: many of them", slices > 100);
            tree_free(&t);
        }
        tree_free(&whole);
    }
    /* stopped part-way: nothing kept, nothing leaked; and an unfinished job does not pass as a tree */
    struct tree_params p;
    tree_params_default(&p);
    int rc;
    struct tree_fit_job *j = tree_fit_begin(X, y, N, F, &p, &rc);
    CHECK("begin", j && rc == TREE_OK);
    CHECK("a first slice", tree_fit_more(j, 5000) == 0 && tree_fit_progress(j) < 1.0);
    CHECK("stopped", tree_fit_end(j, NULL) == TREE_OK);
    j = tree_fit_begin(X, y, N, F, &p, &rc);
    tree_fit_more(j, 5000);
    struct tree t;
    CHECK("an unfinished fit is refused", tree_fit_end(j, &t) == TREE_E_ARG && t.node_count == 0);
    CHECK("bad arguments at begin", tree_fit_begin(X, y, 0, F, &p, &rc) == NULL && rc == TREE_E_EMPTY);
    free(X); free(y); free(yf);
}

/* The report as JSON, from predict_run or from the job in slices of `work`. */
static char *report_json(const double *s, int m, const struct predict_opts *o, double work, int *slices)
{
    struct predict_report r;
    char err[256];
    if (work == 0) {
        if (predict_run(s, m, o, &r, err, sizeof err)) return NULL;
    } else {
        struct predict_job *j = predict_begin(s, m, o, err, sizeof err);
        if (!j) return NULL;
        double last = 0.0;
        int back = 0, rc;
        *slices = 0;
        while ((rc = predict_more(j, work)) == 0) {
            double f = predict_progress(j);
            if (f < last || f > 1.0) back = 1;
            last = f;
            ++*slices;
        }
        CHECK("report progress moves forward within 0..1", !back);
        CHECK("a finished report's progress is 1", rc == 1 && predict_progress(j) == 1.0);
        if (predict_end(j, &r, err, sizeof err)) return NULL;
    }
    char *js = predict_report_json(&r);
    predict_report_free(&r);
    return js;
}

static void check_reports(void)
{
    enum { M = 4000 };
    double *s = malloc(sizeof(double) * M);
    uint32_t st = 99;
    static const double pattern[] = {16, 32, 16, 64, 24, 24, 128};
    for (int i = 0; i < M; i++) s[i] = rnd(&st) % 5 ? pattern[i % 7] : (double)(8 * (1 + rnd(&st) % 40));
    for (int detail = 0; detail < 2; detail++) {
        struct predict_opts o;
        predict_opts_default(&o);
        o.detail = detail;
        int slices = 0;
        char *whole = report_json(s, M, &o, 0, &slices);
        CHECK("one-call report", whole != NULL);
        const double works[] = {1, 300, 20000, INFINITY};
        for (size_t w = 0; w < sizeof works / sizeof works[0]; w++) {
            char *js = report_json(s, M, &o, works[w], &slices);
            CHECK("a report in slices = the one-call report, byte for byte", js && whole && strcmp(js, whole) == 0);
            if (works[w] == 1) CHECK("slices of 1 unit: one per node at least", slices > 200);
            free(js);
        }
        free(whole);
    }
    struct predict_opts o;
    predict_opts_default(&o);
    char err[256];
    struct predict_job *j = predict_begin(s, M, &o, err, sizeof err);
    CHECK("report begin", j != NULL);
    for (int i = 0; i < 50; i++) predict_more(j, 100);
    double f = predict_progress(j);
    CHECK("part-way", f > 0.0 && f < 1.0);
    struct predict_report r;
    CHECK("an unfinished report is refused", predict_end(j, &r, err, sizeof err) == -1 && strstr(err, "before it was done") && r.tree_nodes == 0);
    j = predict_begin(s, M, &o, err, sizeof err);
    predict_more(j, 1000);
    CHECK("stopped: dropped", predict_end(j, NULL, NULL, 0) == 0);
    /* Every slice is bounded: the feature rows (M rows of 9 values: progress
     * below 0.025, predict_job.c's STAGE_START) and the baselines (five sorts
     * of ~2,800 rows and four predictions of ~1,200 targets: progress 0.45 to
     * 0.85) take many slices of 1,000 units, not one each. */
    j = predict_begin(s, M, &o, err, sizeof err);
    int rows_slices = 0, base_slices = 0, metric_slices = 0;
    for (double f = 0.0; predict_more(j, 1000) == 0;) {
        rows_slices += f < 0.025;
        base_slices += f >= 0.45 && f < 0.85;
        metric_slices += f >= 0.88 && f < 0.97; /* FINISH's steps 2-7 of 10 (predict_finish.c) */
        f = predict_progress(j);
    }
    CHECK("the feature rows are built in pieces", rows_slices >= 30);
    CHECK("the n-gram tables and the baselines' predictions are made in pieces", base_slices >= 50);
    /* six predictors' metrics over ~1,200 targets at 6 units a target: 8 slices each (one each before) */
    CHECK("the metrics are summed in pieces", metric_slices >= 18);
    fprintf(stderr, "  slices of 1,000 units: %d building rows, %d on the baselines, %d on the metrics\n", rows_slices,
            base_slices, metric_slices);
    predict_end(j, NULL, NULL, 0);
    CHECK("too few sizes at begin", predict_begin(s, 5, &o, err, sizeof err) == NULL && strstr(err, "too few"));
    free(s);
}

/* One model trained step by step gives every baseline what baseline_predict gives. */
static void check_baselines(void)
{
    enum { M = 3000, SPLIT = 2000 };
    double s[M], a[M - SPLIT], b[M - SPLIT];
    uint32_t st = 5;
    for (int i = 0; i < M; i++) s[i] = (double)(8 * (1 + rnd(&st) % (i % 3 ? 4 : 30)));
    for (int order = 1; order <= 5; order += 2) {
        struct ngram_model g;
        int ok = ngram_train_mode(&g, s, SPLIT, order) == 0;
        for (int j = 1; j <= order && ok; j++) ok = ngram_train_level(&g, s, SPLIT, j) == 0;
        CHECK("model trained", ok);
        for (int k = 0; k < 4; k++) {
            CHECK("baseline_predict", baseline_predict(k, s, M, SPLIT, order, a) == 0);
            baseline_from_model(k, &g, s, M, SPLIT, b);
            CHECK("one model = a model per baseline", memcmp(a, b, sizeof a) == 0);
        }
        ngram_free(&g);
    }
}

/* A context table's one pass in slices (ngram_level_more) reads at most
 * work / (j + 1) rows a call (one at least), and gives the table the
 * one-call pass gives; the mode (j = 0) too. It was one call over every
 * row (1.15M rows of 5 values per table on a 3.3M-op trace). */
static void check_level_slices(void)
{
    enum { M = 5000, SPLIT = 4000 };
    double s[M];
    uint32_t st = 11;
    for (int i = 0; i < M; i++) s[i] = (double)(8 * (1 + rnd(&st) % (i % 5 ? 3 : 40)));
    for (int j = 0; j <= 4; j++) {
        int n;
        double *tup = ngram_tuples(s, SPLIT, j, &n);
        CHECK("tuples", tup && n == SPLIT - j);
        CHECK("sorted", tuple_sort(tup, (size_t)n, j + 1) == 0);
        struct ngram_model whole = {.order = 4}, sliced = {.order = 4};
        if (j == 0) ngram_mode_from_sorted(&whole, tup, n);
        else {
            double *copy = malloc((size_t)n * (j + 1) * sizeof *copy);
            memcpy(copy, tup, (size_t)n * (j + 1) * sizeof *copy);
            CHECK("one-call pass", ngram_level_from_sorted(&whole, copy, n, j) == 0);
        }
        const double works[] = {1, 7, 100};
        for (size_t w = 0; w < sizeof works / sizeof works[0]; w++) {
            struct ngram_level_job lj;
            CHECK("level begin", ngram_level_begin(&lj, tup, n, j) == 0);
            int calls = 0, bounded = 1, last = 0;
            for (int done = 0; !done;) {
                done = ngram_level_more(&lj, works[w]);
                int limit = (int)(works[w] / (j + 1)) > 1 ? (int)(works[w] / (j + 1)) : 1;
                bounded &= lj.i - last <= limit;
                last = lj.i;
                calls++;
            }
            CHECK("a pass's slice reads at most work / (j + 1) rows", bounded && calls >= n / ((int)works[w] + 1));
            ngram_level_finish(&lj, &sliced);
            if (j == 0) CHECK("the mode in slices = in one call", sliced.mode == whole.mode);
            else {
                int k = j - 1, same = sliced.count[k] == whole.count[k] &&
                    !memcmp(sliced.ctx[k], whole.ctx[k], (size_t)whole.count[k] * j * sizeof(double)) &&
                    !memcmp(sliced.next[k], whole.next[k], (size_t)whole.count[k] * sizeof(double));
                CHECK("a table in slices = in one call", same);
                free(sliced.ctx[k]);
                free(sliced.next[k]);
                sliced.ctx[k] = sliced.next[k] = NULL;
            }
        }
        ngram_free(&whole);
        free(tup);
    }
}

static int g_w; /* the qsort reference's row width */

/* qsort comparator: rows of g_w doubles, lexicographic. */
static int cmp_rows(const void *a, const void *b)
{
    const double *x = a, *y = b;
    for (int i = 0; i < g_w; i++) {
        if (x[i] < y[i]) return -1;
        if (x[i] > y[i]) return 1;
    }
    return 0;
}

/* tuple_sort orders rows as qsort does (many equal rows, odd lengths, every width the baselines use). */
static void check_tuple_sort(void)
{
    uint32_t st = 77;
    const size_t ns[] = {0, 1, 2, 15, 16, 17, 33, 1000, 4099};
    for (int w = 1; w <= 9; w += 2)
        for (size_t c = 0; c < sizeof ns / sizeof ns[0]; c++) {
            size_t n = ns[c];
            double *a = malloc((n * w + 1) * sizeof *a), *b = malloc((n * w + 1) * sizeof *b);
            for (size_t i = 0; i < n * w; i++) a[i] = b[i] = (double)(8 * (rnd(&st) % (w == 1 ? 50 : 3)));
            g_w = w;
            qsort(b, n, (size_t)w * sizeof *b, cmp_rows);
            CHECK("tuple_sort", tuple_sort(a, n, w) == 0);
            CHECK("tuple_sort = qsort", n == 0 || memcmp(a, b, n * w * sizeof *a) == 0);
            /* in slices of `work` rows: the same order, and no slice places more than work + 16 rows */
            const double works[] = {1, 7, 100};
            for (size_t k = 0; k < sizeof works / sizeof works[0]; k++) {
                for (size_t i = 0; i < n * w; i++) a[i] = (double)(8 * (rnd(&st) % (w == 1 ? 50 : 3)));
                memcpy(b, a, n * w * sizeof *a);
                qsort(b, n, (size_t)w * sizeof *b, cmp_rows);
                struct tuple_sort_job j;
                CHECK("tuple_sort_begin", tuple_sort_begin(&j, a, n, w) == 0);
                size_t calls = 1, passes = 0;
                for (size_t wd = 16; wd < n; wd *= 2) passes++;
                double last = tuple_sort_progress(&j);
                int back = 0;
                while (!tuple_sort_more(&j, works[k])) {
                    calls++;
                    back |= tuple_sort_progress(&j) < last;
                    last = tuple_sort_progress(&j);
                }
                tuple_sort_end(&j);
                CHECK("sliced tuple_sort = qsort", n == 0 || memcmp(a, b, n * w * sizeof *a) == 0);
                CHECK("sort progress moves forward", !back);
                CHECK("sort slices are bounded: at least passes * n / (work + 16) of them",
                      (double)calls >= (double)(passes * n) / (works[k] + 16));
            }
            free(a);
            free(b);
        }
}

/* A big node's split search and a column's sort stop part-way: in slices
 * of W units (rows touched), the presorted columns take at least three
 * touches of every entry each (keys, a count, the gather), so at least
 * 3N/W slices a column, and every internal node of at least W samples at
 * least three slices (its sums, a feature's scan, a partition), with the
 * tree unchanged. They took one slice a column and one a node, whatever
 * their size (a 3.3M-op trace's root: 1.15M rows x 9 features, 110 ms). */
static void check_split_slices(void)
{
    enum { N = 20000, F = 5, W = 500 };
    double *X = malloc(sizeof(double) * N * F), *y = malloc(sizeof(double) * N), *yf = malloc(sizeof(double) * N);
    uint32_t st = 4242;
    for (int i = 0; i < N; i++) {
        for (int f = 0; f < F; f++) X[i * F + f] = (double)(rnd(&st) % (f == 0 ? 9 : 5000));
        y[i] = (double)(8 * (1 + (int)X[i * F] % 5) + (int)X[i * F + 1] % 7);
        yf[i] = y[i] + (double)(rnd(&st) % 1000) / 997.0; /* fractions: sklearn's sort per node and feature */
    }
    for (int variant = 0; variant < 3; variant++) {
        const int leaf = variant == 1, exact = variant == 2;
        struct tree_params p;
        tree_params_default(&p);
        p.max_depth = 3;
        p.leaf_mode = leaf ? TREE_LEAF_MODE : TREE_LEAF_MEAN;
        const double *y_ = exact ? yf : y;
        struct tree whole;
        CHECK("one-call fit", tree_fit(&whole, X, y_, N, F, &p) == TREE_OK);
        int rc, sort_slices = 0, build_slices = 0;
        struct tree_fit_job *j = tree_fit_begin(X, y_, N, F, &p, &rc);
        double f = tree_fit_progress(j);
        while ((rc = tree_fit_more(j, W)) == 0) {
            sort_slices += !exact && f >= 0.05 && f < 0.1; /* presort: the copy is 0-0.05, the sorts 0.05-0.1 */
            build_slices += f >= (exact ? 0.05 : 0.1);
            f = tree_fit_progress(j);
        }
        build_slices += rc == 1; /* the last */
        struct tree t;
        CHECK("fit in slices", rc == 1 && tree_fit_end(j, &t) == TREE_OK);
        CHECK("a fit in slices of a few rows = the one-call fit", trees_equal(&t, &whole));
        int big = 0;
        for (int i = 0; i < t.node_count; i++) big += t.left[i] != TREE_LEAF && t.n_node_samples[i] >= W;
        if (!exact) CHECK("a column's sort stops part-way: 3N/W slices a column", sort_slices >= 3 * F * (N / W) - F);
        CHECK("a big node's split stops part-way: 3 slices at least", big >= 7 && build_slices >= 3 * big);
        /* exact: each feature's values of the root are sorted in steps of a partition (N/W slices at least) */
        if (exact) CHECK("a big node's sort per feature stops part-way", build_slices >= 2 * (N / W));
        fprintf(stderr, "  fit of %d rows in slices of %d: %d sorting, %d building (%d nodes, %d internal of %d+)\n", N,
                W, sort_slices, build_slices, t.node_count, big, W);
        tree_free(&t);
        tree_free(&whole);
    }
    free(X);
    free(y);
    free(yf);
    /* sklearn's introsort in steps = in one call (ties, runs, sizes around the one-step threshold) */
    enum { S = 9000 };
    float *a = malloc(S * sizeof *a), *b = malloc(S * sizeof *b);
    int32_t *ia = malloc(S * sizeof *ia), *ib = malloc(S * sizeof *ib);
    int same = 1;
    for (int round = 0; round < 40; round++) {
        int n = 1 + (int)(rnd(&st) % S), k = 1 + (int)(rnd(&st) % (round % 2 ? 7 : 100000));
        for (int i = 0; i < n; i++) {
            a[i] = b[i] = round % 5 == 4 ? (float)(i / 50) : (float)(rnd(&st) % k) * 0.5f;
            ia[i] = ib[i] = i;
        }
        tree_sort_sklearn(a, ia, n);
        struct sk_sort ks;
        tree_sort_sklearn_begin(&ks, b, ib, n);
        for (;;) {
            double done = 0.0;
            if (tree_sort_sklearn_more(&ks, round % 3 ? 1.0 : 3000.0, &done)) break;
        }
        same &= !memcmp(a, b, (size_t)n * sizeof *a) && !memcmp(ia, ib, (size_t)n * sizeof *ia);
    }
    CHECK("sklearn's introsort in steps moves every entry as in one call", same);
    free(a); free(b); free(ia); free(ib);
}

/* qsort comparator, ascending doubles. */
static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A mode leaf's value counted in pieces (tree_mode.c) is the sorted
 * targets' longest run, ties to the smaller (what tree.c did before), for
 * leaves with many ties, of every size, in slices of 1 to all. */
static void check_mode_count(void)
{
    enum { N = 3000 };
    double y[N], v[N];
    int32_t idx[N];
    uint32_t st = 31;
    struct mode_count m = {0};
    int same = 1, calls_ok = 1;
    for (int round = 0; round < 200; round++) {
        int n = 1 + (int)(rnd(&st) % N), k = 1 + (int)(rnd(&st) % 12);
        for (int i = 0; i < N; i++) {
            y[i] = (double)(int)(rnd(&st) % k) * (round % 3 ? 8.0 : 0.25) - (round % 5 == 0 ? 1.0 : 0.0);
            idx[i] = (int32_t)((i * 7919) % N);
        }
        int start = (int)(rnd(&st) % (N - n + 1)), end = start + n;
        for (int i = start; i < end; i++) v[i - start] = y[idx[i]];
        qsort(v, (size_t)n, sizeof *v, cmp_dbl);
        double best = v[0];
        int best_run = 0;
        for (int i = 0; i < n;) {
            int j = i;
            while (j < n && v[j] == v[i]) j++;
            if (j - i > best_run) { best_run = j - i; best = v[i]; }
            i = j;
        }
        double work = round % 4 == 0 ? 1.0 : round % 4 == 1 ? 37.0 : INFINITY;
        CHECK("mode_begin", mode_begin(&m, n) == TREE_OK);
        int calls = 0;
        for (;;) {
            double done = 0.0;
            calls++;
            if (mode_more(&m, y, idx, start, end, work, &done)) break;
            calls_ok &= done <= work;
        }
        same &= m.best == best;
        if (work == 1.0) calls_ok &= calls == n;
    }
    mode_free(&m);
    CHECK("a mode counted in pieces = the sorted targets' longest run (ties: the smaller)", same);
    CHECK("the count's slices touch at most `work` targets", calls_ok);
}

int main(void)
{
    check_mode_count();
    check_split_slices();
    check_tuple_sort();
    check_baselines();
    check_level_slices();
    check_fits();
    check_reports();
    return check_done("fit_slices");
}
