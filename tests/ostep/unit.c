/* unit.c: tests of the OSTEP model's library API (compiled by run.sh with
 * c/ostep*.c; not part of the heaplab binary).
 *
 *   unit mt        prints CPython-checkable generator output (mt_check.py)
 *   unit pyint     reads "base hex-bytes" lines, prints int() results
 *   unit records   step records, snapshots, events, limits, streaming
 *   unit split     the command-line splitter
 *   unit codes     the status code of every error
 *   unit nomem     out of memory for the text and for the JSON (run.sh runs
 *                  it with ASan's max_allocation_size_mb=8)
 */
#include "ostep/ostep.h"
#include "log/event_kinds.h"
#include "util/strbuf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(name, expr)                                                                  \
    do {                                                                                   \
        if (!(expr)) {                                                                     \
            failures++;                                                                    \
            fprintf(stderr, "FAIL %s (%s:%d): %s\n", name, __FILE__, __LINE__, #expr);     \
        }                                                                                  \
    } while (0)

/* Runs a command line with recording on; returns the status. */
static int run_line(const char *line, struct ostep_result *r, uint64_t max_ops, size_t max_snap)
{
    char **argv;
    int argc = ostep_split_cmdline(line, strlen(line), &argv), rc;
    ostep_result_init(r);
    r->record = OSTEP_RECORD_STEPS;
    r->max_ops = max_ops;
    r->max_snapshot = max_snap;
    if (argc < 0) return -100;
    rc = ostep_run_argv(argc, argv, r);
    free(argv);
    return rc;
}

static int mode_mt(void)
{
    static const int64_t seeds[] = {0, 1, 42, -1, 4294967295LL, 4294967296LL, 4294967301LL,
                                    -1099511627776LL, INT64_MAX, INT64_MIN};
    size_t i;
    for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        struct ostep_mt mt;
        int k;
        ostep_mt_seed(&mt, seeds[i]);
        printf("%" PRId64, seeds[i]);
        for (k = 0; k < 5; k++) printf(" %a", ostep_mt_random(&mt));
        ostep_mt_seed(&mt, seeds[i]);
        for (k = 0; k < 2000; k++) {
            uint32_t u = ostep_mt_u32(&mt);
            if (k == 0 || k == 623 || k == 624 || k == 1247 || k == 1999) printf(" %" PRIu32, u);
        }
        printf("\n");
    }
    return 0;
}

static int mode_pyint(void)
{
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        char buf[2048], *hex;
        int base = (int)strtol(line, &hex, 10), rc;
        size_t n = 0;
        int64_t v;
        while (*hex == ' ') hex++;
        while (hex[0] && hex[1] && hex[0] != '\n' && n < sizeof buf) {
            unsigned x;
            sscanf(hex, "%2x", &x);
            buf[n++] = (char)x;
            hex += 2;
        }
        rc = ostep_parse_pyint(buf, n, base, &v);
        if (rc == 0)
            printf("%" PRId64 "\n", v);
        else
            printf("E%d\n", -rc);
    }
    return 0;
}

/* Text of step i as a string (static buffer). */
static const char *step_text(const struct ostep_result *r, size_t i)
{
    static char buf[8192];
    size_t n = r->steps[i].text_len < sizeof buf - 1 ? r->steps[i].text_len : sizeof buf - 1;
    memcpy(buf, r->text + r->steps[i].text_off, n);
    buf[n] = 0;
    return buf;
}

/* The worked example 2: every field of every step. */
static void records_example(void)
{
    struct ostep_result r;
    const struct ostep_step *s;
    int rc = run_line("python3 ./malloc.py -H 4 -a 4 -p BEST -l ADDRSORT -A +10,+20,-0,+5 -c", &r, 0, 0);
    CHECK("example runs", rc == 0 && r.step_count == 5);
    if (rc != 0 || r.step_count != 5) return;
    s = r.steps;
    CHECK("start", s[0].kind == OSTEP_STEP_START && s[0].text_off == 0 && s[0].entry_count == 1 &&
                       r.entries[0].addr == 1000 && r.entries[0].size == 100 && s[0].block_count == 1);
    CHECK("start text is the header", strncmp(step_text(&r, 0), "seed 0\nsize 100\n", 16) == 0 &&
                                          strstr(step_text(&r, 0), "compute True\n\n") != NULL);
    CHECK("alloc fields", s[1].kind == OSTEP_STEP_ALLOC && s[1].ptr == 0 && s[1].request == 10 && s[1].need == 16 &&
                              s[1].addr == 1000 && s[1].result == 1000 && s[1].searched == 1 && s[1].chosen == 0);
    CHECK("alloc text", strcmp(step_text(&r, 1), "ptr[0] = Alloc(10) returned 1000 (searched 1 elements)\n"
                                                 "Free List [ Size 1 ]: [ addr:1016 sz:84 ]\n\n") == 0);
    CHECK("alloc list", s[1].entry_count == 1 && r.entries[s[1].entry_off].addr == 1016 &&
                            r.entries[s[1].entry_off].size == 84);
    {
        const struct ostep_block *b = r.blocks + s[1].block_off;
        CHECK("alloc map", s[1].block_count == 2 && b[0].addr == 1000 && b[0].size == 16 && !b[0].is_free &&
                               b[0].payload == 1004 && b[0].request == 10 && b[0].ptr == 0 && b[0].list_pos == -1 &&
                               b[1].addr == 1016 && b[1].size == 84 && b[1].is_free && b[1].list_pos == 0);
    }
    {
        const struct ostep_event *e = r.events + s[1].event_off;
        CHECK("alloc events", s[1].event_count == 4 && e[0].kind == EV_REQUEST && e[0].a == 10 && e[0].b == 16 &&
                                  e[1].kind == EV_SCAN && e[1].a == 1 && e[1].b == 0 && e[2].kind == EV_SPLIT &&
                                  e[2].a == 1000 && e[2].b == 16 && e[2].c == 84 && e[3].kind == EV_PLACE &&
                                  e[3].c == 1004);
    }
    CHECK("free fields", s[3].kind == OSTEP_STEP_FREE && s[3].ptr == 0 && s[3].addr == 1000 && s[3].result == 0 &&
                             s[3].need == 16 && s[3].event_count == 1 && r.events[s[3].event_off].kind == EV_FREE);
    CHECK("free list", s[3].entry_count == 2 && r.entries[s[3].entry_off].addr == 1000 &&
                           r.entries[s[3].entry_off + 1].addr == 1040);
    CHECK("last alloc splits the front entry", s[4].addr == 1000 && s[4].chosen == 0 && s[4].searched == 2 &&
                                                   r.entries[s[4].entry_off].addr == 1012 &&
                                                   r.entries[s[4].entry_off].size == 4);
    CHECK("text ranges are contiguous", s[4].text_off + s[4].text_len == r.text_len);
    ostep_result_free(&r);
}

/* Each snapshot agrees with its printed list; the map tiles the heap. */
static void records_consistent(const char *line)
{
    struct ostep_result r;
    size_t i, at = 0;
    int rc = run_line(line, &r, 0, 0);
    CHECK("consistency run", rc == 0 && r.step_count > 1);
    for (i = 0; rc == 0 && i < r.step_count; i++) {
        const struct ostep_step *s = &r.steps[i];
        const struct ostep_block *b = r.blocks + s->block_off;
        char want[8192];
        size_t k, len = 0, nfree = 0;
        int64_t end = b[0].addr, start = b[0].addr, total = 0;
        CHECK("contiguous text", s->text_off == at);
        at += s->text_len;
        if (s->kind != OSTEP_STEP_START) {
            len += (size_t)snprintf(want, sizeof want, "Free List [ Size %zu ]: ", s->entry_count);
            for (k = 0; k < s->entry_count && len < sizeof want; k++)
                len += (size_t)snprintf(want + len, sizeof want - len, "[ addr:%" PRId64 " sz:%" PRId64 " ]",
                                        r.entries[s->entry_off + k].addr, r.entries[s->entry_off + k].size);
            CHECK("snapshot = printed list", s->kind == OSTEP_STEP_SKIP || strstr(step_text(&r, i), want) != NULL);
        }
        for (k = 0; k < s->block_count; k++) {
            CHECK("map tiles", b[k].addr == end);
            end = b[k].addr + b[k].size;
            total += b[k].size;
            if (b[k].is_free) {
                nfree++;
                CHECK("list_pos points back", r.entries[s->entry_off + (size_t)b[k].list_pos].addr == b[k].addr);
            }
        }
        CHECK("every entry mapped", nfree == s->entry_count);
        CHECK("map covers the heap", start == 1000 && total == 100);
    }
    CHECK("text fully covered", at == r.text_len);
    ostep_result_free(&r);
}

/* What the flush callback received: the pieces joined, and their count. */
struct flushed { struct strbuf text; size_t pieces; };

static int flush_into(const char *t, size_t n, void *ctx)
{
    struct flushed *acc = ctx;
    sb_append(&acc->text, t, n);
    acc->pieces++;
    return acc->text.failed ? -1 : 0;
}

static int mode_records(void)
{
    struct ostep_result a, b;
    struct flushed acc = {{0}, 0};
    const char *big = "-n 20000 -c -C -S 2000 -r 40 -s 9";
    char **argv;
    int argc, rc;
    size_t k;

    records_example();
    records_consistent("-n 300 -c -s 3");
    records_consistent("-n 300 -c -s 4 -C -p WORST -l SIZESORT-");
    records_consistent("-n 300 -c -s 5 -C -p FIRST -l INSERT-FRONT -H 4 -a 4");
    records_consistent("-A +10,+20,-0,+30,-1,+5,-2,-3,-9,+100 -c -l SIZESORT+");

    /* streaming through the flush callback gives the same bytes */
    rc = run_line(big, &a, 0, 0);
    argc = ostep_split_cmdline(big, strlen(big), &argv);
    ostep_result_init(&b);
    b.flush = flush_into;
    b.flush_ctx = &acc;
    CHECK("streamed run", argc > 0 && ostep_run_argv(argc, argv, &b) == 0 && rc == 0);
    CHECK("streamed = in memory", acc.text.len == a.text_len && memcmp(acc.text.s, a.text, a.text_len) == 0);
    CHECK("streamed in pieces", acc.pieces > 2 && b.text_total == a.text_len);
    free(sb_take(&acc.text));
    free(argv);
    ostep_result_free(&b);

    /* a snapshot budget keeps every step and the text, drops later snapshots */
    rc = run_line(big, &b, 0, 5000);
    CHECK("budget run", rc == 0 && b.snapshots_truncated && b.step_count == a.step_count &&
                            b.text_len == a.text_len && memcmp(a.text, b.text, a.text_len) == 0);
    CHECK("budget respected", b.entry_count + b.block_count + b.event_count <= 5000);
    CHECK("late steps have no snapshot", b.steps[b.step_count - 1].block_count == 0);
    for (k = 0; k < a.step_count; k++)
        if (a.steps[k].result != b.steps[k].result || a.steps[k].searched != b.steps[k].searched) break;
    CHECK("answers unchanged by the budget", k == a.step_count);
    ostep_result_free(&b);
    ostep_result_free(&a);

    /* the op limit stops cleanly after max_ops printed ops */
    rc = run_line("-n 100 -c", &a, 10, 0);
    CHECK("limit", rc == OSTEP_E_LIMIT && a.step_count == 11 && strstr(a.error, "10 operations") != NULL);
    ostep_result_free(&a);
    rc = run_line("-A +1,+2,+3 -c", &a, 3, 0);
    CHECK("limit not hit exactly at the end", rc == 0 && a.step_count == 4);
    ostep_result_free(&a);
    return 0;
}

static int mode_split(void)
{
    static const struct { const char *line; int argc; const char *words[6]; } T[] = {
        {"-S 100 -c", 3, {"-S", "100", "-c"}},
        {"  python3   malloc.py\t-A '+10, -0'  ", 2, {"-A", "+10, -0"}},
        {"./malloc.py -A \"\" -c", 3, {"-A", "", "-c"}},
        {"heaplab ostep -p\\ x", 1, {"-p x"}},
        {"build/heaplab ostep -s 3", 2, {"-s", "3"}},
        {"ostep -c", 1, {"-c"}},
        {"-A \"a\\\"b\\\\c\\d\"", 2, {"-A", "a\"b\\c\\d"}},
        {"-A x''y", 2, {"-A", "xy"}},
        {"", 0, {0}},
        {"python /x/malloc.py", 0, {0}},
    };
    size_t i;
    for (i = 0; i < sizeof T / sizeof T[0]; i++) {
        char **argv;
        int argc = ostep_split_cmdline(T[i].line, strlen(T[i].line), &argv), k, ok;
        ok = argc == T[i].argc + 1 && strcmp(argv[0], "ostep") == 0 && argv[argc] == NULL;
        for (k = 0; ok && k < T[i].argc; k++) ok = strcmp(argv[k + 1], T[i].words[k]) == 0;
        CHECK(T[i].line, ok);
        free(argv);
    }
    {
        char **argv;
        CHECK("unbalanced single", ostep_split_cmdline("-A 'x", 5, &argv) == -1 && argv == NULL);
        CHECK("unbalanced double", ostep_split_cmdline("-A \"x", 5, &argv) == -1);
    }
    return 0;
}

static int mode_codes(void)
{
    static const struct { const char *line; int code; } T[] = {
        {"-c", OSTEP_OK}, {"--help", OSTEP_HELP}, {"-Q", OSTEP_E_USAGE}, {"-p NEXT", OSTEP_E_POLICY},
        {"-l LIFO", OSTEP_E_ORDER}, {"-a -7", OSTEP_E_ALIGN}, {"-P 0", OSTEP_E_PERCENT},
        {"-A +1,*", OSTEP_E_TOKEN}, {"-A +1,", OSTEP_E_TOKEN}, {"-A +1.5", OSTEP_E_NUMBER},
        {"-S 10 -A +20,+5,-0", OSTEP_E_FAILED_FREE}, {"-A +0,+0", OSTEP_E_LIVE_ADDR},
        {"-A +99999999999999999999", OSTEP_E_RANGE}, {"-b 9223372036854775800 -A +10", OSTEP_E_RANGE},
        {"-S 9223372036854775807 -A +1", OSTEP_OK}, {"-S 9223372036854775807 -b 1 -A +1,-0 -C", OSTEP_OK}, {"-A +9223372036854775807 -a 8", OSTEP_E_RANGE},
        {"-H 1 -A +9223372036854775807", OSTEP_E_RANGE}, {"-r 9223372036854775807 -P 100 -n 50", OSTEP_OK},
    };
    size_t i;
    for (i = 0; i < sizeof T / sizeof T[0]; i++) {
        struct ostep_result r;
        int rc = run_line(T[i].line, &r, 0, 0);
        CHECK(T[i].line, rc == T[i].code && r.status == T[i].code);
        CHECK("error line set", rc >= 0 ? r.error[0] == 0 : (r.error[0] != 0 && !strchr(r.error, '\n')));
        ostep_result_free(&r);
    }
    return 0;
}

/* With allocations above 8 MB refused, a long run kept in memory stops with
 * OSTEP_E_NOMEM and keeps the text made so far; its JSON is NULL. */
static int mode_nomem(void)
{
    struct ostep_result r;
    const char *line = "-n 300000 -c -s 1";
    char **argv;
    int argc = ostep_split_cmdline(line, strlen(line), &argv), rc;
    ostep_result_init(&r);
    CHECK("nomem argv", argc > 0);
    rc = ostep_run_argv(argc, argv, &r);
    CHECK("text out of memory", rc == OSTEP_E_NOMEM && r.status == OSTEP_E_NOMEM &&
                                    strcmp(r.error, "out of memory for the output text") == 0);
    CHECK("text kept", r.text && r.text_len > ((size_t)4 << 20) && strlen(r.text) == r.text_len &&
                           r.text_total == r.text_len && strncmp(r.text, "seed 1\nsize 100\n", 16) == 0);
    CHECK("JSON out of memory", ostep_result_json(&r, NULL, NULL) == NULL);
    free(argv);
    ostep_result_free(&r);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "mt") == 0) return mode_mt();
    if (strcmp(mode, "pyint") == 0) return mode_pyint();
    if (strcmp(mode, "records") == 0) mode_records();
    else if (strcmp(mode, "split") == 0) mode_split();
    else if (strcmp(mode, "codes") == 0) mode_codes();
    else if (strcmp(mode, "nomem") == 0) mode_nomem();
    else {
        fprintf(stderr, "usage: unit mt|pyint|records|split|codes|nomem\n");
        return 2;
    }
    printf("unit %s: %s\n", mode, failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
