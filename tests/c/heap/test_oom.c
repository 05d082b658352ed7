/* test_oom.c: the event log when host memory runs out (issue 16, item 5).
 * Linked with ld's --wrap=realloc (c/Makefile), so this program decides
 * which of the library's realloc calls fail: here, the one that grows the
 * log's op records from 256 to 512, i.e. op 256's record. The log must then
 * say it is incomplete (log_error), never complete op 256's fields into op
 * 255's record, refuse to export, and the heap must stay valid. And the
 * arena's backing, which grows 16x at a time: when 16x is refused (wasm's
 * 4 GiB memory with a 2 GiB arena), it grows by less instead of failing.
 * And log_reserve: room for a slice's log at once, or -1 with the log intact.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "../check.h"
#include "log/event_log.h"

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

static size_t fail_size; /* a realloc to exactly this many bytes fails (once), 0: none */
static int failures;

void *__wrap_realloc(void *p, size_t n) {
    if (fail_size && n == fail_size) {
        fail_size = 0;
        failures++;
        return NULL;
    }
    return __real_realloc(p, n);
}

int main(void) {
    struct heap *h = heap_create(NULL);
    enum { N = 300 };
    int64_t off[N];
    fail_size = 512 * sizeof(struct log_op_record);
    for (int i = 0; i < N; i++) off[i] = heap_malloc(h, 16 + (uint64_t)i % 5 * 8);
    struct event_log *lg = heap_log(h);
    CHECK("the injected failure happened", failures == 1);
    CHECK("the log says it is incomplete", log_error(lg) != 0);
    CHECK("op 256 has no record, the others have theirs", log_op_count(lg) == N - 1);
    int right = 1;
    for (uint32_t i = 0; i < log_op_count(lg); i++) {
        const struct log_op_record *r = log_op_at(lg, i);
        int op = i < 256 ? (int)i : (int)i + 1; /* the call this record is of */
        right &= r->id == op && (int64_t)r->offset == off[op] && r->result == off[op];
    }
    CHECK("every record holds its own op's fields (record 255 is op 255's)", right);
    size_t len;
    char *csv = log_to_csv(lg, LOG_FORMAT_RICH, &len);
    CHECK("an incomplete log is not exported", csv == NULL);
    free(csv);
    CHECK("the heap stays valid", heap_check(h, NULL) == 0);
    heap_reset(h);
    CHECK("a reset starts a complete log", log_error(lg) == 0 && heap_malloc(h, 8) > 0 && log_op_count(lg) == 1);
    heap_destroy(h);

    /* log_reserve (what each replay slice does first): room for the slice's
     * records and events at once, so the appends never move the arrays */
    h = heap_create(NULL);
    lg = heap_log(h);
    CHECK("log_reserve: room made", log_reserve(lg, 1000, 6000) == 0 && lg->cap_ops >= 1000 && lg->cap_events >= 6000);
    const struct log_op_record *ops0 = lg->ops;
    const struct log_event *events0 = lg->events;
    for (int i = 0; i < 1000; i++) heap_malloc(h, 16 + (uint64_t)i % 7 * 8);
    CHECK("log_reserve: 1000 ops logged without moving the arrays", log_op_count(lg) == 1000 && log_event_count(lg) <= 6000 &&
                                                                        lg->ops == ops0 && lg->events == events0);
    CHECK("log_reserve: a smaller request changes nothing", log_reserve(lg, 10, 10) == 0 && lg->ops == ops0);
    fail_size = 5000 * sizeof(struct log_op_record);
    CHECK("log_reserve: out of host memory is -1, the log intact", log_reserve(lg, 5000, 0) == -1 && log_error(lg) == 0 &&
                                                                       lg->ops == ops0 && log_op_count(lg) == 1000);
    fail_size = 0;
    failures--; /* the checks below count their own injected failures */
    heap_destroy(h);

    struct heap_options o = heap_default_options();
    o.log = 0;
    h = heap_create(&o); /* 256 KiB of backing at first; the next growth asks for 4 MiB */
    fail_size = (size_t)4 << 20;
    int64_t big = heap_malloc(h, 300u << 10);
    CHECK("16x backing refused", failures == 2);
    CHECK("the arena still grows (by less)", big > 0 && heap_check(h, NULL) == 0);
    heap_destroy(h);
    return check_done("test_oom");
}
