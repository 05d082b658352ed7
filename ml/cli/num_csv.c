/* num_csv.c: a strict reader of numeric CSV (format in num_csv.h). The whole
 * text is validated before a table is returned; nothing is half-filled.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/file_text.h"
#include "cli/num_csv.h"

/* Releases the table; t becomes empty. */
void num_csv_free(struct num_table *t)
{
    free(t->data);
    memset(t, 0, sizeof *t);
}

/* Number of comma-separated fields in line[0..len). */
static int count_fields(const char *line, size_t len)
{
    int n = 1;
    for (size_t i = 0; i < len; i++)
        if (line[i] == ',') n++;
    return n;
}

/* Parses one field as a finite double; 0 or -1. */
static int parse_field(const char *p, size_t len, double *v)
{
    char buf[128];
    while (len && (*p == ' ' || *p == '\t')) { p++; len--; }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (*end != '\0' || !isfinite(d)) return -1;
    *v = d;
    return 0;
}

/* 0 with a complete table, or -1 with err = "name:line: what". */
int num_csv_parse(const char *text, size_t len, const char *name, struct num_table *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    int cols = 0, rows = 0, cap = 0;
    double *data = NULL;
    unsigned line_no = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n') e++;
        size_t l = e - pos;
        const char *line = text + pos;
        pos = e + 1;
        line_no++;
        if (l && line[l - 1] == '\r') l--;
        size_t k = 0;
        while (k < l && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == l) continue; /* blank */
        int nf = count_fields(line, l);
        if (!cols) { /* header */
            cols = nf;
            continue;
        }
        if (nf != cols) {
            snprintf(err, errlen, "%s:%u: expected %d columns, found %d", name, line_no, cols, nf);
            free(data);
            return -1;
        }
        if (rows == cap) {
            cap = cap ? cap * 2 : 256;
            double *nd = realloc(data, (size_t)cap * cols * sizeof *nd);
            if (!nd) {
                snprintf(err, errlen, "%s:%u: out of memory", name, line_no);
                free(data);
                return -1;
            }
            data = nd;
        }
        size_t s = 0;
        for (int c = 0; c < cols; c++) {
            size_t f = s;
            while (f < l && line[f] != ',') f++;
            if (parse_field(line + s, f - s, &data[(size_t)rows * cols + c])) {
                snprintf(err, errlen, "%s:%u: column %d: not a finite number: '%.*s'", name, line_no,
                         c + 1, (int)((f - s) > 40 ? 40 : (f - s)), line + s);
                free(data);
                return -1;
            }
            s = f + 1;
        }
        rows++;
    }
    if (!cols) {
        snprintf(err, errlen, "%s:1: empty file (a header row is required)", name);
        return -1;
    }
    if (!rows) {
        snprintf(err, errlen, "%s:%u: no data rows after the header", name, line_no ? line_no : 1);
        free(data);
        return -1;
    }
    out->rows = rows;
    out->cols = cols;
    out->data = data;
    return 0;
}

/* num_csv_parse of a whole file; -1 with "path:0: ..." when unreadable. */
int num_csv_load(const char *path, struct num_table *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t n;
    char why[256];
    char *buf = file_text_read(path, &n, why, sizeof why);
    if (!buf) {
        snprintf(err, errlen, "%s:0: cannot read (%s)", path, why);
        return -1;
    }
    int rc = num_csv_parse(buf, n, path, out, err, errlen);
    free(buf);
    return rc;
}
