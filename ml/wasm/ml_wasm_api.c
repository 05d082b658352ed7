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
 *   hl_ml_tree_array(h, which) -> pointer to a node array: 0 feature, 1 left,
 *        2 right, 3 n_node_samples (int32); 4 threshold, 5 value, 6 mode,
 *        7 impurity, 8 importances (float64); 0 for a bad `which`.
 *   hl_ml_tree_predict(h, X, n, out) -> 0: n rows of F doubles -> n doubles.
 *   hl_ml_tree_free(h)
 *   hl_ml_opts_reset(), hl_ml_opts_set(key, value) -> 0 / -1: the options of the
 *        next report (keys: enum ml_opt below).
 *   hl_ml_predict_sizes(sizes, m) / hl_ml_predict_trace(text, len) -> pointer to
 *        the report's JSON (free with free()), or 0 with hl_ml_last_error().
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

enum ml_opt {
    ML_OPT_LAGS = 0, ML_OPT_TRAIN_FRAC = 1, ML_OPT_EXTRAS = 2, ML_OPT_NGRAM = 3, ML_OPT_HORIZON = 4,
    ML_OPT_MAX_DEPTH = 5, ML_OPT_MIN_SAMPLES_SPLIT = 6, ML_OPT_MIN_SAMPLES_LEAF = 7,
    ML_OPT_MIN_IMPURITY_DECREASE = 8, ML_OPT_MAX_FEATURES = 9, ML_OPT_RANDOM_STATE = 10,
    ML_OPT_LEAF = 11, ML_OPT_WITH_REALLOC = 12, ML_OPT_DETAIL = 13
};

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

/* Address of node array `which` of tree h (see the table above), or 0. */
EMSCRIPTEN_KEEPALIVE int hl_ml_tree_array(int h, int which)
{
    const struct tree *t = (const struct tree *)(intptr_t)h;
    const void *a[9] = {t->feature, t->left, t->right, t->n_node_samples, t->threshold,
                        t->value, t->mode, t->impurity, t->importances};
    return which >= 0 && which < 9 ? (int)(intptr_t)a[which] : 0;
}

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
    case ML_OPT_LAGS: o->lags = iv; break;
    case ML_OPT_TRAIN_FRAC: o->train_frac = v; break;
    case ML_OPT_EXTRAS: o->extras = iv; break;
    case ML_OPT_NGRAM: o->ngram_order = iv; break;
    case ML_OPT_HORIZON: o->horizon = iv; break;
    case ML_OPT_MAX_DEPTH: o->tree.max_depth = iv > 0 ? iv : 0; break;
    case ML_OPT_MIN_SAMPLES_SPLIT: o->tree.min_samples_split = iv; break;
    case ML_OPT_MIN_SAMPLES_LEAF: o->tree.min_samples_leaf = iv; break;
    case ML_OPT_MIN_IMPURITY_DECREASE: o->tree.min_impurity_decrease = v; break;
    case ML_OPT_MAX_FEATURES: o->tree.max_features = iv > 0 ? iv : 0; break;
    case ML_OPT_RANDOM_STATE:
        if (!(v >= 0 && v <= 4294967295.0)) return -1;
        o->tree.random_state = (uint32_t)v;
        break;
    case ML_OPT_LEAF: o->tree.leaf_mode = iv; break;
    case ML_OPT_WITH_REALLOC: g_with_realloc = iv != 0; break;
    case ML_OPT_DETAIL: o->detail = iv != 0; break;
    default: return -1;
    }
    return 0;
}

/* Address of the report JSON for sizes[0..m) (free it), or 0 (hl_ml_last_error). */
EMSCRIPTEN_KEEPALIVE int hl_ml_predict_sizes(const double *sizes, int m)
{
    struct predict_report r;
    struct predict_opts o = *opts();
    if (o.tree.min_samples_split < 2 || o.tree.min_samples_leaf < 1 ||
        (o.tree.leaf_mode != TREE_LEAF_MEAN && o.tree.leaf_mode != TREE_LEAF_MODE)) {
        snprintf(g_err, sizeof g_err, "bad tree options");
        return 0;
    }
    if (predict_run(sizes, m, &o, &r, g_err, sizeof g_err)) return 0;
    char *js = predict_report_json(&r);
    predict_report_free(&r);
    if (!js) snprintf(g_err, sizeof g_err, "out of memory");
    return (int)(intptr_t)js;
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
