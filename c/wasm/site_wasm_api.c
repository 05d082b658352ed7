/* site_wasm_api.c: a trace's call sites (c/trace/trace_sites.h, the rich
 * CSV's `site` column) as the wasm module exports them: the distinct names,
 * read once by JS, and a table of each op's site number (-1: none). The
 * names are C's: JS never parses the site column itself.
 * The whole file is wasm-only; the native build compiles it to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <stdlib.h>
#include "heap/allocator.h"
#include "trace/trace.h"
#include "trace/trace_sites.h"
#include "wasm/wasm_io.h"

static int32_t *op_sites;

/* Number of distinct sites of trace t (0 without a site column), or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE int hl_trace_site_count(int t) {
    const struct trace *p = wasm_trace(t);
    return p ? (int)trace_site_count(p) : HEAP_EINVAL;
}

/* Name of site s of trace t (NUL-terminated, owned by the trace), or NULL. */
EMSCRIPTEN_KEEPALIVE const char *hl_trace_site_name(int t, int s) {
    const struct trace *p = wasm_trace(t);
    return p && s >= 0 ? trace_site_name(p, (uint32_t)s) : NULL;
}

/* Fills the op-sites table (hl_op_sites_ptr) with each op's site number
 * (-1: none); returns the op count, HEAP_EINVAL or HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_trace_op_sites(int t) {
    const struct trace *p = wasm_trace(t);
    if (!p) return HEAP_EINVAL;
    int32_t *a = realloc(op_sites, (p->n + 1) * sizeof *a);
    if (!a) return HEAP_ENOMEM;
    op_sites = a;
    for (size_t i = 0; i < p->n; i++) a[i] = (int32_t)trace_site_of(p, i);
    return (int)p->n;
}

EMSCRIPTEN_KEEPALIVE int32_t *hl_op_sites_ptr(void) { return op_sites; }

#else
typedef int site_wasm_api_native_build; /* ISO C wants a non-empty unit */
#endif
