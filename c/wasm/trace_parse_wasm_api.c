/* trace_parse_wasm_api.c: a trace parsed in slices (trace.h's
 * trace_parse_begin / _more / _end) as the wasm module exports it, so the
 * page can show how far an import's parse has come and stop it.
 *
 *   hl_trace_parse_begin(name_len) -> parse handle (> 0), the name being the
 *        first name_len bytes of the input buffer (cut to 127 bytes, as
 *        hl_trace_parse cuts it); or HEAP_EINVAL / HEAP_ENOMEM
 *   hl_trace_parse_reserve(p, ops) -> 0: room for `ops` ops made at once (a
 *        hint: the page counts the text's lines first; see trace.h)
 *   hl_trace_parse_more(p, len)    -> 0 after parsing the next len bytes of
 *        the text (the input buffer's first len bytes; a line may span
 *        slices); -1 at the first error, "name:line: what" in the text slot
 *   hl_trace_parse_end(p)          -> trace handle (> 0), or -1 with the
 *        error in the text slot; the parse handle is released either way
 *   hl_trace_parse_abort(p)        -> 0: the parse is dropped, nothing kept
 * A bad or released parse handle gives HEAP_EINVAL. The result is the one
 * hl_trace_parse gives for the slices' concatenation (tests/wasm checks).
 * The whole file is wasm-only; the native build compiles it to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <string.h>
#include "heap/allocator.h"
#include "trace/trace.h"
#include "wasm/wasm_io.h"

static struct handle_table parses;

EMSCRIPTEN_KEEPALIVE int hl_trace_parse_begin(double name_len) {
    char name[128];
    size_t unused;
    if (!input_named_text(0, name_len, &unused, name, sizeof name)) return HEAP_EINVAL;
    struct trace_parse *ps = trace_parse_begin(name);
    int h = ps ? handle_add(&parses, ps) : 0;
    if (!h) {
        if (ps) trace_parse_end(ps, NULL, NULL, 0);
        return HEAP_ENOMEM;
    }
    return h;
}

EMSCRIPTEN_KEEPALIVE int hl_trace_parse_reserve(int p, double ops) {
    struct trace_parse *ps = handle_get(&parses, p);
    if (!ps || !(ops >= 0 && ops < 2147483648.0)) return HEAP_EINVAL;
    trace_parse_reserve(ps, (size_t)ops);
    return 0;
}

EMSCRIPTEN_KEEPALIVE int hl_trace_parse_more(int p, double len) {
    struct trace_parse *ps = handle_get(&parses, p);
    if (!ps || !(len >= 0 && len < input_capacity())) return HEAP_EINVAL;
    if (trace_parse_more(ps, input_bytes(), (size_t)len) == 0) return 0;
    return text_error(trace_parse_error(ps));
}

EMSCRIPTEN_KEEPALIVE int hl_trace_parse_end(int p) {
    struct trace_parse *ps = handle_get(&parses, p);
    if (!ps) return HEAP_EINVAL;
    handle_release(&parses, p);
    struct trace t;
    char err[TRACE_ERR_LEN];
    if (trace_parse_end(ps, &t, err, sizeof err) != 0) return text_error(err);
    return trace_keep(&t);
}

EMSCRIPTEN_KEEPALIVE int hl_trace_parse_abort(int p) {
    struct trace_parse *ps = handle_get(&parses, p);
    if (!ps) return HEAP_EINVAL;
    handle_release(&parses, p);
    trace_parse_end(ps, NULL, NULL, 0);
    return 0;
}

#else
typedef int trace_parse_wasm_api_native_build; /* ISO C wants a non-empty unit */
#endif
