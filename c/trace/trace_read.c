/* trace_read.c: reading traces. The format is detected from the first
 * non-blank line (a number: Malloc Lab .rep; ALLOC/FREE/REALLOC: the seed
 * CSV; anything else: a rich CSV header naming op, id and size). Every line
 * is parsed and every op checked against the ids live at that point before
 * the caller applies anything; the first problem is reported as
 * "name:line: what is wrong". A file is read a chunk at a time and each
 * line checked as it arrives: reading stops at the first error, and memory
 * holds the ops, not the text. Text in memory can be fed in slices of any
 * size (trace_parse_begin / _more / _end: a line may span slices, so the
 * parse carries the partial line), which is what trace_parse does in one
 * slice, so both give the same ops and the same errors.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "trace/trace.h"
#include "trace/trace_sites.h"

#define MAX_FIELDS 32
#define MAX_ID TRACE_MAX_ID
#define TRACE_MAX_LINE (1 << 16) /* bytes in one line of a trace file */

/* Parsing state shared by the three readers. */
struct parser {
    const char *name;
    uint32_t line;
    char *err;
    size_t errlen;
    struct trace *t;
    uint8_t *live; /* live[id]: 1 while the id is allocated in the trace */
    uint32_t live_cap;
};

/* Copies NUL-terminated src into dst (size n > 0), control bytes written as
 * \xNN, so an error echoing a file's bytes never drives a terminal. */
static void text_escape(const char *src, char *dst, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    for (const unsigned char *s = (const unsigned char *)src; *s && k + 1 < n; s++) {
        if (*s >= 0x20 && *s != 0x7f) { dst[k++] = (char)*s; continue; }
        if (k + 5 > n) break;
        dst[k++] = '\\'; dst[k++] = 'x'; dst[k++] = hex[*s >> 4]; dst[k++] = hex[*s & 15];
    }
    dst[k] = 0;
}

/* Formats the error for the current line (control bytes escaped); returns -1. */
static int perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct parser *p, const char *fmt, ...) {
    char msg[TRACE_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char raw[TRACE_ERR_LEN * 2];
    snprintf(raw, sizeof raw, "%s:%" PRIu32 ": %s", p->name, p->line, msg);
    if (p->err && p->errlen) text_escape(raw, p->err, p->errlen);
    return -1;
}

int trace_push(struct trace *t, uint8_t op, int64_t id, uint64_t size, uint32_t line) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        struct trace_op *ops = realloc(t->ops, cap * sizeof *ops);
        if (!ops) return -1;
        t->ops = ops;
        t->cap = cap;
    }
    t->ops[t->n++] = (struct trace_op){ op, line, id, size };
    if (t->sites && t->n <= t->sites->n_ops) t->sites->of_op[t->n - 1] = 0; /* a slot left by a cut */
    if ((op == TRACE_ALLOC || op == TRACE_FREE || op == TRACE_REALLOC) && id > t->max_id) t->max_id = id;
    return 0;
}

void trace_free(struct trace *t) {
    trace_sites_free(t);
    free(t->ops);
    memset(t, 0, sizeof *t);
    t->max_id = -1;
}

/* Trims spaces around [*s, *e). */
static void trim(const char **s, const char **e) {
    while (*s < *e && isspace((unsigned char)**s)) ++*s;
    while (*e > *s && isspace((unsigned char)(*e)[-1])) --*e;
}

/* Parses a signed decimal integer filling [s, e). Returns 0, or -1 when it is not one. */
static int parse_int(const char *s, const char *e, int64_t *out) {
    trim(&s, &e);
    int neg = s < e && *s == '-';
    if (neg || (s < e && *s == '+')) s++;
    if (s == e) return -1;
    uint64_t v = 0;
    for (; s < e; s++) {
        if (!isdigit((unsigned char)*s)) return -1;
        if (v > (UINT64_MAX - 9) / 10) return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v > (uint64_t)INT64_MAX) return -1;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* Splits [s, e) at `sep` into at most MAX_FIELDS fields; returns the count. */
static int split(const char *s, const char *e, char sep, const char **fs, const char **fe) {
    int n = 0;
    for (;;) {
        const char *c = memchr(s, sep, (size_t)(e - s));
        if (!c) c = e;
        if (n == MAX_FIELDS) return n;
        fs[n] = s;
        fe[n] = c;
        trim(&fs[n], &fe[n]);
        n++;
        if (c == e) return n;
        s = c + 1;
    }
}

/* Splits [s, e) at runs of whitespace; returns the count. */
static int split_ws(const char *s, const char *e, const char **fs, const char **fe) {
    int n = 0;
    while (s < e && n < MAX_FIELDS) {
        while (s < e && isspace((unsigned char)*s)) s++;
        if (s == e) break;
        fs[n] = s;
        while (s < e && !isspace((unsigned char)*s)) s++;
        fe[n++] = s;
    }
    return n;
}

/* Returns 1 when field [s, e) equals word, ignoring case. */
static int field_is(const char *s, const char *e, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(e - s) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)word[i])) return 0;
    return 1;
}

/* Reads an unsigned field (`what`: "size", "offset"): an integer in 0 .. 2^64-1. */
static int read_u64(struct parser *p, const char *what, const char *s, const char *e, uint64_t *out) {
    trim(&s, &e);
    int n = (int)(e - s);
    uint64_t v = 0;
    const char *d = s < e && (*s == '+' || *s == '-') ? s + 1 : s;
    if (d == e) return perr(p, "%s '%.*s' is not a number", what, n, s);
    for (const char *q = d; q < e; q++)
        if (!isdigit((unsigned char)*q)) return perr(p, "%s '%.*s' is not a number", what, n, s);
    if (*s == '-') return perr(p, "%s '%.*s' is negative", what, n, s);
    for (; d < e; d++) {
        if (v > (UINT64_MAX - (uint64_t)(*d - '0')) / 10) return perr(p, "%s '%.*s' does not fit in 64 bits", what, n, s);
        v = v * 10 + (uint64_t)(*d - '0');
    }
    *out = v;
    return 0;
}

static int read_size(struct parser *p, const char *s, const char *e, uint64_t *out) { return read_u64(p, "size", s, e, out); }

/* Reads an id field: an integer in 0..MAX_ID. */
static int read_id(struct parser *p, const char *s, const char *e, int64_t *out) {
    if (parse_int(s, e, out) != 0) return perr(p, "id '%.*s' is not a number", (int)(e - s), s);
    if (*out < 0 || *out > MAX_ID) return perr(p, "id %" PRId64 " out of range 0..%d", *out, MAX_ID);
    return 0;
}

/* Checks op against the live ids and records it. Returns 0 or -1. */
/* `failed`: a log row whose call was refused (negative result): an alloc
 * that failed leaves its id free for reuse. */
static int apply(struct parser *p, uint8_t op, int64_t id, uint64_t size, int failed) {
    if (op == TRACE_ALLOC || op == TRACE_FREE || op == TRACE_REALLOC) {
        if ((uint64_t)id >= p->live_cap) {
            uint32_t cap = p->live_cap ? p->live_cap : 1024;
            while (cap <= (uint64_t)id) cap *= 2;
            uint8_t *l = realloc(p->live, cap);
            if (!l) return perr(p, "out of memory");
            memset(l + p->live_cap, 0, cap - p->live_cap);
            p->live = l;
            p->live_cap = cap;
        }
        if (op == TRACE_ALLOC && p->live[id]) return perr(p, "alloc of id %" PRId64 ", which is already live", id);
        if (op != TRACE_ALLOC && !p->live[id])
            return perr(p, "%s of id %" PRId64 ", which is not live", op == TRACE_FREE ? "free" : "realloc", id);
        p->live[id] = op != TRACE_FREE && !(op == TRACE_ALLOC && failed);
    }
    if (trace_push(p->t, op, id, size, p->line) != 0) return perr(p, "out of memory");
    return 0;
}

/* Column indexes of a rich CSV header (-1: absent). */
struct rich_cols { int op, id, size, offset, result, site, thread, time, count; };


/* The rich CSV's optional columns, in one place: the two a replay reads
 * (offset and result: a recorded call's outcome), the three `heaplab record`
 * writes (site, thread, time: trace.h) and the rest of HeapLab's
 * own log (log/event_log.c), which the reader accepts and skips. A header
 * naming a column that is neither required (op, id, size) nor listed here
 * is refused; a new optional column is one more entry. */
static const char *const RICH_OPTIONAL[] = {
    "offset", "result", "site", "thread", "time", "seq", "block_size", "scanned", "heap_size", "live_bytes", "free_bytes", "largest_free", "free_blocks",
};

/* Returns the index in RICH_OPTIONAL of field [s, e), or -1. */
static int rich_optional(const char *s, const char *e) {
    for (size_t i = 0; i < sizeof RICH_OPTIONAL / sizeof *RICH_OPTIONAL; i++)
        if (field_is(s, e, RICH_OPTIONAL[i])) return (int)i;
    return -1;
}

static int rich_header(struct parser *p, const char *s, const char *e, struct rich_cols *c) {
    const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
    int n = split(s, e, ',', fs, fe);
    *c = (struct rich_cols){ -1, -1, -1, -1, -1, -1, -1, -1, n };
    int seen[sizeof RICH_OPTIONAL / sizeof *RICH_OPTIONAL] = { 0 };
    int has_op = 0, has_id = 0, has_size = 0;
    for (int i = 0; i < n; i++) {
        if (field_is(fs[i], fe[i], "op")) has_op = 1;
        else if (field_is(fs[i], fe[i], "id")) has_id = 1;
        else if (field_is(fs[i], fe[i], "size")) has_size = 1;
    }
    if (!has_op || !has_id || !has_size)
        return perr(p, "unrecognised trace: expected a CSV header naming op,id,size, ALLOC,n lines, or a Malloc Lab .rep header");
    if (n == MAX_FIELDS && memchr(fe[n - 1], ',', (size_t)(e - fe[n - 1]))) return perr(p, "more than %d columns", MAX_FIELDS);
    for (int i = 0; i < n; i++) {
        int *col = field_is(fs[i], fe[i], "op") ? &c->op : field_is(fs[i], fe[i], "id") ? &c->id
                 : field_is(fs[i], fe[i], "size") ? &c->size : NULL;
        int k = col ? -1 : rich_optional(fs[i], fe[i]);
        if (!col && k < 0)
            return perr(p, "unknown column '%.*s' (a rich CSV has op, id, size and optionally offset, result, site, thread, time and the other columns of HeapLab's log)",
                        (int)(fe[i] - fs[i]), fs[i]);
        if ((col && *col >= 0) || (k >= 0 && seen[k]++)) return perr(p, "column '%.*s' appears twice", (int)(fe[i] - fs[i]), fs[i]);
        if (col) *col = i;
        else if (k == 0) c->offset = i;
        else if (k == 1) c->result = i;
        else if (k == 2) c->site = i;
        else if (k == 3) c->thread = i;
        else if (k == 4) c->time = i;
    }
    return 0;
}

/* Checks the optional thread and time fields of a row: integers >= 0. Returns 0 or -1. */
static int rich_extras(struct parser *p, const char **fs, const char **fe, const struct rich_cols *c) {
    int64_t v;
    if (c->thread >= 0 && (parse_int(fs[c->thread], fe[c->thread], &v) != 0 || v < 0 || v > UINT32_MAX))
        return perr(p, "thread '%.*s' is not a thread number", (int)(fe[c->thread] - fs[c->thread]), fs[c->thread]);
    if (c->time >= 0 && (parse_int(fs[c->time], fe[c->time], &v) != 0 || v < 0))
        return perr(p, "time '%.*s' is not a number of nanoseconds", (int)(fe[c->time] - fs[c->time]), fs[c->time]);
    return 0;
}

/* Gives the op just applied the row's site, when the row names one. Returns 0 or -1. */
static int rich_site(struct parser *p, const char **fs, const char **fe, const struct rich_cols *c) {
    if (c->site < 0 || fs[c->site] == fe[c->site]) return 0;
    if (trace_site_set(p->t, p->t->n - 1, fs[c->site], (size_t)(fe[c->site] - fs[c->site])) != 0)
        return perr(p, "out of memory");
    return 0;
}

static int rich_row(struct parser *p, const char *s, const char *e, const struct rich_cols *c) {
    const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
    int n = split(s, e, ',', fs, fe);
    if (n != c->count) return perr(p, "expected %d fields (one per header column), found %d", c->count, n);
    uint8_t op;
    if (field_is(fs[c->op], fe[c->op], "alloc")) op = TRACE_ALLOC;
    else if (field_is(fs[c->op], fe[c->op], "free")) op = TRACE_FREE;
    else if (field_is(fs[c->op], fe[c->op], "realloc")) op = TRACE_REALLOC;
    else return perr(p, "unknown op '%.*s' (expected alloc, free or realloc)", (int)(fe[c->op] - fs[c->op]), fs[c->op]);
    uint64_t size = 0;
    int64_t id;
    if (read_size(p, fs[c->size], fe[c->size], &size) != 0) return -1; /* a free's is checked, then ignored */
    if (op == TRACE_FREE) size = 0;
    /* a recorded bad free/realloc (id -1, negative result) replays at its raw offset */
    if (op != TRACE_ALLOC && c->offset >= 0 && c->result >= 0 && parse_int(fs[c->id], fe[c->id], &id) == 0 && id == -1) {
        int64_t res;
        uint64_t off;
        if (read_u64(p, "offset", fs[c->offset], fe[c->offset], &off) != 0) return -1;
        if (off == 0) return perr(p, "a refused %s has offset 0 (free(0) and realloc(0, n) are never refused as such)", op == TRACE_FREE ? "free" : "realloc");
        if (parse_int(fs[c->result], fe[c->result], &res) != 0 || res >= 0)
            return perr(p, "id -1 is only allowed on a failed call (negative result)");
        if (rich_extras(p, fs, fe, c) != 0 || apply(p, op == TRACE_FREE ? TRACE_BAD_FREE : TRACE_BAD_REALLOC, (int64_t)off, size, 1) != 0)
            return -1;
        return rich_site(p, fs, fe, c);
    }
    if (read_id(p, fs[c->id], fe[c->id], &id) != 0) return -1;
    int64_t res = 0;
    if (c->result >= 0 && parse_int(fs[c->result], fe[c->result], &res) != 0)
        return perr(p, "result '%.*s' is not a number", (int)(fe[c->result] - fs[c->result]), fs[c->result]);
    if (rich_extras(p, fs, fe, c) != 0 || apply(p, op, id, size, res < 0) != 0) return -1;
    return rich_site(p, fs, fe, c);
}

/* Seed format state: the stack of live ids, most recent on top. */
struct seed_state { int64_t *stack; size_t n, cap; int64_t next_id; };

static int seed_row(struct parser *p, const char *s, const char *e, struct seed_state *st) {
    const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
    int n = split(s, e, ',', fs, fe);
    uint64_t size = 0;
    if (field_is(fs[0], fe[0], "FREE")) {
        if (n != 1) return perr(p, "FREE takes no field, found %d (a rich CSV needs its header line op,id,size)", n - 1);
        if (!st->n) return perr(p, "FREE with no live block");
        return apply(p, TRACE_FREE, st->stack[--st->n], 0, 0);
    }
    int is_alloc = field_is(fs[0], fe[0], "ALLOC");
    if (!is_alloc && !field_is(fs[0], fe[0], "REALLOC"))
        return perr(p, "unknown op '%.*s' (expected ALLOC, FREE or REALLOC)", (int)(fe[0] - fs[0]), fs[0]);
    if (n < 2) return perr(p, "%s needs a size", is_alloc ? "ALLOC" : "REALLOC");
    if (n > 2)
        return perr(p, "%s takes one size, found %d fields (a rich CSV needs its header line op,id,size)", is_alloc ? "ALLOC" : "REALLOC", n - 1);
    if (read_size(p, fs[1], fe[1], &size) != 0) return -1;
    if (!is_alloc) {
        if (!st->n) return perr(p, "REALLOC with no live block");
        return apply(p, TRACE_REALLOC, st->stack[st->n - 1], size, 0);
    }
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 256;
        int64_t *a = realloc(st->stack, cap * sizeof *a);
        if (!a) return perr(p, "out of memory");
        st->stack = a;
        st->cap = cap;
    }
    st->stack[st->n++] = st->next_id;
    return apply(p, TRACE_ALLOC, st->next_id++, size, 0);
}

/* Malloc Lab .rep state: the four header numbers. */
struct rep_state { int64_t header[4]; int nheader; uint32_t header_line; };

static int rep_row(struct parser *p, const char *s, const char *e, struct rep_state *st) {
    const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
    int n = split_ws(s, e, fs, fe);
    if (n == 0) return 0;
    if (st->nheader < 4) {
        for (int i = 0; i < n; i++) {
            if (st->nheader == 4) return perr(p, ".rep header: '%.*s' after its 4 numbers", (int)(fe[i] - fs[i]), fs[i]);
            if (parse_int(fs[i], fe[i], &st->header[st->nheader]) != 0 || st->header[st->nheader] < 0)
                return perr(p, ".rep header: '%.*s' is not a non-negative number", (int)(fe[i] - fs[i]), fs[i]);
            st->nheader++;
        }
        st->header_line = p->line;
        return 0;
    }
    int64_t id;
    uint64_t size = 0;
    uint8_t op;
    if (field_is(fs[0], fe[0], "a")) op = TRACE_ALLOC;
    else if (field_is(fs[0], fe[0], "f")) op = TRACE_FREE;
    else if (field_is(fs[0], fe[0], "r")) op = TRACE_REALLOC;
    else return perr(p, "unknown op '%.*s' (expected a, f or r)", (int)(fe[0] - fs[0]), fs[0]);
    if (n != (op == TRACE_FREE ? 2 : 3)) return perr(p, "'%c' takes %s", op, op == TRACE_FREE ? "an id" : "an id and a size");
    if (read_id(p, fs[1], fe[1], &id) != 0) return -1;
    if (id >= st->header[1]) return perr(p, "id %" PRId64 " is not below num_ids %" PRId64, id, st->header[1]);
    if (op != TRACE_FREE && read_size(p, fs[2], fe[2], &size) != 0) return -1;
    return apply(p, op, id, size, 0);
}

/* A parse in progress: lines are fed one at a time (from memory or from a
 * file read in chunks), so a file is validated as it is read and reading
 * stops at the first error. */
struct reader {
    struct parser p;
    struct rich_cols cols;
    struct seed_state seed;
    struct rep_state rep;
    int format, rc;
};

static void reader_begin(struct reader *r, const char *name, struct trace *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->max_id = -1;
    memset(r, 0, sizeof *r);
    r->p = (struct parser){ name ? name : "trace", 0, err, errlen, out, NULL, 0 };
    r->cols = (struct rich_cols){ -1, -1, -1, -1, -1, -1, -1, -1, 0 };
    r->format = -1;
}

/* Parses one line [s, e) (no newline); returns 0 or -1 (the error is set). */
static int reader_line(struct reader *r, const char *s, const char *e) {
    struct parser *p = &r->p;
    if (p->line == UINT32_MAX) return r->rc = perr(p, "more than %" PRIu32 " lines", UINT32_MAX - 1);
    p->line++;
    if (p->line == 1 && e - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) s += 3; /* a UTF-8 BOM */
    if (memchr(s, 0, (size_t)(e - s))) return r->rc = perr(p, "a NUL byte (not a text trace)");
    const char *ts = s, *te = e;
    trim(&ts, &te);
    if (ts == te) return 0;
    if (r->format < 0) {
        const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
        split(ts, te, ',', fs, fe);
        if (isdigit((unsigned char)*ts)) r->format = TRACE_REP;
        else if (field_is(fs[0], fe[0], "ALLOC") || field_is(fs[0], fe[0], "FREE") || field_is(fs[0], fe[0], "REALLOC"))
            r->format = TRACE_SEED;
        else {
            r->format = TRACE_RICH;
            return r->rc = rich_header(p, ts, te, &r->cols);
        }
    }
    if (r->format == TRACE_RICH) r->rc = rich_row(p, ts, te, &r->cols);
    else if (r->format == TRACE_SEED) r->rc = seed_row(p, ts, te, &r->seed);
    else r->rc = rep_row(p, ts, te, &r->rep);
    return r->rc;
}

/* Finishes the parse (rc: the feeding's result); returns 0 or -1 (out emptied). */
static int reader_end(struct reader *r, int rc) {
    struct parser *p = &r->p;
    struct trace *out = p->t;
    /* no line with an op: an empty trace (what a seed log of only refused calls is) */
    if (r->format < 0) r->format = TRACE_SEED;
    if (rc == 0 && r->format == TRACE_REP) {
        p->line = r->rep.header_line;
        if (r->rep.nheader < 4) rc = perr(p, ".rep header needs 4 numbers (heap size, ids, ops, weight)");
        else if ((int64_t)out->n != r->rep.header[2])
            rc = perr(p, ".rep header says %" PRId64 " ops, the file has %zu", r->rep.header[2], out->n);
    }
    free(p->live);
    free(r->seed.stack);
    out->format = r->format;
    if (rc != 0) trace_free(out);
    return rc;
}

/* A parse fed in slices (trace.h): the reader, its trace and error text,
 * and the carry: the bytes of a line whose newline has not arrived yet. */
struct trace_parse {
    struct reader r;
    struct trace t;
    char err[TRACE_ERR_LEN];
    char *carry;
    size_t carry_len, carry_cap;
    char name[]; /* the trace's name, as errors cite it */
};

struct trace_parse *trace_parse_begin(const char *name) {
    const char *nm = name ? name : "trace";
    size_t nl = strlen(nm);
    struct trace_parse *ps = malloc(sizeof *ps + nl + 1);
    if (!ps) return NULL;
    memcpy(ps->name, nm, nl + 1);
    ps->err[0] = 0;
    ps->carry = NULL;
    ps->carry_len = ps->carry_cap = 0;
    reader_begin(&ps->r, ps->name, &ps->t, ps->err, sizeof ps->err);
    return ps;
}

/* Appends [s, e) to the carried partial line; returns 0 or -1 (out of memory, error set). */
static int carry_add(struct trace_parse *ps, const char *s, const char *e) {
    size_t n = (size_t)(e - s);
    if (ps->carry_len + n > ps->carry_cap) {
        size_t cap = ps->carry_cap ? ps->carry_cap : 256;
        while (cap < ps->carry_len + n) cap *= 2;
        char *c = realloc(ps->carry, cap);
        if (!c) {
            ps->r.p.line++; /* the line being carried */
            return ps->r.rc = perr(&ps->r.p, "out of memory");
        }
        ps->carry = c;
        ps->carry_cap = cap;
    }
    memcpy(ps->carry + ps->carry_len, s, n);
    ps->carry_len += n;
    return 0;
}

int trace_parse_more(struct trace_parse *ps, const char *bytes, size_t len) {
    if (ps->r.rc) return -1;
    for (const char *s = bytes, *end = bytes + len; s < end;) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) return carry_add(ps, s, end);
        if (ps->carry_len) { /* the carried line ends here: parse it whole */
            if (carry_add(ps, s, e) != 0) return -1;
            size_t n = ps->carry_len;
            ps->carry_len = 0;
            if (reader_line(&ps->r, ps->carry, ps->carry + n) != 0) return -1;
        } else if (reader_line(&ps->r, s, e) != 0) {
            return -1;
        }
        s = e + 1;
    }
    return 0;
}

void trace_parse_reserve(struct trace_parse *ps, size_t ops) {
    struct trace *t = &ps->t;
    if (ps->r.rc || ops <= t->cap || ops > SIZE_MAX / sizeof *t->ops) return;
    struct trace_op *o = realloc(t->ops, ops * sizeof *o);
    if (!o) return; /* a hint: the ops grow by doubling instead */
    t->ops = o;
    t->cap = ops;
}

const char *trace_parse_error(const struct trace_parse *ps) { return ps->r.rc ? ps->err : NULL; }

int trace_parse_end(struct trace_parse *ps, struct trace *out, char *err, size_t errlen) {
    int rc = ps->r.rc;
    if (!out) { /* stopped: nothing of it is kept */
        free(ps->r.p.live);
        free(ps->r.seed.stack);
        trace_free(&ps->t);
        free(ps->carry);
        free(ps);
        return 0;
    }
    if (rc == 0 && ps->carry_len) rc = reader_line(&ps->r, ps->carry, ps->carry + ps->carry_len); /* a last line without its newline */
    rc = reader_end(&ps->r, rc);
    if (rc != 0 && err && errlen) snprintf(err, errlen, "%s", ps->err);
    *out = ps->t;
    free(ps->carry);
    free(ps);
    return rc;
}

int trace_parse(const char *text, size_t len, const char *name, struct trace *out, char *err, size_t errlen) {
    struct trace_parse *ps = trace_parse_begin(name);
    if (!ps) {
        memset(out, 0, sizeof *out);
        out->max_id = -1;
        snprintf(err, errlen, "%s:0: out of memory", name ? name : "trace");
        return -1;
    }
    trace_parse_more(ps, text, len);
    return trace_parse_end(ps, out, err, errlen);
}

int trace_load_file(const char *path, struct trace *out, char *err, size_t errlen) {
    struct reader r;
    reader_begin(&r, path, out, err, errlen);
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return reader_end(&r, -1);
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", path, S_ISDIR(st.st_mode) ? "is a directory, not a trace file" : "not a regular file");
        fclose(f);
        return reader_end(&r, -1);
    }
    if ((uint64_t)st.st_size > TRACE_MAX_FILE_BYTES) {
        snprintf(err, errlen, "%s: %.1f GiB: larger than the %u GiB a trace file may have", path,
                 (double)st.st_size / (1u << 30), (unsigned)(TRACE_MAX_FILE_BYTES >> 30));
        fclose(f);
        return reader_end(&r, -1);
    }
    /* chunks of READ_CHUNK bytes; a line may not outgrow TRACE_MAX_LINE */
    enum { READ_CHUNK = 1 << 16 };
    char *buf = malloc(READ_CHUNK + TRACE_MAX_LINE);
    size_t have = 0, got;
    int rc = buf ? 0 : perr(&r.p, "out of memory");
    uint64_t total = 0;
    while (rc == 0 && (got = fread(buf + have, 1, READ_CHUNK, f)) > 0) {
        total += got;
        have += got;
        char *s = buf, *end = buf + have, *e;
        while (rc == 0 && (e = memchr(s, '\n', (size_t)(end - s)))) {
            rc = reader_line(&r, s, e);
            s = e + 1;
        }
        have = (size_t)(end - s);
        if (rc == 0 && have >= TRACE_MAX_LINE) {
            r.p.line++;
            rc = perr(&r.p, "line longer than %d bytes", TRACE_MAX_LINE);
        }
        memmove(buf, s, have);
        if (rc == 0 && total > TRACE_MAX_FILE_BYTES) rc = perr(&r.p, "the file grew past %u GiB while read", (unsigned)(TRACE_MAX_FILE_BYTES >> 30));
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && have) rc = reader_line(&r, buf, buf + have);
    free(buf);
    fclose(f);
    return reader_end(&r, rc);
}
