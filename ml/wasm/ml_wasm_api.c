/* ml_wasm_api.c: the regression tree and the prediction report as wasm
 * exports (ints and doubles only; pointers are offsets into linear memory).
 * web/js/lab/predict.js wraps them as lab.fitTree() and lab.predict().
 *
 *   hl_ml_tree_fit(X, y, n, F, max_depth, min_samples_split, min_samples_leaf,
 *               min_impurity_decrease, max_features, random_state, leaf_mode)
 *        -> handle (a pointer), or 0 with the TREE_E* code in hl_ml_tree_error().
 *        X is n*F row-major doubles.
 *        Integer parameters <= 0 mean "sklearn's default" (max_depth None,
 *        min_samples_split 2, min_samples_leaf 1, max_features all).
 *   hl_ml_tree_error() -> the TREE_E* code of the last failed hl_ml_tree_fit
 *   hl_ml_tree_node_count(h), hl_ml_tree_n_features(h)
 *   hl_ml_tree_array(h, which) -> pointer to node array `which` (their names:
 *        hl_ml_tree_array_fields(); length hl_ml_tree_array_len(h, which);
 *        float64 when hl_ml_tree_array_float(which), else int32); 0 if bad.
 *   hl_ml_tree_predict(h, X, n, out) -> 0: n rows of F doubles -> n doubles.
 *   hl_ml_tree_free(h)
 *   hl_ml_opts_reset(), hl_ml_opts_set(key, value) -> 0 / -1: the options of the
 *        next report (key: the index of its name in hl_ml_opt_fields()).
 *   hl_ml_leaf_name(i), hl_ml_extra_name(bit), hl_ml_extras_default(),
 *        hl_ml_tree_strerror(code): the names and codes JS would otherwise copy.
 *   hl_ml_predict_sizes(sizes, m) / hl_ml_predict_trace(text, len) -> pointer to
 *        the report's JSON (free with free()), or 0 with hl_ml_last_error().
 *   hl_ml_predict_begin / _more / _progress / _end / _abort: the same report
 *        for sizes in slices, so the page shows training's progress and can
 *        stop it (below).
 * Native builds compile this file to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "predict/predict_report.h"
#include "predict/size_features.h"
#include "trace/trace.h"
#include "trace/trace_sizes.h"
#include "tree/tree.h"
#include "wasm/wasm_io.h"
#include "wasm/wasm_table.h"

/* The report options of hl_ml_opts_set, by key (their index here): the one
 * list gives the keys, the names JS reads (hl_ml_opt_fields) and the setter.
 * Each setter sees o (the options), v (the value) and iv ((int)v). */
#define OPT_FIELDS(X)                                                                                      \
    X(lags, o->lags = iv) X(trainFrac, o->train_frac = v) X(extras, o->extras = iv)                        \
    X(ngram, o->ngram_order = iv) X(horizon, o->horizon = iv)                                              \
    X(maxDepth, o->tree.max_depth = iv > 0 ? iv : 0) X(minSamplesSplit, o->tree.min_samples_split = iv)    \
    X(minSamplesLeaf, o->tree.min_samples_leaf = iv) X(minImpurityDecrease, o->tree.min_impurity_decrease = v) \
    X(maxFeatures, o->tree.max_features = iv > 0 ? iv : 0)                                                 \
    X(randomState, if (!(v >= 0 && v <= 4294967295.0)) return -1; o->tree.random_state = (uint32_t)v)     \
    X(leaf, o->tree.leaf_mode = iv) X(withRealloc, g_with_realloc = iv != 0) X(detail, o->detail = iv != 0)                                \
    X(columns, o->chart_columns = iv)
#define OPT_KEY(name, set) ML_OPT_##name,
#define OPT_CASE(name, set) case ML_OPT_##name: set; break;
enum ml_opt { OPT_FIELDS(OPT_KEY) ML_OPT_COUNT };

/* The node arrays of a tree t, by `which` (their index here): name, address, length. */
#define TREE_ARRAYS(X)                                                                              \
    X(feature, t->feature, t->node_count) X(left, t->left, t->node_count)                           \
    X(right, t->right, t->node_count) X(samples, t->n_node_samples, t->node_count)                  \
    X(threshold, t->threshold, t->node_count) X(value, t->value, t->node_count)                     \
    X(mode, t->mode, t->node_count) X(impurity, t->impurity, t->node_count)                         \
    X(importances, t->importances, t->n_features)
#define ARRAY_NAME(name, p, n) #name ","
#define ARRAY_PTR(name, p, n) (const void *)(p),
#define ARRAY_LEN(name, p, n) (int)(n),
/* 1 for a float64 array, 0 for int32 (the type of the field itself decides). */
#define ARRAY_FLOAT(name, p, n) _Generic((p), double *: 1, int32_t *: 0),
#define ARRAY_COUNT(name, p, n) +1
enum { TREE_ARRAY_COUNT = 0 TREE_ARRAYS(ARRAY_COUNT) };

/* Names by number (NULL past the end): the leaf modes (enum tree_leaf_mode)
 * and the feature extras, bit i of the extras mask (enum feature_extra). */
static const char *const leaf_names[] = {"mean", "mode"};
_Static_assert(sizeof leaf_names / sizeof leaf_names[0] == TREE_LEAF_MODE + 1 && TREE_LEAF_MEAN == 0,
               "one name per enum tree_leaf_mode, in order");
static const char *const extra_names[] = {"run", "delta", "next1", "next2", "next3", "mf1", "mf2"};
_Static_assert(FEAT_RUN == 1 && FEAT_DELTA == 2 && FEAT_NEXT1 == 4 && FEAT_NEXT2 == 8 && FEAT_NEXT3 == 16 &&
                   FEAT_MF1 == 32 && FEAT_MF2 == 64,
               "extra_names[i] is the feature of bit i");
_Static_assert(FEAT_ALL == (1 << (sizeof extra_names / sizeof extra_names[0])) - 1, "one name per feature bit");

static struct predict_opts g_opts;
static int g_opts_ready, g_with_realloc = 1;
static char g_err[TRACE_ERR_LEN];
static int g_tree_error;

/* The options, initialised to predict_opts_default on first use. */
static struct predict_opts *opts(void)
{
    if (!g_opts_ready) {
        predict_opts_default(&g_opts);
        g_opts.detail = 1;
        g_with_realloc = 1;
        g_opts_ready = 1;
    }
    return &g_opts;
}

/* Handle of a new fitted tree, or 0 (code in hl_ml_tree_error()). */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_fit(const double *X, const double *y, int n, int F, int max_depth,
                                     int min_samples_split, int min_samples_leaf,
                                     double min_impurity_decrease, int max_features,
                                     double random_state, int leaf_mode)
{
    struct tree_params p;
    tree_params_default(&p);
    if (max_depth > 0) p.max_depth = max_depth;
    if (min_samples_split > 0) p.min_samples_split = min_samples_split;
    if (min_samples_leaf > 0) p.min_samples_leaf = min_samples_leaf;
    p.min_impurity_decrease = min_impurity_decrease;
    if (max_features > 0) p.max_features = max_features;
    g_tree_error = TREE_E_ARG;
    if (!(random_state >= 0 && random_state <= 4294967295.0)) return 0;
    p.random_state = (uint32_t)random_state;
    p.leaf_mode = leaf_mode;
    struct tree *t = malloc(sizeof *t);
    g_tree_error = TREE_E_NOMEM;
    if (!t) return 0;
    g_tree_error = tree_fit(t, X, y, n, F, &p);
    if (g_tree_error) {
        free(t);
        return 0;
    }
    return (int)(intptr_t)t;
}

/* TREE_E* code of the last failed hl_ml_tree_fit. */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_error(void) { return g_tree_error; }

/* Number of nodes of tree h. */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_node_count(int h) { return ((const struct tree *)(intptr_t)h)->node_count; }

/* Number of features tree h was fitted on. */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_n_features(int h) { return ((const struct tree *)(intptr_t)h)->n_features; }

/* Address of node array `which` of tree h (hl_ml_tree_array_fields), or 0. */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_array(int h, int which)
{
    const struct tree *t = (const struct tree *)(intptr_t)h;
    const void *a[TREE_ARRAY_COUNT] = {TREE_ARRAYS(ARRAY_PTR)};
    return which >= 0 && which < TREE_ARRAY_COUNT ? (int)(intptr_t)a[which] : 0;
}

/* Length of node array `which` of tree h (node count, or features), or 0. */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_array_len(int h, int which)
{
    const struct tree *t = (const struct tree *)(intptr_t)h;
    const int n[TREE_ARRAY_COUNT] = {TREE_ARRAYS(ARRAY_LEN)};
    return which >= 0 && which < TREE_ARRAY_COUNT ? n[which] : 0;
}

/* 1 when node array `which` holds float64, 0 for int32 (or a bad `which`). */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_array_float(int which)
{
    const struct tree *t = NULL;
    const int f[TREE_ARRAY_COUNT] = {TREE_ARRAYS(ARRAY_FLOAT)};
    (void)t;
    return which >= 0 && which < TREE_ARRAY_COUNT ? f[which] : 0;
}

/* The names of the node arrays and of the report options, comma-separated, by index. */
EMSCRIPTEN_KEEPALIVE const char *hl_ml_tree_array_fields(void) { return TREE_ARRAYS(ARRAY_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_ml_opt_fields(void) { return OPT_FIELDS(TABLE_NAME); }

/* The text of a TREE_E* code. */
EMSCRIPTEN_KEEPALIVE const char *hl_ml_tree_strerror(int code) { return tree_strerror(code); }

/* Names of the leaf modes and of the extras' bits (NULL past the end). */
EMSCRIPTEN_KEEPALIVE const char *hl_ml_leaf_name(int i)
{
    return i >= 0 && i < (int)(sizeof leaf_names / sizeof leaf_names[0]) ? leaf_names[i] : NULL;
}
EMSCRIPTEN_KEEPALIVE const char *hl_ml_extra_name(int i)
{
    return i >= 0 && i < (int)(sizeof extra_names / sizeof extra_names[0]) ? extra_names[i] : NULL;
}

/* The extras mask `heaplab predict` uses unless told otherwise. */
EMSCRIPTEN_KEEPALIVE int hl_ml_extras_default(void) { return FEATURES_DEFAULT; }

/* 0 after writing n predictions for n rows of X into out. */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_predict(int h, const double *X, int n, double *out)
{
    const struct tree *t = (const struct tree *)(intptr_t)h;
    for (int i = 0; i < n; i++) out[i] = tree_predict_row(t, X + (size_t)i * t->n_features);
    return 0;
}

/* Releases tree h (0 is ignored). */
EMSCRIPTEN_KEEPALIVE void hl_ml_tree_free(int h)
{
    struct tree *t = (struct tree *)(intptr_t)h;
    if (!t) return;
    tree_free(t);
    free(t);
}

/* Restores the report options to predict_opts_default (with detail). */
EMSCRIPTEN_KEEPALIVE void hl_ml_opts_reset(void)
{
    g_opts_ready = 0;
    (void)opts();
}

/* 0 after setting one report option, -1 for an unknown key or bad value. */
EMSCRIPTEN_KEEPALIVE int hl_ml_opts_set(int key, double v)
{
    struct predict_opts *o = opts();
    int iv = (int)v;
    switch (key) {
    OPT_FIELDS(OPT_CASE)
    default: return -1;
    }
    return 0;
}

/* The options of the next report, checked; NULL with g_err set. */
static const struct predict_opts *report_opts(void)
{
    const struct predict_opts *o = opts();
    if (o->tree.min_samples_split < 2 || o->tree.min_samples_leaf < 1 ||
        (o->tree.leaf_mode != TREE_LEAF_MEAN && o->tree.leaf_mode != TREE_LEAF_MODE)) {
        snprintf(g_err, sizeof g_err, "bad tree options");
        return NULL;
    }
    return o;
}

/* The JSON of report r (malloc'd; r is freed), as an address, or 0 (g_err). */
static int report_take(struct predict_report *r)
{
    char *js = predict_report_json(r);
    predict_report_free(r);
    if (!js) snprintf(g_err, sizeof g_err, "out of memory");
    return (int)(intptr_t)js;
}

/* Address of the report JSON for sizes[0..m) (free it), or 0 (hl_ml_last_error). */
EMSCRIPTEN_KEEPALIVE int hl_ml_predict_sizes(const double *sizes, int m)
{
    struct predict_report r;
    const struct predict_opts *o = report_opts();
    if (!o || predict_run(sizes, m, o, &r, g_err, sizeof g_err)) return 0;
    return report_take(&r);
}

/* The same report in slices (predict_report.h's predict_begin/more/end):
 * hl_ml_predict_begin(sizes, m) -> a job (the sizes are copied; free them
 * at once), or 0 with hl_ml_last_error(); hl_ml_predict_more(job, work) ->
 * 1 done, 0 more to do, -1 failed; hl_ml_predict_progress(job) -> 0..1;
 * hl_ml_predict_end(job) -> the report JSON's address (free it), or 0 with
 * hl_ml_last_error(); hl_ml_predict_abort(job) drops it. end and abort
 * free the job. */
EMSCRIPTEN_KEEPALIVE int hl_ml_predict_begin(const double *sizes, int m)
{
    const struct predict_opts *o = report_opts();
    return o ? (int)(intptr_t)predict_begin(sizes, m, o, g_err, sizeof g_err) : 0;
}

/* The same job for the request sizes of the first `limit` ops of trace t
 * (wasm_io.h's handle; alloc, and realloc with the option withRealloc),
 * made in C and handed to the job: nothing crosses to JS and back. */
EMSCRIPTEN_KEEPALIVE int hl_ml_predict_begin_trace(int t, double limit)
{
    const struct predict_opts *o = report_opts();
    struct trace *p = wasm_trace(t);
    if (!o) return 0;
    if (!p || !(limit >= 0)) {
        snprintf(g_err, sizeof g_err, "bad trace");
        return 0;
    }
    struct trace prefix = *p; /* a view of the first `limit` ops */
    if (limit < (double)prefix.n) prefix.n = (size_t)limit;
    double *sizes;
    int m = trace_request_sizes(&prefix, g_with_realloc, &sizes);
    if (m < 0) {
        snprintf(g_err, sizeof g_err, "out of memory");
        return 0;
    }
    return (int)(intptr_t)predict_begin_owned(sizes, m, o, g_err, sizeof g_err);
}

EMSCRIPTEN_KEEPALIVE int hl_ml_predict_more(int job, double work)
{
    return predict_more((struct predict_job *)(intptr_t)job, work);
}

EMSCRIPTEN_KEEPALIVE double hl_ml_predict_progress(int job)
{
    return predict_progress((const struct predict_job *)(intptr_t)job);
}

EMSCRIPTEN_KEEPALIVE int hl_ml_predict_end(int job)
{
    struct predict_report r;
    if (predict_end((struct predict_job *)(intptr_t)job, &r, g_err, sizeof g_err)) return 0;
    return report_take(&r);
}

EMSCRIPTEN_KEEPALIVE void hl_ml_predict_abort(int job)
{
    predict_end((struct predict_job *)(intptr_t)job, NULL, NULL, 0);
}

/* Address of the report JSON for a trace text (free it), or 0 (hl_ml_last_error). */
EMSCRIPTEN_KEEPALIVE int hl_ml_predict_trace(const char *text, int len)
{
    struct trace t = {0};
    if (trace_parse(text, (size_t)len, "trace", &t, g_err, sizeof g_err)) return 0;
    double *sizes;
    int m = trace_request_sizes(&t, g_with_realloc, &sizes);
    trace_free(&t);
    if (m < 0) {
        snprintf(g_err, sizeof g_err, "out of memory");
        return 0;
    }
    int js = hl_ml_predict_sizes(sizes, m);
    free(sizes);
    return js;
}

/* Address of the last error message (NUL-terminated). */
EMSCRIPTEN_KEEPALIVE int hl_ml_last_error(void) { return (int)(intptr_t)g_err; }

#else
typedef int ml_wasm_api_native_build; /* ISO C wants a non-empty unit */
#endif
