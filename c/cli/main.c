/* main.c: the `heaplab` command-line tool. Subcommands:
 *   replay  replay traces with checks, print a summary (or JSON lines)
 *   gen     write a seeded scenario trace
 *   tree    fit scikit-learn's regression tree on CSV files (ml/)
 *   predict predict a trace's next allocation sizes against baselines (ml/)
 *   ostep   OSTEP's malloc.py, answer for answer (c/ostep*)
 *   mm      score a Malloc Lab mm.c as mdriver does, and log its heap (c/mmlab, cli/mm_cli.c)
 *   record  run a command and record its heap calls as a trace (c/cli/record_cli.c)
 * Exit status: 0 ok, 1 a check failed, 2 bad input or usage.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "heap/allocator.h"
#include "cli/cli_dispatch.h"
#include "cli/heap_dump.h"
#include "cli/search_dump.h"
#include "log/event_log.h"
#include "trace/replay.h"
#include "trace/trace.h"

static const char *usage_text =
    "usage: heaplab replay [--policy first|next|best|worst|fast] [--order lifo|fifo|addr] [--no-coalesce]\n"
    "                      [--align 8|16] [--arena BYTES] [--grow BYTES] [--check] [--log FILE]\n"
    "                      [--seed-log FILE] [--once] [--json] [--show] [--show-every N] [--] TRACE...\n"
    "       heaplab gen SCENARIO [--seed N] [--ops N] [--format csv|rep]\n"
    "              (SCENARIO: random stack queue phases fragment realloc best-wins worst-wins next-spreads;\n"
    "               heaplab gen --list says what each shows)\n"
    "       heaplab tree --train TRAIN.csv --predict TEST.csv [tree flags]\n"
    "       heaplab predict TRACE [--lags K] [--train-frac F] [tree flags] [--horizon N] [--json]\n"
    "       heaplab ostep [malloc.py flags]\n"
    "       heaplab mm [--trace FILE.rep]... [--traces DIR] [--log FILE] [--align 8|16] [--cc CC]\n"
    "                  [--runs N] [--time-limit S] [--page FILE.html] [--decode cs-app] [--json]\n"
    "                  MM.c [more .c]\n"
    "       heaplab record [--out FILE] [--sites] [--site-depth N] [--threads main|all] [--max-ops N]\n"
    "                      -- COMMAND [ARGS...]\n";

static int usage(const char *msg) {
    if (msg) fprintf(stderr, "heaplab: %s\n", msg);
    fputs(usage_text, stderr);
    return 2;
}


/* Parses a decimal unsigned number (digits only: no sign, no spaces, below
 * 2^64); returns 0 or -1. */
static int parse_u64(const char *s, uint64_t *out) {
    if (!s || !*s) return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median ns per op of replaying t on fresh heaps without logging or checks. */
static double time_replay(const struct heap_options *base, const struct trace *t) {
    struct heap_options o = *base;
    o.log = 0;
    int runs = t->n < 50000 ? 5 : 3;
    double ns[5];
    struct replay_options ro = { 0 };
    for (int i = 0; i < runs; i++) {
        struct heap *h = heap_create(&o);
        struct replay_result r;
        if (!h) return 0;
        double t0 = now_ns();
        replay_run(h, t, &ro, &r);
        ns[i] = (now_ns() - t0) / (t->n ? (double)t->n : 1);
        heap_destroy(h);
    }
    qsort(ns, (size_t)runs, sizeof ns[0], cmp_double);
    return ns[runs / 2];
}

/* Writes text to path; returns 0 or -1 with a message on stderr. */
static int write_file(const char *path, const char *text, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "heaplab: cannot write %s\n", path);
        return -1;
    }
    return 0;
}

/* Returns the length of the valid UTF-8 sequence at s (1-4), or 0. */
static int utf8_len(const unsigned char *s) {
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 && s[0] >= 0xC2 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) return 0; /* overlong, surrogate */
    if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))) return 0;
    return n;
}

/* Prints s as a JSON string (always valid UTF-8: a byte that is not part of
 * a UTF-8 character, as in a file name of another encoding, prints as U+FFFD). */
static void json_string(const char *s) {
    putchar('"');
    while (*s) {
        const unsigned char *u = (const unsigned char *)s;
        int n = utf8_len(u);
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if (*u < 0x20) printf("\\u%04x", *u);
        else if (n == 0) fputs("\\ufffd", stdout);
        else fwrite(s, 1, (size_t)n, stdout);
        s += n ? n : 1;
    }
    putchar('"');
}

struct show_ctx { uint64_t every; };

/* Prints the last op's search (the blocks examined and why), when it searched. */
static void show_search(struct heap *h) {
    struct event_log *lg = heap_log(h);
    uint32_t n = lg ? log_op_count(lg) : 0;
    char *text = n ? search_dump_text(lg, n - 1) : NULL;
    if (text && *text) printf("last op's %s", text);
    free(text);
}

static void show_after_op(struct heap *h, size_t i, void *ctx) {
    struct show_ctx *s = ctx;
    if ((i + 1) % s->every) return;
    char *text = heap_dump_text(h, 64);
    if (text) printf("after op %zu:\n%s", i + 1, text);
    free(text);
    show_search(h);
}

static int cmd_replay(int argc, char **argv) {
    struct heap_options o = heap_default_options();
    const char *log_path = NULL, *seed_log_path = NULL;
    int json = 0, check = 0, show = 0, once = 0;
    uint64_t show_every = 0, v;
    int first_trace = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--policy") == 0) {
            if ((o.policy = heap_policy_by_name(val)) < 0) return usage("--policy takes first, next, best, worst or fast");
            i++;
        } else if (strcmp(a, "--order") == 0) {
            if ((o.order = heap_order_by_name(val)) < 0) return usage("--order takes lifo, fifo or addr");
            i++;
        } else if (strcmp(a, "--no-coalesce") == 0) o.coalesce = 0;
        else if (strcmp(a, "--align") == 0) {
            if (parse_u64(val, &v) || (v != 8 && v != 16)) return usage("--align takes 8 or 16");
            o.align = (uint32_t)v; i++;
        } else if (strcmp(a, "--arena") == 0) {
            if (parse_u64(val, &v) || v < HEAP_MIN_ARENA || v > 0xFFFFF000u) return usage("--arena takes a byte count from 64 to 4294963200");
            o.arena_size = (uint32_t)v; i++;
        } else if (strcmp(a, "--grow") == 0) {
            if (parse_u64(val, &v) || v > 0xFFFFF000u) return usage("--grow takes a byte count");
            o.grow_step = (uint32_t)v; i++;
        } else if (strcmp(a, "--check") == 0) check = 1;
        else if (strcmp(a, "--once") == 0) once = 1;
        else if (strcmp(a, "--") == 0) { first_trace = i + 1; break; }
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--show") == 0) show = 1;
        else if (strcmp(a, "--show-every") == 0) {
            if (parse_u64(val, &v) || v == 0) return usage("--show-every takes a positive count");
            show_every = v; i++;
        } else if (strcmp(a, "--log") == 0 && val) { log_path = val; i++; }
        else if (strcmp(a, "--seed-log") == 0 && val) { seed_log_path = val; i++; }
        else if (a[0] == '-' && a[1]) return usage("unknown option");
        else { first_trace = i; break; }
    }
    int ntraces = argc - first_trace;
    if (ntraces < 1) return usage("replay needs a trace file");
    if ((log_path || seed_log_path) && ntraces != 1) return usage("--log and --seed-log take exactly one trace");
    if (o.grow_step > o.arena_size) return usage("--grow is larger than the arena");
    if (json && (show || show_every)) return usage("--show and --show-every print text: not with --json");
    once |= log_path || seed_log_path; /* the logged pass is the one timed pass */

    struct trace *traces = calloc((size_t)ntraces, sizeof *traces);
    if (!traces) { fprintf(stderr, "heaplab: out of host memory\n"); return 2; }
    char err[TRACE_ERR_LEN + 64];
    for (int i = 0; i < ntraces; i++) { /* validate every trace before running any */
        if (trace_load_file(argv[first_trace + i], &traces[i], err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            for (int j = 0; j < i; j++) trace_free(&traces[j]);
            free(traces);
            return 2;
        }
    }
    if (!json)
        printf("%-28s %8s %7s %7s %7s %6s %6s %10s %10s %6s %8s  %s\n", "trace", "ops", "allocs", "frees",
               "reallocs", "failed", "skip", "peak", "heap", "util", "ns/op", "checks");
    int status = 0;
    for (int i = 0; i < ntraces; i++) {
        const char *name = argv[first_trace + i];
        double ns = once ? 0 : time_replay(&o, &traces[i]);
        struct heap_options vo = o;
        vo.log = log_path || seed_log_path || show || show_every; /* --show: the searches, from the log */
        struct heap *h = heap_create(&vo);
        if (!h) { fprintf(stderr, "heaplab: cannot create the heap\n"); return 2; }
        struct show_ctx sc = { show_every };
        struct replay_options ro = {.verify = 1, .check_every = check, .after_op = show_every ? show_after_op : NULL, .ctx = &sc};
        struct replay_result r;
        double t0 = now_ns();
        int rc = replay_run(h, &traces[i], &ro, &r);
        if (once) ns = (now_ns() - t0) / (traces[i].n ? (double)traces[i].n : 1); /* checks and log included */
        if (rc) status = 1;
        if (rc == REPLAY_EHOST) {
            fprintf(stderr, "heaplab: out of host memory replaying %s\n", name);
            status = 2;
        }
        char checks[128];
        if (rc) snprintf(checks, sizeof checks, "FAILED after op %" PRIu32 " at offset %" PRIu32 ": %s", r.error_op,
                         r.error_off, replay_strerror(rc));
        else snprintf(checks, sizeof checks, "ok%s", check ? " (checker after every op)" : "");
        struct heap_stats st;
        heap_get_stats(h, &st);
        if (json) {
            printf("{\"trace\":");
            json_string(name);
            printf(",\"policy\":\"%s\",\"order\":\"%s\",\"coalesce\":%s,\"align\":%" PRIu32 ",\"ops\":%" PRIu64
                   ",\"allocs\":%" PRIu64 ",\"frees\":%" PRIu64 ",\"reallocs\":%" PRIu64 ",\"failed\":%" PRIu64
                   ",\"skipped\":%" PRIu64 ",\"peak_payload\":%" PRIu64 ",\"heap_bytes\":%" PRIu32
                   ",\"utilization\":%.6f,\"internal_frag\":%" PRIu64 ",\"external_frag\":%.6f,\"free_blocks\":%" PRIu32
                   ",\"scanned_mean\":%.4f,\"ns_per_op\":%.2f,\"ok\":%s,\"checks\":",
                   heap_policy_name(o.policy), heap_order_name(o.order), o.coalesce ? "true" : "false", o.align, r.ops, r.allocs,
                   r.frees, r.reallocs, r.failed, r.skipped, r.peak_payload, r.heap_bytes, r.utilization,
                   st.internal_frag, st.external_frag, st.free_blocks, st.scanned_mean, ns, rc ? "false" : "true");
            json_string(checks);
            printf("}\n");
        } else {
            const char *base = strrchr(name, '/');
            printf("%-28.28s %8" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %6" PRIu64 " %6" PRIu64 " %10" PRIu64
                   " %10" PRIu32 " %6.3f %8.1f  %s\n",
                   base ? base + 1 : name, r.ops, r.allocs, r.frees, r.reallocs, r.failed, r.skipped, r.peak_payload,
                   r.heap_bytes, r.utilization, ns, checks);
        }
        if (show) {
            char *text = heap_dump_text(h, 64);
            if (text) fputs(text, stdout);
            free(text);
            show_search(h);
        }
        const char *paths[2] = { log_path, seed_log_path };
        for (int f = 0; f < 2; f++) {
            if (!paths[f]) continue;
            size_t len;
            char *csv = log_to_csv(heap_log(h), f == 0 ? LOG_FORMAT_RICH : LOG_FORMAT_SEED, &len);
            if (!csv) {
                fprintf(stderr, "heaplab: out of host memory: %s of %s %s; %s not written\n",
                        log_error(heap_log(h)) ? "the log" : "formatting the log", name,
                        log_error(heap_log(h)) ? "is incomplete" : "failed", paths[f]);
                status = 2;
            } else if (write_file(paths[f], csv, len) != 0) status = 2;
            free(csv);
        }
        heap_destroy(h);
        trace_free(&traces[i]);
    }
    free(traces);
    return status;
}

static int cmd_gen(int argc, char **argv) {
    if (argc < 2) return usage("gen needs a scenario");
    if (strcmp(argv[1], "--list") == 0) {
        for (int i = 0; i < SCEN_COUNT; i++) printf("%-13s %s\n", trace_scenario_name(i), trace_scenario_about(i));
        return 0;
    }
    int scen = trace_scenario_by_name(argv[1]);
    if (scen < 0) return usage("unknown scenario (heaplab gen --list names them)");
    uint64_t seed = 1, ops = 1000;
    int format = TRACE_RICH;
    for (int i = 2; i < argc; i++) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--seed") == 0) { if (parse_u64(val, &seed)) return usage("--seed takes a number"); i++; }
        else if (strcmp(argv[i], "--ops") == 0) { if (parse_u64(val, &ops) || ops > 100000000) return usage("--ops takes a number up to 100000000"); i++; }
        else if (strcmp(argv[i], "--format") == 0 && val) {
            if (strcmp(val, "rep") == 0) format = TRACE_REP;
            else if (strcmp(val, "csv") != 0) return usage("--format takes csv or rep");
            i++;
        } else return usage("unknown option");
    }
    struct trace t;
    size_t len;
    char *text = NULL;
    if (trace_generate(scen, seed, (uint32_t)ops, &t) != 0 || !(text = trace_to_text(&t, format, &len))) {
        fprintf(stderr, "heaplab: out of memory\n");
        return 2;
    }
    fwrite(text, 1, len, stdout);
    free(text);
    trace_free(&t);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return usage(NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "replay") == 0) return cmd_replay(argc - 1, argv + 1);
    if (strcmp(cmd, "gen") == 0) return cmd_gen(argc - 1, argv + 1);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    int rc = cli_dispatch(cmd, argc - 1, argv + 1);
    return rc == CLI_UNKNOWN ? usage("unknown command") : rc;
}
