/* predict_report.c: the options and the report of predict_report.h (the
 * evaluation itself, a resumable job, is predict_job.c).
 * JSON keys: sizes, train, test, lags, features[], tree, tree_sklearn, last,
 * mode, markov1, ngram (each {mae, rmse, exact, size_class}), tree_info
 * {nodes, depth, leaf, random_state, importances[]}, best_mae, best_exact,
 * forecast[]; with detail also actual[], predicted[] (the test part; not
 * with a chart) and model (the tree's node arrays, tree_export.h); with
 * chart_columns, chart {columns, n, x0, actual[], predicted[]} (the points
 * as flat x, y pairs: predict_chart.c).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "predict/baselines.h"
#include "predict/predict_report.h"
#include "predict/size_features.h"
#include "util/strbuf.h"
#include "tree/tree_export.h"

/* Fills o with the documented defaults. */
void predict_opts_default(struct predict_opts *o)
{
    o->lags = 4;
    o->train_frac = 0.7;
    o->extras = FEATURES_DEFAULT;
    o->ngram_order = 4;
    o->horizon = 10;
    o->detail = 0;
    o->chart_columns = 0;
    o->sites = NULL;
    tree_params_default(&o->tree);
    o->tree.leaf_mode = TREE_LEAF_MODE;
    o->tree.min_samples_leaf = 3;
}

/* Releases the report's arrays; r becomes empty. */
void predict_report_free(struct predict_report *r)
{
    free(r->importances);
    free(r->forecast);
    free(r->actual);
    free(r->predicted);
    free(r->model_json);
    free(r->chart.actual);
    free(r->chart.predicted);
    memset(r, 0, sizeof *r);
}

/* The report as one JSON object (malloc'd), NULL when out of memory. */
char *predict_report_json(const struct predict_report *r)
{
    struct strbuf b = {0};
    char nb[32];
    sb_printf(&b, "{\"sizes\":%d,\"train\":%d,\"test\":%d,\"lags\":%d,\"features\":[", r->n_sizes,
              r->train, r->test, r->lags);
    for (int i = 0; i < r->n_features; i++)
        sb_printf(&b, "%s\"%s\"", i ? "," : "", features_name(r->lags, r->extras, i, nb, sizeof nb));
    sb_printf(&b, "]");
    for (int k = 0; k < PREDICT_N; k++) {
        sb_printf(&b, ",\"%s\":{\"mae\":", r->names[k]);
        sb_num(&b, r->m[k].mae);
        sb_printf(&b, ",\"rmse\":");
        sb_num(&b, r->m[k].rmse);
        sb_printf(&b, ",\"exact\":");
        sb_num(&b, r->m[k].exact);
        sb_printf(&b, ",\"size_class\":");
        sb_num(&b, r->m[k].size_class);
        sb_printf(&b, "}");
    }
    sb_printf(&b, ",\"tree_info\":{\"nodes\":%d,\"depth\":%d,\"leaf\":\"%s\",\"random_state\":%u,"
                  "\"ngram_order\":%d,\"importances\":",
              r->tree_nodes, r->tree_depth, r->tree_leaf_mode == TREE_LEAF_MODE ? "mode" : "mean",
              (unsigned)r->random_state, r->ngram_order);
    sb_num_array(&b, r->importances, r->n_features);
    sb_printf(&b, "},\"best_mae\":\"%s\",\"best_exact\":\"%s\",\"forecast\":", r->names[r->best_mae],
              r->names[r->best_exact]);
    sb_num_array(&b, r->forecast, r->horizon);
    if (r->actual) {
        sb_printf(&b, ",\"actual\":");
        sb_num_array(&b, r->actual, r->test);
        sb_printf(&b, ",\"predicted\":");
        sb_num_array(&b, r->predicted, r->test);
    }
    if (r->model_json) sb_printf(&b, ",\"model\":%s", r->model_json);
    if (r->chart.columns) {
        const struct predict_chart *c = &r->chart;
        sb_printf(&b, ",\"chart\":{\"columns\":%d,\"n\":%d,\"x0\":", c->columns, c->n);
        sb_num(&b, c->x0);
        sb_printf(&b, ",\"actual\":");
        sb_num_array(&b, c->actual, 2 * c->n_actual);
        sb_printf(&b, ",\"predicted\":");
        sb_num_array(&b, c->predicted, 2 * c->n_predicted);
        sb_printf(&b, "}");
    }
    sb_printf(&b, "}");
    return sb_take(&b);
}

/* The report as a readable table (malloc'd), NULL when out of memory. */
char *predict_report_text(const struct predict_report *r)
{
    struct strbuf b = {0};
    char nb[32];
    sb_printf(&b, "allocation sizes: %d  train rows: %d  test rows: %d (chronological)\nfeatures:",
              r->n_sizes, r->train, r->test);
    for (int i = 0; i < r->n_features; i++)
        sb_printf(&b, " %s", features_name(r->lags, r->extras, i, nb, sizeof nb));
    sb_printf(&b, "\ntree: %d nodes, depth %d, %s leaves, random_state %u\n\n", r->tree_nodes,
              r->tree_depth, r->tree_leaf_mode == TREE_LEAF_MODE ? "mode" : "mean",
              (unsigned)r->random_state);
    sb_printf(&b, "%-13s %14s %14s %8s %11s\n", "predictor", "MAE (bytes)", "RMSE (bytes)", "exact",
              "size-class");
    for (int k = 0; k < PREDICT_N; k++)
        sb_printf(&b, "%-13s %14.2f %14.2f %8.4f %11.4f\n", r->names[k], r->m[k].mae, r->m[k].rmse,
                  r->m[k].exact, r->m[k].size_class);
    sb_printf(&b, "\nbest MAE: %s   best exact match: %s\n", r->names[r->best_mae],
              r->names[r->best_exact]);
    if (r->horizon > 0) {
        sb_printf(&b, "forecast (next %d):", r->horizon);
        for (int h = 0; h < r->horizon; h++) sb_printf(&b, " %.6g", r->forecast[h]);
        sb_printf(&b, "\n");
    }
    return sb_take(&b);
}
