/* test_parse_slices.c: a trace fed in slices (trace_parse_begin / _more /
 * _end) gives what trace_parse gives for the whole text, and what
 * trace_load_file gives for the same bytes on disk: the same ops (op, line,
 * id, size), largest id, format and call sites, or the same
 * "name:line: what" error, for slices of every size from 1 byte up and for
 * seeded random slice sizes. Also: a parse stopped part-way (end with no
 * output, as on a cancel) keeps nothing and leaks nothing (ASan), and more
 * after an error does nothing.
 *
 *   test_parse_slices [TMPDIR] [SHARED_TRACES_DIR]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../check.h"
#include "trace/trace.h"
#include "trace/trace_sites.h"

/* 1 when a and b hold the same ops, ids, format and sites. */
static int traces_equal(const struct trace *a, const struct trace *b)
{
    if (a->n != b->n || a->max_id != b->max_id || a->format != b->format) return 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct trace_op *x = &a->ops[i], *y = &b->ops[i];
        if (x->op != y->op || x->line != y->line || x->id != y->id || x->size != y->size) return 0;
    }
    if (trace_site_count(a) != trace_site_count(b)) return 0;
    for (size_t i = 0; i < a->n; i++) {
        int64_t sa = trace_site_of(a, i), sb = trace_site_of(b, i);
        if (sa != sb) return 0;
        if (sa >= 0 && strcmp(trace_site_name(a, (uint32_t)sa), trace_site_name(b, (uint32_t)sb)) != 0) return 0;
    }
    return 1;
}

/* Parses text fed in slices: slice k has size sizes[k % nsizes] (0 in the
 * list: a seeded random size 1..97). Returns trace_parse_end's result. */
static int parse_sliced(const char *text, size_t len, const char *name, const size_t *sizes, int nsizes,
                        uint32_t seed, struct trace *out, char *err, size_t errlen)
{
    struct trace_parse *ps = trace_parse_begin(name);
    if (!ps) return -2;
    uint32_t r = seed | 1;
    for (size_t at = 0, k = 0; at < len; k++) {
        size_t n = sizes[k % (size_t)nsizes];
        if (n == 0) {
            r ^= r << 13; r ^= r >> 17; r ^= r << 5;
            n = 1 + r % 97;
        }
        if (n > len - at) n = len - at;
        int rc = trace_parse_more(ps, text + at, n);
        if (rc != 0 && trace_parse_error(ps) == NULL) { trace_parse_end(ps, NULL, NULL, 0); return -3; }
        at += n;
    }
    trace_parse_more(ps, "", 0); /* an empty slice changes nothing */
    return trace_parse_end(ps, out, err, errlen);
}

static int cases_run;

/* Checks every slicing of text against trace_parse (and trace_load_file when dir is set). */
static void check_text(const char *label, const char *text, size_t len, const char *dir)
{
    char name[64], path[512];
    snprintf(name, sizeof name, "%s", label);
    struct trace whole;
    char werr[TRACE_ERR_LEN] = "";
    int wrc = trace_parse(text, len, name, &whole, werr, sizeof werr);
    static const size_t plans[][4] = {{1}, {2}, {3}, {5}, {7}, {13}, {64}, {4096}, {0}, {1, 0, 300, 2}};
    static const int plan_len[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 4};
    for (size_t p = 0; p < sizeof plans / sizeof plans[0]; p++) {
        for (uint32_t seed = 1; seed <= (plans[p][0] == 0 || plan_len[p] > 1 ? 3u : 1u); seed++) {
            struct trace s;
            char serr[TRACE_ERR_LEN] = "";
            int src = parse_sliced(text, len, name, plans[p], plan_len[p], seed * 2654435761u, &s, serr, sizeof serr);
            int same = src == wrc && (wrc != 0 ? strcmp(serr, werr) == 0 : traces_equal(&s, &whole));
            if (!same)
                fprintf(stderr, "  %s, slices of %zu (seed %u): rc %d vs %d, '%s' vs '%s'\n", label, plans[p][0], seed, src,
                        wrc, serr, werr);
            CHECK("sliced parse = whole parse", same);
            CHECK("a failed parse keeps no ops", src == 0 || (s.n == 0 && s.ops == NULL));
            trace_free(&s);
        }
    }
    if (dir) { /* the file reader (its own chunking) agrees */
        snprintf(path, sizeof path, "%s/%s", dir, label);
        FILE *f = fopen(path, "wb");
        CHECK("temp file", f != NULL);
        if (f) {
            fwrite(text, 1, len, f);
            fclose(f);
            struct trace ft;
            char ferr[TRACE_ERR_LEN] = "", want[TRACE_ERR_LEN + 600] = "";
            int frc = trace_load_file(path, &ft, ferr, sizeof ferr);
            /* the file reader names the path; the memory one the label */
            if (wrc != 0) snprintf(want, sizeof want, "%s/%s", dir, werr);
            int same = frc == wrc && (wrc != 0 ? strcmp(ferr, want) == 0 : traces_equal(&ft, &whole));
            if (!same) fprintf(stderr, "  %s from a file: rc %d vs %d, '%s' vs '%s'\n", label, frc, wrc, ferr, want);
            CHECK("file parse = whole parse", same);
            trace_free(&ft);
            remove(path);
        }
    }
    trace_free(&whole);
    cases_run++;
}

/* Returns a malloc'd copy of the file at path (NULL when absent); sets *len. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = NULL; }
    fclose(f);
    if (b) *len = (size_t)n;
    return b;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "build/tests";
    const char *shared = argc > 2 ? argv[2] : "../shared/traces/real";
    static const struct { const char *label, *text; } cases[] = {
        {"rich.csv", "op,id,size\nalloc,0,32\nalloc,1,8\nrealloc,0,64\nfree,1,0\nfree,0,0\n"},
        {"rich-crlf.csv", "op,id,size\r\nalloc,0,32\r\n\r\nfree,0,0\r\n"},
        {"rich-no-newline.csv", "op,id,size\nalloc,0,32\nfree,0,0"},
        {"rich-bom.csv", "\xef\xbb\xbfop,id,size\nalloc,7,1\n"},
        {"rich-sites.csv", "op,id,size,result,thread,time,site\nalloc,0,16,16,0,5,libc!strdup+0x1a\n"
                           "alloc,1,24,48,1,9,main+0x10\nfree,0,0,0,0,12,\nalloc,2,8,80,0,20,libc!strdup+0x1a\n"},
        {"rich-bad-free.csv", "op,id,size,offset,result\nalloc,0,8,16,16\nfree,-1,0,999,-3\nfree,0,0,16,0\n"},
        {"seed.csv", "ALLOC,32\nALLOC,64\nREALLOC,128\nFREE\nFREE\n\n\n"},
        {"mini.rep", "1000\n3\n5\n1\na 0 16\na 1 32\nr 0 64\nf 1\nf 0\n"},
        {"blank.csv", "\n\n   \n"},
        {"empty.csv", ""},
        {"bad-op.csv", "op,id,size\nalloc,0,8\nmalloc,1,8\nalloc,2,8\n"},
        {"double-alloc.csv", "op,id,size\nalloc,3,8\n\nalloc,3,8\n"},
        {"free-not-live.csv", "op,id,size\nalloc,0,8\nfree,1,0\n"},
        {"bad-size.csv", "op,id,size\nalloc,0,-8\n"},
        {"unknown-col.csv", "op,id,size,colour\nalloc,0,8,red\n"},
        {"fields.csv", "op,id,size\nalloc,0,8,9\n"},
        {"seed-free-empty.csv", "ALLOC,8\nFREE\nFREE\n"},
        {"rep-count.rep", "1000\n3\n4\n1\na 0 16\nf 0\n"},
        {"rep-short-header.rep", "1000 3\n"},
        {"rep-id.rep", "1000\n2\n1\n1\na 5 16\n"},
        {"last-line-bad.csv", "op,id,size\nalloc,0,8\nfree,0"},
        {"control.csv", "op,id,size\nal\x1bloc,0,8\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_text(cases[i].label, cases[i].text, strlen(cases[i].text), dir);
    static const char nul[] = "op,id,size\nalloc,0,8\nalloc,\0,8\n";
    check_text("nul.csv", nul, sizeof nul - 1, dir);

    /* a long line (10,000 bytes of spaces inside one row) spans many slices */
    size_t ll = 10000;
    char *lng = malloc(ll + 64);
    int k = snprintf(lng, ll + 64, "op,id,size\nalloc,0,");
    memset(lng + k, ' ', ll);
    snprintf(lng + k + ll, 64, "8\nfree,0,0\n");
    check_text("long-line.csv", lng, strlen(lng), dir);
    free(lng);

    /* real traces, when present (sliced with the same plans; no file copy needed) */
    static const char *const real[] = {"git_log.csv", "sqlite3.rep", "sqlite3.csv"};
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        char path[512];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", shared, real[i]);
        char *text = slurp(path, &len);
        if (!text) { printf("skipped: %s not present\n", path); continue; }
        check_text(real[i], text, len, NULL);
        free(text);
    }

    /* stopped part-way: nothing is kept, and memory is released (ASan's leak check) */
    struct trace_parse *ps = trace_parse_begin("stop.csv");
    CHECK("begin", ps != NULL);
    CHECK("a first slice", trace_parse_more(ps, "op,id,size\nalloc,0,8\nal", 24) == 0);
    CHECK("stopped: end without output", trace_parse_end(ps, NULL, NULL, 0) == 0);

    /* after the first error, more does nothing and the error stays the first one */
    ps = trace_parse_begin("err.csv");
    CHECK("error: first", trace_parse_more(ps, "op,id,size\nfree,0,0\n", 20) == -1);
    CHECK("error text", trace_parse_error(ps) && strcmp(trace_parse_error(ps), "err.csv:2: free of id 0, which is not live") == 0);
    CHECK("error: more refused", trace_parse_more(ps, "alloc,0,8\n", 10) == -1);
    char err[TRACE_ERR_LEN];
    struct trace t;
    CHECK("error: end", trace_parse_end(ps, &t, err, sizeof err) == -1 && strcmp(err, "err.csv:2: free of id 0, which is not live") == 0 &&
                            t.n == 0);
    trace_free(&t);
    printf("test_parse_slices: %d texts, each in 16 slicings\n", cases_run);
    return check_done("test_parse_slices");
}
