/* strbuf.h: a growable NUL-terminated text buffer for formatting reports and
 * JSON in library code (which never prints). After an allocation failure
 * the buffer is marked failed and further appends are ignored; the text
 * made so far stays readable in s[0..len) until sb_take. After an append
 * that succeeded, s is non-NULL and NUL-terminated. A zeroed struct is an
 * empty buffer.
 */
#ifndef HEAPLAB_STRBUF_H
#define HEAPLAB_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *s;
    size_t len, cap;
    int failed;
};

/* Appends n raw bytes (NULs included). */
void sb_append(struct strbuf *b, const char *s, size_t n);
/* printf-style append. */
void sb_printf(struct strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends a double as JSON: %.17g, or null when not finite. */
void sb_num(struct strbuf *b, double v);
/* Appends a JSON array of n doubles. */
void sb_num_array(struct strbuf *b, const double *v, int n);
/* Appends a JSON array of n ints. */
void sb_int_array(struct strbuf *b, const int *v, int n);
/* Empties the text, keeping its memory and any failure mark. */
void sb_clear(struct strbuf *b);
/* The text (caller frees), or NULL when an append failed (buffer freed). */
char *sb_take(struct strbuf *b);

#endif
