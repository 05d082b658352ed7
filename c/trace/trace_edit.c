/* trace_edit.c: changing a parsed trace in place, keeping it valid: cut it
 * after its first k ops, and ask whether an id is live at its end (what an
 * op appended there may do: alloc a dead id, free or realloc a live one).
 */
#include "trace/trace.h"

void trace_truncate(struct trace *t, size_t k) {
    if (k >= t->n) return;
    t->n = k;
    t->max_id = -1;
    for (size_t i = 0; i < k; i++) {
        const struct trace_op *o = &t->ops[i];
        if ((o->op == TRACE_ALLOC || o->op == TRACE_FREE || o->op == TRACE_REALLOC) && o->id > t->max_id)
            t->max_id = o->id;
    }
}

int trace_id_live(const struct trace *t, int64_t id) {
    if (id < 0 || id > t->max_id) return 0;
    int live = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct trace_op *o = &t->ops[i];
        if (o->id != id) continue;
        if (o->op == TRACE_ALLOC) live = 1;
        else if (o->op == TRACE_FREE) live = 0;
    }
    return live;
}
