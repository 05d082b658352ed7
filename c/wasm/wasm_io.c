/* wasm_io.c: handle tables, the text slot, the input buffer and argument
 * conversion shared by the wasm faces (see wasm_io.h). Wasm build only;
 * the native build compiles this file to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "wasm/wasm_io.h"

_Static_assert(sizeof(void *) == 4, "the wasm build is wasm32");

static char *text_out; /* last text handed to JS */
static size_t text_len;
static char *input_buf;
static uint32_t input_cap;

int handle_add(struct handle_table *t, void *p) {
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 16;
        void **items = realloc(t->items, cap * sizeof *items);
        if (!items) return 0;
        t->items = items;
        t->cap = cap;
    }
    t->items[t->n++] = p;
    return (int)t->n;
}

void *handle_get(const struct handle_table *t, int h) {
    return h > 0 && (uint32_t)h <= t->n ? t->items[h - 1] : NULL;
}

void handle_release(struct handle_table *t, int h) {
    if (handle_get(t, h)) t->items[h - 1] = NULL;
}

uint64_t u64_arg(double d, uint64_t bad) {
    if (!(d >= 0) || isinf(d) || d != floor(d)) return bad;
    return d >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)d;
}

int text_set(char *s, size_t len) {
    free(text_out);
    text_out = s;
    text_len = s ? len : 0;
    return s ? (int)len : -1;
}

int text_error(const char *msg) {
    size_t n = strlen(msg);
    char *s = malloc(n + 1);
    if (s) memcpy(s, msg, n + 1);
    text_set(s, n);
    return -1;
}

char *input_bytes(void) { return input_buf; }
uint32_t input_capacity(void) { return input_cap; }

const char *input_named_text(double text_len, double name_len, size_t *len, char *name, size_t name_cap) {
    const char *in = input_bytes();
    if (!in || !(text_len >= 0 && name_len >= 0 && text_len + name_len < input_capacity())) return NULL;
    size_t tl = (size_t)text_len, nl = (size_t)name_len;
    if (nl >= name_cap) nl = name_cap - 1;
    memcpy(name, in + tl, nl);
    name[nl] = '\0';
    *len = tl;
    return in;
}

/* The text slot: its address (0 when empty) and length in bytes. */
EMSCRIPTEN_KEEPALIVE char *hl_text_ptr(void) { return text_out; }
EMSCRIPTEN_KEEPALIVE double hl_text_length(void) { return text_out ? (double)text_len : -1; }

/* Returns a buffer of at least n + 1 bytes for JS to write input into, or 0. */
EMSCRIPTEN_KEEPALIVE char *hl_input(double n) {
    if (!(n >= 0 && n < UINT32_MAX)) return NULL;
    uint32_t need = (uint32_t)n + 1;
    if (need > input_cap) {
        char *b = realloc(input_buf, need);
        if (!b) return NULL;
        input_buf = b;
        input_cap = need;
    }
    return input_buf;
}

#else
typedef int wasm_io_native_build; /* ISO C wants a non-empty unit */
#endif
