/* ostep_wasm_api.c: the OSTEP simulator for JavaScript (wasm build only;
 * the native build compiles this file to nothing).
 *
 * Integers and doubles only cross the boundary. JS asks for the faces' one
 * input buffer with hl_input(len) (wasm_io.c), writes the UTF-8 command
 * line there, calls
 * hl_ostep_run(len, flags, max_ops), then reads: the status and the
 * one-line error, the text (pointer + length into HEAPU8), and per step its
 * fields, free-list entries (list order), address-map blocks and events
 * through hl_ostep_step/entry/block/event(..., field), which return NaN
 * for an index out of range. Each row's fields are one X-macro list
 * (wasm/wasm_table.h): JS reads their names once from hl_ostep_*_fields()
 * and looks a field up by name, never by position; names of step kinds,
 * policies, orders and the status codes JS tests come from here too.
 * One run is kept at a time; the next run or hl_ostep_release() frees it. Numbers are exact while |v| <= 2^53.
 */
#include "ostep/ostep.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "wasm/wasm_io.h"
#include "wasm/wasm_table.h"

/* flags of hl_ostep_run */
#define OSTEP_WASM_COMPUTE_ON 1   /* as if -c were given: answers shown */
#define OSTEP_WASM_COMPUTE_OFF 2  /* as if -c were absent: questions only */

static struct ostep_result run;
static struct ostep_options opts;
static int have_opts;
static char **words;

/* Frees the kept run. */
EMSCRIPTEN_KEEPALIVE void hl_ostep_release(void)
{
    ostep_result_free(&run);
    free(words);
    words = NULL;
    have_opts = 0;
}

/* Runs the command line in the input buffer; returns the status
 * (0, OSTEP_HELP = 1, or a negative OSTEP_E* code). max_ops 0 = no limit. */
EMSCRIPTEN_KEEPALIVE int hl_ostep_run(int len, int flags, int max_ops)
{
    char err[256];
    int argc, rc;
    hl_ostep_release();
    ostep_result_init(&run);
    run.record = OSTEP_RECORD_STEPS;
    run.max_ops = max_ops > 0 ? (uint64_t)max_ops : 0;
    char *input = input_bytes(); /* the command line (split copies it: nothing keeps pointers into it) */
    if (!input || len < 0 || (size_t)len >= input_capacity()) {
        run.status = OSTEP_E_USAGE;
        strcpy(run.error, "no command line in the input buffer");
        return run.status;
    }
    input[len] = 0;
    argc = ostep_split_cmdline(input, (size_t)len, &words);
    if (argc < 0) {
        run.status = argc == -1 ? OSTEP_E_USAGE : OSTEP_E_NOMEM;
        strcpy(run.error, argc == -1 ? "unbalanced quote in the command line" : "out of memory");
        return run.status;
    }
    rc = ostep_parse_args(argc, words, &opts, err, sizeof err);
    if (rc == OSTEP_HELP) return ostep_run_argv(argc, words, &run);
    if (rc) {
        run.status = rc;
        memcpy(run.error, err, sizeof run.error);
        return rc;
    }
    if (flags & OSTEP_WASM_COMPUTE_ON) opts.compute = 1;
    if (flags & OSTEP_WASM_COMPUTE_OFF) opts.compute = 0;
    have_opts = 1;
    return ostep_run(&opts, &run);
}

EMSCRIPTEN_KEEPALIVE int hl_ostep_status(void) { return run.status; }
/* The error line (NUL-terminated UTF-8) and its length in bytes. */
EMSCRIPTEN_KEEPALIVE int hl_ostep_error_ptr(void) { return (int)(intptr_t)run.error; }
EMSCRIPTEN_KEEPALIVE int hl_ostep_error_len(void) { return (int)strlen(run.error); }
/* The output text (UTF-8, exactly what malloc.py prints) and its length. */
EMSCRIPTEN_KEEPALIVE int hl_ostep_text_ptr(void) { return (int)(intptr_t)run.text; }
EMSCRIPTEN_KEEPALIVE int hl_ostep_text_len(void) { return (int)run.text_len; }
EMSCRIPTEN_KEEPALIVE int hl_ostep_step_count(void) { return (int)run.step_count; }
/* 1 when snapshots stopped early (entry/block/event counts are 0 after). */
EMSCRIPTEN_KEEPALIVE int hl_ostep_truncated(void) { return run.snapshots_truncated; }

/* malloc.py's options as parsed (policy and order as numbers of
 * hl_ostep_policy_name / hl_ostep_order_name, -1 unknown; explicit: -A given). */
#define OPTION_FIELDS(X)                                                                              \
    X(seed, (double)opts.seed) X(size, (double)opts.heap_size) X(baseAddr, (double)opts.base_addr)    \
    X(headerSize, (double)opts.header_size) X(alignment, (double)opts.alignment)                      \
    X(numOps, (double)opts.num_ops) X(range, (double)opts.range) X(percentAlloc, (double)opts.percent_alloc) \
    X(policy, ostep_policy_from_name(opts.policy)) X(order, ostep_order_from_name(opts.order))        \
    X(coalesce, opts.coalesce) X(compute, opts.compute) X(explicit, opts.alloc_list[0] != 0)
/* One step s (struct ostep_step); kind names: hl_ostep_step_kind_name. */
#define STEP_FIELDS(X)                                                                              \
    X(kind, s->kind) X(ptr, (double)s->ptr) X(request, (double)s->request) X(need, (double)s->need) \
    X(addr, (double)s->addr) X(result, (double)s->result) X(searched, (double)s->searched)          \
    X(chosen, (double)s->chosen) X(textOff, (double)s->text_off) X(textLen, (double)s->text_len)    \
    X(entryCount, (double)s->entry_count) X(blockCount, (double)s->block_count)                     \
    X(eventCount, (double)s->event_count)
/* One free-list entry e (struct ostep_entry), in list order. */
#define ENTRY_FIELDS(X) X(addr, (double)e->addr) X(size, (double)e->size)
/* One address-map block b (struct ostep_block): ptr -1 when free, listPos -1 when live. */
#define BLOCK_FIELDS(X)                                                                               \
    X(addr, (double)b->addr) X(size, (double)b->size) X(payload, (double)b->payload)                  \
    X(request, (double)b->request) X(ptr, (double)b->ptr) X(listPos, (double)b->list_pos) X(free, b->is_free)
/* One event e (struct ostep_event): kind is log/event_kinds.h's EV_*. */
#define EVENT_FIELDS(X) X(kind, e->kind) X(a, (double)e->a) X(b, (double)e->b) X(c, (double)e->c)

enum {
    OPTION_COUNT = 0 OPTION_FIELDS(TABLE_COUNT), STEP_COUNT = 0 STEP_FIELDS(TABLE_COUNT),
    ENTRY_COUNT = 0 ENTRY_FIELDS(TABLE_COUNT), BLOCK_COUNT = 0 BLOCK_FIELDS(TABLE_COUNT),
    EVENT_COUNT = 0 EVENT_FIELDS(TABLE_COUNT)
};

/* The field names of the five rows, comma-separated, in the order of `field` below. */
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_option_fields(void) { return OPTION_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_step_fields(void) { return STEP_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_entry_fields(void) { return ENTRY_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_block_fields(void) { return BLOCK_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_event_fields(void) { return EVENT_FIELDS(TABLE_NAME); }

/* Option `field` of the kept run (hl_ostep_option_fields), NaN before a parsed run. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_option(int field)
{
    if (!have_opts || field < 0 || field >= OPTION_COUNT) return NAN;
    const double v[OPTION_COUNT] = {OPTION_FIELDS(TABLE_VALUE)};
    return v[field];
}

/* Field `field` of step i (hl_ostep_step_fields), NaN out of range. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_step(int i, int field)
{
    if (i < 0 || (size_t)i >= run.step_count || field < 0 || field >= STEP_COUNT) return NAN;
    const struct ostep_step *s = &run.steps[i];
    const double v[STEP_COUNT] = {STEP_FIELDS(TABLE_VALUE)};
    return v[field];
}

/* Field `field` of free-list entry j of step i (hl_ostep_entry_fields), NaN out of range. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_entry(int i, int j, int field)
{
    if (i < 0 || (size_t)i >= run.step_count || j < 0 || (size_t)j >= run.steps[i].entry_count ||
        field < 0 || field >= ENTRY_COUNT)
        return NAN;
    const struct ostep_entry *e = &run.entries[run.steps[i].entry_off + (size_t)j];
    const double v[ENTRY_COUNT] = {ENTRY_FIELDS(TABLE_VALUE)};
    return v[field];
}

/* Field `field` of address-map block j of step i (hl_ostep_block_fields), NaN out of range. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_block(int i, int j, int field)
{
    if (i < 0 || (size_t)i >= run.step_count || j < 0 || (size_t)j >= run.steps[i].block_count ||
        field < 0 || field >= BLOCK_COUNT)
        return NAN;
    const struct ostep_block *b = &run.blocks[run.steps[i].block_off + (size_t)j];
    const double v[BLOCK_COUNT] = {BLOCK_FIELDS(TABLE_VALUE)};
    return v[field];
}

/* Field `field` of event j of step i (hl_ostep_event_fields), NaN out of range. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_event(int i, int j, int field)
{
    if (i < 0 || (size_t)i >= run.step_count || j < 0 || (size_t)j >= run.steps[i].event_count ||
        field < 0 || field >= EVENT_COUNT)
        return NAN;
    const struct ostep_event *e = &run.events[run.steps[i].event_off + (size_t)j];
    const double v[EVENT_COUNT] = {EVENT_FIELDS(TABLE_VALUE)};
    return v[field];
}

/* Names by number, NULL past the end: step kinds (enum ostep_step_kind),
 * policies and list orders as malloc.py spells them. */
static const char *const step_kind_names[] = {"start", "alloc", "free", "skip"};
_Static_assert(sizeof step_kind_names / sizeof step_kind_names[0] == OSTEP_STEP_SKIP + 1,
               "one name per enum ostep_step_kind, in order");
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_step_kind_name(int i)
{
    return i >= 0 && i <= OSTEP_STEP_SKIP ? step_kind_names[i] : NULL;
}
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_policy_name(int i)
{
    return i >= OSTEP_BEST && i <= OSTEP_FIRST ? ostep_policy_name(i) : NULL;
}
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_order_name(int i)
{
    return i >= OSTEP_ADDRSORT && i <= OSTEP_INSERT_BACK ? ostep_order_name(i) : NULL;
}

/* The run's status codes and flags JS needs, by name (NULL name past the end). */
#define CONSTANT_FIELDS(X)                                                                     \
    X(HELP, OSTEP_HELP) X(E_USAGE, OSTEP_E_USAGE) X(E_NOMEM, OSTEP_E_NOMEM) X(E_LIMIT, OSTEP_E_LIMIT) \
    X(COMPUTE_ON, OSTEP_WASM_COMPUTE_ON) X(COMPUTE_OFF, OSTEP_WASM_COMPUTE_OFF)
enum { CONSTANT_COUNT = 0 CONSTANT_FIELDS(TABLE_COUNT) };
EMSCRIPTEN_KEEPALIVE const char *hl_ostep_constant_fields(void) { return CONSTANT_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE int hl_ostep_constant(int i)
{
    const int v[CONSTANT_COUNT] = {CONSTANT_FIELDS(TABLE_VALUE)};
    return i >= 0 && i < CONSTANT_COUNT ? v[i] : 0;
}

#else
typedef int ostep_wasm_api_native_build_has_nothing_here;
#endif
