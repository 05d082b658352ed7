/* trace_read.c: reading traces. The format is detected from the first
 * non-blank line (a number: Malloc Lab .rep; ALLOC/FREE/REALLOC: the seed
 * CSV; anything else: a rich CSV header naming op, id and size). Every line
 * is parsed and every op checked against the ids live at that point before
 * the caller applies anything; the first problem is reported as
 * "name:line: what is wrong".
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/file_text.h"
#include "trace/trace.h"
#include "trace/trace_sites.h"

#define MAX_FIELDS 32
#define MAX_ID TRACE_MAX_ID

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

/* Formats the error for the current line; returns -1. */
static int perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct parser *p, const char *fmt, ...) {
    char msg[TRACE_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->err && p->errlen) snprintf(p->err, p->errlen, "%s:%" PRIu32 ": %s", p->name, p->line, msg);
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

/* Reads a size field: an integer in 0 .. 2^64-1. */
static int read_size(struct parser *p, const char *s, const char *e, uint64_t *out) {
    trim(&s, &e);
    if (s < e && *s == '-') {
        int64_t v;
        if (parse_int(s, e, &v) == 0) return perr(p, "size %" PRId64 " is negative", v);
        return perr(p, "size '%.*s' is not a number", (int)(e - s), s);
    }
    uint64_t v = 0;
    const char *d = s < e && *s == '+' ? s + 1 : s;
    if (d == e) return perr(p, "size '%.*s' is not a number", (int)(e - s), s);
    for (; d < e; d++) {
        if (!isdigit((unsigned char)*d)) return perr(p, "size '%.*s' is not a number", (int)(e - s), s);
        if (v > (UINT64_MAX - (uint64_t)(*d - '0')) / 10) return perr(p, "size '%.*s' does not fit in 64 bits", (int)(e - s), s);
        v = v * 10 + (uint64_t)(*d - '0');
    }
    *out = v;
    return 0;
}

/* Reads an id field: an integer in 0..MAX_ID. */
static int read_id(struct parser *p, const char *s, const char *e, int64_t *out) {
    if (parse_int(s, e, out) != 0) return perr(p, "id '%.*s' is not a number", (int)(e - s), s);
    if (*out < 0 || *out > MAX_ID) return perr(p, "id %" PRId64 " out of range 0..%d", *out, MAX_ID);
    return 0;
}

/* Checks op against the live ids and records it. Returns 0 or -1. */
static int apply(struct parser *p, uint8_t op, int64_t id, uint64_t size) {
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
        p->live[id] = op != TRACE_FREE;
    }
    if (trace_push(p->t, op, id, size, p->line) != 0) return perr(p, "out of memory");
    return 0;
}

/* Column indexes of a rich CSV header (-1: absent). */
struct rich_cols { int op, id, size, offset, result, site, thread, time, count; };

/* The columns the rich CSV reader gives a meaning to: the three required
 * (op, id, size) and the optional ones documented in trace.h. The one list
 * of them: a reader that refuses other columns, and any writer, use it. */
static const struct { const char *name; size_t at; } rich_columns[] = {
    {"op", offsetof(struct rich_cols, op)},         {"id", offsetof(struct rich_cols, id)},
    {"size", offsetof(struct rich_cols, size)},     {"offset", offsetof(struct rich_cols, offset)},
    {"result", offsetof(struct rich_cols, result)}, {"site", offsetof(struct rich_cols, site)},
    {"thread", offsetof(struct rich_cols, thread)}, {"time", offsetof(struct rich_cols, time)},
};

static int rich_header(struct parser *p, const char *s, const char *e, struct rich_cols *c) {
    const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
    int n = split(s, e, ',', fs, fe);
    *c = (struct rich_cols){ -1, -1, -1, -1, -1, -1, -1, -1, n };
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof rich_columns / sizeof *rich_columns; k++)
            if (field_is(fs[i], fe[i], rich_columns[k].name)) *(int *)((char *)c + rich_columns[k].at) = i;
    if (c->op < 0 || c->id < 0 || c->size < 0)
        return perr(p, "unrecognised trace: expected a CSV header naming op,id,size, ALLOC,n lines, or a Malloc Lab .rep header");
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
    if (n < c->count) return perr(p, "expected %d fields, found %d", c->count, n);
    uint8_t op;
    if (field_is(fs[c->op], fe[c->op], "alloc")) op = TRACE_ALLOC;
    else if (field_is(fs[c->op], fe[c->op], "free")) op = TRACE_FREE;
    else if (field_is(fs[c->op], fe[c->op], "realloc")) op = TRACE_REALLOC;
    else return perr(p, "unknown op '%.*s' (expected alloc, free or realloc)", (int)(fe[c->op] - fs[c->op]), fs[c->op]);
    uint64_t size = 0;
    int64_t id;
    if (op != TRACE_FREE && read_size(p, fs[c->size], fe[c->size], &size) != 0) return -1;
    /* a recorded bad free/realloc (id -1, negative result) replays at its raw offset */
    if (op != TRACE_ALLOC && c->offset >= 0 && c->result >= 0 && parse_int(fs[c->id], fe[c->id], &id) == 0 && id == -1) {
        int64_t off, res;
        if (parse_int(fs[c->offset], fe[c->offset], &off) != 0 || off < 0) return perr(p, "bad offset");
        if (parse_int(fs[c->result], fe[c->result], &res) != 0 || res >= 0)
            return perr(p, "id -1 is only allowed on a failed call (negative result)");
        if (rich_extras(p, fs, fe, c) != 0 || apply(p, op == TRACE_FREE ? TRACE_BAD_FREE : TRACE_BAD_REALLOC, off, size) != 0)
            return -1;
        return rich_site(p, fs, fe, c);
    }
    if (read_id(p, fs[c->id], fe[c->id], &id) != 0) return -1;
    if (rich_extras(p, fs, fe, c) != 0 || apply(p, op, id, size) != 0) return -1;
    return rich_site(p, fs, fe, c);
}

/* Seed format state: the stack of live ids, most recent on top. */
struct seed_state { int64_t *stack; size_t n, cap; int64_t next_id; };

static int seed_row(struct parser *p, const char *s, const char *e, struct seed_state *st) {
    const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
    int n = split(s, e, ',', fs, fe);
    uint64_t size = 0;
    if (field_is(fs[0], fe[0], "FREE")) {
        if (!st->n) return perr(p, "FREE with no live block");
        return apply(p, TRACE_FREE, st->stack[--st->n], 0);
    }
    int is_alloc = field_is(fs[0], fe[0], "ALLOC");
    if (!is_alloc && !field_is(fs[0], fe[0], "REALLOC"))
        return perr(p, "unknown op '%.*s' (expected ALLOC, FREE or REALLOC)", (int)(fe[0] - fs[0]), fs[0]);
    if (n < 2) return perr(p, "%s needs a size", is_alloc ? "ALLOC" : "REALLOC");
    if (read_size(p, fs[1], fe[1], &size) != 0) return -1;
    if (!is_alloc) {
        if (!st->n) return perr(p, "REALLOC with no live block");
        return apply(p, TRACE_REALLOC, st->stack[st->n - 1], size);
    }
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 256;
        int64_t *a = realloc(st->stack, cap * sizeof *a);
        if (!a) return perr(p, "out of memory");
        st->stack = a;
        st->cap = cap;
    }
    st->stack[st->n++] = st->next_id;
    return apply(p, TRACE_ALLOC, st->next_id++, size);
}

/* Malloc Lab .rep state: the four header numbers. */
struct rep_state { int64_t header[4]; int nheader; uint32_t header_line; };

static int rep_row(struct parser *p, const char *s, const char *e, struct rep_state *st) {
    const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
    int n = split_ws(s, e, fs, fe);
    if (n == 0) return 0;
    if (st->nheader < 4) {
        for (int i = 0; i < n && st->nheader < 4; i++) {
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
    return apply(p, op, id, size);
}

int trace_parse(const char *text, size_t len, const char *name, struct trace *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->max_id = -1;
    struct parser p = { name ? name : "trace", 0, err, errlen, out, NULL, 0 };
    struct rich_cols cols = { -1, -1, -1, -1, -1, -1, -1, -1, 0 };
    struct seed_state seed = { 0 };
    struct rep_state rep = { 0 };
    int format = -1, rc = 0;
    const char *s = text, *end = text + len;
    while (s < end && rc == 0) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        const char *next = e ? e + 1 : end;
        if (!e) e = end;
        p.line++;
        const char *ts = s, *te = e;
        trim(&ts, &te);
        s = next;
        if (ts == te) continue;
        if (format < 0) {
            const char *fs[MAX_FIELDS], *fe[MAX_FIELDS];
            split(ts, te, ',', fs, fe);
            if (isdigit((unsigned char)*ts)) format = TRACE_REP;
            else if (field_is(fs[0], fe[0], "ALLOC") || field_is(fs[0], fe[0], "FREE") || field_is(fs[0], fe[0], "REALLOC"))
                format = TRACE_SEED;
            else {
                format = TRACE_RICH;
                rc = rich_header(&p, ts, te, &cols);
                continue;
            }
        }
        if (format == TRACE_RICH) rc = rich_row(&p, ts, te, &cols);
        else if (format == TRACE_SEED) rc = seed_row(&p, ts, te, &seed);
        else rc = rep_row(&p, ts, te, &rep);
    }
    if (rc == 0 && format < 0) {
        p.line = 1;
        rc = perr(&p, "empty trace");
    }
    if (rc == 0 && format == TRACE_REP) {
        p.line = rep.header_line;
        if (rep.nheader < 4) rc = perr(&p, ".rep header needs 4 numbers (heap size, ids, ops, weight)");
        else if ((int64_t)out->n != rep.header[2])
            rc = perr(&p, ".rep header says %" PRId64 " ops, the file has %zu", rep.header[2], out->n);
    }
    free(p.live);
    free(seed.stack);
    out->format = format;
    if (rc != 0) trace_free(out);
    return rc;
}

int trace_load_file(const char *path, struct trace *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->max_id = -1;
    size_t len;
    char *buf = file_text_read(path, &len, err, errlen);
    if (!buf) return -1;
    int rc = trace_parse(buf, len, path, out, err, errlen);
    free(buf);
    return rc;
}
