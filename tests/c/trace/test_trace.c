/* test_trace.c: trace parsing (rich CSV, seed CSV, .rep, detected from
 * content), the error report "name:line: message" for every error class,
 * seed FREE/REALLOC stack semantics, replay_run's failed/skipped counting,
 * the seeded generators, and the lossless round trip: replaying an exported
 * rich log reproduces the same log byte for byte.
 *
 *   test_trace [TMPDIR]   (a writable directory for trace_load_file; default build/tests)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "../check.h"
#include "log/event_log.h"
#include "trace/replay.h"
#include "trace/trace.h"
#include "../util.h"

struct want_op { uint8_t op; int64_t id; uint64_t size; uint32_t line; };

/* 1 when t holds exactly the n ops in w. */
static int ops_equal(const struct trace *t, const struct want_op *w, size_t n)
{
    if (t->n != n) return 0;
    for (size_t i = 0; i < n; i++) {
        const struct trace_op *o = &t->ops[i];
        if (o->op != w[i].op || o->id != w[i].id || (o->op != TRACE_FREE && o->size != w[i].size) ||
            (w[i].line && o->line != w[i].line))
            return 0;
    }
    return 1;
}

/* 1 when two traces have the same ops (op, id, size of non-frees). */
static int traces_equal(const struct trace *a, const struct trace *b)
{
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->ops[i].op != b->ops[i].op || a->ops[i].id != b->ops[i].id ||
            (a->ops[i].op != TRACE_FREE && a->ops[i].size != b->ops[i].size))
            return 0;
    return 1;
}

/* Parses a C string; returns trace_parse's result. */
static int parse(const char *text, const char *name, struct trace *t, char *err)
{
    memset(t, 0, sizeof *t);
    err[0] = '\0';
    return trace_parse(text, strlen(text), name, t, err, TRACE_ERR_LEN);
}

static void test_formats(void)
{
    struct trace t;
    char err[TRACE_ERR_LEN];
    int rc = parse("op,id,size\nalloc,0,16\nalloc,1,100\nrealloc,0,32\nfree,1,0\nfree,0,0\n", "r.csv", &t, err);
    static const struct want_op rich[] = {{'a', 0, 16, 2}, {'a', 1, 100, 3}, {'r', 0, 32, 4}, {'f', 1, 0, 5}, {'f', 0, 0, 6}};
    CHECK("rich: parsed", rc == 0 && t.format == TRACE_RICH && t.max_id == 1);
    CHECK("rich: ops and lines", ops_equal(&t, rich, 5));
    trace_free(&t);

    rc = parse("ALLOC,32\nALLOC,16\nALLOC,8\nFREE\nREALLOC,64\nFREE\nALLOC,4\nFREE\nFREE\n", "s.csv", &t, err);
    static const struct want_op seed[] = {{'a', 0, 32, 1}, {'a', 1, 16, 2}, {'a', 2, 8, 3}, {'f', 2, 0, 4}, {'r', 1, 64, 5},
                                          {'f', 1, 0, 6},  {'a', 3, 4, 7},  {'f', 3, 0, 8},  {'f', 0, 0, 9}};
    CHECK("seed: parsed", rc == 0 && t.format == TRACE_SEED);
    CHECK("seed: FREE / REALLOC act on the most recent live block", ops_equal(&t, seed, 9));
    trace_free(&t);

    rc = parse("1000\n3\n5\n1\na 0 48\na 1 16\nr 0 100\nf 1\nf 0\n", "m.rep", &t, err);
    static const struct want_op rep[] = {{'a', 0, 48, 5}, {'a', 1, 16, 6}, {'r', 0, 100, 7}, {'f', 1, 0, 8}, {'f', 0, 0, 9}};
    CHECK("rep: parsed", rc == 0 && t.format == TRACE_REP && t.max_id == 1);
    CHECK("rep: ops and lines", ops_equal(&t, rep, 5));
    trace_free(&t);
}

/* One malformed trace: its error must start with "name:line: ". */
static void bad(const char *text, const char *name, int line, const char *what)
{
    struct trace t;
    char err[TRACE_ERR_LEN], prefix[64], msg[TRACE_ERR_LEN + 200];
    int rc = parse(text, name, &t, err);
    snprintf(prefix, sizeof prefix, "%s:%d: ", name, line);
    snprintf(msg, sizeof msg, "error %s -> \"%s\"", what, err);
    CHECK(msg, rc == -1 && strncmp(err, prefix, strlen(prefix)) == 0 && strlen(err) > strlen(prefix));
    trace_free(&t);
}

static void test_errors(void)
{
    bad("op,id,size\nalloc,0,16\nalloc,1\n", "a.csv", 3, "missing field");
    bad("op,id,size\nalloc,0,16\nmalloc,1,5\n", "a.csv", 3, "unknown op");
    bad("op,id,size\nalloc,0,-5\n", "a.csv", 2, "negative size");
    bad("op,id,size\nalloc,0,abc\n", "a.csv", 2, "non-numeric size");
    bad("op,id,size\nalloc,0,12x\n", "a.csv", 2, "trailing junk in a size");
    bad("op,id,size\nalloc,0,99999999999999999999999\n", "a.csv", 2, "size beyond 64 bits");
    bad("op,id,size\nalloc,x,16\n", "a.csv", 2, "non-numeric id");
    bad("op,id,size\nalloc,0,16\nfree,1,0\n", "a.csv", 3, "free of an id never allocated");
    bad("op,id,size\nalloc,0,16\nfree,0,0\nfree,0,0\n", "a.csv", 4, "free of a freed id");
    bad("op,id,size\nalloc,0,16\nrealloc,5,10\n", "a.csv", 3, "realloc of a non-live id");
    bad("op,id,size\nalloc,0,16\nfree,0,0\nrealloc,0,10\n", "a.csv", 4, "realloc of a freed id");
    bad("ALLOC,32\nFREE\nFREE\n", "b.csv", 3, "seed FREE with nothing live");
    bad("ALLOC,32\nFREE\nREALLOC,8\n", "b.csv", 3, "seed REALLOC with nothing live");
    bad("ALLOC,-3\n", "b.csv", 1, "seed negative size");
    bad("ALLOC,32\nALLOC,x\n", "b.csv", 2, "seed non-numeric size");
    bad("ALLOC,32\nALLOC 5\n", "b.csv", 2, "seed syntax");
    bad("100\n1\n2\n1\na 0 -4\nf 0\n", "c.rep", 5, "rep negative size");
    bad("100\n1\n2\n1\na 0 sixteen\nf 0\n", "c.rep", 5, "rep non-numeric size");
    bad("100\n1\n2\n1\na 0 16\nf 1\n", "c.rep", 6, "rep free of a non-live id");
    bad("100\n1\n2\n1\na 0 16\nx 0\n", "c.rep", 6, "rep unknown op");
    bad("100\n1\n3\n1\na 0 16\nf 0\nr 0 4\n", "c.rep", 7, "rep realloc of a freed id");
    bad("100\n1\n3\n1\na 0 16\nf 0\n", "c.rep", 4, "rep header op count disagrees with the file");
    bad("op,id,size\nalloc,0,16\nalloc,0,8\n", "a.csv", 3, "alloc of a live id");
    struct trace t; /* an empty text is an empty trace: what a seed log of only refused calls is */
    char err[TRACE_ERR_LEN];
    CHECK("empty trace: no ops", parse("", "e.csv", &t, err) == 0 && t.n == 0);
    trace_free(&t);
}

static void test_load_file(const char *dir)
{
    char path[512], err[TRACE_ERR_LEN], prefix[600];
    struct trace t;
    memset(&t, 0, sizeof t);
    snprintf(path, sizeof path, "%s/test_trace_tmp.rep", dir);
    FILE *f = fopen(path, "w");
    CHECK("load: temp file", f != NULL);
    if (!f) return;
    fputs("100\n2\n4\n1\na 0 10\na 1 20\nf 0\nf 2\n", f);
    fclose(f);
    int rc = trace_load_file(path, &t, err, sizeof err);
    snprintf(prefix, sizeof prefix, "%s:8: ", path);
    CHECK("load: error names the file and line", rc == -1 && strncmp(err, prefix, strlen(prefix)) == 0);
    trace_free(&t);
    memset(&t, 0, sizeof t);
    f = fopen(path, "w");
    fputs("100\n2\n4\n1\na 0 10\na 1 20\nf 0\nf 1\n", f);
    fclose(f);
    CHECK("load: good file", trace_load_file(path, &t, err, sizeof err) == 0 && t.n == 4 && t.format == TRACE_REP);
    trace_free(&t);
    remove(path);
    memset(&t, 0, sizeof t);
    snprintf(path, sizeof path, "%s/no-such-trace.csv", dir);
    CHECK("load: missing file", trace_load_file(path, &t, err, sizeof err) == -1 && strstr(err, "no-such-trace.csv") != NULL);
    trace_free(&t);
}

static void test_failed_and_skipped(void)
{
    struct trace t;
    char err[TRACE_ERR_LEN];
    int rc = parse("op,id,size\nalloc,0,4294967296\nalloc,1,16\nrealloc,0,32\nfree,0,0\nfree,1,0\n", "big.csv", &t, err);
    CHECK("4 GiB request: not a trace error", rc == 0 && t.n == 5);
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, HEAP_DEFAULT_ARENA);
    struct replay_options ro = {.verify = 1, .check_every = 1};
    struct replay_result res;
    memset(&res, 0, sizeof res);
    rc = replay_run(h, &t, &ro, &res);
    CHECK("4 GiB request: replay holds", rc == 0 && res.error == 0);
    CHECK("4 GiB request: one failure, two skipped", res.failed == 1 && res.skipped == 2 && res.ops == 5);
    struct heap_stats s;
    heap_get_stats(h, &s);
    CHECK("4 GiB request: heap empty and checks", s.live_payload == 0 && heap_check(h, NULL) == 0);
    CHECK("replay: peak and heap bytes", res.peak_payload == 16 && res.heap_bytes == s.heap_size);
    trace_free(&t);

    rc = parse("ALLOC,32\nALLOC,16\nFREE\n", "s.csv", &t, err);
    heap_reset(h);
    memset(&res, 0, sizeof res);
    rc |= replay_run(h, &t, &ro, &res);
    heap_get_stats(h, &s);
    CHECK("seed replay: FREE freed the 16-byte block", rc == 0 && s.live_payload == 32 && heap_payload_size(h, 8) == 32);
    CHECK("seed replay: counts", res.ops == 3 && res.allocs == 2 && res.frees == 1 && res.reallocs == 0);
    trace_free(&t);
    heap_destroy(h);
}

/* 1 when every free/realloc of t names a live id, sizes are > 0, and (for
 * stack / queue) each free takes the newest / oldest live block. */
static int trace_consistent(const struct trace *t, int scenario)
{
    int64_t *live = calloc(t->n + 1, sizeof *live);
    size_t n = 0;
    int good = live != NULL;
    for (size_t i = 0; good && i < t->n; i++) {
        const struct trace_op *o = &t->ops[i];
        if (o->op == TRACE_ALLOC) { good = o->size > 0; live[n++] = o->id; continue; }
        size_t j = 0;
        while (j < n && live[j] != o->id) j++;
        good = j < n && (o->op == TRACE_FREE || o->size > 0);
        if (!good || o->op != TRACE_FREE) continue;
        if (scenario == SCEN_STACK) good = j == n - 1;
        if (scenario == SCEN_QUEUE) good = j == 0;
        memmove(live + j, live + j + 1, (n - j - 1) * sizeof *live);
        n--;
    }
    free(live);
    return good;
}

static void test_generators(void)
{
    for (int s = 0; s < SCEN_COUNT; s++) {
        const char *name = trace_scenario_name(s);
        char msg[96];
        snprintf(msg, sizeof msg, "scenario %d (%s): name round trip", s, name ? name : "?");
        CHECK(msg, name && trace_scenario_by_name(name) == s);
        struct trace a, b, c, d;
        memset(&a, 0, sizeof a), memset(&b, 0, sizeof b), memset(&c, 0, sizeof c), memset(&d, 0, sizeof d);
        int rc = trace_generate(s, 7, 2000, &a) | trace_generate(s, 7, 2000, &b) | trace_generate(s, 8, 2000, &c);
        snprintf(msg, sizeof msg, "scenario %s: deterministic for a seed", name);
        CHECK(msg, rc == 0 && traces_equal(&a, &b) && a.n == 2000); /* exactly the ops asked for */
        snprintf(msg, sizeof msg, "scenario %s: another seed differs", name);
        CHECK(msg, !traces_equal(&a, &c));
        snprintf(msg, sizeof msg, "scenario %s: consistent (live ids, stack/queue order)", name);
        CHECK(msg, trace_consistent(&a, s));
        size_t reallocs = 0;
        for (size_t i = 0; i < a.n; i++) reallocs += a.ops[i].op == TRACE_REALLOC;
        if (s == SCEN_REALLOC) CHECK("scenario realloc: has reallocs", reallocs > 100);
        static const int formats[2] = {TRACE_RICH, TRACE_REP};
        for (int k = 0; k < 2; k++) {
            int fmt = formats[k];
            size_t len = 0;
            char err[TRACE_ERR_LEN];
            char *text = trace_to_text(&a, fmt, &len);
            memset(&d, 0, sizeof d);
            rc = text ? trace_parse(text, len, "gen", &d, err, sizeof err) : -1;
            snprintf(msg, sizeof msg, "scenario %s: text format %d round trip", name, fmt);
            CHECK(msg, rc == 0 && d.format == fmt && traces_equal(&a, &d));
            free(text);
            trace_free(&d);
        }
        trace_free(&a), trace_free(&b), trace_free(&c);
    }
    CHECK("scenario: unknown name", trace_scenario_by_name("nope") == -1);
}

/* Replays t on a fresh heap with o; returns the rich log text. */
static char *replay_log(const struct trace *t, const struct heap_options *o, struct heap_stats *s)
{
    struct heap *h = heap_create(o);
    struct replay_options ro = {.verify = 1};
    struct replay_result res;
    size_t len;
    if (!h || replay_run(h, t, &ro, &res) != 0) { heap_destroy(h); return NULL; }
    char *csv = log_to_csv(heap_log(h), LOG_FORMAT_RICH, &len);
    heap_get_stats(h, s);
    heap_destroy(h);
    return csv;
}

/* Export -> parse -> replay gives the same log, byte for byte. */
static int round_trip(const struct trace *t, const struct heap_options *o)
{
    struct heap_stats s1, s2;
    char *a = replay_log(t, o, &s1), err[TRACE_ERR_LEN];
    struct trace back;
    memset(&back, 0, sizeof back);
    int good = a && trace_parse(a, strlen(a), "log.csv", &back, err, sizeof err) == 0 && back.format == TRACE_RICH;
    if (a && !good) fprintf(stderr, "  reparse failed: %s\n", err);
    char *b = good ? replay_log(&back, o, &s2) : NULL;
    good = good && b && strcmp(a, b) == 0 && s1.heap_size == s2.heap_size && s1.peak_payload == s2.peak_payload;
    free(a), free(b);
    trace_free(&back);
    return good;
}

static void test_round_trip(void)
{
    for (int s = 0; s < SCEN_COUNT; s++) {
        struct trace t;
        memset(&t, 0, sizeof t);
        trace_generate(s, 11, 3000, &t);
        for (int p = 0; p < HEAP_POLICY_COUNT; p++) {
            for (int order = HEAP_ORDER_LIFO; order <= HEAP_ORDER_ADDR; order++) {
                struct heap_options o = make_opts(p, order, !(order == HEAP_ORDER_ADDR && p == HEAP_BEST_FIT));
                char msg[96];
                snprintf(msg, sizeof msg, "round trip: %s, policy %d, order %d", trace_scenario_name(s), p, order);
                CHECK(msg, round_trip(&t, &o));
            }
        }
        trace_free(&t);
    }
    /* A log with bad frees (interior, double) and a failing request: the
     * bad calls replay at their raw offsets and give the same rows. */
    struct heap *h = make_heap(HEAP_NEXT_FIT, HEAP_ORDER_FIFO, 1, 1u << 16);
    int64_t a = heap_malloc(h, 40), b = heap_malloc(h, 300);
    heap_free(h, (uint64_t)a + 8);
    heap_realloc(h, (uint64_t)b, 500);
    heap_free(h, (uint64_t)a);
    heap_free(h, (uint64_t)a);
    heap_malloc(h, 70000);
    heap_malloc(h, 12);
    size_t len;
    char *csv = log_to_csv(heap_log(h), LOG_FORMAT_RICH, &len), err[TRACE_ERR_LEN];
    struct trace t;
    memset(&t, 0, sizeof t);
    int good = csv && trace_parse(csv, len, "bad.csv", &t, err, sizeof err) == 0;
    if (csv && !good) fprintf(stderr, "  %s\n", err);
    struct heap_options o = heap_get_options(h);
    struct heap_stats s;
    char *again = good ? replay_log(&t, &o, &s) : NULL;
    CHECK("round trip with bad calls: same log", again && strcmp(csv, again) == 0);
    if (again && strcmp(csv, again) != 0) fprintf(stderr, "  first:\n%s  again:\n%s", csv, again);
    free(csv), free(again);
    trace_free(&t);
    heap_destroy(h);
}

int main(int argc, char **argv)
{
    test_formats();
    test_errors();
    test_load_file(argc > 1 ? argv[1] : "build/tests");
    test_failed_and_skipped();
    test_generators();
    test_round_trip();
    return check_done("test_trace");
}
