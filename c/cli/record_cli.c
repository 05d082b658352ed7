/* record_cli.c: `heaplab record`: runs a command with the LD_PRELOAD recorder
 * (build/libheaplab-record.so, c/record/) and turns what its process images
 * wrote into trace files:
 *   1. make a fresh directory beside --out, run COMMAND with LD_PRELOAD and
 *      the HEAPLAB_RECORD_* variables (c/record/record.h), wait for it;
 *   2. for each <pid>-<image>.stat there: trim its CSV to the recorded length
 *      and move it to its name: --out for the command's own first image,
 *      OUT-<pid>.csv (OUT-<pid>-<image>.csv after an exec) for the others;
 *   3. parse every trace with the rich CSV reader (a recorder bug would show
 *      as a parse error here, not later in the page), print a summary on
 *      stderr, and exit with COMMAND's status.
 * The command's stdin, stdout and stderr are its own; the summary comes
 * after it has exited.
 */
#define _GNU_SOURCE /* mkdtemp, setenv */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli/record_cli.h"
#include "record/record.h"
#include "trace/trace.h"

static const char *record_usage =
    "usage: heaplab record [--out FILE] [--sites] [--site-depth N] [--threads main|all] [--max-ops N] [--quiet]\n"
    "                      -- COMMAND [ARGS...]\n"
    "  Runs COMMAND with an LD_PRELOAD recorder and writes its heap calls as a rich CSV trace\n"
    "  (op,id,size,result,thread,time[,site]) that replay, predict, the node API and the page read.\n"
    "  --out FILE        the trace of COMMAND (default heaplab-trace.csv); a forked child or an\n"
    "                    exec'd program writes FILE's name with -PID (and -IMAGE) added\n"
    "  --sites           add each alloc's and realloc's call site (module!function+0xoff)\n"
    "  --site-depth N    a site is N frames, 1-8 (the caller and its callers: a program that\n"
    "                    allocates through a wrapper such as xmalloc needs 2 or more); implies --sites\n"
    "  --threads main    record only the main thread (default all)\n"
    "  --max-ops N       stop recording (not the program) after N rows per process\n"
    "  --quiet           no summary on stderr\n";

static int usage(const char *msg) {
    if (msg) fprintf(stderr, "heaplab record: %s\n", msg);
    fputs(record_usage, stderr);
    return 2;
}

/* The recorder library: $HEAPLAB_RECORD_LIB, or libheaplab-record.so beside
 * this executable. Returns 0 with the path in buf, or -1. */
static int find_library(char *buf, size_t cap) {
    const char *env = getenv("HEAPLAB_RECORD_LIB");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
    } else {
        char exe[PATH_MAX - 32];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0) return -1;
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        snprintf(buf, cap, "%s/libheaplab-record.so", slash ? exe : ".");
    }
    return access(buf, R_OK) == 0 ? 0 : -1;
}

/* FILE's name for another image: "dir/name-PID[-IMAGE].ext". */
static void image_name(const char *out, const struct record_stat *s, char *buf, size_t cap) {
    const char *slash = strrchr(out, '/'), *dot = strrchr(out, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - out) : strlen(out);
    char tail[48];
    if (s->image) snprintf(tail, sizeof tail, "-%" PRId32 "-%" PRIu32, s->pid, s->image);
    else snprintf(tail, sizeof tail, "-%" PRId32, s->pid);
    snprintf(buf, cap, "%.*s%s%s", (int)stem, out, tail, out + stem);
}

struct image { struct record_stat st; char csv[PATH_MAX + 300], stat_path[PATH_MAX + 300]; };

/* Reads the images' .stat files in dir; returns the count (images malloc'd) or -1. */
static int read_images(const char *dir, struct image **out) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0, cap = 0;
    struct image *im = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".stat") != 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            struct image *g = realloc(im, (size_t)cap * sizeof *g);
            if (!g) break;
            im = g;
        }
        struct image *m = &im[n];
        snprintf(m->stat_path, sizeof m->stat_path, "%s/%s", dir, e->d_name);
        snprintf(m->csv, sizeof m->csv, "%s/%.*s.csv", dir, (int)(len - 5), e->d_name);
        FILE *f = fopen(m->stat_path, "rb");
        int ok = f && fread(&m->st, sizeof m->st, 1, f) == 1 && m->st.magic == RECORD_STAT_MAGIC &&
                 m->st.version == RECORD_STAT_VERSION;
        if (f) fclose(f);
        if (ok) n++;
        else unlink(m->stat_path);
    }
    closedir(d);
    *out = im;
    return n;
}

/* Orders images by pid, then image number. */
static int image_cmp(const void *a, const void *b) {
    const struct record_stat *x = &((const struct image *)a)->st, *y = &((const struct image *)b)->st;
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    return (x->image > y->image) - (x->image < y->image);
}

/* Prints one image's summary: its rows, then what was not recorded (non-zero counts only). */
static void summary(const char *path, const struct record_stat *s) {
    fprintf(stderr,
            "heaplab record: %s: %s (pid %" PRId32 "%s): %" PRIu64 " rows (%" PRIu64 " allocs, %" PRIu64 " frees, %" PRIu64
            " reallocs, %" PRIu64 " failed), %" PRIu32 " thread%s",
            path, s->exe, s->pid, s->forked ? ", forked" : s->image ? ", after exec" : "", s->rows, s->allocs, s->frees,
            s->reallocs, s->failed, s->threads, s->threads == 1 ? "" : "s");
    if (s->sites) fprintf(stderr, ", %" PRIu64 " sites", s->sites);
    const uint64_t counts[] = {s->skipped_unknown, s->skipped_null_free, s->skipped_thread, s->skipped_max_ops, s->implicit_frees};
    static const char *const what[] = {"frees/reallocs of pointers it never saw", "free(NULL)", "calls by other threads",
                                       "calls after --max-ops", "blocks freed behind its back (free rows written)"};
    const char *sep = "; not recorded: ";
    for (int i = 0; i < 5; i++)
        if (counts[i]) {
            fprintf(stderr, "%s%" PRIu64 " %s", i == 4 ? "; " : sep, counts[i], what[i]);
            if (i < 4) sep = ", ";
        }
    fputc('\n', stderr);
    if (s->stopped == RECORD_STOP_SPACE) fprintf(stderr, "heaplab record:   the trace could not grow (disk full?): it stops early\n");
    if (s->stopped == RECORD_STOP_IDS)
        fprintf(stderr, "heaplab record:   %d blocks, the most a trace can name: recording stopped there\n", TRACE_MAX_ID + 1);
    if (s->stopped == RECORD_STOP_MEMORY) fprintf(stderr, "heaplab record:   out of memory for its tables: recording stopped there\n");
}

/* Writes an empty trace (the header only) to path; 0 or -1. */
static int write_empty(const char *path, int sites) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fputs(sites ? RECORD_CSV_HEADER ",site\n" : RECORD_CSV_HEADER "\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

/* Trims, renames and checks every image's trace; returns 0, or 1 when a
 * trace could not be kept or did not parse. */
static int collect(const char *dir, const char *out, pid_t root, int sites, int quiet) {
    struct image *im = NULL;
    int n = read_images(dir, &im), bad = 0, have_root = 0;
    if (n < 0) {
        fprintf(stderr, "heaplab record: cannot read %s\n", dir);
        return 1;
    }
    qsort(im, (size_t)n, sizeof *im, image_cmp);
    for (int i = 0; i < n; i++) {
        const struct record_stat *s = &im[i].st;
        char path[PATH_MAX + 64];
        int is_root = s->pid == root && s->image == 0;
        if (is_root) snprintf(path, sizeof path, "%s", out);
        else image_name(out, s, path, sizeof path);
        have_root |= is_root;
        if (truncate(im[i].csv, (off_t)s->bytes) != 0 || rename(im[i].csv, path) != 0) {
            fprintf(stderr, "heaplab record: cannot write %s: %s\n", path, strerror(errno));
            bad = 1;
            continue;
        }
        unlink(im[i].stat_path);
        struct trace t;
        char err[TRACE_ERR_LEN + 64];
        if (trace_load_file(path, &t, err, sizeof err) != 0) {
            fprintf(stderr, "heaplab record: the recorded trace does not parse: %s\n", err);
            bad = 1;
            continue;
        }
        if (!quiet) summary(path, s);
        trace_free(&t);
    }
    if (!have_root) {
        if (write_empty(out, sites) != 0) {
            fprintf(stderr, "heaplab record: cannot write %s\n", out);
            bad = 1;
        } else if (!quiet) {
            fprintf(stderr, "heaplab record: %s: the command made no heap call the recorder saw (an empty trace)\n", out);
        }
    }
    free(im);
    return bad;
}

/* In the child: the environment for the recorder, then exec. Never returns. */
static void run_child(char **cmd, const char *lib, const char *dir, int sites, int all_threads, uint64_t max_ops) {
    const char *pre = getenv("LD_PRELOAD");
    char *preload = malloc(strlen(lib) + (pre ? strlen(pre) : 0) + 2);
    if (!preload) _exit(127);
    sprintf(preload, "%s%s%s", lib, pre && *pre ? ":" : "", pre && *pre ? pre : "");
    char max[32];
    snprintf(max, sizeof max, "%" PRIu64, max_ops);
    setenv("LD_PRELOAD", preload, 1);
    setenv(RECORD_ENV_DIR, dir, 1);
    char depth[4] = { (char)('0' + sites), 0 };
    setenv(RECORD_ENV_SITES, depth, 1);
    setenv(RECORD_ENV_THREADS, all_threads ? "all" : "main", 1);
    setenv(RECORD_ENV_MAX_OPS, max, 1);
    execvp(cmd[0], cmd);
    fprintf(stderr, "heaplab record: cannot run %s: %s\n", cmd[0], strerror(errno));
    _exit(127);
}

int record_cli_main(int argc, char **argv) {
    const char *out = "heaplab-trace.csv";
    int sites = 0, all_threads = 1, quiet = 0, first = -1;
    uint64_t max_ops = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) { first = i + 1; break; }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { fputs(record_usage, stdout); return 0; }
        if (strcmp(a, "--sites") == 0) { if (!sites) sites = 1; }
        else if (strcmp(a, "--site-depth") == 0 && val) {
            if (strlen(val) != 1 || val[0] < '1' || val[0] > '8') return usage("--site-depth takes 1 to 8");
            sites = val[0] - '0';
            i++;
        }
        else if (strcmp(a, "--quiet") == 0) quiet = 1;
        else if (strcmp(a, "--out") == 0 && val) { out = val; i++; }
        else if (strcmp(a, "--threads") == 0 && val) {
            if (strcmp(val, "main") == 0) all_threads = 0;
            else if (strcmp(val, "all") != 0) return usage("--threads takes main or all");
            i++;
        } else if (strcmp(a, "--max-ops") == 0 && val) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(val, &end, 10);
            if (!*val || *end || *val == '-' || errno || v == 0) return usage("--max-ops takes a positive count");
            max_ops = v;
            i++;
        } else if (a[0] == '-') return usage("unknown option");
        else { first = i; break; }
    }
    if (first < 0 || first >= argc) return usage("record needs a command (after --)");
    char lib[PATH_MAX];
    if (find_library(lib, sizeof lib) != 0)
        return fprintf(stderr, "heaplab record: cannot find the recorder library %s (run ./build.sh)\n", lib), 2;
    if (lib[0] != '/') { /* the child may chdir; LD_PRELOAD wants a path that stays true */
        char abs[PATH_MAX];
        if (realpath(lib, abs)) snprintf(lib, sizeof lib, "%s", abs);
    }
    char dir[PATH_MAX];
    if (strlen(out) > PATH_MAX - 32) return usage("--out: the name is too long");
    snprintf(dir, sizeof dir, "%s.rec-XXXXXX", out);
    if (!mkdtemp(dir)) return fprintf(stderr, "heaplab record: cannot make a directory beside %s: %s\n", out, strerror(errno)), 2;
    char absdir[PATH_MAX];
    if (!realpath(dir, absdir)) snprintf(absdir, sizeof absdir, "%s", dir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        rmdir(dir);
        return fprintf(stderr, "heaplab record: cannot fork: %s\n", strerror(errno)), 2;
    }
    if (pid == 0) run_child(argv + first, lib, absdir, sites, all_threads, max_ops);
    /* as system() does: a terminal's ^C or ^\ is for the command, not for us */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
    int bad = collect(absdir, out, pid, sites, quiet);
    if (rmdir(absdir) != 0 && !quiet)
        fprintf(stderr, "heaplab record: %s still holds files (a process outlived the command?)\n", absdir);
    if (bad && code == 0) code = 1;
    return code;
}
