/* ostep_model.h: internal to the OSTEP simulator: the model (ostep_model.c),
 * the recorder of a run's text and steps (ostep_result.c), and the main
 * program that drives both (ostep_run.c).
 *
 * The state is malloc.py's: `list`, the free list of (addr, size) tuples
 * in list order, and `live`, its sizemap {addr: blocksize} kept sorted by
 * address (so lookups are binary searches and the page's address map is a
 * merge). Every sum goes through checked arithmetic: Python's ints never
 * overflow, so an int64 overflow ends the run with OSTEP_E_RANGE instead
 * of printing a wrong number.
 *
 * The model does not know who records it: it reports what it did through
 * an event sink (a function pointer and its context) that its caller sets;
 * ostep_run.c plugs in the recorder's (ostep_result_event_sink). The
 * recorder reads the model's state to snapshot it, and calls nothing of it.
 */
#ifndef HEAPLAB_OSTEP_MODEL_H
#define HEAPLAB_OSTEP_MODEL_H

#include "ostep/ostep.h"

/* Where the model's events go: emit(ctx, e) once per event, in order
 * (kinds and fields as struct ostep_event says in ostep.h). */
struct ostep_event_sink {
    void (*emit)(void *ctx, const struct ostep_event *e);
    void *ctx;
};

/* A live block: sizemap[addr] = size, plus who allocated it, for drawing. */
struct ostep_live { int64_t addr, size, ptr, request; };

struct ostep_model {
    int policy, order, coalesce;
    int64_t heap_size, header, align;
    struct ostep_entry *list;
    size_t n, cap;
    struct ostep_live *live;
    size_t nlive, live_cap;
    void *scratch;          /* sort buffer */
    size_t scratch_cap;
    struct ostep_event_sink sink; /* receives events; emit NULL = none */
};

/* What one malloc did, for the printed line and the step record. */
struct ostep_alloc_out { int64_t addr, need, searched, chosen; };

/* Sets *out = a + b; returns 0, or OSTEP_E_RANGE on int64 overflow. Inline,
 * so the model, the recorder and the main program share it without calling
 * one another. */
static inline int ostep_add(int64_t a, int64_t b, int64_t *out)
{
    return __builtin_add_overflow(a, b, out) ? OSTEP_E_RANGE : 0;
}

/* ---- ostep_model.c */
/* Empty model over [base, base + size); policy/order already validated; no
 * sink (set m->sink afterwards to receive events). */
void ostep_model_init(struct ostep_model *m, const struct ostep_options *o, int policy, int order);
void ostep_model_release(struct ostep_model *m);
/* malloc.py's malloc(): 0 (out->addr is -1 when nothing fits), or
 * OSTEP_E_RANGE / OSTEP_E_LIVE_ADDR / OSTEP_E_NOMEM. */
int ostep_model_malloc(struct ostep_model *m, int64_t request, int64_t ptr, struct ostep_alloc_out *out);
/* malloc.py's free(): 0 with *rc = 0 or -1 (address not live), or a
 * negative OSTEP_E* code. *size gets the freed block's size (0 if none). */
int ostep_model_free(struct ostep_model *m, int64_t addr, int64_t *rc, int64_t *size);

/* ---- ostep_result.c: text, errors and step records of a run */
/* The sink that appends the model's events to r's open step (dropped when
 * r is not recording). */
struct ostep_event_sink ostep_result_event_sink(struct ostep_result *r);
/* Sets the run's error once (the first wins); returns r->status. */
int ostep_fail(struct ostep_result *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Append to the text; return 0 or a negative status. */
int ostep_out_write(struct ostep_result *r, const char *s, size_t len);
int ostep_out_printf(struct ostep_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens a step at the current text position and event count. */
struct ostep_step ostep_begin_step(struct ostep_result *r, int kind, int64_t ptr);
/* Closes and stores a step with snapshots of m; returns 0 or < 0. */
int ostep_end_step(struct ostep_result *r, const struct ostep_model *m, struct ostep_step *s);
/* The list dump, or `unsolved` without -c, then the empty line. */
int ostep_print_tail(struct ostep_result *r, const struct ostep_model *m, const struct ostep_options *o,
                     const char *unsolved);
/* Turns a model error code into the run's error message. */
int ostep_model_fail(struct ostep_result *r, int code, int64_t addr);
/* OSTEP_E_LIMIT once `ops` reaches the caller's max_ops, else 0. */
int ostep_check_limit(struct ostep_result *r, uint64_t ops);

#endif
