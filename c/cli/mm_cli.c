/* mm_cli.c: `heaplab mm`, the Malloc Lab scorer's face.
 *     heaplab mm [--trace FILE]... [--traces DIR] [--log FILE] [--align 8|16] [--cc CC]
 *                [--runs N] [--time-limit S] [--page FILE.html] [--decode cs-app] [--json] MM.c [more .c]
 * Reads the traces (HeapLab's own reader), compiles the student's files with
 * HeapLab's driver and memlib (c/mmlab/), runs each trace in a child process
 * (c/mmlab/mm_run.c), writes the mm log (c/mm/mm_log.h) and the page
 * (mm_page.c), and prints the report (mm_report.c).
 * Default traces: the lab's eleven graded traces from ../shared/traces/malloclab
 * (beside the working folder, or beside the repository the tool was built
 * in), else HeapLab's own: six generated scenarios and web/data's real traces.
 * --decode cs-app also walks the student's headers in the textbook's block
 * format after every op (c/mmlab/student/mm_decode.c) into the log, until the
 * walk disagrees with the driver (then the log says why and where).
 * --page copies the built page (dist/heaplab.html beside the tool's build
 * folder, or $HEAPLAB_PAGE) with the log inside.
 * Exit 0 when every trace is valid, 1 when one is not, 2 for bad usage,
 * a trace that cannot be read or code that does not compile.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mm/mm_log.h"
#include "cli/mm_report.h"
#include "mmlab/mm_runner.h"
#include "trace/trace.h"
#include "util/file_text.h"
#include "util/strbuf.h"

#define MAX_TRACES 256

/* mdriver's default trace list, in its order. */
static const char *const lab_traces[] = {
    "amptjp-bal.rep", "cccp-bal.rep", "cp-decl-bal.rep", "expr-bal.rep", "coalescing-bal.rep", "random-bal.rep",
    "random2-bal.rep", "binary-bal.rep", "binary2-bal.rep", "realloc-bal.rep", "realloc2-bal.rep"};


static int usage(const char *msg) {
    if (msg) fprintf(stderr, "heaplab mm: %s\n", msg);
    fputs("usage: heaplab mm [--trace FILE]... [--traces DIR] [--log FILE] [--align 8|16] [--cc CC]\n"
          "                  [--runs N] [--time-limit S] [--page FILE.html] [--decode cs-app] [--json]\n"
          "                  MM.c [more .c]\n", stderr);
    return 2;
}

static int ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int is_dir(const char *p) {
    DIR *d = opendir(p);
    if (d) closedir(d);
    return d != NULL;
}

static int add_file(struct mm_job *jobs, int *n, const char *path) {
    if (*n >= MAX_TRACES) return -1;
    struct mm_job *j = &jobs[(*n)++];
    memset(j, 0, sizeof *j);
    snprintf(j->path, sizeof j->path, "%s", path);
    const char *slash = strrchr(path, '/');
    snprintf(j->name, sizeof j->name, "%s", slash ? slash + 1 : path);
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every .rep and .csv in dir, sorted; 0 or -1. */
static int add_dir(struct mm_job *jobs, int *n, const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    char *names[MAX_TRACES];
    int k = 0;
    for (struct dirent *e; (e = readdir(d)) && k < MAX_TRACES;)
        if (e->d_name[0] != '.' && (ends_with(e->d_name, ".rep") || ends_with(e->d_name, ".csv")))
            names[k++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)k, sizeof *names, cmp_str);
    char p[PATH_MAX];
    int rc = 0;
    for (int i = 0; i < k; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        if (add_file(jobs, n, p)) rc = -1;
        free(names[i]);
    }
    return rc;
}

/* The folder the tool's binary is in (for the defaults beside its repository). */
static void exe_dir(char *out, size_t len) {
    ssize_t k = readlink("/proc/self/exe", out, len - 1);
    out[k > 0 ? k : 0] = 0;
    char *slash = strrchr(out, '/');
    if (slash) *slash = 0;
}

/* The default traces (see the file's comment). */
static void add_defaults(struct mm_job *jobs, int *n, FILE *note) {
    char exe[PATH_MAX], cand[2][PATH_MAX + 64];
    exe_dir(exe, sizeof exe);
    snprintf(cand[0], sizeof cand[0], "../shared/traces/malloclab");
    snprintf(cand[1], sizeof cand[1], "%s/../../shared/traces/malloclab", exe);
    for (int c = 0; c < 2; c++) {
        if (!is_dir(cand[c])) continue;
        char p[2 * PATH_MAX + 256];
        for (size_t i = 0; i < sizeof lab_traces / sizeof *lab_traces; i++) {
            snprintf(p, sizeof p, "%s/%s", cand[c], lab_traces[i]);
            if (access(p, R_OK) == 0) add_file(jobs, n, p);
        }
        if (*n) return;
    }
    fprintf(note, "heaplab mm: the Malloc Lab traces are not in ../shared/traces/malloclab: using HeapLab's own\n");
    for (int s = 0; s < SCEN_COUNT; s++) {
        struct mm_job *j = &jobs[(*n)++];
        memset(j, 0, sizeof *j);
        j->scenario = s;
        snprintf(j->name, sizeof j->name, "gen-%s", trace_scenario_name(s));
    }
    char data[PATH_MAX + 32];
    snprintf(data, sizeof data, "%s/../web/data", exe);
    if (is_dir(data)) add_dir(jobs, n, data);
}

/* The built page to copy for --page: $HEAPLAB_PAGE, else dist/heaplab.html beside the tool's folder. */
static void page_template(char *out, size_t len) {
    const char *env = getenv("HEAPLAB_PAGE");
    if (env && *env) { snprintf(out, len, "%s", env); return; }
    char exe[PATH_MAX];
    exe_dir(exe, sizeof exe);
    snprintf(out, len, "%s/../dist/heaplab.html", exe);
}

/* Loads job j's ops; 0 or -1 with err. */
static int job_trace(const struct mm_job *j, struct trace *t, char *err, size_t errlen) {
    memset(t, 0, sizeof *t);
    if (j->path[0]) return trace_load_file(j->path, t, err, errlen);
    if (trace_generate(j->scenario, 1, 4000, t)) { snprintf(err, errlen, "cannot generate %s", j->name); return -1; }
    return 0;
}

int mm_cli_main(int argc, char **argv) {
    static struct mm_job jobs[MAX_TRACES];
    int n = 0, json = 0;
    const char *log_path = NULL, *page_path = NULL, *cc = getenv("CC");
    struct mm_config c = { cc && *cc ? cc : "cc", 8, 30, 3, 2ull << 30, 0 };
    char *srcs[64];
    int n_srcs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--trace") == 0 || strcmp(a, "--traces") == 0 || strcmp(a, "--log") == 0 ||
                 strcmp(a, "--align") == 0 || strcmp(a, "--cc") == 0 || strcmp(a, "--runs") == 0 || strcmp(a, "--page") == 0 || strcmp(a, "--decode") == 0 ||
                 strcmp(a, "--time-limit") == 0) {
            if (!val) return usage("an option needs a value");
            i++;
            char *end;
            long v = strtol(val, &end, 10);
            if (strcmp(a, "--trace") == 0) {
                if (add_file(jobs, &n, val)) return usage("too many traces");
            } else if (strcmp(a, "--traces") == 0) {
                int before = n;
                if (add_dir(jobs, &n, val)) return usage("--traces takes a readable folder (of at most 256 traces)");
                if (n == before) { fprintf(stderr, "heaplab mm: %s: no .rep or .csv trace in it\n", val); return 2; }
            } else if (strcmp(a, "--log") == 0) log_path = val;
            else if (strcmp(a, "--page") == 0) page_path = val;
            else if (strcmp(a, "--decode") == 0) {
                if (strcmp(val, "cs-app") != 0) return usage("--decode takes cs-app (the textbook's block format)");
                c.decode = 1;
            }
            else if (strcmp(a, "--cc") == 0) c.cc = val;
            else if (strcmp(a, "--align") == 0) {
                if (*end || (v != 8 && v != 16)) return usage("--align takes 8 or 16");
                c.align = (unsigned)v;
            } else if (strcmp(a, "--runs") == 0) {
                if (*end || v < 0 || v > 100) return usage("--runs takes 0 (no timing) to 100");
                c.speed_runs = (unsigned)v;
            } else {
                if (*end || v < 1 || v > 3600) return usage("--time-limit takes 1 to 3600 seconds");
                c.time_limit_s = (unsigned)v;
            }
        } else if (a[0] == '-' && a[1]) return usage("unknown option");
        else if (n_srcs < 64) srcs[n_srcs++] = argv[i];
        else return usage("too many source files");
    }
    if (n_srcs == 0) return usage("mm needs the allocator's source file (mm.c)");
    if (n == 0) add_defaults(jobs, &n, stderr);

    char err[512];
    struct trace *traces = calloc((size_t)n, sizeof *traces);
    if (!traces) { fprintf(stderr, "heaplab mm: out of memory\n"); return 2; }
    for (int i = 0; i < n; i++)
        if (job_trace(&jobs[i], &traces[i], err, sizeof err)) {
            fprintf(stderr, "heaplab mm: %s\n", err);
            for (int k = 0; k < i; k++) trace_free(&traces[k]);
            free(traces);
            return 2;
        }
    struct mm_build b;
    if (mm_build(&c, srcs, n_srcs, &b, err, sizeof err)) {
        fprintf(stderr, "heaplab mm: %s\n", err);
        for (int k = 0; k < n; k++) trace_free(&traces[k]);
        free(traces);
        return 2;
    }
    struct strbuf log = { 0 };
    int want_log = log_path || page_path;
    int want_rows = want_log || c.decode; /* the header walk runs on the checked pass with the log */
    if (want_log) mm_log_write_magic(&log);
    int errors = 0, rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct mm_result *r = &jobs[i].r;
        if (mm_run(&c, &b, &traces[i], want_rows, r, err, sizeof err)) {
            fprintf(stderr, "heaplab mm: %s: %s\n", jobs[i].name, err);
            rc = 2;
            break;
        }
        if (r->end.status != MM_STATUS_OK) errors++;
        if (want_log) {
            mm_log_write_trace(&log, (unsigned)i, r->ops, c.align, jobs[i].name);
            size_t blk = 0;
            for (size_t k = 0; k < r->n_rows; k++) {
                mm_log_write_row(&log, &r->rows[k]);
                for (; blk < r->n_blocks && r->blocks[blk].op <= r->rows[k].op; blk++)
                    if (r->blocks[blk].op == r->rows[k].op) mm_log_write_block(&log, &r->blocks[blk]);
            }
            if (r->end.decode) mm_log_write_decode(&log, (unsigned)i, &r->end);
            mm_log_write_end(&log, (unsigned)i, &r->end);
        }
        mm_result_free(r);
    }
    mm_build_remove(&b);
    for (int k = 0; k < n; k++) trace_free(&traces[k]);
    free(traces);
    if (rc) { free(sb_take(&log)); return rc; }
    if (want_log) {
        size_t len = log.len;
        char *text = sb_take(&log);
        FILE *f = text && log_path ? fopen(log_path, "w") : NULL;
        int ok = text && (!log_path || (f && fputs(text, f) >= 0));
        if (f && fclose(f)) ok = 0;
        if (!ok) { fprintf(stderr, "heaplab mm: cannot write %s\n", log_path ? log_path : "the log (out of memory)"); free(text); return 2; }
        if (page_path) {
            const char *slash = log_path ? strrchr(log_path, '/') : NULL;
            char tpl[PATH_MAX + 32];
            page_template(tpl, sizeof tpl);
            if (mm_write_page(page_path, tpl, text, len, log_path ? (slash ? slash + 1 : log_path) : "heaplab-mm.log", err, sizeof err)) {
                fprintf(stderr, "heaplab mm: %s\n", err);
                free(text);
                return 2;
            }
        }
        free(text);
    }

    mm_report(jobs, n, errors, c.speed_runs > 0, c.decode, json);
    return errors ? 1 : 0;
}
