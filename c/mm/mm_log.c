/* mm_log.c: the mm log's names, reader and writers (format in mm_log.h).
 * The reader checks everything before keeping anything: the first line, each
 * record's field count and numbers, ops increasing inside their trace's
 * length, every trace ended once; a bad line is "name:line: what" and the
 * log comes back empty.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm/mm_log.h"

static const char *const status_names[MM_STATUS_COUNT] = {
    "ok", "invalid", "out-of-memory", "crash", "timeout", "exit", "error"};
static const char *const check_names[MM_CHECK_COUNT] = {
    "none", "init", "null", "align", "outside", "overlap", "changed", "realloc"};

static const char *const decode_names[MM_DECODE_COUNT] = {"none", "ok", "stopped"};

const char *mm_decode_name(int d) { return d >= 0 && d < MM_DECODE_COUNT ? decode_names[d] : "?"; }
const char *mm_status_name(int s) { return s >= 0 && s < MM_STATUS_COUNT ? status_names[s] : "?"; }
const char *mm_check_name(int c) { return c >= 0 && c < MM_CHECK_COUNT ? check_names[c] : "?"; }

static int name_index(const char *const *names, int n, const char *s, size_t len) {
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) return i;
    return -1;
}

int mm_log_detect(const char *text, size_t len) {
    size_t m = strlen(MM_LOG_MAGIC);
    return len >= m && memcmp(text, MM_LOG_MAGIC, m) == 0 && (len == m || text[m] == '\n' || text[m] == '\r');
}

void mm_log_free(struct mm_log *log) {
    free(log->rows);
    free(log->traces);
    free(log->blocks);
    memset(log, 0, sizeof *log);
}

/* A line cut into at most max fields; the last takes the rest of the line. */
struct fields { const char *s[8]; size_t len[8]; int n; };

static void split(const char *s, size_t len, int max, struct fields *f) {
    f->n = 0;
    size_t a = 0;
    while (f->n < max - 1) {
        const char *c = memchr(s + a, ',', len - a);
        if (!c) break;
        f->s[f->n] = s + a;
        f->len[f->n++] = (size_t)(c - (s + a));
        a = (size_t)(c - s) + 1;
    }
    f->s[f->n] = s + a;
    f->len[f->n++] = len - a;
}

/* Parses field k as an unsigned decimal (or -1 / - when neg_ok); 0 or -1. */
static int field_num(const struct fields *f, int k, int neg_ok, int64_t *out) {
    const char *s = f->s[k];
    size_t n = f->len[k];
    if (neg_ok && ((n == 1 && s[0] == '-') || (n == 2 && s[0] == '-' && s[1] == '1'))) { *out = -1; return 0; }
    if (n == 0 || n > 19) return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > INT64_MAX) return -1;
    *out = (int64_t)v;
    return 0;
}

static void copy_text(char *dst, const char *s, size_t n) {
    if (n >= MM_LOG_TEXT_LEN) n = MM_LOG_TEXT_LEN - 1;
    memcpy(dst, s, n);
    dst[n] = 0;
}

static int grow(void **p, size_t *cap, size_t n, size_t elem) {
    if (n < *cap) return 0;
    size_t c = *cap ? *cap * 2 : 64;
    void *q = realloc(*p, c * elem);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

#define FAIL(...) do { snprintf(err, errlen, "%s:%zu: ", name, line); \
    size_t l_ = strlen(err); snprintf(err + l_, errlen > l_ ? errlen - l_ : 0, __VA_ARGS__); goto bad; } while (0)

int mm_log_parse(const char *text, size_t len, const char *name, struct mm_log *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    size_t line = 1, pos = 0; /* line: the number of the line being read */
    int open = 0; /* a trace begun and not ended */
    if (!mm_log_detect(text, len)) FAIL("not an mm log (the first line is not \"%s\")", MM_LOG_MAGIC);
    line = 0;
    while (pos < len) {
        line++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
        const char *s = text + pos;
        if (n && s[n - 1] == '\r') n--;
        pos = end + 1;
        if (line == 1 || n == 0 || s[0] == '#') continue;
        struct fields f;
        int64_t v[6];
        if (n >= 6 && memcmp(s, "trace,", 6) == 0) {
            split(s, n, 5, &f);
            if (f.n != 5) FAIL("a trace record has 5 fields: trace,INDEX,OPS,ALIGN,NAME");
            if (open) FAIL("trace %zu begins before the trace before it ended", out->n_traces);
            for (int k = 1; k < 4; k++)
                if (field_num(&f, k, 0, &v[k])) FAIL("field %d of the trace record is not a number", k + 1);
            if ((size_t)v[1] != out->n_traces) FAIL("trace index %" PRId64 ", expected %zu", v[1], out->n_traces);
            if (v[3] != 8 && v[3] != 16) FAIL("alignment %" PRId64 " (8 or 16)", v[3]);
            if (grow((void **)&out->traces, &out->cap_traces, out->n_traces, sizeof *out->traces)) FAIL("out of memory");
            struct mm_log_trace *t = &out->traces[out->n_traces++];
            memset(t, 0, sizeof *t);
            copy_text(t->name, f.s[4], f.len[4]);
            t->ops = (uint64_t)v[2];
            t->align = (uint32_t)v[3];
            t->op = t->fail_offset = t->decode_op = -1;
            t->first_row = out->n_rows;
            t->first_block = out->n_blocks;
            open = 1;
        } else if (n >= 4 && memcmp(s, "end,", 4) == 0) {
            split(s, n, 7, &f);
            if (f.n != 7) FAIL("an end record has 7 fields: end,INDEX,STATUS,OP,CHECK,FAIL_OFFSET,MESSAGE");
            if (!open) FAIL("an end record outside a trace");
            struct mm_log_trace *t = &out->traces[out->n_traces - 1];
            if (field_num(&f, 1, 0, &v[1]) || (size_t)v[1] != out->n_traces - 1) FAIL("the end record names another trace");
            if ((t->status = name_index(status_names, MM_STATUS_COUNT, f.s[2], f.len[2])) < 0) FAIL("unknown status");
            if ((t->check = name_index(check_names, MM_CHECK_COUNT, f.s[4], f.len[4])) < 0) FAIL("unknown check");
            if (field_num(&f, 3, 1, &t->op) || field_num(&f, 5, 1, &t->fail_offset)) FAIL("op and offset are numbers or -1");
            if (t->op >= (int64_t)t->ops) FAIL("op %" PRId64 " is past the trace's %" PRIu64 " ops", t->op, t->ops);
            copy_text(t->message, f.s[6], f.len[6]);
            t->n_rows = out->n_rows - t->first_row;
            t->n_blocks = out->n_blocks - t->first_block;
            open = 0;
        } else if (n >= 2 && memcmp(s, "b,", 2) == 0) {
            split(s, n, 6, &f);
            if (f.n != 6) FAIL("a block record has 6 fields: b,OP,+|-,OFFSET,SIZE,ALLOC");
            if (!open) FAIL("a block record outside a trace");
            const struct mm_log_trace *t = &out->traces[out->n_traces - 1];
            if (field_num(&f, 1, 0, &v[1]) || field_num(&f, 3, 0, &v[3]) || field_num(&f, 4, 0, &v[4]) ||
                field_num(&f, 5, 0, &v[5]) || v[5] > 1)
                FAIL("a block record's OP, OFFSET and SIZE are numbers, ALLOC 0 or 1");
            if (f.len[2] != 1 || (f.s[2][0] != '+' && f.s[2][0] != '-')) FAIL("a block record says + or -");
            if (out->n_rows == t->first_row || out->rows[out->n_rows - 1].op != (uint64_t)v[1])
                FAIL("block record of op %" PRId64 " does not follow that op's record", v[1]);
            if (t->decode) FAIL("a block record after the decode record");
            if (grow((void **)&out->blocks, &out->cap_blocks, out->n_blocks, sizeof *out->blocks)) FAIL("out of memory");
            out->blocks[out->n_blocks++] = (struct mm_log_block){ (uint64_t)v[1], f.s[2][0] == '+', (uint8_t)v[5],
                (uint64_t)v[3], (uint64_t)v[4] };
        } else if (n >= 7 && memcmp(s, "decode,", 7) == 0) {
            split(s, n, 6, &f);
            if (f.n != 6) FAIL("a decode record has 6 fields: decode,INDEX,cs-app,STATE,OP,MESSAGE");
            if (!open) FAIL("a decode record outside a trace");
            struct mm_log_trace *t = &out->traces[out->n_traces - 1];
            if (field_num(&f, 1, 0, &v[1]) || (size_t)v[1] != out->n_traces - 1) FAIL("the decode record names another trace");
            if (f.len[2] != 6 || memcmp(f.s[2], "cs-app", 6) != 0) FAIL("the only block format is cs-app");
            int d = name_index(decode_names, MM_DECODE_COUNT, f.s[3], f.len[3]);
            if (d <= MM_DECODE_NONE) FAIL("a decode record's state is ok or stopped");
            if (t->decode) FAIL("a second decode record");
            if (field_num(&f, 4, 1, &t->decode_op)) FAIL("the decode record's op is a number or -1");
            t->decode = d;
            copy_text(t->decode_message, f.s[5], f.len[5]);
        } else {
            split(s, n, 6, &f);
            if (f.n != 6) FAIL("an op record has 6 fields: OP,KIND,ID,SIZE,OFFSET,HEAP");
            if (!open) FAIL("an op record outside a trace");
            const struct mm_log_trace *t = &out->traces[out->n_traces - 1];
            if (field_num(&f, 0, 0, &v[0]) || field_num(&f, 2, 0, &v[2]) || field_num(&f, 3, 0, &v[3]) ||
                field_num(&f, 4, 1, &v[4]) || field_num(&f, 5, 0, &v[5]))
                FAIL("an op record's fields are numbers (OFFSET may be -)");
            if (f.len[1] != 1 || !strchr("arf", f.s[1][0])) FAIL("an op's kind is a, r or f");
            if (v[2] > UINT32_MAX) FAIL("id %" PRId64 " is too large", v[2]);
            if ((uint64_t)v[0] >= t->ops) FAIL("op %" PRId64 " is past the trace's %" PRIu64 " ops", v[0], t->ops);
            if (out->n_rows > t->first_row && (uint64_t)v[0] <= out->rows[out->n_rows - 1].op)
                FAIL("op %" PRId64 " does not follow op %" PRIu64, v[0], out->rows[out->n_rows - 1].op);
            if (grow((void **)&out->rows, &out->cap_rows, out->n_rows, sizeof *out->rows)) FAIL("out of memory");
            out->rows[out->n_rows++] = (struct mm_log_row){ (uint64_t)v[0], (uint8_t)f.s[1][0], (uint32_t)v[2],
                (uint64_t)v[3], v[4] < 0 ? MM_LOG_NULL : (uint64_t)v[4], (uint64_t)v[5] };
        }
    }
    if (open) { FAIL("trace %zu has no end record", out->n_traces - 1); }
    if (out->n_traces == 0) FAIL("no trace in the log");
    return 0;
bad:
    mm_log_free(out);
    return -1;
}

void mm_log_write_magic(struct strbuf *b) { sb_printf(b, "%s\n", MM_LOG_MAGIC); }

/* Appends s with newlines made spaces (it ends a line). */
static void put_text(struct strbuf *b, const char *s) {
    for (; *s; s++) sb_append(b, (*s == '\n' || *s == '\r') ? " " : s, 1);
}

void mm_log_write_trace(struct strbuf *b, unsigned index, uint64_t ops, unsigned align, const char *name) {
    sb_printf(b, "trace,%u,%" PRIu64 ",%u,", index, ops, align);
    put_text(b, name);
    sb_append(b, "\n", 1);
}

void mm_log_write_row(struct strbuf *b, const struct mm_log_row *r) {
    if (r->offset == MM_LOG_NULL)
        sb_printf(b, "%" PRIu64 ",%c,%u,%" PRIu64 ",-,%" PRIu64 "\n", r->op, r->kind, r->id, r->size, r->heap_size);
    else
        sb_printf(b, "%" PRIu64 ",%c,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", r->op, r->kind, r->id, r->size,
                  r->offset, r->heap_size);
}

void mm_log_write_block(struct strbuf *b, const struct mm_log_block *k) {
    sb_printf(b, "b,%" PRIu64 ",%c,%" PRIu64 ",%" PRIu64 ",%u\n", k->op, k->add ? '+' : '-', k->offset, k->size,
              (unsigned)k->alloc);
}

void mm_log_write_decode(struct strbuf *b, unsigned index, const struct mm_log_trace *t) {
    sb_printf(b, "decode,%u,cs-app,%s,%" PRId64 ",", index, mm_decode_name(t->decode), t->decode_op);
    put_text(b, t->decode_message);
    sb_append(b, "\n", 1);
}

void mm_log_write_end(struct strbuf *b, unsigned index, const struct mm_log_trace *t) {
    sb_printf(b, "end,%u,%s,%" PRId64 ",%s,%" PRId64 ",", index, mm_status_name(t->status), t->op,
              mm_check_name(t->check), t->fail_offset);
    put_text(b, t->message);
    sb_append(b, "\n", 1);
}
