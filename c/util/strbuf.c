/* strbuf.c: growable text buffer (see strbuf.h). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/strbuf.h"

/* Makes room for extra bytes and the NUL; returns 0, or -1 with b failed. */
static int reserve(struct strbuf *b, size_t extra)
{
    size_t need, nc;
    char *ns;
    if (b->failed) return -1;
    if (extra > SIZE_MAX - 1 - b->len) {
        b->failed = 1;
        return -1;
    }
    need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    nc = b->cap ? b->cap : 256;
    while (nc < need) nc = nc > SIZE_MAX / 2 ? need : nc * 2;
    ns = realloc(b->s, nc);
    if (!ns) {
        b->failed = 1;
        return -1;
    }
    b->s = ns;
    b->cap = nc;
    return 0;
}

/* Appends s[0..n), growing the buffer (marks it failed on OOM). */
void sb_append(struct strbuf *b, const char *s, size_t n)
{
    if (reserve(b, n)) return;
    if (n) memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

/* Appends formatted text, growing the buffer (marks it failed on OOM). */
void sb_printf(struct strbuf *b, const char *fmt, ...)
{
    if (b->failed) return;
    for (;;) {
        size_t room = b->cap - b->len;
        va_list ap;
        va_start(ap, fmt);
        int n = room ? vsnprintf(b->s + b->len, room, fmt, ap) : -2;
        va_end(ap);
        if (n == -1) { b->failed = 1; return; }
        if (n >= 0 && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        if (reserve(b, n > 0 ? (size_t)n : 0)) return;
    }
}

/* Appends v as %.17g, or null when not finite. */
void sb_num(struct strbuf *b, double v)
{
    if (isfinite(v)) sb_printf(b, "%.17g", v);
    else sb_printf(b, "null");
}

/* Appends [v0,...] of doubles. */
void sb_num_array(struct strbuf *b, const double *v, int n)
{
    sb_printf(b, "[");
    for (int i = 0; i < n; i++) {
        if (i) sb_printf(b, ",");
        sb_num(b, v[i]);
    }
    sb_printf(b, "]");
}

/* Appends [v0,...] of ints. */
void sb_int_array(struct strbuf *b, const int *v, int n)
{
    sb_printf(b, "[");
    for (int i = 0; i < n; i++) sb_printf(b, i ? ",%d" : "%d", v[i]);
    sb_printf(b, "]");
}

/* Empties the text; keeps the memory and b->failed. */
void sb_clear(struct strbuf *b)
{
    b->len = 0;
    if (b->s) b->s[0] = 0;
}

/* Hands the text to the caller (NULL after a failure); b becomes empty. */
char *sb_take(struct strbuf *b)
{
    char *s = b->s;
    if (b->failed || !s) {
        free(s);
        s = NULL;
    }
    b->s = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
    return s;
}
