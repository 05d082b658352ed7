/* test_api.c: the heap as a whole: several heaps at once, heap_reset, the
 * my_* default-heap API, the event log and its CSV exports, statistics on
 * hand-computed cases, the small accessors (ids, payloads, walker stop,
 * error names), and a heap without log or live table (the benchmark's,
 * whose calls run specialized bodies and keep no free-list counters)
 * against one with both; a log made with events off for a stretch.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "../check.h"
#include "log/event_log.h"
#include "../util.h"

#define RICH_HEADER "seq,op,id,size,offset,block_size,scanned,heap_size,live_bytes,free_bytes,largest_free,result"

/* A fixed little workload: allocs, a realloc, frees, a calloc, a bad call. */
static void workload(struct heap *h)
{
    int64_t a = heap_malloc(h, 24);
    int64_t b = heap_malloc_id(h, 100, 42);
    a = heap_realloc(h, (uint64_t)a, 40);
    heap_free(h, (uint64_t)b);
    heap_calloc(h, 2, 8);
    heap_malloc(h, 0);
    heap_free(h, (uint64_t)a);
}

static void test_several_heaps(void)
{
    struct heap *hs[4];
    int64_t off[4][32];
    for (int k = 0; k < 4; k++) hs[k] = make_heap(k, k % 3, k & 1, 1u << 16);
    for (int i = 0; i < 32; i++) {
        for (int k = 0; k < 4; k++) {
            off[k][i] = heap_malloc(hs[k], (uint64_t)(16 + i * (k + 1)));
            if (off[k][i] > 0) pattern_fill(heap_payload(hs[k], (uint32_t)off[k][i]), 16, (uint32_t)(k * 100 + i));
            if (i % 4 == 3) { heap_free(hs[k], (uint64_t)off[k][i - 2]); off[k][i - 2] = 0; }
        }
    }
    CHECK("several heaps: each starts at the first payload", off[0][0] == 8 && off[1][0] == 8 && off[2][0] == 8 && off[3][0] == 8);
    heap_destroy(hs[1]);
    hs[1] = NULL;
    int good = 1;
    for (int k = 0; k < 4; k++) {
        if (!hs[k]) continue;
        for (int i = 0; i < 32; i++)
            if (off[k][i] > 0) good &= pattern_ok(heap_payload(hs[k], (uint32_t)off[k][i]), 16, (uint32_t)(k * 100 + i));
        good &= heap_check(hs[k], NULL) == 0;
        good &= heap_get_options(hs[k]).policy == k;
    }
    CHECK("several heaps: contents independent and each heap checks", good);
    for (int k = 0; k < 4; k++) heap_destroy(hs[k]);
}

/* The rich CSV of the workload on h (malloc'd). */
static char *workload_csv(struct heap *h)
{
    workload(h);
    size_t len = 0;
    return log_to_csv(heap_log(h), LOG_FORMAT_RICH, &len);
}

static void test_reset(void)
{
    struct heap *fresh = make_heap(HEAP_BEST_FIT, HEAP_ORDER_FIFO, 1, 1u << 20);
    struct heap *used = make_heap(HEAP_BEST_FIT, HEAP_ORDER_FIFO, 1, 1u << 20);
    for (int i = 1; i < 500; i++) heap_malloc(used, (uint64_t)i * 3);
    heap_malloc(used, 0);
    heap_reset(used);
    struct heap_stats s;
    heap_get_stats(used, &s);
    CHECK("reset: empty arena", s.heap_size == 8 && s.live_payload == 0 && s.alloc_blocks == 0 && s.free_blocks == 0);
    CHECK("reset: empty log", log_op_count(heap_log(used)) == 0 && log_event_count(heap_log(used)) == 0);
    CHECK("reset: same options", heap_get_options(used).policy == HEAP_BEST_FIT && heap_get_options(used).order == HEAP_ORDER_FIFO);
    CHECK("reset: checks", heap_check(used, NULL) == 0);
    char *a = workload_csv(fresh), *b = workload_csv(used);
    CHECK("reset: behaves like a fresh heap, log byte for byte", a && b && strcmp(a, b) == 0);
    free(a);
    free(b);
    heap_destroy(fresh);
    heap_destroy(used);
}

static void test_default_heap(void)
{
    char *p = my_malloc(100);
    struct heap *dh = my_default_heap();
    CHECK("my_malloc: pointer", p != NULL && dh != NULL);
    if (!p || !dh) return;
    uint8_t *base = heap_arena(dh);
    uint32_t off = (uint32_t)((uint8_t *)p - base);
    CHECK("my_malloc: points at a live payload", heap_payload_size(dh, off) == 100 && heap_payload(dh, off) == p);
    CHECK("my_malloc: aligned", ((uintptr_t)p & 7u) == 0);
    CHECK("default heap reserves its arena", heap_get_options(dh).reserve == 1);
    pattern_fill(p, 100, 9);
    void *big[8];
    for (int i = 0; i < 8; i++) big[i] = my_malloc(1u << 20);
    CHECK("my_malloc: arena did not move", heap_arena(dh) == base && pattern_ok(p, 100, 9));
    CHECK("my_malloc: big blocks", big[7] != NULL);
    for (int i = 0; i < 8; i++) my_free(big[i]);
    char *q = my_realloc(p, 5000);
    CHECK("my_realloc: contents preserved", q != NULL && pattern_ok(q, 100, 9));
    CHECK("my_realloc(p, 0): NULL, block kept", my_realloc(q, 0) == NULL && pattern_ok(q, 100, 9));
    char *r = my_realloc(NULL, 16);
    CHECK("my_realloc(NULL, n) allocates", r != NULL);
    memset(q, 0x5A, 5000);
    my_free(q);
    unsigned char *z = my_calloc(50, 100);
    int zero = z != NULL;
    for (int i = 0; zero && i < 5000; i++) zero = z[i] == 0;
    CHECK("my_calloc: zeroed", zero);
    CHECK("my_calloc: overflow", my_calloc(SIZE_MAX, 2) == NULL);
    CHECK("my_malloc(0) and too big", my_malloc(0) == NULL && my_malloc(SIZE_MAX) == NULL);
    struct heap_stats before, after;
    heap_get_stats(dh, &before);
    my_free(NULL);
    my_free(r + 1);
    int local;
    my_free(&local);
    my_free(r + 8);
    heap_get_stats(dh, &after);
    CHECK("my_free: bad pointers refused", stats_same_layout(&before, &after) && after.failures == before.failures + 3);
    CHECK("my_free: checks", heap_check(dh, NULL) == 0);
    my_free(r);
    my_free(z);
    my_reset_default_heap();
    heap_get_stats(my_default_heap(), &after);
    CHECK("my_reset_default_heap: a fresh default heap", after.heap_size == heap_get_options(my_default_heap()).align &&
                                                             after.live_payload == 0);
    my_reset_default_heap();
}

/* Field i (0-based) of a CSV line, copied into out. */
static void csv_field(const char *line, int i, char *out, size_t cap)
{
    while (i-- > 0 && line) {
        line = strchr(line, ',');
        if (line) line++;
    }
    size_t n = 0;
    while (line && line[n] && line[n] != ',' && line[n] != '\n' && n + 1 < cap) { out[n] = line[n]; n++; }
    out[n] = '\0';
}

static void test_log(void)
{
    static const char *op_names[3] = {"alloc", "free", "realloc"};
    static const char *ev_names[11] = {"request", "scan", "split", "place", "extend", "free", "coalesce", "realloc", "fail", "examine", "class"};
    for (uint32_t i = 0; i < 3; i++) CHECK("log: op names", strcmp(log_op_name(i), op_names[i]) == 0);
    /* a calloc row reads back as an alloc, so the rich CSV replays */
    CHECK("log: calloc's name", strcmp(log_op_name(LOG_OP_CALLOC), "alloc") == 0 || strcmp(log_op_name(LOG_OP_CALLOC), "calloc") == 0);
    for (uint32_t i = 0; i < 11; i++) CHECK("log: event names", strcmp(log_event_name(i), ev_names[i]) == 0);

    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    workload(h);
    struct event_log *log = heap_log(h);
    static const uint32_t kinds[7] = {LOG_OP_ALLOC, LOG_OP_ALLOC, LOG_OP_REALLOC, LOG_OP_FREE, LOG_OP_CALLOC, LOG_OP_ALLOC, LOG_OP_FREE};
    CHECK("log: one record per call", log_op_count(log) == 7);
    int good = 1;
    for (uint32_t i = 0; i < log_op_count(log); i++) {
        const struct log_op_record *r = log_op_at(log, i);
        good &= r->op == kinds[i] && (i == 0 || r->seq == log_op_at(log, i - 1)->seq + 1);
        if (r->first_event < log_event_count(log) && (i + 1 == log_op_count(log) || log_op_at(log, i + 1)->first_event > r->first_event))
            good &= log_event_op(log, r->first_event) == i;
    }
    CHECK("log: record kinds and sequence numbers", good);
    CHECK("log: ids (explicit, then max + 1)", log_op_at(log, 1)->id == 42 && log_op_at(log, 4)->id == 43);
    CHECK("log: failed call recorded", log_op_at(log, 5)->result == HEAP_EINVAL);
    good = 1;
    for (uint32_t i = 1; i < log_event_count(log); i++) good &= log_event_op(log, i) >= log_event_op(log, i - 1);
    CHECK("log: events in op order", good && log_error(log) == 0);

    size_t len = 0;
    char *csv = log_to_csv(log, LOG_FORMAT_RICH, &len);
    CHECK("rich csv: text", csv != NULL && len == strlen(csv));
    if (csv) {
        CHECK("rich csv: header", strncmp(csv, RICH_HEADER, strlen(RICH_HEADER)) == 0 &&
                                      (csv[strlen(RICH_HEADER)] == '\n' || csv[strlen(RICH_HEADER)] == ','));
        const char *line = strchr(csv, '\n');
        uint32_t row = 0;
        good = 1;
        for (; line && line[1]; row++, line = strchr(line, '\n')) {
            line++;
            const struct log_op_record *r = log_op_at(log, row);
            char f[12][32];
            for (int i = 0; i < 12; i++) csv_field(line, i, f[i], sizeof f[i]);
            good &= r && strtoull(f[0], NULL, 10) == r->seq && strcmp(f[1], log_op_name(r->op)) == 0 &&
                    strtoll(f[2], NULL, 10) == r->id && strtoull(f[3], NULL, 10) == r->size &&
                    strtoul(f[4], NULL, 10) == r->offset && strtoul(f[5], NULL, 10) == r->block_size &&
                    strtoul(f[6], NULL, 10) == r->scanned && strtoul(f[7], NULL, 10) == r->heap_size &&
                    strtoull(f[8], NULL, 10) == r->live_bytes && strtoull(f[9], NULL, 10) == r->free_bytes &&
                    strtoul(f[10], NULL, 10) == r->largest_free && strtoll(f[11], NULL, 10) == r->result;
        }
        CHECK("rich csv: one row per record, fields match", good && row == 7);
        CHECK("rich csv: ends with a newline", len > 0 && csv[len - 1] == '\n');
    }
    free(csv);
    csv = log_to_csv(log, LOG_FORMAT_SEED, &len);
    CHECK("seed csv: successful ops only", csv && strcmp(csv, "ALLOC,24\nALLOC,100\nREALLOC,40\nFREE\nALLOC,16\nFREE\n") == 0);
    if (csv && strcmp(csv, "ALLOC,24\nALLOC,100\nREALLOC,40\nFREE\nALLOC,16\nFREE\n") != 0) fprintf(stderr, "  seed csv was:\n%s", csv);
    free(csv);

    for (int i = 0; i < 100000; i++) heap_free(h, (uint64_t)heap_malloc(h, (uint64_t)(i % 300 + 1)));
    CHECK("log: grows, nothing dropped", log_op_count(log) == 7 + 200000 && log_error(log) == 0);
    log_clear(log);
    csv = log_to_csv(log, LOG_FORMAT_RICH, &len);
    CHECK("log_clear: header only", log_op_count(log) == 0 && log_event_count(log) == 0 && csv &&
                                        strncmp(csv, RICH_HEADER, strlen(RICH_HEADER)) == 0 && strchr(csv, '\n') == csv + len - 1);
    free(csv);
    heap_destroy(h);
}

/* 1 when a and b agree to 1e-12. */
static int near(double a, double b) { return fabs(a - b) < 1e-12; }

static void test_stats(void)
{
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_ADDR, 1, 1u << 20);
    struct heap_stats s;
    heap_get_stats(h, &s);
    CHECK("stats: empty heap", s.utilization == 0 && s.external_frag == 0 && s.live_payload == 0 && s.heap_size == 8 &&
                                   s.arena_size == 1u << 20 && s.requests == 0 && s.failures == 0);
    int64_t a = heap_malloc(h, 24), b = heap_malloc(h, 10), c = heap_malloc(h, 100); /* 32 + 16 + 104 */
    heap_get_stats(h, &s);
    CHECK("stats: three blocks", s.heap_size == 160 && s.live_payload == 134 && s.peak_payload == 134 &&
                                     s.alloc_blocks == 3 && s.free_blocks == 0 && s.free_bytes == 0);
    CHECK("stats: utilization = peak / heap", near(s.utilization, 134.0 / 160.0));
    CHECK("stats: internal fragmentation", s.internal_frag == 8 + 6 + 4);
    CHECK("stats: no external fragmentation", s.external_frag == 0 && s.largest_free == 0);
    heap_free(h, (uint64_t)a);
    heap_get_stats(h, &s);
    CHECK("stats: after one free", s.live_payload == 110 && s.peak_payload == 134 && s.free_bytes == 32 &&
                                       s.largest_free == 32 && s.free_blocks == 1 && s.internal_frag == 10 && s.external_frag == 0);
    heap_free(h, (uint64_t)c);
    heap_get_stats(h, &s);
    CHECK("stats: two holes", s.free_bytes == 136 && s.largest_free == 104 && s.free_blocks == 2 && s.heap_peak == 160);
    CHECK("stats: external fragmentation = 1 - largest / free", near(s.external_frag, 1.0 - 104.0 / 136.0));
    CHECK("stats: utilization keeps the peak", near(s.utilization, 134.0 / 160.0));
    heap_malloc(h, 0);
    heap_malloc(h, 20); /* first fit scans one block */
    heap_get_stats(h, &s);
    uint64_t scanned = 0;
    struct event_log *log = heap_log(h);
    for (uint32_t i = 0; i < log_op_count(log); i++) scanned += log_op_at(log, i)->scanned;
    CHECK("stats: requests and blocks examined", s.requests == 4 && s.scanned_total == scanned && s.failures == 1 &&
                                                     near(s.scanned_mean, (double)scanned / 4.0));
    CHECK("ids: explicit and automatic", heap_payload_id(h, (uint32_t)b) == 1 && heap_payload_id(h, 3) == -1);
    CHECK("payload: not a payload", heap_payload(h, 3) == NULL && heap_payload_size(h, 12) == 0 && heap_payload(h, 1u << 30) == NULL);
    heap_destroy(h);
}

/* Walker callback that stops at the first block. */
static int stop_first(const struct heap_block_info *b, void *ctx)
{
    (void)b;
    ++*(int *)ctx;
    return 1;
}

static void test_misc(void)
{
    struct heap *h = make_heap(HEAP_WORST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    for (int i = 0; i < 10; i++) heap_malloc(h, 40);
    int calls = 0;
    uint32_t n = heap_walk(h, stop_first, &calls);
    CHECK("walk: callback stops the walk", calls == 1 && n <= 1);
    heap_destroy(h);
    static const int codes[] = {HEAP_OK, HEAP_ENOMEM, HEAP_EINVAL, HEAP_ETOOBIG, HEAP_EBADPTR, HEAP_EDOUBLEFREE,
                                HEAP_CHECK_TILING, HEAP_CHECK_LIVE_TABLE};
    int good = 1;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        good &= heap_strerror(codes[i]) != NULL && heap_strerror(codes[i])[0] != '\0';
        for (size_t j = 0; j < i; j++) good &= strcmp(heap_strerror(codes[i]), heap_strerror(codes[j])) != 0;
    }
    CHECK("strerror: named and distinct", good);
    struct heap_options d = heap_default_options();
    CHECK("default options", d.policy == HEAP_FIRST_FIT && d.coalesce == 1 && d.align == 8 && d.arena_size == HEAP_DEFAULT_ARENA);
}

/* Returns a heap with the given options, logging and keeping the live table or neither. */
static struct heap *quiet_or_not(int policy, int order, int coalesce, uint32_t align, int logged)
{
    struct heap_options o = heap_default_options();
    o.policy = policy;
    o.align = align;
    o.order = order;
    o.coalesce = coalesce;
    o.arena_size = 8u << 20;
    o.log = logged;
    o.payload_info = logged;
    return heap_create(&o);
}

/* 1 when the two heaps report the same statistics (the quiet one's
 * free-list count and bytes are walked, the logged one's are kept). */
static int same_stats(const struct heap *a, const struct heap *b)
{
    struct heap_stats x, y;
    heap_get_stats(a, &x);
    heap_get_stats(b, &y);
    return x.heap_size == y.heap_size && x.heap_peak == y.heap_peak && x.free_blocks == y.free_blocks &&
           x.free_bytes == y.free_bytes && x.largest_free == y.largest_free && x.alloc_blocks == y.alloc_blocks &&
           x.requests == y.requests && x.scanned_total == y.scanned_total && x.failures == y.failures;
}

/* A heap without log or live table (every public call then takes a body
 * with the hooks compiled out, and under fast/LIFO/coalescing also the
 * option tests) makes the same decisions as one with both, refuses the
 * same bad calls with the same codes, stays valid, and its image (a
 * checkpoint: trace_cursor.c) restores into another such heap that goes on
 * like the logged one. */
static void test_quiet_heap(void)
{
    static const int cfg[][4] = { /* policy, order, coalesce, align (fast/LIFO/16 runs the SPEC_QUIET bodies) */
        {HEAP_FAST_FIT, HEAP_ORDER_LIFO, 1, 8}, {HEAP_FAST_FIT, HEAP_ORDER_FIFO, 1, 8}, {HEAP_FAST_FIT, HEAP_ORDER_LIFO, 0, 8},
        {HEAP_FAST_FIT, HEAP_ORDER_LIFO, 1, 16}, {HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 8}, {HEAP_BEST_FIT, HEAP_ORDER_ADDR, 1, 8},
        {HEAP_NEXT_FIT, HEAP_ORDER_LIFO, 1, 8},
    };
    enum { SLOTS = 300, OPS = 12000 };
    for (size_t k = 0; k < sizeof cfg / sizeof cfg[0]; k++) {
        struct heap *a = quiet_or_not(cfg[k][0], cfg[k][1], cfg[k][2], (uint32_t)cfg[k][3], 1);
        struct heap *b = quiet_or_not(cfg[k][0], cfg[k][1], cfg[k][2], (uint32_t)cfg[k][3], 0);
        int64_t slot[SLOTS] = {0};
        uint32_t rng = 12345u + (uint32_t)k;
        int same = 1, valid = 1, stats = 1, refused = 0;
        for (int i = 0; i < OPS && same; i++) {
            rng = rng * 1103515245u + 12345u;
            uint32_t r = rng >> 8, at = r % SLOTS;
            uint64_t size = (r >> 9) % 8 == 0 ? 200 + (r >> 12) % 5000 : 1 + (r >> 12) % 120;
            int64_t x, y;
            if (r % 97 == 0 && slot[at] > 0) { /* an interior offset, then a freed one */
                x = heap_free(a, (uint64_t)slot[at] + 8);
                y = heap_free(b, (uint64_t)slot[at] + 8);
                same &= x == y && x == HEAP_EBADPTR;
                refused++;
            } else if (!slot[at]) {
                x = heap_malloc(a, size);
                y = heap_malloc(b, size);
                same &= x == y;
                slot[at] = x > 0 ? x : 0;
            } else if ((r >> 4) % 4 == 0) {
                x = heap_realloc(a, (uint64_t)slot[at], size);
                y = heap_realloc(b, (uint64_t)slot[at], size);
                same &= x == y;
                if (x > 0) slot[at] = x;
            } else {
                int64_t off = slot[at];
                x = heap_free(a, (uint64_t)off);
                y = heap_free(b, (uint64_t)off);
                same &= x == y && x == HEAP_OK;
                x = heap_free(a, (uint64_t)off); /* freed: refused in both */
                y = heap_free(b, (uint64_t)off);
                same &= x == y && x < 0;
                slot[at] = 0;
            }
            if (i % 251 == 0) {
                valid &= heap_check(b, NULL) == HEAP_CHECK_OK;
                stats &= same_stats(a, b);
            }
        }
        /* the calls a quiet fast/LIFO heap's quick bodies hand to the general ones (heap.c) */
        static const uint64_t bad_free[] = { 0, 3, 12, 1ull << 40, 7u << 20 };
        for (size_t j = 0; j < sizeof bad_free / sizeof bad_free[0]; j++)
            same &= heap_free(a, bad_free[j]) == heap_free(b, bad_free[j]);
        static const uint64_t odd_size[] = { 0, 4u << 20, 5u << 20, 9u << 20, UINT64_MAX, 1u << 20 };
        for (size_t j = 0; j < sizeof odd_size / sizeof odd_size[0]; j++)
            same &= heap_malloc(a, odd_size[j]) == heap_malloc(b, odd_size[j]);
        /* and the reallocs its quick body hands over (heap_realloc.c): bad offsets, realloc(0, n), odd sizes
         * of a live payload (refused, or grown past the rest of the heap: the break moves) */
        for (size_t j = 0; j < sizeof bad_free / sizeof bad_free[0]; j++)
            same &= heap_realloc(a, bad_free[j], 40) == heap_realloc(b, bad_free[j], 40);
        int64_t live = 0;
        for (int j = 0; j < SLOTS && !live; j++) live = slot[j];
        same &= heap_realloc(a, (uint64_t)live + 8, 40) == heap_realloc(b, (uint64_t)live + 8, 40);
        for (size_t j = 0; j < sizeof odd_size / sizeof odd_size[0] && live > 0; j++) {
            int64_t x = heap_realloc(a, (uint64_t)live, odd_size[j]), y = heap_realloc(b, (uint64_t)live, odd_size[j]);
            same &= x == y;
            if (x > 0) live = x;
        }
        CHECK("quiet heap: same offsets and codes as a logged one", same && refused > 0);
        CHECK("quiet heap: valid throughout", valid && heap_check(b, NULL) == HEAP_CHECK_OK);
        CHECK("quiet heap: same statistics (free-list totals walked)", stats && same_stats(a, b));
        struct heap_image *img = heap_image_save(b);
        struct heap *c = quiet_or_not(cfg[k][0], cfg[k][1], cfg[k][2], (uint32_t)cfg[k][3], 0);
        CHECK("quiet heap: its image restores",
              img && c && heap_image_restore(c, img) == 0 && heap_check(c, NULL) == HEAP_CHECK_OK && same_stats(a, c));
        CHECK("quiet heap: the restored heap goes on like the logged one",
              heap_malloc(c, 40) == heap_malloc(a, 40) && heap_check(c, NULL) == HEAP_CHECK_OK);
        heap_image_free(img);
        heap_destroy(c);
        /* across the two: a logged heap's image gives a quiet heap a valid heap; a quiet heap's
         * image has no sizes or ids for a logged one (refused, not a table missing its entries) */
        struct heap *q = quiet_or_not(cfg[k][0], cfg[k][1], cfg[k][2], (uint32_t)cfg[k][3], 0);
        struct heap *l = quiet_or_not(cfg[k][0], cfg[k][1], cfg[k][2], (uint32_t)cfg[k][3], 1);
        struct heap_image *from_logged = heap_image_save(a), *from_quiet = heap_image_save(b);
        CHECK("a logged heap's image restores into a quiet heap",
              q && from_logged && heap_image_restore(q, from_logged) == 0 && heap_check(q, NULL) == HEAP_CHECK_OK);
        CHECK("a quiet heap's image is refused by a logged heap, which stays valid",
              l && from_quiet && heap_image_restore(l, from_quiet) == HEAP_EINVAL && heap_check(l, NULL) == HEAP_CHECK_OK);
        heap_image_free(from_logged);
        heap_image_free(from_quiet);
        heap_destroy(q);
        heap_destroy(l);
        heap_destroy(a);
        heap_destroy(b);
    }
}

/* Events off (log_set_events): a stretch logged without events has the
 * same op records as with them, no events, and says so
 * (log_events_skipped), under the logged fast heap's bodies and the
 * general ones. */
static void test_events_off(void)
{
    for (int fast = 0; fast <= 1; fast++) {
        struct heap_options o = heap_default_options();
        if (fast) o.policy = HEAP_FAST_FIT;
        struct heap *on = heap_create(&o), *off = heap_create(&o);
        struct event_log *lon = heap_log(on), *loff = heap_log(off);
        CHECK("events off: a new log has every record's events", log_events_skipped(loff) == 0);
        workload(on);
        workload(off);
        uint32_t before = log_event_count(loff);
        log_set_events(loff, 0);
        workload(on);
        workload(off);
        uint32_t gap = log_event_count(lon) - before; /* the events the stretch made with them on */
        CHECK("events off: no event made, every record made", log_event_count(loff) == before && log_op_count(loff) == log_op_count(lon));
        CHECK("events off: the records made are counted as skipped", log_events_skipped(loff) == log_op_count(loff) / 2);
        log_set_events(loff, 1);
        workload(on);
        workload(off);
        CHECK("events on again: the skipped count stays", log_events_skipped(loff) == log_op_count(loff) / 3);
        CHECK("events on again: the events come back", log_event_count(lon) - log_event_count(loff) == gap);
        int same = log_op_count(lon) == log_op_count(loff);
        uint32_t n = log_op_count(loff), third = n / 3;
        for (uint32_t i = 0; same && i < n; i++) {
            struct log_op_record a = *log_op_at(lon, i), b = *log_op_at(loff, i);
            if (i < third) same &= b.first_event == a.first_event;
            else if (i < 2 * third) same &= b.first_event == before; /* every skipped record's range is empty */
            else same &= b.first_event + gap == a.first_event;
            b.first_event = a.first_event;
            same &= memcmp(&a, &b, sizeof a) == 0;
        }
        CHECK("events off: the op records equal those made with events on", same);
        same = 1;
        for (uint32_t i = before; same && i < log_event_count(loff); i++)
            same &= memcmp(log_event_at(lon, i + gap), log_event_at(loff, i), sizeof(struct log_event)) == 0;
        CHECK("events on again: the events equal those of a log that never skipped", same);
        log_set_events(loff, 0);
        CHECK("events off at a clear: none skipped yet", (log_clear(loff), log_events_skipped(loff) == 0));
        heap_malloc(off, 8);
        CHECK("events off after a clear: counted from it", log_events_skipped(loff) == 1 && log_event_count(loff) == 0);
        heap_destroy(on);
        heap_destroy(off);
    }
}

int main(void)
{
    test_several_heaps();
    test_reset();
    test_default_heap();
    test_log();
    test_stats();
    test_misc();
    test_quiet_heap();
    test_events_off();
    return check_done("test_api");
}
