/* ml_cli.c: `heaplab tree` (fit on a numeric CSV, predict another) and
 * `heaplab predict` (every predictor on a trace's allocation sizes). The only
 * ml code that prints. Exit codes: 0 ok, 2 bad usage or bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli_flags.h"
#include "cli/ml_cli.h"
#include "cli/num_csv.h"
#include "predict/predict_report.h"
#include "predict/size_features.h"
#include "trace/trace.h"
#include "trace/trace_sites.h"
#include "trace/trace_sizes.h"
#include "tree/tree.h"
#include "tree/tree_export.h"

/* Prints the tree subcommand's usage to f. */
static void tree_usage(FILE *f)
{
    fprintf(f, "usage: heaplab tree --train TRAIN.csv --predict TEST.csv [flags]\n"
               "  CSV files with a header row; the last column of TRAIN is the target;\n"
               "  TEST has the same columns (its last column is ignored).\n"
               "  Prints one prediction per TEST row (%%.17g).\n%s"
               "  --export-tree FILE         also write the node arrays as JSON\n"
               "  --time                     print the fit time to stderr\n",
            TREE_FLAGS_USAGE);
}

/* Wall-clock seconds (C11 timespec_get). */
static double now_s(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Writes text to path; 0 or -1. */
static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

/* Exit status of `heaplab tree`: 0, or 2 on bad usage or input. */
int tree_cli_main(int argc, char **argv)
{
    struct tree_params p;
    tree_params_default(&p);
    const char *train = NULL, *test = NULL, *export_path = NULL;
    int show_time = 0;
    char err[NUM_CSV_ERR_LEN];
    for (int i = 1; i < argc; i++) {
        int r = flag_tree(argc, argv, &i, &p, err, sizeof err);
        if (r < 0) {
            fprintf(stderr, "heaplab tree: %s\n", err);
            return 2;
        }
        if (r) continue;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            tree_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--time") == 0) {
            show_time = 1;
        } else if (i + 1 < argc && strcmp(argv[i], "--train") == 0) {
            train = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--predict") == 0) {
            test = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--export-tree") == 0) {
            export_path = argv[++i];
        } else {
            fprintf(stderr, "heaplab tree: unknown or incomplete argument '%s'\n", argv[i]);
            tree_usage(stderr);
            return 2;
        }
    }
    if (!train || !test) {
        tree_usage(stderr);
        return 2;
    }
    struct num_table tr, te;
    if (num_csv_load(train, &tr, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (tr.cols < 2) {
        fprintf(stderr, "%s:1: need at least one feature column and the target column\n", train);
        num_csv_free(&tr);
        return 2;
    }
    if (num_csv_load(test, &te, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        num_csv_free(&tr);
        return 2;
    }
    int rc = 0;
    if (te.cols != tr.cols) {
        fprintf(stderr, "%s:1: %d columns, but %s has %d\n", test, te.cols, train, tr.cols);
        rc = 2;
    }
    int F = tr.cols - 1;
    if (!rc && p.max_features > F) {
        fprintf(stderr, "heaplab tree: --max-features %d exceeds the %d feature columns\n",
                p.max_features, F);
        rc = 2;
    }
    double *X = NULL, *y = NULL;
    struct tree t = {0};
    if (!rc) {
        X = malloc((size_t)tr.rows * F * sizeof *X);
        y = malloc((size_t)tr.rows * sizeof *y);
        if (!X || !y) {
            fprintf(stderr, "heaplab tree: out of memory\n");
            rc = 2;
        }
    }
    if (!rc) {
        for (int i = 0; i < tr.rows; i++) {
            memcpy(X + (size_t)i * F, tr.data + (size_t)i * tr.cols, (size_t)F * sizeof *X);
            y[i] = tr.data[(size_t)i * tr.cols + F];
        }
        double t0 = now_s();
        int fr = tree_fit(&t, X, y, tr.rows, F, &p);
        double t1 = now_s();
        if (fr) {
            fprintf(stderr, "%s: %s\n", train, tree_strerror(fr));
            rc = 2;
        } else if (show_time) {
            fprintf(stderr, "fit_seconds %.6f nodes %d rows %d features %d\n", t1 - t0,
                    t.node_count, tr.rows, F);
        }
    }
    if (!rc && export_path) {
        char *js = tree_to_json(&t);
        if (!js || write_file(export_path, js)) {
            fprintf(stderr, "%s: cannot write\n", export_path);
            rc = 2;
        }
        free(js);
    }
    for (int i = 0; !rc && i < te.rows; i++)
        printf("%.17g\n", tree_predict_row(&t, te.data + (size_t)i * te.cols));
    tree_free(&t);
    free(X);
    free(y);
    num_csv_free(&tr);
    num_csv_free(&te);
    return rc;
}

/* Prints the predict subcommand's usage to f. */
static void predict_usage(FILE *f)
{
    fprintf(f, "usage: heaplab predict TRACE [flags]\n"
               "  TRACE: rich CSV (op,id,size), seed CSV (ALLOC,n/FREE) or malloclab .rep.\n"
               "  Learns the sequence of requested sizes (alloc and realloc sizes) and reports\n"
               "  the tree against the baselines on a chronological split.\n"
               "  --lags K                   previous sizes used as features (default 4)\n"
               "  --train-frac F             share of rows used for training (default 0.7)\n"
               "  --features LIST            extra features: none|all|run,delta,next1,next2,next3,mf1,mf2\n"
               "                             (default run,delta,next1,next2,next3); with a site column\n"
               "                             (heaplab record --sites) also site,site_last, e.g.\n"
               "                             --features default,site_last\n"
               "  --ngram N                  longest n-gram context (default 4)\n"
               "  --no-realloc               learn alloc sizes only\n"
               "  --horizon N                forecast N next sizes (default 10)\n"
               "  --json                     one JSON object instead of the table\n"
               "  --detail                   with --json: add actual/predicted test series and the tree\n"
               "%s  (predict's tree defaults: --leaf mode --min-samples-leaf 3)\n",
            TREE_FLAGS_USAGE);
}

/* Exit status of `heaplab predict`: 0, or 2 on bad usage or input. */
int predict_cli_main(int argc, char **argv)
{
    struct predict_opts o;
    predict_opts_default(&o);
    const char *path = NULL;
    int json = 0, with_realloc = 1;
    char err[TRACE_ERR_LEN];
    for (int i = 1; i < argc; i++) {
        int r = flag_tree(argc, argv, &i, &o.tree, err, sizeof err);
        long long v;
        if (r < 0) {
            fprintf(stderr, "heaplab predict: %s\n", err);
            return 2;
        }
        if (r) continue;
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            predict_usage(stdout);
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--detail") == 0) {
            o.detail = 1;
        } else if (strcmp(a, "--no-realloc") == 0) {
            with_realloc = 0;
        } else if (val && strcmp(a, "--lags") == 0) {
            bad = flag_int(val, 1, 64, &v);
            o.lags = (int)v;
            i++;
        } else if (val && strcmp(a, "--ngram") == 0) {
            bad = flag_int(val, 1, 8, &v);
            o.ngram_order = (int)v;
            i++;
        } else if (val && strcmp(a, "--horizon") == 0) {
            bad = flag_int(val, 0, PREDICT_MAX_HORIZON, &v);
            o.horizon = (int)v;
            i++;
        } else if (val && strcmp(a, "--train-frac") == 0) {
            bad = flag_double(val, &o.train_frac) || !(o.train_frac > 0 && o.train_frac < 1);
            i++;
        } else if (val && strcmp(a, "--features") == 0) {
            bad = features_parse(val, &o.extras);
            i++;
        } else if (a[0] != '-' && !path) {
            path = a;
        } else {
            fprintf(stderr, "heaplab predict: unknown or incomplete argument '%s'\n", a);
            predict_usage(stderr);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "heaplab predict: %s: bad value '%s'\n", a, val);
            return 2;
        }
    }
    if (!path) {
        predict_usage(stderr);
        return 2;
    }
    struct trace t = {0};
    if (trace_load_file(path, &t, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    double *sizes, *sites = NULL;
    int m = trace_request_sizes(&t, with_realloc, &sizes);
    if (m >= 0 && (o.extras & FEAT_SITES) && trace_site_count(&t) > 0 && trace_request_sites(&t, with_realloc, &sites) < 0) {
        free(sizes);
        m = -1;
    }
    trace_free(&t);
    if (m < 0) {
        fprintf(stderr, "heaplab predict: out of memory\n");
        return 2;
    }
    o.sites = sites;
    struct predict_report rep;
    int bad_run = predict_run(sizes, m, &o, &rep, err, sizeof err);
    free(sizes);
    free(sites);
    if (bad_run) {
        fprintf(stderr, "%s: %s\n", path, err);
        return 2;
    }
    char *text = json ? predict_report_json(&rep) : predict_report_text(&rep);
    predict_report_free(&rep);
    if (!text) {
        fprintf(stderr, "heaplab predict: out of memory\n");
        return 2;
    }
    fputs(text, stdout);
    if (json) fputs("\n", stdout);
    free(text);
    return 0;
}
