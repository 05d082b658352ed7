/* test_misuse.c: every kind of bad call, and the checker against a
 * deliberately corrupted arena.
 *
 * A bad call must return its documented code (allocator.h and
 * notes/allocator-semantics.md), log a `fail` event naming the op, the code
 * and the argument, count one failure, and change nothing else: same stats,
 * same live payloads with the same contents, heap_check() == 0.
 * The corruption cases write into the arena behind the allocator's back and
 * require heap_check() to notice, then restore the bytes. In a HEAP_DEBUG=2
 * build the next mutating call must notice by itself: with the trap off it
 * records the first failure (code, offset, call index, entry point); with
 * the trap on (the default) it aborts, which a forked child shows.
 */
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "heap/allocator.h"
#include "../check.h"
#include "log/event_log.h"
#include "../util.h"

#define ARENA (1u << 20)

enum call { CALL_MALLOC, CALL_FREE, CALL_REALLOC };

struct bad_call {
    const char *name;
    int call;
    uint64_t off;   /* free / realloc */
    uint64_t size;  /* malloc / realloc */
    int64_t want;
};

static struct heap *h;
static int64_t pa, pb, pc, pd; /* a, b live; c freed; d a guard */

/* Performs the call and returns its result. */
static int64_t do_call(const struct bad_call *c)
{
    switch (c->call) {
    case CALL_MALLOC: return heap_malloc(h, c->size);
    case CALL_FREE: return heap_free(h, c->off);
    default: return heap_realloc(h, c->off, c->size);
    }
}

/* 1 when the two live payloads still hold their patterns. */
static int live_intact(void)
{
    return heap_payload_size(h, (uint32_t)pa) == 24 && pattern_ok(heap_payload(h, (uint32_t)pa), 24, 1) &&
           heap_payload_size(h, (uint32_t)pb) == 100 && pattern_ok(heap_payload(h, (uint32_t)pb), 100, 2);
}

/* Runs one bad call and checks code, event, record, stats and checker. */
static void run_bad(const struct bad_call *c)
{
    static const int op_of_call[3] = {LOG_OP_ALLOC, LOG_OP_FREE, LOG_OP_REALLOC};
    struct heap_stats before, after;
    struct log_event e;
    char name[160];
    heap_get_stats(h, &before);
    uint32_t ops = log_op_count(heap_log(h));
    int64_t r = do_call(c);
    heap_get_stats(h, &after);
    snprintf(name, sizeof name, "%s: returns %lld (got %lld)", c->name, (long long)c->want, (long long)r);
    CHECK(name, r == c->want);
    snprintf(name, sizeof name, "%s: one op record with the result", c->name);
    CHECK(name, log_op_count(heap_log(h)) == ops + 1 && log_op_at(heap_log(h), ops)->result == c->want);
    snprintf(name, sizeof name, "%s: fail event", c->name);
    CHECK(name, last_op_events(h, EV_FAIL, op_of_call[c->call], &e) == 1 && e.a == (uint32_t)c->want);
    uint32_t arg = (uint32_t)(c->call == CALL_FREE ? c->off : c->size);
    if (c->call != CALL_REALLOC) {
        snprintf(name, sizeof name, "%s: fail event argument", c->name);
        CHECK(name, e.b == arg);
    }
    snprintf(name, sizeof name, "%s: stats unchanged, one failure counted", c->name);
    CHECK(name, stats_same_layout(&before, &after) && after.failures == before.failures + 1 &&
                    after.requests == before.requests + (c->want == HEAP_ENOMEM));
    snprintf(name, sizeof name, "%s: live payloads intact", c->name);
    CHECK(name, live_intact());
    snprintf(name, sizeof name, "%s: heap_check", c->name);
    CHECK(name, heap_check(h, NULL) == 0);
}

static void test_bad_calls(void)
{
    h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, ARENA);
    pa = heap_malloc(h, 24);  /* block 4..36 */
    pb = heap_malloc(h, 100); /* block 36..140 */
    pc = heap_malloc(h, 24);  /* block 140..172, freed below */
    pd = heap_malloc(h, 8);
    pattern_fill(heap_payload(h, (uint32_t)pa), 24, 1);
    pattern_fill(heap_payload(h, (uint32_t)pb), 100, 2);
    heap_free(h, (uint64_t)pc);
    struct heap_stats s;
    heap_get_stats(h, &s);
    const uint64_t brk = s.heap_size, b = (uint64_t)pb;
    const struct bad_call calls[] = {
        {"malloc(0)", CALL_MALLOC, 0, 0, HEAP_EINVAL},
        {"malloc(UINT64_MAX)", CALL_MALLOC, 0, UINT64_MAX, HEAP_ETOOBIG},
        {"malloc(UINT32_MAX)", CALL_MALLOC, 0, UINT32_MAX, HEAP_ETOOBIG},
        {"malloc(UINT32_MAX - 3): n + 4 overflows", CALL_MALLOC, 0, UINT32_MAX - 3, HEAP_ETOOBIG},
        {"malloc(UINT32_MAX - 11): rounding overflows", CALL_MALLOC, 0, UINT32_MAX - 11, HEAP_ETOOBIG},
        {"malloc(2^32): low bits zero", CALL_MALLOC, 0, 1ull << 32, HEAP_ETOOBIG},
        {"malloc(2^32 + 16): low bits small", CALL_MALLOC, 0, (1ull << 32) + 16, HEAP_ETOOBIG},
        {"malloc(arena)", CALL_MALLOC, 0, ARENA, HEAP_ETOOBIG},
        {"malloc(arena - 11): one byte over", CALL_MALLOC, 0, ARENA - 11, HEAP_ETOOBIG},
        {"malloc(arena - 12): fits an empty arena only", CALL_MALLOC, 0, ARENA - 12, HEAP_ENOMEM},
        {"free(interior, aligned)", CALL_FREE, b + 8, 0, HEAP_EBADPTR},
        {"free(interior, header)", CALL_FREE, b - 4, 0, HEAP_EBADPTR},
        {"free(misaligned)", CALL_FREE, b + 1, 0, HEAP_EBADPTR},
        {"free(misaligned by 4)", CALL_FREE, b + 4, 0, HEAP_EBADPTR},
        {"free(4): the first header", CALL_FREE, 4, 0, HEAP_EBADPTR},
        {"free(break)", CALL_FREE, brk, 0, HEAP_EBADPTR},
        {"free(break + 8)", CALL_FREE, brk + 8, 0, HEAP_EBADPTR},
        {"free(arena + 8)", CALL_FREE, ARENA + 8, 0, HEAP_EBADPTR},
        {"free(UINT64_MAX)", CALL_FREE, UINT64_MAX, 0, HEAP_EBADPTR},
        {"free(UINT32_MAX)", CALL_FREE, UINT32_MAX, 0, HEAP_EBADPTR},
        {"free(2^32 + live payload)", CALL_FREE, (1ull << 32) + b, 0, HEAP_EBADPTR},
        {"free(already freed)", CALL_FREE, (uint64_t)pc, 0, HEAP_EDOUBLEFREE},
        {"realloc(already freed)", CALL_REALLOC, (uint64_t)pc, 32, HEAP_EDOUBLEFREE},
        {"realloc(interior)", CALL_REALLOC, b + 8, 32, HEAP_EBADPTR},
        {"realloc(misaligned)", CALL_REALLOC, b + 3, 32, HEAP_EBADPTR},
        {"realloc(out of range)", CALL_REALLOC, brk + 8, 32, HEAP_EBADPTR},
        {"realloc(2^32 + live payload)", CALL_REALLOC, (1ull << 32) + b, 32, HEAP_EBADPTR},
        {"realloc(live, 0)", CALL_REALLOC, b, 0, HEAP_EINVAL},
        {"realloc(live, UINT64_MAX)", CALL_REALLOC, b, UINT64_MAX, HEAP_ETOOBIG},
        {"realloc(live, 2^32 + 8)", CALL_REALLOC, b, (1ull << 32) + 8, HEAP_ETOOBIG},
        {"realloc(live, arena)", CALL_REALLOC, b, ARENA, HEAP_ETOOBIG},
        {"realloc(live, arena - 12)", CALL_REALLOC, b, ARENA - 12, HEAP_ENOMEM},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) run_bad(&calls[i]);

    struct heap_stats before, after;
    heap_get_stats(h, &before);
    CHECK("free(0) is a no-op", heap_free(h, 0) == 0);
    heap_get_stats(h, &after);
    CHECK("free(0): nothing changed", stats_same_layout(&before, &after) && live_intact() && heap_check(h, NULL) == 0);

    /* b is freed and then absorbed by freeing a (case 2): b's old payload
     * is now inside a free block, not a payload: EBADPTR. */
    heap_free(h, b);
    heap_free(h, (uint64_t)pa);
    heap_get_stats(h, &before);
    CHECK("free of a payload merged away: EBADPTR", heap_free(h, b) == HEAP_EBADPTR);
    CHECK("realloc of the merged block's payload: EDOUBLEFREE", heap_realloc(h, (uint64_t)pa, 8) == HEAP_EDOUBLEFREE);
    heap_get_stats(h, &after);
    CHECK("after merged double frees: unchanged", stats_same_layout(&before, &after) && heap_check(h, NULL) == 0);
    heap_destroy(h);

    struct heap_options o = make_opts(HEAP_BEST_FIT, HEAP_ORDER_ADDR, 0);
    o.log = 0;
    h = heap_create(&o);
    CHECK("log off: no log", heap_log(h) == NULL);
    int64_t p = heap_malloc(h, 10);
    CHECK("log off: bad calls still refused", heap_free(h, (uint64_t)p + 8) == HEAP_EBADPTR && heap_malloc(h, 0) == HEAP_EINVAL);
    heap_free(h, (uint64_t)p);
    CHECK("log off, no coalescing: double free", heap_free(h, (uint64_t)p) == HEAP_EDOUBLEFREE && heap_check(h, NULL) == 0);
    heap_get_stats(h, &s);
    CHECK("log off: failures counted", s.failures == 3);
    heap_destroy(h);

    /* payload_info off: no live table, only the bitmap of live payload starts */
    o = make_opts(HEAP_FAST_FIT, HEAP_ORDER_LIFO, 1);
    o.log = 0;
    o.payload_info = 0;
    h = heap_create(&o);
    int64_t q[3];
    for (int i = 0; i < 3; i++) q[i] = heap_malloc(h, 40);
    CHECK("bitmap only: live payloads", q[0] > 0 && q[1] > 0 && q[2] > 0 && heap_payload(h, (uint32_t)q[1]) != NULL);
    CHECK("bitmap only: no sizes or ids", heap_payload_size(h, (uint32_t)q[1]) == 0 && heap_payload_id(h, (uint32_t)q[1]) == -1);
    CHECK("bitmap only: interior refused", heap_free(h, (uint64_t)q[1] + 8) == HEAP_EBADPTR);
    CHECK("bitmap only: misaligned refused", heap_free(h, (uint64_t)q[1] + 4) == HEAP_EBADPTR);
    CHECK("bitmap only: past the break refused", heap_free(h, (uint64_t)1 << 40) == HEAP_EBADPTR);
    /* a header overwritten by the user does not make an interior offset look live */
    uint32_t fake = (uint32_t)q[1] + 16, hdr;
    memcpy(&hdr, heap_arena(h) + q[1] - 4, 4);
    memcpy(heap_arena(h) + fake - 4, &hdr, 4);
    CHECK("bitmap only: a forged header is not a payload", heap_free(h, fake) == HEAP_EBADPTR && heap_check(h, NULL) == 0);
    heap_free(h, (uint64_t)q[0]);
    CHECK("bitmap only: double free", heap_free(h, (uint64_t)q[0]) == HEAP_EDOUBLEFREE);
    CHECK("bitmap only: realloc of a freed payload", heap_realloc(h, (uint64_t)q[0], 8) == HEAP_EDOUBLEFREE);
    /* a quiet fast/LIFO heap takes realloc through its quick body (heap_realloc.c): a bad offset or size goes,
     * untouched, to the general body, which refuses it with its code */
    CHECK("bitmap only: realloc of an interior offset", heap_realloc(h, (uint64_t)q[1] + 8, 8) == HEAP_EBADPTR);
    CHECK("bitmap only: realloc of a misaligned offset", heap_realloc(h, (uint64_t)q[1] + 4, 8) == HEAP_EBADPTR);
    CHECK("bitmap only: realloc past the break", heap_realloc(h, (uint64_t)1 << 40, 8) == HEAP_EBADPTR);
    CHECK("bitmap only: realloc of a forged header", heap_realloc(h, fake, 8) == HEAP_EBADPTR);
    CHECK("bitmap only: realloc to 0 bytes refused", heap_realloc(h, (uint64_t)q[2], 0) == HEAP_EINVAL);
    CHECK("bitmap only: realloc too big refused", heap_realloc(h, (uint64_t)q[2], UINT64_MAX) == HEAP_ETOOBIG);
    CHECK("bitmap only: refused reallocs change nothing", heap_payload(h, (uint32_t)q[2]) != NULL && heap_check(h, NULL) == 0);
    int64_t r = heap_realloc(h, (uint64_t)q[1], 400);
    CHECK("bitmap only: realloc moves and the old offset dies", r > 0 && heap_free(h, (uint64_t)q[1]) == (r == q[1] ? 0 : HEAP_EBADPTR));
    heap_get_stats(h, &s);
    CHECK("bitmap only: blocks counted from the bitmap, no payload bytes", s.alloc_blocks == (r == q[1] ? 1u : 2u) &&
          s.live_payload == 0 && s.failures == (r == q[1] ? 12u : 13u) && s.side_peak > 0 && heap_check(h, NULL) == 0);
    heap_destroy(h);
}

/* Reads / writes the 4-byte word at off in the arena. */
static uint32_t word_get(uint32_t off)
{
    uint32_t v;
    memcpy(&v, heap_arena(h) + off, 4);
    return v;
}
static void word_set(uint32_t off, uint32_t v) { memcpy(heap_arena(h) + off, &v, 4); }

/* Overwrites one word, expects heap_check to fail, restores it. */
static void corrupt(const char *name, uint32_t off, uint32_t value)
{
    uint32_t saved = word_get(off), bad = 0;
    word_set(off, value);
    int rc = heap_check(h, &bad);
    char msg[160];
    snprintf(msg, sizeof msg, "checker catches %s (got %d %s at %u)", name, rc, heap_strerror(rc), bad);
    CHECK(msg, rc < 0 && heap_strerror(rc) != NULL && heap_strerror(rc)[0] != '\0');
    word_set(off, saved);
    CHECK("checker passes once restored", heap_check(h, NULL) == 0);
}

static void test_checker_catches_corruption(void)
{
    h = make_heap(HEAP_NEXT_FIT, HEAP_ORDER_ADDR, 1, ARENA);
    int64_t p[6];
    for (int i = 0; i < 6; i++) p[i] = heap_malloc(h, 24); /* blocks of 32 at 4, 36, ... */
    heap_free(h, (uint64_t)p[1]);
    heap_free(h, (uint64_t)p[3]);
    CHECK("checker: clean heap passes", heap_check(h, NULL) == 0);
    uint32_t live_hdr = (uint32_t)p[2] - 4, free_hdr = (uint32_t)p[1] - 4;
    uint32_t hv = word_get(live_hdr), fv = word_get(free_hdr);
    corrupt("a grown allocated header", live_hdr, hv + 8);
    corrupt("a shrunk allocated header", live_hdr, hv - 8);
    corrupt("a zero header", live_hdr, 0);
    corrupt("an allocated block marked free", live_hdr, hv & ~1u);
    corrupt("a free block marked allocated", free_hdr, fv | 1u);
    corrupt("a free footer", free_hdr + 32 - 4, fv + 16);
    corrupt("a free-list link to itself", (uint32_t)p[1], free_hdr);
    corrupt("a free-list link into a live block", (uint32_t)p[1], live_hdr);
    corrupt("a free-list link out of range", (uint32_t)p[1], ARENA + 64);
    corrupt("a broken back link", (uint32_t)p[3] + 4, live_hdr);
    corrupt("a wrong prev-allocated bit", live_hdr, hv ^ 2u);
    corrupt("the epilogue", (uint32_t)p[5] + 28, 64);
    heap_destroy(h);
}

/* Level 2: a header overwritten between calls is caught by the next call's check. */
static void test_debug_tier_catches_corruption(void)
{
    struct heap_debug_report r;
    h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, ARENA);
    int64_t p[4];
    for (int i = 0; i < 4; i++) p[i] = heap_malloc(h, 24); /* blocks of 32 at 4, 36, 68, 100 */
    heap_free(h, (uint64_t)p[0]);                          /* call 4: the only free block */
    if (heap_debug_level() < 2) {
        CHECK("debug tier below 2: nothing recorded", heap_debug_first_failure(h, &r) == 0 && r.code == 0);
        printf("test_misuse: HEAP_DEBUG=%d, level-2 cases skipped\n", heap_debug_level());
        heap_destroy(h);
        return;
    }
    CHECK("debug tier: clean heap, nothing recorded", heap_debug_first_failure(h, NULL) == 0);
    uint32_t hdr = (uint32_t)p[2] - 4, saved = word_get(hdr);
    /* flip block 68's PREV_ALLOC bit: a lie the next malloc (served by the break) never reads */
    heap_debug_set_trap(h, 0);
    word_set(hdr, saved ^ 2u);
    int64_t q = heap_malloc(h, 100); /* call 5 */
    CHECK("debug tier: the call still completes with the trap off", q > 0);
    int code = heap_debug_first_failure(h, &r);
    CHECK("debug tier: the failure is recorded", code == HEAP_CHECK_PREV_BIT && r.code == code);
    CHECK("debug tier: where (offset, call index, entry point)",
          r.off == hdr && r.call == 5 && r.where && strcmp(r.where, "heap_malloc") == 0 && r.line > 0);
    word_set(hdr, saved);
    CHECK("debug tier: restored heap passes", heap_check(h, NULL) == 0 && heap_free(h, (uint64_t)q) == 0);
    CHECK("debug tier: the first failure stays recorded", heap_debug_first_failure(h, &r) == HEAP_CHECK_PREV_BIT && r.call == 5);
    heap_destroy(h);

    /* the trap on (the default): the corrupting call's check aborts */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3); /* the assert's message is expected */
        h = make_heap(HEAP_BEST_FIT, HEAP_ORDER_ADDR, 1, ARENA);
        int64_t a = heap_malloc(h, 24);
        heap_malloc(h, 24);
        word_set((uint32_t)a - 4, word_get((uint32_t)a - 4) + 8); /* grow a's header: the blocks no longer tile */
        heap_malloc(h, 8);
        _exit(0); /* not reached when the trap works */
    }
    int status = 0;
    CHECK("debug tier: fork", pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK("debug tier: the trap aborts at the first failed check", WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

int main(void)
{
    test_bad_calls();
    test_checker_catches_corruption();
    test_debug_tier_catches_corruption();
    return check_done("test_misuse");
}
