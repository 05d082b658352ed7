/* ostep_wasm_api.c: the OSTEP simulator for JavaScript (wasm build only;
 * the native build compiles this file to nothing).
 *
 * Integers and doubles only cross the boundary. JS asks for an input buffer
 * with hl_ostep_input(len), writes the UTF-8 command line there, calls
 * hl_ostep_run(len, flags, max_ops), then reads: the status and the
 * one-line error, the text (pointer + length into HEAPU8), and per step its
 * fields, free-list entries (list order), address-map blocks and events
 * through hl_ostep_step/entry/block/event(..., field), which return NaN
 * for an index out of range. One run is kept at a time; the next run or
 * hl_ostep_release() frees it. Numbers are exact while |v| <= 2^53.
 */
#include "ostep/ostep.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* flags of hl_ostep_run */
#define OSTEP_WASM_COMPUTE_ON 1   /* as if -c were given: answers shown */
#define OSTEP_WASM_COMPUTE_OFF 2  /* as if -c were absent: questions only */

static struct ostep_result run;
static struct ostep_options opts;
static int have_opts;
static char *input;
static size_t input_cap;
static char **words;

/* Returns a buffer for len bytes of command line (plus a NUL), or 0. */
EMSCRIPTEN_KEEPALIVE int hl_ostep_input(int len)
{
    size_t need = (len > 0 ? (size_t)len : 0) + 1;
    if (need > input_cap) {
        char *p = realloc(input, need);
        if (!p) return 0;
        input = p;
        input_cap = need;
    }
    return (int)(intptr_t)input;
}

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
    if (!input || len < 0 || (size_t)len >= input_cap) {
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

/* Options as parsed: 0 seed, 1 size, 2 baseAddr, 3 headerSize, 4 alignment,
 * 5 numOps, 6 range, 7 percentAlloc, 8 policy (0 BEST 1 WORST 2 FIRST, -1
 * unknown), 9 order (0..4 as ostep.h, -1), 10 coalesce, 11 compute,
 * 12 explicit mode (-A given). NaN before a parsed run. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_option(int field)
{
    const int64_t v[] = {opts.seed, opts.heap_size, opts.base_addr, opts.header_size, opts.alignment,
                         opts.num_ops, opts.range, opts.percent_alloc};
    if (!have_opts || field < 0) return NAN;
    if (field < 8) return (double)v[field];
    switch (field) {
    case 8: return ostep_policy_from_name(opts.policy);
    case 9: return ostep_order_from_name(opts.order);
    case 10: return opts.coalesce;
    case 11: return opts.compute;
    case 12: return opts.alloc_list[0] != 0;
    default: return NAN;
    }
}

/* Step fields: 0 kind (0 start 1 alloc 2 free 3 skip), 1 ptr, 2 request,
 * 3 need, 4 addr, 5 result, 6 searched, 7 chosen, 8 text_off, 9 text_len,
 * 10 entry_count, 11 block_count, 12 event_count. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_step(int i, int field)
{
    const struct ostep_step *s;
    if (i < 0 || (size_t)i >= run.step_count) return NAN;
    s = &run.steps[i];
    switch (field) {
    case 0: return s->kind;
    case 1: return (double)s->ptr;
    case 2: return (double)s->request;
    case 3: return (double)s->need;
    case 4: return (double)s->addr;
    case 5: return (double)s->result;
    case 6: return (double)s->searched;
    case 7: return (double)s->chosen;
    case 8: return (double)s->text_off;
    case 9: return (double)s->text_len;
    case 10: return (double)s->entry_count;
    case 11: return (double)s->block_count;
    case 12: return (double)s->event_count;
    default: return NAN;
    }
}

/* Free-list entry j of step i, in list order: 0 addr, 1 size. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_entry(int i, int j, int field)
{
    const struct ostep_entry *e;
    if (i < 0 || (size_t)i >= run.step_count || j < 0 || (size_t)j >= run.steps[i].entry_count) return NAN;
    e = &run.entries[run.steps[i].entry_off + (size_t)j];
    return field == 0 ? (double)e->addr : field == 1 ? (double)e->size : NAN;
}

/* Address-map block j of step i: 0 addr, 1 size, 2 payload, 3 request,
 * 4 ptr (-1 free), 5 list_pos (-1 live), 6 is_free. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_block(int i, int j, int field)
{
    const struct ostep_block *b;
    if (i < 0 || (size_t)i >= run.step_count || j < 0 || (size_t)j >= run.steps[i].block_count) return NAN;
    b = &run.blocks[run.steps[i].block_off + (size_t)j];
    switch (field) {
    case 0: return (double)b->addr;
    case 1: return (double)b->size;
    case 2: return (double)b->payload;
    case 3: return (double)b->request;
    case 4: return (double)b->ptr;
    case 5: return (double)b->list_pos;
    case 6: return b->is_free;
    default: return NAN;
    }
}

/* Event j of step i: 0 kind (log/event_kinds.h EV_*), 1 a, 2 b, 3 c. */
EMSCRIPTEN_KEEPALIVE double hl_ostep_event(int i, int j, int field)
{
    const struct ostep_event *e;
    if (i < 0 || (size_t)i >= run.step_count || j < 0 || (size_t)j >= run.steps[i].event_count) return NAN;
    e = &run.events[run.steps[i].event_off + (size_t)j];
    switch (field) {
    case 0: return e->kind;
    case 1: return (double)e->a;
    case 2: return (double)e->b;
    case 3: return (double)e->c;
    default: return NAN;
    }
}

#else
typedef int ostep_wasm_api_native_build_has_nothing_here;
#endif
