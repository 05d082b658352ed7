/* mm_driver.c: the driver `heaplab mm` compiles with a student's mm.c, in the
 * manner of CS:APP's mdriver, run once per trace in a child process:
 *     mm_driver OPS SHARED LOG|- TIME_LIMIT_S SPEED_RUNS BLOCKS|-
 * 1. the checked pass: mem_reset_brk, mm_init, then every op with mdriver's
 *    checks (payload aligned, inside the heap, overlapping no live payload,
 *    its bytes unchanged until freed, mm_realloc keeping the old prefix), one
 *    log record per op; utilization = peak live payload / final heap size;
 *    with BLOCKS, the heap is also walked after every op in the textbook's
 *    block format (mm_decode.c) until the walk disagrees with the driver;
 * 2. throughput: the ops again, unchecked, SPEED_RUNS times (the best time),
 *    then libc malloc/realloc/free on the same ops, for the performance index.
 * The op in progress is written to SHARED (a MAP_SHARED file) before each op,
 * so the tool names the op of a crash (any signal), of a hang (alarm(2), the
 * handler flushes the log) or of the exit(3) of student code. The driver never
 * prints: student code owns stdout and stderr.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "memlib.h"
#include "mm.h"
#include "mm_decode.h"
#include "mm_shared.h"

extern long mem_last_refusal;

static struct mm_shared *sh;
static struct mm_op *ops;
static uint64_t n_ops;
static uint32_t n_ids;
static int log_fd = -1;
static int blocks_fd = -1; /* --decode: the walk's output, -1 when off or stopped */
static struct mm_rec log_buf[2048];
static size_t log_n;

/* The checked pass's view of the live payloads: sorted by address. */
static struct mm_live *ranges;
static size_t n_ranges;
static char **ptrs;
static uint64_t *sizes;

static void log_flush(void) {
    size_t off = 0, len = log_n * sizeof *log_buf;
    while (log_fd >= 0 && off < len) {
        ssize_t w = write(log_fd, (char *)log_buf + off, len - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    log_n = 0;
}

/* Fatal signals: flush the log, note a timeout, die of the same signal. */
static void on_fatal(int sig) {
    log_flush();
    if (sig == SIGALRM || sig == SIGXCPU) sh->verdict = MM_TIMEOUT;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_fatal(void) {
    static char altstack[1 << 16];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER;
    int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM, SIGXCPU, SIGTERM };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);
}

static int64_t heap_off(const void *p) { return (int64_t)((const char *)p - (const char *)mem_heap_lo()); }

/* The header walk after op i (while it agrees with the driver). */
static void decode(uint64_t i) {
    if (blocks_fd < 0) return;
    if (mm_decode_step((uint32_t)i, ranges, n_ranges, blocks_fd, sh->decode_what, sizeof sh->decode_what)) {
        sh->decode_state = MM_DECODE_STOPPED;
        sh->decode_op = (int64_t)i;
        blocks_fd = -1;
    }
}

/* Records the broken check and ends the run (exit 0: the verdict is in sh). */
static void broke(int check, const void *p, const char *fmt, ...) __attribute__((format(printf, 3, 4), noreturn));
static void broke(int check, const void *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sh->what, sizeof sh->what, fmt, ap);
    va_end(ap);
    sh->check = check;
    sh->fail_offset = p ? heap_off(p) : -1;
    sh->sbrk_refused = mem_last_refusal;
    sh->heap_size = mem_heapsize();
    if (sh->op >= 0) decode((uint64_t)sh->op);
    sh->verdict = (check == MM_CHECK_NULL && mem_last_refusal) ? MM_NOMEM : MM_INVALID;
    log_flush();
    _exit(0);
}

static void record(uint64_t i, const struct mm_op *o, const char *p) {
    struct mm_rec *r = &log_buf[log_n++];
    r->op = (uint32_t)i;
    r->kind = o->kind;
    r->id = o->id;
    r->flags = p ? 0 : MM_REC_NULL;
    r->size = o->kind == MM_OP_FREE ? 0 : o->size;
    r->offset = p ? (uint64_t)heap_off(p) : 0;
    r->heap_size = mem_heapsize();
    if (log_n == sizeof log_buf / sizeof *log_buf) log_flush();
}

/* The byte id's payload holds at index j: shifted copies differ. */
static inline unsigned char pattern(uint32_t id, uint64_t j) { return (unsigned char)(id * 37u + 11u + j); }

static void fill(char *p, uint32_t id, uint64_t size) {
    for (uint64_t j = 0; j < size; j++) p[j] = (char)pattern(id, j);
}

/* Index of the first byte of p[0..size) that is not id's pattern, or size. */
static uint64_t first_changed(const char *p, uint32_t id, uint64_t size) {
    for (uint64_t j = 0; j < size; j++)
        if ((unsigned char)p[j] != pattern(id, j)) return j;
    return size;
}

/* Index of the first range whose lo >= p. */
static size_t range_find(const char *p) {
    size_t a = 0, b = n_ranges;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (ranges[m].lo < p) a = m + 1; else b = m;
    }
    return a;
}

static void range_remove(const char *p) {
    size_t k = range_find(p);
    if (k < n_ranges && ranges[k].lo == p) {
        memmove(&ranges[k], &ranges[k + 1], (n_ranges - k - 1) * sizeof *ranges);
        n_ranges--;
    }
}

/* mdriver's add_range: the checks on a payload just returned. */
static void check_new(const char *call, uint32_t id, char *p, uint64_t size) {
    char *heap_lo = mem_heap_lo(), *heap_hi = mem_heap_hi();
    if ((uintptr_t)p % ALIGNMENT)
        broke(MM_CHECK_ALIGN, p, "%s returned heap offset %lld, which is not %d-byte aligned", call,
              (long long)heap_off(p), ALIGNMENT);
    if (p < heap_lo || p + size - 1 > heap_hi)
        broke(MM_CHECK_OUTSIDE, NULL, "%s returned a payload (heap offset %lld .. %lld) outside the heap (0 .. %lld)",
              call, (long long)heap_off(p), (long long)(heap_off(p) + (int64_t)size - 1), (long long)heap_off(heap_hi));
    size_t k = range_find(p);
    const struct mm_live *clash = NULL;
    if (k > 0 && ranges[k - 1].hi > p) clash = &ranges[k - 1];
    else if (k < n_ranges && ranges[k].lo < p + size) clash = &ranges[k];
    if (clash)
        broke(MM_CHECK_OVERLAP, p, "%s returned heap offset %lld .. %lld, which overlaps the live payload of id %u "
              "(heap offset %lld .. %lld)", call, (long long)heap_off(p), (long long)(heap_off(p) + (int64_t)size - 1),
              clash->id, (long long)heap_off(clash->lo), (long long)heap_off(clash->hi - 1));
    memmove(&ranges[k + 1], &ranges[k], (n_ranges - k) * sizeof *ranges);
    ranges[k] = (struct mm_live){ p, p + size, id };
    n_ranges++;
}

/* The checked pass. */
static void run_checked(void) {
    uint64_t live = 0;
    char call[96];
    mem_reset_brk();
    sh->phase = MM_PHASE_INIT;
    if (mm_init() < 0) broke(MM_CHECK_INIT, NULL, "mm_init returned -1");
    sh->phase = MM_PHASE_VALID;
    for (uint64_t i = 0; i < n_ops; i++) {
        const struct mm_op *o = &ops[i];
        uint32_t id = o->id;
        sh->op = (int64_t)i;
        mem_last_refusal = 0;
        if (o->kind == MM_OP_ALLOC) {
            char *p = mm_malloc(o->size);
            record(i, o, p);
            snprintf(call, sizeof call, "mm_malloc(%llu) for id %u", (unsigned long long)o->size, id);
            if (!p && o->size) broke(MM_CHECK_NULL, NULL, "%s returned NULL", call);
            if (p) {
                check_new(call, id, p, o->size);
                fill(p, id, o->size);
            }
            ptrs[id] = p;
            sizes[id] = p ? o->size : 0;
            live += sizes[id];
        } else if (o->kind == MM_OP_REALLOC) {
            char *old = ptrs[id];
            uint64_t old_size = sizes[id];
            if (old) range_remove(old);
            char *p = mm_realloc(old, o->size);
            record(i, o, p);
            snprintf(call, sizeof call, "mm_realloc(id %u, %llu)", id, (unsigned long long)o->size);
            if (!p && o->size) broke(MM_CHECK_NULL, NULL, "%s returned NULL", call);
            if (p) {
                check_new(call, id, p, o->size);
                uint64_t keep = old_size < o->size ? old_size : o->size;
                uint64_t j = first_changed(p, id, keep);
                if (j < keep)
                    broke(MM_CHECK_REALLOC, p, "%s lost the old contents: byte %llu of the %llu kept is not what "
                          "id %u held", call, (unsigned long long)j, (unsigned long long)keep, id);
                fill(p, id, o->size);
            }
            live = live - old_size + (p ? o->size : 0);
            ptrs[id] = p;
            sizes[id] = p ? o->size : 0;
        } else {
            char *p = ptrs[id];
            if (p) {
                uint64_t j = first_changed(p, id, sizes[id]);
                if (j < sizes[id])
                    broke(MM_CHECK_CHANGED, p, "the payload of id %u (heap offset %lld, %llu bytes) changed before "
                          "its free: byte %llu was overwritten", id, (long long)heap_off(p),
                          (unsigned long long)sizes[id], (unsigned long long)j);
                range_remove(p);
            }
            mm_free(p);
            record(i, o, p);
            live -= sizes[id];
            ptrs[id] = NULL;
            sizes[id] = 0;
        }
        if (live > sh->peak_payload) sh->peak_payload = live;
        decode(i);
    }
    sh->op = -1;
    sh->heap_size = mem_heapsize();
    sh->util = sh->heap_size ? (double)sh->peak_payload / (double)sh->heap_size : 0.0;
    log_flush();
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One unchecked pass over the ops with the student's allocator (libc=0) or
 * libc's; returns its time in seconds. */
static double run_timed(int libc) {
    memset(ptrs, 0, n_ids * sizeof *ptrs);
    double t0 = now_s();
    if (!libc) {
        mem_reset_brk();
        if (mm_init() < 0) return -1;
    }
    for (uint64_t i = 0; i < n_ops; i++) {
        const struct mm_op *o = &ops[i];
        sh->op = (int64_t)i;
        char **p = &ptrs[o->id];
        if (o->kind == MM_OP_ALLOC) *p = libc ? malloc(o->size) : mm_malloc(o->size);
        else if (o->kind == MM_OP_REALLOC) *p = libc ? realloc(*p, o->size) : mm_realloc(*p, o->size);
        else {
            if (libc) free(*p); else mm_free(*p);
            *p = NULL;
        }
    }
    double t = now_s() - t0;
    if (libc)
        for (uint32_t id = 0; id < n_ids; id++) free(ptrs[id]);
    return t;
}

static double best_time(int libc, int runs) {
    double best = -1;
    for (int r = 0; r < runs; r++) {
        double t = run_timed(libc);
        if (t >= 0 && (best < 0 || t < best)) best = t;
    }
    return best;
}

/* Reads the whole ops file; returns 0 or -1. */
static int load_ops(const char *path) {
    int fd = open(path, O_RDONLY);
    struct mm_ops_header h;
    if (fd < 0 || read(fd, &h, sizeof h) != (ssize_t)sizeof h || h.magic != MM_OPS_MAGIC) return -1;
    n_ops = h.n_ops;
    n_ids = h.n_ids;
    size_t len = n_ops * sizeof *ops, got = 0;
    ops = malloc(len ? len : 1);
    ptrs = calloc(n_ids ? n_ids : 1, sizeof *ptrs);
    sizes = calloc(n_ids ? n_ids : 1, sizeof *sizes);
    ranges = malloc((n_ids ? n_ids : 1) * sizeof *ranges);
    if (!ops || !ptrs || !sizes || !ranges) return -1;
    while (got < len) {
        ssize_t r = read(fd, (char *)ops + got, len - got);
        if (r <= 0) return -1;
        got += (size_t)r;
    }
    close(fd);
    for (uint64_t i = 0; i < n_ops; i++)
        if (ops[i].id >= n_ids) return -1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 7) return 4;
    int fd = open(argv[2], O_RDWR);
    if (fd < 0) return 4;
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (sh == MAP_FAILED || sh->magic != MM_SHARED_MAGIC) return 4;
    sh->op = -1;
    sh->fail_offset = -1;
    catch_fatal();
    if (load_ops(argv[1]) < 0) {
        sh->verdict = MM_DRIVER_ERROR;
        snprintf(sh->what, sizeof sh->what, "the driver could not read its ops file");
        return 4;
    }
    sh->n_ops = n_ops;
    if (strcmp(argv[3], "-") != 0 && (log_fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) return 4;
    if (strcmp(argv[6], "-") != 0) {
        if ((blocks_fd = open(argv[6], O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) return 4;
        sh->decode_state = MM_DECODE_OK;
    }
    sh->decode_op = -1;
    alarm((unsigned)atoi(argv[4]));
    mem_init();
    run_checked();
    int runs = atoi(argv[5]);
    if (runs > 0) {
        sh->phase = MM_PHASE_SPEED;
        sh->secs = best_time(0, runs);
        sh->phase = MM_PHASE_LIBC;
        sh->libc_secs = best_time(1, runs);
    }
    sh->op = -1;
    sh->phase = MM_PHASE_DONE;
    sh->verdict = MM_OK;
    return 0;
}
