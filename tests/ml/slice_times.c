/* slice_times.c: how long each slice of the prediction job takes natively
 * (thread CPU time), the page's way: predict_begin with the page's options
 * (the defaults, detail on), then predict_more(WORK) until done. A
 * measurement, not a test: it prints the longest slices with the stage each
 * ran in, and how many took over 30 and 50 ms. The page's options are
 * predict_opts_default with detail, the tree's depth 8 (the page's
 * default) and a chart of 800 columns; CLI=1 in the environment keeps
 * heaplab predict's (unlimited depth, the raw test series).
 *   build/rel/tests/ml/slice_times TRACE [WORK=5e5] [TOP=12]
 * (make -f c/Makefile build/rel/tests/ml/slice_times)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "predict/predict_job.h"
#include "trace/trace.h"
#include "trace/trace_sizes.h"

struct slice {
    double ms, from, to;
    char what[64];
};

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Which part of its stage the job is in before a slice. */
static void describe(const struct predict_job *j, char *out, size_t len)
{
    static const char *stages[] = {"fit-tree", "fit-sklearn", "baselines", "finish", "done"};
    const char *part = "";
    if (j->stage <= FIT_SKLEARN)
        part = !j->X ? "start" : j->feat_t < j->m ? "rows" : j->fit ? "fit" : "test-predictions";
    if (j->stage == BASELINES) {
        snprintf(out, len, "%s step %d phase %d", stages[j->stage], j->base_step, j->base_phase);
        return;
    }
    if (j->stage == FINISH) {
        snprintf(out, len, "%s step %d", stages[j->stage], j->fin_step);
        return;
    }
    snprintf(out, len, "%s %s", stages[j->stage], part);
}

static int by_ms(const void *a, const void *b)
{
    double x = ((const struct slice *)a)->ms, y = ((const struct slice *)b)->ms;
    return (x < y) - (x > y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: slice_times TRACE [WORK] [TOP]\n");
        return 2;
    }
    double work = argc > 2 ? atof(argv[2]) : 5e5;
    int top = argc > 3 ? atoi(argv[3]) : 12;
    char err[256];
    struct trace t = {0};
    if (trace_load_file(argv[1], &t, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    double *sizes;
    int m = trace_request_sizes(&t, 1, &sizes);
    trace_free(&t);
    struct predict_opts o;
    predict_opts_default(&o);
    o.detail = 1;
    if (!getenv("CLI")) {
        o.tree.max_depth = 8;
        o.chart_columns = 800;
    }
    struct predict_job *j = predict_begin(sizes, m, &o, err, sizeof err);
    free(sizes);
    if (!j) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int cap = 1024, n = 0, rc;
    struct slice *sl = malloc(cap * sizeof *sl);
    double total = 0.0;
    do {
        if (n == cap) sl = realloc(sl, (cap *= 2) * sizeof *sl);
        describe(j, sl[n].what, sizeof sl[n].what);
        sl[n].from = predict_progress(j);
        double t0 = cpu_ms();
        rc = predict_more(j, work);
        sl[n].ms = cpu_ms() - t0;
        sl[n].to = predict_progress(j);
        total += sl[n].ms;
        n++;
    } while (rc == 0);
    if (rc < 0) fprintf(stderr, "failed: %s\n", predict_error(j));
    predict_end(j, NULL, NULL, 0);
    int over30 = 0, over50 = 0;
    for (int i = 0; i < n; i++) {
        over30 += sl[i].ms > 30;
        over50 += sl[i].ms > 50;
    }
    qsort(sl, n, sizeof *sl, by_ms);
    printf("%s: %d sizes, %d slices of %g units, %.0f ms CPU in all; over 30 ms: %d, over 50 ms: %d\n", argv[1], m, n,
           work, total, over30, over50);
    for (int i = 0; i < top && i < n; i++)
        printf("  %7.1f ms  %-32s progress %.4f -> %.4f\n", sl[i].ms, sl[i].what, sl[i].from, sl[i].to);
    free(sl);
    return rc < 0;
}
