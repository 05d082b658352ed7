/* trace_edit.c: changing a parsed trace, keeping it valid: copy or cut it
 * after its first k ops, and ask whether an id is live at its end (what an
 * op appended there may do: alloc a dead id, free or realloc a live one).
 */
#include <stdlib.h>
#include <string.h>
#include "trace/trace.h"
#include "trace/trace_sites.h"

/* Returns the largest id of the first k ops that name a block (-1: none). */
static int64_t max_id_of(const struct trace_op *ops, size_t k) {
    int64_t m = -1;
    for (size_t i = 0; i < k; i++)
        if ((ops[i].op == TRACE_ALLOC || ops[i].op == TRACE_FREE || ops[i].op == TRACE_REALLOC) && ops[i].id > m)
            m = ops[i].id;
    return m;
}

void trace_truncate(struct trace *t, size_t k) {
    if (k >= t->n) return;
    t->n = k;
    t->cuts++;
    t->max_id = max_id_of(t->ops, k);
}

int trace_copy(const struct trace *src, size_t k, struct trace *out) {
    if (k > src->n) k = src->n;
    memset(out, 0, sizeof *out);
    out->format = src->format;
    out->max_id = k == src->n ? src->max_id : max_id_of(src->ops, k);
    if (k == 0) return 0;
    out->ops = malloc(k * sizeof *out->ops);
    if (!out->ops) return -1;
    memcpy(out->ops, src->ops, k * sizeof *out->ops);
    out->n = out->cap = k;
    if (trace_sites_copy(src, k, out) != 0) {
        trace_free(out);
        return -1;
    }
    return 0;
}

int trace_id_live(const struct trace *t, int64_t id) {
    if (id < 0 || id > t->max_id) return 0;
    int live = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct trace_op *o = &t->ops[i];
        if (o->id != id || o->op == TRACE_BAD_FREE || o->op == TRACE_BAD_REALLOC) continue; /* those ids are raw offsets */
        if (o->op == TRACE_ALLOC) live = 1;
        else if (o->op == TRACE_FREE) live = 0;
    }
    return live;
}
