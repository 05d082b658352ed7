/* ostep_result.c: what an OSTEP run produces: the text (a util/strbuf,
 * optionally handed to a flush callback in 64 KB pieces), the error line,
 * and the step records. The model's events arrive through the sink this
 * file hands out (ostep_result_event_sink); steps are opened and closed by
 * ostep_run.c, which snapshots the model's state here. Calls only
 * util/strbuf.c.
 *
 * Recording: step 0 is START (header text, initial free list); every
 * printed op adds a step with its text range, the free list after it (list
 * order), the address map after it (free entries and live blocks), and its
 * events. Snapshots stop (snapshots_truncated = 1) when max_snapshot items
 * are used; steps, text and the answers are never cut.
 */
#include "ostep/ostep_model.h"
#include "util/strbuf.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT 65536u
#define DEFAULT_SNAPSHOT_BUDGET (1u << 19)

/* Zeroes r: no flush callback, no recording, no limits. */
void ostep_result_init(struct ostep_result *r)
{
    memset(r, 0, sizeof *r);
}

/* Frees everything r owns and zeroes it (its settings included). */
void ostep_result_free(struct ostep_result *r)
{
    free(sb_take(&r->out));
    free(r->steps);
    free(r->entries);
    free(r->blocks);
    free(r->events);
    memset(r, 0, sizeof *r);
}

/* Grows the array *p (elements of size sz) to hold need; returns 0 or -1. */
static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
    size_t c = *cap ? *cap : 16;
    void *q;
    if (need <= *cap) return 0;
    while (c < need) c *= 2;
    q = realloc(*p, c * sz);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Sets the run's error once (the first error wins); returns the code. */
int ostep_fail(struct ostep_result *r, int code, const char *fmt, ...)
{
    va_list ap;
    if (r->status < 0) return r->status;
    r->status = code;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    return code;
}

/* Appends text; hands full buffers to the flush callback. Returns 0 or < 0. */
int ostep_out_write(struct ostep_result *r, const char *s, size_t len)
{
    sb_append(&r->out, s, len);
    if (r->out.failed) return ostep_fail(r, OSTEP_E_NOMEM, "out of memory for the output text");
    r->text_total += len;
    if (r->flush && r->text_len >= FLUSH_AT) {
        if (r->flush(r->text, r->text_len, r->flush_ctx))
            return ostep_fail(r, OSTEP_E_NOMEM, "the output could not be written");
        sb_clear(&r->out);
    }
    return 0;
}

/* printf into the output; returns 0 or < 0. A piece is at most 255 bytes,
 * longer fails as OSTEP_E_RANGE: only a header of near-int64 numbers is that
 * long, and malloc.py prints it (a known difference, kept as it was). */
int ostep_out_printf(struct ostep_result *r, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf) return ostep_fail(r, OSTEP_E_RANGE, "formatting failed");
    return ostep_out_write(r, buf, (size_t)n);
}

/* Returns 1 while steps and snapshots are being recorded. */
static int recording(const struct ostep_result *r)
{
    return (r->record & OSTEP_RECORD_STEPS) && !r->snapshots_truncated;
}

/* Sink callback: appends the event to the open step when recording. */
static void record_event(void *ctx, const struct ostep_event *e)
{
    struct ostep_result *r = ctx;
    if (!recording(r)) return;
    if (grow((void **)&r->events, &r->event_cap, r->event_count + 1, sizeof *e)) {
        r->snapshots_truncated = 1;
        return;
    }
    r->events[r->event_count++] = *e;
}

/* Returns the sink that records the model's events into r. */
struct ostep_event_sink ostep_result_event_sink(struct ostep_result *r)
{
    struct ostep_event_sink sink;
    sink.emit = record_event;
    sink.ctx = r;
    return sink;
}

/* Address-map order: address, then live before free, then list position. */
static int block_cmp(const void *pa, const void *pb)
{
    const struct ostep_block *a = pa, *b = pb;
    if (a->addr != b->addr) return a->addr < b->addr ? -1 : 1;
    if (a->is_free != b->is_free) return a->is_free - b->is_free;
    return a->list_pos < b->list_pos ? -1 : a->list_pos > b->list_pos;
}

/* Opens a step: text starts here, events from now belong to it. */
struct ostep_step ostep_begin_step(struct ostep_result *r, int kind, int64_t ptr)
{
    struct ostep_step s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.ptr = ptr;
    s.addr = -1;
    s.chosen = -1;
    s.text_off = r->text_total;
    s.event_off = r->event_count;
    return s;
}

/* Closes a step: text range, snapshots of the model; returns 0 or < 0. */
int ostep_end_step(struct ostep_result *r, const struct ostep_model *m, struct ostep_step *s)
{
    size_t i, need = m->n + m->n + m->nlive, budget = r->max_snapshot ? r->max_snapshot : DEFAULT_SNAPSHOT_BUDGET;
    s->text_len = r->text_total - s->text_off;
    if (!(r->record & OSTEP_RECORD_STEPS)) return 0;
    s->event_count = r->event_count - s->event_off;
    s->entry_off = r->entry_count;
    s->block_off = r->block_count;
    if (recording(r) && r->entry_count + r->block_count + r->event_count + need > budget)
        r->snapshots_truncated = 1;
    if (recording(r) && (grow((void **)&r->entries, &r->entry_cap, r->entry_count + m->n, sizeof *r->entries) ||
                         grow((void **)&r->blocks, &r->block_cap, r->block_count + m->n + m->nlive,
                              sizeof *r->blocks)))
        r->snapshots_truncated = 1;
    if (recording(r)) {
        struct ostep_block *b = r->blocks + r->block_count;
        memcpy(r->entries + r->entry_count, m->list, m->n * sizeof *m->list);
        for (i = 0; i < m->n; i++) {
            b[i].addr = m->list[i].addr;
            b[i].size = m->list[i].size;
            b[i].payload = m->list[i].addr; /* no payload: the entry is free */
            b[i].request = 0;
            b[i].ptr = -1;
            b[i].list_pos = (int64_t)i;
            b[i].is_free = 1;
        }
        for (i = 0; i < m->nlive; i++) {
            struct ostep_block *x = &b[m->n + i];
            x->addr = m->live[i].addr;
            x->size = m->live[i].size;
            if (ostep_add(x->addr, m->header, &x->payload)) x->payload = x->addr;
            x->request = m->live[i].request;
            x->ptr = m->live[i].ptr;
            x->list_pos = -1;
            x->is_free = 0;
        }
        qsort(b, m->n + m->nlive, sizeof *b, block_cmp);
        s->entry_count = m->n;
        s->block_count = m->n + m->nlive;
        r->entry_count += m->n;
        r->block_count += m->n + m->nlive;
    }
    if (grow((void **)&r->steps, &r->step_cap, r->step_count + 1, sizeof *r->steps))
        return ostep_fail(r, OSTEP_E_NOMEM, "out of memory for the steps");
    r->steps[r->step_count++] = *s;
    if (r->on_step && r->on_step(r, r->on_step_ctx)) return ostep_fail(r, OSTEP_E_NOMEM, "the output could not be written");
    return 0;
}

/* Forgets steps, snapshots, events and the text held (see ostep.h). */
void ostep_result_drop(struct ostep_result *r)
{
    r->step_count = r->entry_count = r->block_count = r->event_count = 0;
    sb_clear(&r->out);
}

/* The dump(): "Free List [ Size M ]: " then each entry, then the line end. */
static int print_list(struct ostep_result *r, const struct ostep_model *m)
{
    size_t i;
    int rc = ostep_out_printf(r, "Free List [ Size %zu ]: ", m->n);
    for (i = 0; !rc && i < m->n; i++)
        rc = ostep_out_printf(r, "[ addr:%" PRId64 " sz:%" PRId64 " ]", m->list[i].addr, m->list[i].size);
    return rc ? rc : ostep_out_write(r, "\n", 1);
}

/* The lines after an op: the list (or "List?"), then an empty line. */
int ostep_print_tail(struct ostep_result *r, const struct ostep_model *m, const struct ostep_options *o,
                      const char *unsolved)
{
    int rc = o->compute ? print_list(r, m) : ostep_out_printf(r, "%s\n", unsolved);
    return rc ? rc : ostep_out_write(r, "\n", 1);
}

/* Maps a model error code to the run's error with a message. */
int ostep_model_fail(struct ostep_result *r, int code, int64_t addr)
{
    if (code == OSTEP_E_LIVE_ADDR)
        return ostep_fail(r, code, "block address %" PRId64 " is already live: malloc.py fails its addToMap "
                             "assertion here (blocks of size 0 or below let two blocks start at one address)", addr);
    if (code == OSTEP_E_NOMEM) return ostep_fail(r, code, "out of memory");
    return ostep_fail(r, OSTEP_E_RANGE, "a result exceeds the 64-bit integer range this port supports");
}

/* Stops with OSTEP_E_LIMIT when the caller's op budget is used up. */
int ostep_check_limit(struct ostep_result *r, uint64_t ops)
{
    if (r->max_ops && ops >= r->max_ops)
        return ostep_fail(r, OSTEP_E_LIMIT, "stopped after %" PRIu64 " operations (the caller's limit)", ops);
    return 0;
}

