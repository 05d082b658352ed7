/* trace_sites.h: the call sites of a trace's ops, from the rich CSV's
 * optional `site` column (written by `heaplab record --sites`: a name such
 * as "libc.so.6!strdup+0x1a" or "sort+0x6a12", stable across runs).
 *
 * Names are interned: each distinct name gets a site number (0, 1, ... in
 * order of first appearance) and is stored once; an op holds its site's
 * number, or none (a free row, or a trace without the column). A trace
 * without any site has t->sites == NULL and costs nothing.
 */
#ifndef HEAPLAB_TRACE_SITES_H
#define HEAPLAB_TRACE_SITES_H

#include <stddef.h>
#include <stdint.h>
#include "trace/trace.h"

struct trace_sites {
    uint32_t *of_op;          /* of_op[i]: op i's site number + 1, 0 = none; for i < n_ops */
    size_t n_ops, cap_ops;
    char *text;               /* the names, each NUL-terminated */
    size_t text_len, text_cap;
    uint32_t *name_at;        /* site number -> offset of its name in text */
    uint32_t count, cap;
    uint32_t *slots;          /* open addressing: name -> site number + 1 (0 empty) */
    uint32_t slot_cap;
};

/* Gives op `op` the site named by len bytes at name (interned); 0, or -1 out of memory. */
int trace_site_set(struct trace *t, size_t op, const char *name, size_t len);
/* Op `op`'s site number, or -1 when it has none. */
int64_t trace_site_of(const struct trace *t, size_t op);
/* Number of distinct sites (0 without a site column). */
uint32_t trace_site_count(const struct trace *t);
/* Name of site number s (NUL-terminated, owned by the trace), or NULL. */
const char *trace_site_name(const struct trace *t, uint32_t s);
/* Gives dst's op dst_op the site src's op src_op has (if any); 0 or -1. */
int trace_site_copy_op(struct trace *dst, size_t dst_op, const struct trace *src, size_t src_op);
/* Copies src's sites of its first k ops into dst (which has none); 0 or -1. */
int trace_sites_copy(const struct trace *src, size_t k, struct trace *dst);
/* Releases t->sites (t->sites becomes NULL). */
void trace_sites_free(struct trace *t);

#endif
