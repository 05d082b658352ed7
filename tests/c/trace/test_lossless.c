/* test_lossless.c: the holes issue 16 found in the lossless log, one
 * named case each. The property they break: replaying an exported rich log
 * reproduces it byte for byte, and a replay never frees a live block the
 * original did not free.
 *   1. a refused call at an offset >= 2^32 is logged with its whole offset;
 *   2. a failed alloc leaves its id free: a log reusing it re-imports;
 *   3. realloc(0, n) is logged as the malloc it is; a replay onto a heap
 *      that direct calls used numbers its blocks after theirs;
 *   4. a recorded bad call that names a live payload is refused at replay
 *      (REPLAY_ELIVEBAD), verified or not, and the block stays live;
 *   5. (test_oom.c: the log when host memory runs out.)
 * Plus the trace reader's strictness (issue 16 items 11 and 13).
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

/* The rich log of h (malloc'd) or NULL. */
static char *rich_log(struct heap *h) {
    size_t len;
    return log_to_csv(heap_log(h), LOG_FORMAT_RICH, &len);
}

/* Replays CSV text on a fresh heap with options o; returns its rich log (malloc'd)
 * or NULL, with the replay's error in *error and the heap in *out (if not NULL). */
static char *replay_text(const char *csv, const struct heap_options *o, int verify, int *error, struct heap **out) {
    struct trace t;
    char err[TRACE_ERR_LEN];
    *error = 0;
    if (trace_parse(csv, strlen(csv), "log.csv", &t, err, sizeof err) != 0) {
        fprintf(stderr, "  parse: %s\n", err);
        *error = 1;
        return NULL;
    }
    struct heap *h = heap_create(o);
    struct replay_options ro = {.verify = verify};
    struct replay_result r;
    *error = replay_run(h, &t, &ro, &r);
    char *again = rich_log(h);
    trace_free(&t);
    if (out) *out = h;
    else heap_destroy(h);
    return again;
}

/* 1 when the log of h replays (verified) to the same text. */
static int same_on_replay(struct heap *h) {
    char *a = rich_log(h);
    struct heap_options o = heap_get_options(h);
    int error;
    char *b = a ? replay_text(a, &o, 1, &error, NULL) : NULL;
    int same = a && b && !error && strcmp(a, b) == 0;
    if (a && b && !same) fprintf(stderr, "  first:\n%s  again (error %d):\n%s", a, error, b);
    free(a);
    free(b);
    return same;
}

static void test_high_offsets(void) {
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 16);
    int64_t a = heap_malloc(h, 32);
    CHECK("free(2^32 + a) refused", heap_free(h, (1ull << 32) + (uint64_t)a) == HEAP_EBADPTR);
    CHECK("realloc(2^32 + a) refused", heap_realloc(h, (1ull << 32) + (uint64_t)a, 64) == HEAP_EBADPTR);
    CHECK("free(2^64 - 8) refused", heap_free(h, UINT64_MAX - 7) == HEAP_EBADPTR);
    const struct log_op_record *r = log_op_at(heap_log(h), 1);
    CHECK("the whole offset is logged", r && r->offset == (1ull << 32) + (uint64_t)a);
    char *csv = rich_log(h);
    CHECK("the CSV row holds it", csv && strstr(csv, ",free,-1,0,4294967304,"));
    CHECK("and 2^64 - 8", csv && strstr(csv, ",free,-1,0,18446744073709551608,"));
    free(csv);
    struct heap *again = NULL;
    int error;
    char *c2;
    CHECK("high offsets: replay gives the same log", same_on_replay(h));
    c2 = rich_log(h);
    struct heap_options o = heap_get_options(h);
    free(replay_text(c2, &o, 0, &error, &again));
    CHECK("the live block is still live after the replay", again && heap_payload_id(again, (uint32_t)a) == 0);
    free(c2);
    heap_destroy(again);
    heap_destroy(h);
}

static void test_failed_alloc_id_reuse(void) {
    struct heap_options o = heap_default_options();
    int error;
    /* size 0 (EINVAL), then 4 GiB (ETOOBIG), each followed by ops on the id and its reuse */
    static const char *const traces[] = {
        "op,id,size\nalloc,1,0\nfree,1,0\nalloc,1,8\n",
        "op,id,size\nalloc,1,4294967296\nrealloc,1,8\nfree,1,0\nalloc,1,8\nfree,1,0\n",
    };
    for (size_t i = 0; i < sizeof traces / sizeof *traces; i++) {
        char *a = replay_text(traces[i], &o, 1, &error, NULL);
        CHECK("the trace replays", a && !error);
        char *b = a ? replay_text(a, &o, 1, &error, NULL) : NULL;
        CHECK("failed alloc + id reuse: its log re-imports and replays the same", b && !error && strcmp(a, b) == 0);
        free(a);
        free(b);
    }
    /* a log row that failed does not make its id live; one that succeeded does */
    struct trace t;
    char err[TRACE_ERR_LEN];
    const char *bad = "op,id,size,result\nalloc,1,8,8\nalloc,1,8,24\n";
    CHECK("a live id allocated again is still refused", trace_parse(bad, strlen(bad), "b", &t, err, sizeof err) == -1 && strstr(err, "b:3:"));
    const char *freed = "op,id,size,result\nalloc,1,0,-2\nfree,1,0,0\n";
    CHECK("a free of a failed alloc's id is refused", trace_parse(freed, strlen(freed), "b", &t, err, sizeof err) == -1 && strstr(err, "b:3:"));
}

static void test_js_style_calls(void) {
    struct heap *h = make_heap(HEAP_BEST_FIT, HEAP_ORDER_ADDR, 1, 1u << 20);
    int64_t p = heap_realloc(h, 0, 40);
    CHECK("realloc(0, n) allocates", p > 0);
    const struct log_op_record *r = log_op_at(heap_log(h), 0);
    CHECK("and is logged as an alloc", r && r->op == LOG_OP_ALLOC);
    CHECK("realloc(0, 0) refused", heap_realloc(h, 0, 0) == HEAP_EINVAL);
    heap_realloc(h, (uint64_t)p, 100);
    CHECK("realloc(0, n): the log replays the same", same_on_replay(h));
    /* direct calls, then a replay, then direct calls: ids never collide */
    struct trace t;
    trace_generate(SCEN_RANDOM, 2, 300, &t);
    struct replay_options ro = {.verify = 1};
    struct replay_result res;
    CHECK("replay onto a used heap", replay_run(h, &t, &ro, &res) == 0);
    int64_t q = heap_malloc(h, 24);
    CHECK("a direct call after it gets a fresh id", heap_payload_id(h, (uint32_t)q) == 2 + t.max_id + 1);
    heap_free(h, (uint64_t)p + 8);
    CHECK("direct calls + replay: the log replays the same", same_on_replay(h));
    trace_free(&t);
    heap_destroy(h);
}

static void test_bad_call_on_live_block(void) {
    const char *text = "op,id,size,offset,result\nalloc,0,32,0,0\nalloc,1,32,0,0\nfree,-1,0,8,-4\nfree,0,0,0,0\n";
    struct heap_options o = heap_default_options();
    for (int verify = 0; verify <= 1; verify++) {
        struct trace t;
        char err[TRACE_ERR_LEN];
        CHECK("crafted trace parses", trace_parse(text, strlen(text), "c.csv", &t, err, sizeof err) == 0);
        struct heap *h = heap_create(&o);
        struct replay_options ro = {.verify = verify};
        struct replay_result r;
        int rc = replay_run(h, &t, &ro, &r);
        CHECK("the recorded bad call on a live block is refused", rc == REPLAY_ELIVEBAD && r.error_op == 2 && r.error_off == 8);
        CHECK("the block it names stays live", heap_payload_id(h, 8) == 0);
        CHECK("no call was made for it", log_op_count(heap_log(h)) == 2 && heap_check(h, NULL) == 0);
        heap_destroy(h);
        trace_free(&t);
    }
    /* the same row at an offset that is not live is made and refused again */
    const char *ok = "op,id,size,offset,result\nalloc,0,32,0,0\nalloc,1,32,0,0\nfree,-1,0,12,-4\nfree,0,0,0,0\n";
    int error;
    char *a = replay_text(ok, &o, 1, &error, NULL);
    CHECK("a bad call on no block replays and is refused again", a && !error && strstr(a, ",free,-1,0,12,") && strstr(a, ",-4\n"));
    free(a);
    struct trace t;
    char err[TRACE_ERR_LEN];
    const char *zero = "op,id,size,offset,result\nfree,-1,0,0,-4\n";
    CHECK("a recorded bad call at offset 0 is rejected", trace_parse(zero, strlen(zero), "z", &t, err, sizeof err) == -1 && strstr(err, "z:2:"));
}

/* The reader's strictness: each text is rejected at the line given. */
static void rejects(const char *text, int line, const char *what) {
    struct trace t;
    char err[TRACE_ERR_LEN] = "", want[32], msg[TRACE_ERR_LEN + 64];
    snprintf(want, sizeof want, "s:%d: ", line);
    int rc = trace_parse(text, strlen(text), "s", &t, err, sizeof err);
    snprintf(msg, sizeof msg, "rejected: %s (\"%s\")", what, err);
    CHECK(msg, rc == -1 && strncmp(err, want, strlen(want)) == 0);
    if (rc == 0) trace_free(&t);
}

static void test_strict_reader(void) {
    rejects("alloc,0,16\nfree,0,0\n", 1, "a rich CSV without its header");
    rejects("ALLOC,16,99,zz\n", 1, "a seed ALLOC with extra fields");
    rejects("ALLOC,16\nFREE,abc\n", 2, "a seed FREE with a field");
    rejects("op,id,size\nalloc,0,16,5\n", 2, "a rich row with more fields than its header");
    rejects("op,id,size\nalloc,0,16\nfree,0,banana\n", 3, "a free with a garbage size");
    rejects("op,id,size,colour\nalloc,0,16,red\n", 1, "a column the format does not have");
    rejects("100 1 2 1 7\na 0 16\nf 0\n", 1, "a .rep header with an extra token");
    rejects("op,id,size\nalloc,0,1\x1b[31m\n", 2, "a size with an escape sequence");
    struct trace t;
    char err[TRACE_ERR_LEN];
    static const char nul[] = "op,id,size\nalloc,0,16\0\n";
    CHECK("a NUL byte is refused", trace_parse(nul, sizeof nul - 1, "s", &t, err, sizeof err) == -1 && strstr(err, "s:2: a NUL"));
    const char *esc = "op,id,size\nalloc,0,\x1b[2J\n";
    trace_parse(esc, strlen(esc), "s", &t, err, sizeof err);
    CHECK("an error never echoes a control byte", !strchr(err, '\x1b') && strstr(err, "\\x1b"));
    const char *neg0 = "op,id,size\nalloc,0,-0\n";
    trace_parse(neg0, strlen(neg0), "s", &t, err, sizeof err);
    CHECK("size -0 is named as written", strstr(err, "'-0'") != NULL);
    const char *bom = "\xef\xbb\xbfop,id,size\nalloc,0,16\n";
    CHECK("a UTF-8 BOM is accepted", trace_parse(bom, strlen(bom), "s", &t, err, sizeof err) == 0 && t.n == 1);
    trace_free(&t);
    const char *log = "seq,op,id,size,offset,block_size,scanned,heap_size,live_bytes,free_bytes,largest_free,result\n"
                      "0,alloc,0,8,8,16,0,24,8,0,0,8\n";
    CHECK("HeapLab's own log header is accepted", trace_parse(log, strlen(log), "s", &t, err, sizeof err) == 0 && t.n == 1);
    trace_free(&t);
}

/* Options and growth near the arena's end (issue 16, item 13). */
static void test_grow_step(void) {
    struct heap_options o = heap_default_options();
    o.align = 16;
    o.arena_size = 1000; /* rounded to 992, below the grow step */
    o.grow_step = 1000;
    struct heap *h = heap_create(&o);
    CHECK("a grow step beyond the rounded arena is clamped", h && heap_get_options(h).grow_step == 992);
    struct heap_options back = h ? heap_get_options(h) : o;
    struct heap *again = heap_create(&back);
    CHECK("a heap's options create a heap", again != NULL);
    heap_destroy(again);
    heap_destroy(h);
    o = heap_default_options();
    o.arena_size = 4096;
    o.grow_step = 4000;
    h = heap_create(&o);
    heap_malloc(h, 3900);
    CHECK("the first growth takes the step", heap_break(h) == 4008);
    heap_malloc(h, 120); /* 96 free bytes end the heap: 32 more are needed, 88 remain */
    CHECK("a step larger than what remains grows to the arena's end", heap_break(h) == 4096);
    heap_destroy(h);
}

int main(void) {
    test_grow_step();
    test_high_offsets();
    test_failed_alloc_id_reuse();
    test_js_style_calls();
    test_bad_call_on_live_block();
    test_strict_reader();
    return check_done("test_lossless");
}
