/* mm_run.c: one trace through the student's program, in a child process.
 * The trace's ops (recorded bad calls left out) go to an ops file; the child
 * maps a shared status file (mm_shared.h) and writes the op it is running
 * there before each op, so whatever ends it (a signal, exit(), our SIGKILL
 * after the time limit plus a grace second) the tool knows where. The child
 * runs with RLIMIT_AS (an out-of-memory inside the student's code ends the
 * child, not the machine), RLIMIT_CPU and alarm(2) as a first time limit
 * (its handler flushes the log), stdin from /dev/null and stdout on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "mmlab/mm_runner.h"
#include "mmlab/student/mm_shared.h"

#define MAX_IDS 50000000u

void mm_result_free(struct mm_result *r) {
    free(r->rows);
    free(r->blocks);
    r->rows = NULL;
    r->blocks = NULL;
    r->n_rows = r->n_blocks = 0;
}

static int write_all(int fd, const void *p, size_t len) {
    const char *s = p;
    while (len) {
        ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        s += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The trace as the driver's ops file; 0 or -1 with err. */
static int write_ops(const char *path, const struct trace *t, char *err, size_t errlen) {
    if (t->max_id >= (int64_t)MAX_IDS) {
        snprintf(err, errlen, "the trace's ids go up to %lld; heaplab mm takes ids below %u", (long long)t->max_id, MAX_IDS);
        return -1;
    }
    struct mm_op *ops = malloc((t->n ? t->n : 1) * sizeof *ops);
    if (!ops) { snprintf(err, errlen, "out of memory"); return -1; }
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct trace_op *o = &t->ops[i];
        if (o->op != TRACE_ALLOC && o->op != TRACE_FREE && o->op != TRACE_REALLOC) continue;
        ops[n++] = (struct mm_op){ o->op, (uint32_t)o->id, o->size };
    }
    struct mm_ops_header h = { MM_OPS_MAGIC, (uint32_t)(t->max_id + 1), n };
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int rc = (fd < 0 || write_all(fd, &h, sizeof h) || write_all(fd, ops, n * sizeof *ops)) ? -1 : 0;
    if (fd >= 0 && close(fd)) rc = -1;
    free(ops);
    if (rc) snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    return rc;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Starts the driver; its pid or -1. */
static pid_t spawn(const struct mm_config *c, const struct mm_build *b, char *const argv[]) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    struct rlimit as = { c->mem_limit, c->mem_limit };
    struct rlimit cpu = { c->time_limit_s + 1, c->time_limit_s + 2 };
    setrlimit(RLIMIT_AS, &as);
    setrlimit(RLIMIT_CPU, &cpu);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    dup2(2, 1);
    execv(b->driver, argv);
    _exit(126);
}

static const char *phase_words(int phase) {
    switch (phase) {
    case MM_PHASE_INIT: return "in mm_init";
    case MM_PHASE_VALID: return "in the checked pass";
    case MM_PHASE_SPEED: return "while timing the allocator";
    case MM_PHASE_LIBC: return "while timing libc malloc";
    default: return "before the first op";
    }
}

/* Reads a file of fixed-size records the driver wrote: a malloc'd array of
 * *n records (a missing file is none: the child died before it opened it),
 * or NULL for an error. A partial last record is left out. */
static void *read_records(const char *path, size_t rec_size, size_t *n) {
    *n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return malloc(1);
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1))) {
        size_t want = (size_t)st.st_size / rec_size * rec_size, got = 0;
        while (got < want) {
            ssize_t k = read(fd, buf + got, want - got);
            if (k <= 0) break;
            got += (size_t)k;
        }
        if (got < want) { free(buf); buf = NULL; }
        else *n = want / rec_size;
    }
    close(fd);
    return buf;
}

/* Reads the log records into r->rows and the decoded block changes into
 * r->blocks (when decode); 0 or -1. */
static int read_output(const char *log_path, const char *blocks_path, int decode, struct mm_result *r) {
    size_t n, m = 0;
    struct mm_rec *recs = read_records(log_path, sizeof *recs, &n);
    struct mm_blk *blks = decode ? read_records(blocks_path, sizeof *blks, &m) : malloc(1);
    r->rows = malloc((n ? n : 1) * sizeof *r->rows);
    r->blocks = malloc((m ? m : 1) * sizeof *r->blocks);
    int ok = recs && blks && r->rows && r->blocks;
    for (size_t i = 0; ok && i < n; i++)
        r->rows[i] = (struct mm_log_row){ recs[i].op, (uint8_t)recs[i].kind, recs[i].id, recs[i].size,
            (recs[i].flags & MM_REC_NULL) ? MM_LOG_NULL : recs[i].offset, recs[i].heap_size };
    for (size_t i = 0; ok && i < m; i++)
        r->blocks[i] = (struct mm_log_block){ blks[i].op, (blks[i].flags & MM_BLK_ADD) != 0,
            (blks[i].flags & MM_BLK_ALLOC) != 0, blks[i].offset, blks[i].size };
    r->n_rows = ok ? n : 0;
    r->n_blocks = ok ? m : 0;
    free(recs);
    free(blks);
    return ok ? 0 : -1;
}

int mm_run(const struct mm_config *c, const struct mm_build *b, const struct trace *t, int want_rows,
           struct mm_result *r, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    char ops_path[300], shared_path[300], log_path[300], blocks_path[300], limit[16], runs[16];
    snprintf(ops_path, sizeof ops_path, "%s/ops.bin", b->dir);
    snprintf(shared_path, sizeof shared_path, "%s/shared.bin", b->dir);
    snprintf(log_path, sizeof log_path, "%s/log.bin", b->dir);
    snprintf(blocks_path, sizeof blocks_path, "%s/blocks.bin", b->dir);
    snprintf(limit, sizeof limit, "%u", c->time_limit_s);
    snprintf(runs, sizeof runs, "%u", c->speed_runs);
    if (write_ops(ops_path, t, err, errlen)) return -1;
    struct mm_shared sh = { .magic = MM_SHARED_MAGIC, .op = -1, .fail_offset = -1 };
    int fd = open(shared_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write_all(fd, &sh, sizeof sh)) {
        snprintf(err, errlen, "cannot write %s: %s", shared_path, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    unlink(log_path);
    unlink(blocks_path);
    int decode = want_rows && c->decode;
    char *argv[] = { (char *)b->driver, ops_path, shared_path, want_rows ? log_path : "-", limit, runs,
                     decode ? blocks_path : "-", NULL };
    pid_t pid = spawn(c, b, argv);
    if (pid < 0) {
        snprintf(err, errlen, "cannot fork: %s", strerror(errno));
        close(fd);
        return -1;
    }
    int st = 0, killed = 0;
    double deadline = now_s() + c->time_limit_s + 1.0;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) { st = 0; break; }
        if (!killed && now_s() > deadline) {
            kill(pid, SIGKILL);
            killed = 1;
        }
        nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
    }
    if (pread(fd, &sh, sizeof sh, 0) != (ssize_t)sizeof sh) memset(&sh, 0, sizeof sh);
    close(fd);
    sh.what[sizeof sh.what - 1] = 0;
    sh.decode_what[sizeof sh.decode_what - 1] = 0;

    struct mm_log_trace *e = &r->end;
    e->decode = decode ? (sh.decode_state == MM_DECODE_STOPPED ? MM_DECODE_STOPPED : MM_DECODE_OK) : MM_DECODE_NONE;
    e->decode_op = e->decode == MM_DECODE_STOPPED ? sh.decode_op : -1;
    if (e->decode == MM_DECODE_STOPPED)
        snprintf(e->decode_message, sizeof e->decode_message, "after op %lld: %s", (long long)sh.decode_op, sh.decode_what);
    e->op = sh.op;
    e->fail_offset = sh.fail_offset;
    e->check = MM_CHECK_NONE;
    r->ops = sh.n_ops;
    r->phase = (int)sh.phase;
    r->peak_payload = sh.peak_payload;
    r->heap_size = sh.heap_size;
    r->util = sh.util;
    r->secs = c->speed_runs ? sh.secs : -1;
    r->libc_secs = c->speed_runs ? sh.libc_secs : -1;
    const char *where = phase_words((int)sh.phase);
    char at[64] = "";
    if (sh.op >= 0) snprintf(at, sizeof at, " at op %lld", (long long)sh.op);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && sh.verdict == MM_OK) {
        e->status = MM_STATUS_OK;
    } else if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && (sh.verdict == MM_INVALID || sh.verdict == MM_NOMEM)) {
        e->status = sh.verdict == MM_NOMEM ? MM_STATUS_NOMEM : MM_STATUS_INVALID;
        e->check = sh.check >= 0 && sh.check < MM_CHECK_COUNT ? sh.check : MM_CHECK_NONE;
        if (sh.verdict == MM_NOMEM)
            snprintf(e->message, sizeof e->message, "%s: mem_sbrk refused %lld more bytes (the heap is %lld bytes; "
                     "the lab's limit is 20 MB)", sh.what, (long long)sh.sbrk_refused, (long long)sh.heap_size);
        else
            snprintf(e->message, sizeof e->message, "%s", sh.what);
    } else if (killed || sh.verdict == MM_TIMEOUT ||
               (WIFSIGNALED(st) && (WTERMSIG(st) == SIGALRM || WTERMSIG(st) == SIGXCPU))) {
        e->status = MM_STATUS_TIMEOUT;
        snprintf(e->message, sizeof e->message, "no answer within the time limit of %u s %s%s", c->time_limit_s,
                 where, at);
    } else if (WIFSIGNALED(st)) {
        e->status = MM_STATUS_CRASH;
        snprintf(e->message, sizeof e->message, "the program died of signal %d (%s) %s%s", WTERMSIG(st),
                 strsignal(WTERMSIG(st)), where, at);
    } else if (WIFEXITED(st) && (WEXITSTATUS(st) == 126 || sh.verdict == MM_DRIVER_ERROR || sh.magic != MM_SHARED_MAGIC)) {
        e->status = MM_STATUS_ERROR;
        snprintf(e->message, sizeof e->message, "%s", sh.what[0] ? sh.what : "the driver could not start");
    } else {
        e->status = MM_STATUS_EXIT;
        snprintf(e->message, sizeof e->message, "the program exited with status %d %s%s",
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1, where, at);
    }
    if (want_rows && read_output(log_path, blocks_path, decode, r)) {
        snprintf(err, errlen, "cannot read the driver's log");
        return -1;
    }
    return 0;
}
