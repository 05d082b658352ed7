/* strbuf.c: growable text buffer (see strbuf.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "util/strbuf.h"

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
        size_t need = b->len + (n > 0 ? (size_t)n : 0) + 1;
        size_t nc = b->cap ? b->cap * 2 : 256;
        while (nc < need) nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns) { b->failed = 1; return; }
        b->s = ns;
        b->cap = nc;
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
