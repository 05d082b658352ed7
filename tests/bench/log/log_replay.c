/* log_replay.c: ns per op of the page's batch replay natively, with the
 * event log on and off, so the log's own cost reads off one run.
 *
 * The page (web/js/engine/engine-core.js runSteps) replays a trace in
 * slices of REPLAY_SLICE ops (run-shape.js sliceOps: a long run's last
 * TAIL_OPS alone) on a heap with the log on (examine events only for runs
 * of at most SEARCH_MARK_STEPS ops), the events logged for the last slice
 * only (--all-events: for every slice), and drains the log after every
 * slice (hl_replay_more reserves each slice's log first, and so does
 * this). Natively there is no JS to drain into: a slice ends with the
 * charts' series fold (log_series.h, as the drain does it first) and
 * log_clear, which is what the drain leaves behind. "off" is the same
 * replay with log = 0 and payload_info = 0 (the allocator's work alone).
 * CPU time of the replay loop, median of --runs fresh heaps per mode, the
 * modes interleaved. Not a test: prints a table (or --json lines), which
 * tests/bench/log/log-replay.cjs puts beside the wasm figures.
 *
 *   build/rel/tests/bench/log/log_replay [--policy P] [--order O] [--runs N]
 *                                    [--mode on|off|both] [--all-events] TRACE...
 * (--mode on --runs 1 under valgrind --tool=callgrind: the log-on profile)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "heap/allocator.h"
#include "log/event_log.h"
#include "log/log_series.h"
#include "trace/replay.h"
#include "trace/trace.h"

/* The page's constants (web/js/engine/engine-core.js). */
#define REPLAY_SLICE 50000u
#define SEARCH_MARK_STEPS 20000u
#define MAX_POINTS 4000u /* web/js/model/chart-config.js */
#define MAX_RUNS 15
#define FULL_COLUMN_STEPS 20000u /* web/js/engine/run-shape.js */
#define TAIL_OPS 256u /* run-shape.js: 4 * ROW_WINDOW (web/js/model/run-rows.js) */

static int all_events; /* --all-events: every slice logs its events (as before hl_replay_more's events flag) */

/* The ops of the next slice (run-shape.js sliceOps): a long run's last TAIL_OPS alone. */
static size_t slice_ops(size_t rest, size_t rows) {
    return rows > FULL_COLUMN_STEPS && rest > TAIL_OPS && rest <= REPLAY_SLICE + TAIL_OPS ? rest - TAIL_OPS : REPLAY_SLICE;
}

static double cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Replays t once as the page does (log on or off); returns ns per op, or -1. */
static double replay_once(const struct heap_options *base, const struct trace *t, int log_on, uint64_t *events) {
    struct heap_options o = *base;
    o.log = log_on;
    o.payload_info = log_on;
    struct heap *h = heap_create(&o);
    struct replay_state s;
    if (!h || replay_state_init(&s, t, 0) != 0) {
        heap_destroy(h);
        return -1;
    }
    struct event_log *lg = heap_log(h);
    struct log_series *series = lg ? log_series_create(t->n, MAX_POINTS) : NULL;
    if (lg && !series) {
        replay_state_free(&s);
        heap_destroy(h);
        return -1;
    }
    if (lg) log_set_examine_cap(lg, t->n <= SEARCH_MARK_STEPS ? LOG_EXAMINE_CAP : 0);
    struct replay_result res;
    memset(&res, 0, sizeof res);
    *events = 0;
    double t0 = cpu_ns();
    for (size_t i = 0; i < t->n && !res.error;) {
        size_t rest = t->n - i, count = slice_ops(rest, i);
        size_t end = i + (count < rest ? count : rest);
        int last = end == t->n; /* the engine drains the last slice's events only */
        if (lg) { /* as hl_replay_more does */
            log_reserve(lg, (uint32_t)(end - i), last || all_events ? LOG_EVENTS_PER_OP_HINT * (uint32_t)(end - i) : 0);
            log_set_events(lg, last || all_events);
        }
        for (; i < end && !res.error; i++) replay_op(&s, h, &t->ops[i], i, &res);
        if (lg) log_set_events(lg, 1);
        if (lg) {
            *events += log_event_count(lg);
            if (log_series_fold(series, lg) != 0) res.error = HEAP_ENOMEM;
            log_clear(lg);
        }
    }
    if (series) log_series_end(series);
    double ns = (cpu_ns() - t0) / (t->n ? (double)t->n : 1);
    log_series_destroy(series);
    replay_state_free(&s);
    heap_destroy(h);
    return res.error ? -1 : ns;
}

int main(int argc, char **argv) {
    struct heap_options base = heap_default_options();
    int runs = 5, json = 0, modes = 3; /* bit 0: off, bit 1: on */
    int first = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--policy") == 0 && v) {
            base.policy = heap_policy_by_name(v);
            i++;
        } else if (strcmp(a, "--order") == 0 && v) {
            base.order = heap_order_by_name(v);
            i++;
        } else if (strcmp(a, "--runs") == 0 && v) {
            runs = atoi(v);
            i++;
        } else if (strcmp(a, "--mode") == 0 && v) {
            modes = strcmp(v, "on") == 0 ? 2 : strcmp(v, "off") == 0 ? 1 : 3;
            i++;
        } else if (strcmp(a, "--all-events") == 0) {
            all_events = 1;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else {
            first = i;
            break;
        }
    }
    if (first >= argc || base.policy < 0 || base.order < 0 || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: log_replay [--policy P] [--order O] [--runs 1..%d] [--mode on|off|both] [--all-events] [--json] TRACE...\n", MAX_RUNS);
        return 2;
    }
    if (!json) printf("%-28s %9s %12s %12s %10s %12s\n", "trace", "ops", "off ns/op", "on ns/op", "on/off", "events/op");
    for (int f = first; f < argc; f++) {
        struct trace t;
        char err[256];
        if (trace_load_file(argv[f], &t, err, sizeof err) != 0) {
            fprintf(stderr, "log_replay: %s\n", err);
            return 1;
        }
        double ns[2][MAX_RUNS];
        uint64_t events = 0;
        for (int r = 0; r < runs; r++)
            for (int m = 0; m < 2; m++) {
                if (!(modes >> m & 1)) continue;
                ns[m][r] = replay_once(&base, &t, m, &events);
                if (ns[m][r] < 0) {
                    fprintf(stderr, "log_replay: %s: the replay failed\n", argv[f]);
                    return 1;
                }
            }
        double med[2] = { 0, 0 };
        for (int m = 0; m < 2; m++)
            if (modes >> m & 1) {
                qsort(ns[m], (size_t)runs, sizeof ns[m][0], cmp_double);
                med[m] = ns[m][runs / 2];
            }
        const char *name = strrchr(argv[f], '/') ? strrchr(argv[f], '/') + 1 : argv[f];
        double per = t.n ? (double)events / (double)t.n : 0;
        if (json)
            printf("{\"trace\":\"%s\",\"ops\":%zu,\"off_ns\":%.2f,\"on_ns\":%.2f,\"events_per_op\":%.3f}\n", name, t.n, med[0], med[1], per);
        else
            printf("%-28s %9zu %12.1f %12.1f %10.2f %12.2f\n", name, t.n, med[0], med[1], med[0] > 0 ? med[1] / med[0] : 0, per);
        trace_free(&t);
    }
    return 0;
}
