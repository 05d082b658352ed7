/* unit_ml.c: hand-computable tests of the ml/ library: metrics, baselines,
 * features, the tree API's edge cases and errors, the CSV reader and the
 * prediction report. Built and run by tests/ml/run.sh; exits 1 on failure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "predict/baselines.h"
#include "predict/metrics.h"
#include "cli/num_csv.h"
#include "predict/predict_report.h"
#include "predict/size_features.h"
#include "tree/tree.h"

static int failures, checks;

#define CHECK(name, expr)                                          \
    do {                                                           \
        checks++;                                                  \
        if (!(expr)) {                                             \
            failures++;                                            \
            printf("FAIL %s (%s:%d): %s\n", name, __FILE__, __LINE__, #expr); \
        }                                                          \
    } while (0)

/* 1 when a[0..n) equals b[0..n) exactly. */
static int eq(const double *a, const double *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

static void test_metrics(void)
{
    double train[] = {32, 8, 16, 8}, u[4];
    int nu = metrics_unique_sorted(train, 4, u);
    CHECK("unique count", nu == 3 && u[0] == 8 && u[1] == 16 && u[2] == 32);
    CHECK("snap nearest", metrics_snap(15, u, nu) == 16 && metrics_snap(40, u, nu) == 32);
    CHECK("snap tie goes to smaller", metrics_snap(24, u, nu) == 16 && metrics_snap(12, u, nu) == 8);
    CHECK("snap below range", metrics_snap(-5, u, nu) == 8);
    CHECK("size class", metrics_size_class(0) == 0 && metrics_size_class(1) == 0 &&
                            metrics_size_class(2) == 1 && metrics_size_class(3) == 2 &&
                            metrics_size_class(4096) == 12 && metrics_size_class(4097) == 13);
    double pred[] = {15, 24, 40}, truth[] = {16, 16, 32};
    struct metrics m;
    metrics_compute(pred, truth, 3, u, nu, &m);
    CHECK("mae", fabs(m.mae - 17.0 / 3.0) < 1e-12);
    CHECK("rmse", fabs(m.rmse - sqrt(129.0 / 3.0)) < 1e-12);
    CHECK("exact after snapping", m.exact == 1.0);
    CHECK("size-class accuracy", fabs(m.size_class - 1.0 / 3.0) < 1e-12);
}

static void test_baselines(void)
{
    double s[] = {1, 2, 3, 1, 2, 3, 1, 2, 3, 1}, p[3];
    double truth[] = {2, 3, 1};
    CHECK("last", baseline_predict(BASE_LAST, s, 10, 7, 4, p) == 0 && p[0] == 1 && p[1] == 2 && p[2] == 3);
    CHECK("mode", baseline_predict(BASE_MODE, s, 10, 7, 4, p) == 0 && p[0] == 1 && p[2] == 1);
    CHECK("markov1 cycle", baseline_predict(BASE_MARKOV1, s, 10, 7, 4, p) == 0 && eq(p, truth, 3));
    CHECK("ngram cycle", baseline_predict(BASE_NGRAM, s, 10, 7, 4, p) == 0 && eq(p, truth, 3));

    /* ties go to the smaller size; unseen contexts back off to the mode */
    double b[] = {4, 4, 8, 4, 4, 8, 4, 16, 4}, q[3], want[] = {4, 4, 4};
    CHECK("markov1 tie and backoff", baseline_predict(BASE_MARKOV1, b, 9, 6, 1, q) == 0 && eq(q, want, 3));
    CHECK("ngram backoff to mode", baseline_predict(BASE_NGRAM, b, 9, 6, 2, q) == 0 && eq(q, want, 3));

    /* a context of two sizes disambiguates what one size cannot */
    double c[] = {1, 2, 3, 5, 2, 7, 1, 2, 3, 5, 2, 7, 1, 2, 3, 5, 2, 7}, r[6];
    double want1[] = {1, 2, 3, 5, 2, 3}; /* after 2: 3 and 7 tie, the smaller wins */
    CHECK("markov1 on ambiguous successor", baseline_predict(BASE_MARKOV1, c, 18, 12, 1, r) == 0 &&
                                                eq(r, want1, 6));
    double want2[] = {1, 2, 3, 5, 2, 7};
    CHECK("ngram uses the longer context", baseline_predict(BASE_NGRAM, c, 18, 12, 2, r) == 0 &&
                                               eq(r, want2, 6));
    CHECK("bad split rejected", baseline_predict(BASE_LAST, s, 10, 0, 4, p) == -1);
}

static void test_features(void)
{
    double s[] = {8, 8, 16, 8, 16}, *X, *y;
    int rows = features_build(s, 5, 2, FEATURES_DEFAULT, &X, &y);
    CHECK("feature rows", rows == 3 && features_count(2, FEATURES_DEFAULT) == 7);
    if (rows == 3) {
        double r0[] = {8, 8, 2, 0, 8, -1, -1};
        double r1[] = {16, 8, 1, 8, -1, -1, -1};
        double r2[] = {8, 16, 1, -8, 16, -1, -1};
        double wy[] = {16, 8, 16};
        CHECK("row t=2 (run, next1)", eq(X, r0, 7));
        CHECK("row t=3 (delta, unseen contexts)", eq(X + 7, r1, 7));
        CHECK("row t=4 (next1 = last successor)", eq(X + 14, r2, 7));
        CHECK("targets", eq(y, wy, 3));
    }
    free(X);
    free(y);
    /* mf1: most frequent successor so far: after 8 came 8, 16, 16 -> 16; ties -> smaller */
    double m[] = {8, 8, 16, 8, 16, 8, 4, 8};
    rows = features_build(m, 8, 1, FEAT_MF1 | FEAT_MF2, &X, &y);
    CHECK("mf rows", rows == 7 && features_count(1, FEAT_MF1 | FEAT_MF2) == 3);
    if (rows == 7) {
        double mf1[] = {-1, 8, -1, 8, 8, 16, -1}; /* t=1..7: counts of 8->8, 8->16 tie at t=3 */
        double mf2[] = {-1, -1, -1, -1, 8, 16, -1}; /* (8,16)->8, (16,8)->16 */
        int ok1 = 1, ok2 = 1;
        for (int i = 0; i < 7; i++) {
            ok1 &= X[i * 3 + 1] == mf1[i];
            ok2 &= X[i * 3 + 2] == mf2[i];
        }
        CHECK("mf1 online most frequent successor", ok1);
        CHECK("mf2 online most frequent successor", ok2);
    }
    free(X);
    free(y);
    char nb[16];
    CHECK("feature names", strcmp(features_name(2, FEATURES_DEFAULT, 1, nb, 16), "lag2") == 0 &&
                               strcmp(features_name(2, FEATURES_DEFAULT, 6, nb, 16), "next3") == 0 &&
                               strcmp(features_name(2, FEAT_NEXT2, 2, nb, 16), "next2") == 0);
    int e = 0;
    CHECK("features_parse", features_parse("run,next2", &e) == 0 && e == (FEAT_RUN | FEAT_NEXT2));
    CHECK("features_parse rejects", features_parse("run,bogus", &e) == -1);
    CHECK("lags range", features_build(s, 5, 0, 0, &X, &y) == -1);
}

static void test_tree(void)
{
    struct tree_params p;
    struct tree t;
    tree_params_default(&p);
    CHECK("seed anchor rs=0", tree_rand_r_seed(0) == 209652396u);
    CHECK("seed anchor rs=1", tree_rand_r_seed(1) == 1791095845u);
    CHECK("seed anchor rs=42", tree_rand_r_seed(42) == 1608637542u);

    double X1[] = {3, 5}, y1[] = {7};
    CHECK("one sample fits", tree_fit(&t, X1, y1, 1, 2, &p) == TREE_OK && t.node_count == 1 &&
                                 t.value[0] == 7 && t.left[0] == TREE_LEAF && t.feature[0] == TREE_UNDEFINED);
    CHECK("one sample predicts", tree_predict_row(&t, X1) == 7);
    tree_free(&t);

    /* mean vs mode leaves: left leaf {8, 8, 24} */
    double X[] = {0, 0, 0, 1, 1}, y[] = {8, 8, 24, 5, 5}, q0[] = {0}, q1[] = {1};
    p.max_depth = 1;
    CHECK("depth-1 fit", tree_fit(&t, X, y, 5, 1, &p) == TREE_OK && t.node_count == 3);
    CHECK("threshold is the midpoint", t.threshold[0] == 0.5);
    CHECK("mean leaf", tree_predict_row(&t, q0) == 40.0 / 3.0 && tree_predict_row(&t, q1) == 5);
    CHECK("importances normalised", t.importances[0] == 1.0);
    tree_free(&t);
    p.leaf_mode = TREE_LEAF_MODE;
    CHECK("mode leaf", tree_fit(&t, X, y, 5, 1, &p) == TREE_OK && tree_predict_row(&t, q0) == 8);
    tree_free(&t);

    /* a threshold between 16 and 32 is 24, and 24 goes left */
    double X2[] = {16, 32, 16, 32}, y2[] = {1, 9, 1, 9}, q24[] = {24}, q25[] = {24.5};
    tree_params_default(&p);
    CHECK("threshold 24", tree_fit(&t, X2, y2, 4, 1, &p) == TREE_OK && t.threshold[0] == 24.0);
    CHECK("query 24 goes left", tree_predict_row(&t, q24) == 1 && tree_predict_row(&t, q25) == 9);
    tree_free(&t);

    /* constant target: a single leaf, no split attempted */
    double y3[] = {32, 32, 32, 32};
    CHECK("constant target", tree_fit(&t, X2, y3, 4, 1, &p) == TREE_OK && t.node_count == 1 &&
                                 t.impurity[0] == 0.0);
    tree_free(&t);

    double bad[] = {1, NAN}, huge[] = {1e39, 1};
    CHECK("NaN target rejected", tree_fit(&t, X1, bad + 1, 1, 2, &p) == TREE_E_VALUE && t.node_count == 0);
    CHECK("float32 overflow rejected", tree_fit(&t, huge, y1, 1, 2, &p) == TREE_E_VALUE);
    CHECK("no features rejected", tree_fit(&t, X1, y1, 1, 0, &p) == TREE_E_EMPTY);
    p.min_samples_split = 1;
    CHECK("min_samples_split 1 rejected", tree_fit(&t, X1, y1, 1, 2, &p) == TREE_E_ARG);
    tree_params_default(&p);
    p.max_features = 3;
    CHECK("max_features > F rejected", tree_fit(&t, X1, y1, 1, 2, &p) == TREE_E_ARG);
    tree_free(&t);
}

static void test_csv(void)
{
    struct num_table t;
    char err[NUM_CSV_ERR_LEN];
    const char ok[] = "a,b\r\n\n1,2.5\r\n-3,4e2\n";
    CHECK("csv ok", num_csv_parse(ok, strlen(ok), "ok.csv", &t, err, sizeof err) == 0 && t.rows == 2 &&
                        t.cols == 2 && t.data[1] == 2.5 && t.data[2] == -3 && t.data[3] == 400);
    num_csv_free(&t);
    const char short_row[] = "a,b\n1,2\n3\n";
    CHECK("csv column count error",
          num_csv_parse(short_row, strlen(short_row), "x.csv", &t, err, sizeof err) == -1 &&
              strstr(err, "x.csv:3:") != NULL && t.data == NULL);
    const char nan_row[] = "a,b\n1,x\n";
    CHECK("csv number error", num_csv_parse(nan_row, strlen(nan_row), "y.csv", &t, err, sizeof err) == -1 &&
                                  strstr(err, "y.csv:2: column 2") != NULL);
    const char inf_row[] = "a,b\n1,inf\n";
    CHECK("csv infinity rejected", num_csv_parse(inf_row, strlen(inf_row), "z.csv", &t, err, sizeof err) == -1);
    CHECK("csv empty", num_csv_parse("", 0, "e.csv", &t, err, sizeof err) == -1 && strstr(err, "e.csv:1:"));
    CHECK("csv missing file", num_csv_load("/nonexistent/f.csv", &t, err, sizeof err) == -1);
}

static void test_report(void)
{
    double s[300];
    const double cyc[3] = {16, 32, 64};
    for (int i = 0; i < 300; i++) s[i] = cyc[i % 3];
    struct predict_opts o;
    struct predict_report r;
    char err[128];
    predict_opts_default(&o);
    o.horizon = 4;
    CHECK("report runs", predict_run(s, 300, &o, &r, err, sizeof err) == 0);
    CHECK("split sizes", r.train == (int)(0.7 * 296) && r.train + r.test == 296);
    CHECK("tree exact on a cycle", r.m[0].exact == 1.0 && r.m[0].mae == 0.0);
    CHECK("markov1 exact on a cycle", r.m[4].exact == 1.0 && r.m[5].exact == 1.0);
    CHECK("last never right on a cycle", r.m[2].exact == 0.0);
    double want[] = {16, 32, 64, 16};
    CHECK("forecast feeds predictions back", eq(r.forecast, want, 4));
    char *js = predict_report_json(&r);
    CHECK("json keys", js && strstr(js, "\"tree\":{\"mae\":0,") && strstr(js, "\"markov1\":{") &&
                           strstr(js, "\"forecast\":[16,32,64,16]") && strstr(js, "\"train\":207"));
    free(js);
    predict_report_free(&r);
    CHECK("too few sizes", predict_run(s, 5, &o, &r, err, sizeof err) == -1 && strstr(err, "too few"));
    o.train_frac = 1.0;
    CHECK("bad fraction", predict_run(s, 300, &o, &r, err, sizeof err) == -1);
}

int main(void)
{
    test_metrics();
    test_baselines();
    test_features();
    test_tree();
    test_csv();
    test_report();
    printf("unit_ml: %d/%d checks passed\n", checks - failures, checks);
    return failures ? 1 : 0;
}
