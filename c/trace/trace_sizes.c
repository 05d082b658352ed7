/* trace_sizes.c: requested sizes of a trace (see trace_sizes.h). */
#include <stdlib.h>
#include "trace/trace_sizes.h"
#include "trace/trace_sites.h"

/* Count of requested sizes written to *out, or -1 out of memory. */
int trace_request_sizes(const struct trace *t, int with_realloc, double **out)
{
    *out = malloc((t->n + 1) * sizeof **out);
    if (!*out) return -1;
    int m = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->ops[i].op == TRACE_ALLOC || (with_realloc && t->ops[i].op == TRACE_REALLOC))
            (*out)[m++] = (double)t->ops[i].size;
    return m;
}

/* Count of request sites written to *out, or -1 out of memory. */
int trace_request_sites(const struct trace *t, int with_realloc, double **out)
{
    *out = malloc((t->n + 1) * sizeof **out);
    if (!*out) return -1;
    int m = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->ops[i].op == TRACE_ALLOC || (with_realloc && t->ops[i].op == TRACE_REALLOC))
            (*out)[m++] = (double)trace_site_of(t, i);
    return m;
}
