/* bench_native.c: the native benchmark harness (a CLI the driver runs once
 * per measurement, so every measurement starts from a fresh process):
 *
 *   bench-native policies             HeapLab's policy names, from the engine
 *   bench-native compile TRACE OUT    parse TRACE with the engine, write a program
 *   bench-native run ALLOC PROG [--warm]  one timed replay; ALLOC = glibc | bump | heaplab-<policy>
 *                                     (--warm: the second replay on the same heap, bench_prog.h)
 *   bench-native util PROG            one untimed glibc replay sampling the heap extent
 *   bench-native probe                does glibc trim / mmap? (checks GLIBC_TUNABLES)
 *
 * Each prints one JSON object on stdout; errors go to stderr with exit 2.
 * Built with -DBENCH_LIBC='"dlmalloc"' and dlmalloc_native.c linked in
 * (bench-native-dlmalloc), `run dlmalloc PROG` replays through dlmalloc in
 * place of glibc: a native peer for instruction counts only (util and
 * probe still ask glibc, which then holds nothing).
 * The harness's own memory (the program, the tables) is mmapped, outside
 * malloc, so the allocator under test starts from an empty heap.
 * glibc's heap extent is mallinfo2().arena + hblkhd (sbrk'd plus mmapped
 * bytes); it can only change when the break moves or a block big enough to
 * be mmapped is touched, so mallinfo2 (which walks the bins) is called only
 * then. Whatever the C runtime had allocated before the replay (normally
 * nothing) is subtracted from the high-water mark.
 */
#define _GNU_SOURCE /* sbrk, mallinfo2 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BENCH_LIBC
#define BENCH_LIBC "glibc" /* the C library allocator `run` names */
#endif
#include "heap/allocator.h"
#include "bench_native.h"
#include "bench_prog.h"
#include "trace/trace.h"

#define ARENA_BYTES (1u << 30)   /* HeapLab arena capacity: far above any trace's need */
#define MMAP_CANDIDATE (64u << 10) /* below glibc's smallest mmap threshold (128 KiB) */

static int fail(const char *what, const char *detail) {
    fprintf(stderr, "bench-native: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 2;
}

/* Returns n zeroed bytes of harness memory outside malloc, pages touched
 * (so no page fault lands in a timed loop), or NULL. Never unmapped: the
 * process ends after one measurement. */
static void *harness_mem(size_t n) {
    void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    memset(p, 0, n ? n : 1);
    return p;
}

/* Returns the whole file in harness memory, or NULL with errno set. */
static void *read_all(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0) return NULL;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    char *buf = harness_mem((size_t)st.st_size);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n <= 0) {
            buf = NULL;
            errno = n == 0 ? EINVAL : errno;
        } else {
            got += (size_t)n;
        }
    }
    close(fd);
    *len = got;
    return buf;
}

static int cmd_policies(void) {
    printf("[");
    for (int p = 0; p < HEAP_POLICY_COUNT; p++) printf("%s\"%s\"", p ? "," : "", heap_policy_name(p));
    printf("]\n");
    return 0;
}

static int cmd_compile(const char *trace_path, const char *out_path) {
    struct trace t;
    char err[TRACE_ERR_LEN + 64];
    size_t len;
    if (trace_load_file(trace_path, &t, err, sizeof err) != 0) return fail("bad trace", err);
    double lb = 0;
    void *prog = bench_prog_build(&t, &len, &lb, err, sizeof err);
    struct bench_prog p;
    if (!prog) {
        trace_free(&t);
        return fail(trace_path, err);
    }
    FILE *f = fopen(out_path, "wb");
    int ok = f && fwrite(prog, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = 0;
    bench_prog_view(prog, len, &p);
    free(prog);
    trace_free(&t);
    if (!ok) return fail("cannot write", out_path);
    printf("{\"ops\":%" PRIu32 ",\"ids\":%" PRIu32 ",\"peak_payload\":%" PRIu64 ",\"dropped\":%" PRIu32
           ",\"lb\":%.6f}\n", p.n_ops, p.n_ids, p.peak_payload, p.dropped, lb);
    return 0;
}

/* Loads a program file; returns the buffer (to free) or NULL after a message. */
static void *load_prog(const char *path, struct bench_prog *p) {
    size_t len;
    void *buf = read_all(path, &len);
    if (!buf) {
        fail(path, strerror(errno));
        return NULL;
    }
    if (bench_prog_view(buf, len, p) != 0) {
        fail(path, "not a benchmark program (rebuild it with `bench-native compile`)");
        return NULL;
    }
    return buf;
}

static void print_run(const char *alloc, const struct bench_prog *p, const struct bench_run *r, int with_util) {
    printf("{\"allocator\":\"%s\",\"ops\":%" PRIu32 ",\"us\":%.3f,\"wall_us\":%.3f,\"failures\":%" PRIu64
           ",\"skipped\":%" PRIu64, alloc, p->n_ops, r->us, r->wall_us, r->failures, r->skipped);
    if (with_util)
        printf(",\"peak_payload\":%" PRIu64 ",\"heap_peak\":%" PRIu64 ",\"side_bytes\":%" PRIu64 ",\"utilization\":%.6f",
               r->peak_payload, r->heap_peak, r->side_bytes,
               r->heap_peak ? (double)r->peak_payload / (double)r->heap_peak : 0.0);
    printf("}\n");
}

static int cmd_run(const char *alloc, const char *path, int warm) {
    struct bench_prog p;
    struct bench_run r;
    int policy = -1, is_bump = strcmp(alloc, "bump") == 0;
    if (strncmp(alloc, "heaplab-", 8) == 0) {
        if ((policy = heap_policy_by_name(alloc + 8)) < 0) return fail("unknown HeapLab policy", alloc + 8);
    } else if (strcmp(alloc, BENCH_LIBC) != 0 && !is_bump) {
        return fail("unknown allocator (" BENCH_LIBC ", bump or heaplab-<policy>)", alloc);
    }
    void *buf = load_prog(path, &p);
    if (!buf) return 2;
    void *tab = harness_mem((size_t)p.n_ids * (policy >= 0 ? sizeof(uint32_t) : sizeof(void *)));
    if (!tab) return fail("out of memory", NULL);
    int rc = policy >= 0 ? bench_replay_heaplab(&p, policy, ARENA_BYTES, tab, warm, &r)
             : is_bump   ? bench_replay_bump(&p, tab, warm, &r)
                         : bench_replay_libc(&p, tab, warm, &r);
    if (rc != 0) return fail("cannot create the heap", alloc);
    print_run(alloc, &p, &r, policy >= 0 || is_bump);
    return 0; /* the process ends here: no teardown inside the measurement */
}

struct glibc_extent {
    void *brk;          /* sbrk(0) at the last mallinfo2 */
    uint64_t extent;    /* arena + hblkhd then */
    uint64_t max_mmapped;
};

/* Returns glibc's heap extent, re-reading mallinfo2 only when it can have changed. */
static uint64_t glibc_extent(void *ctx, uint32_t big) {
    struct glibc_extent *g = ctx;
    void *brk = sbrk(0);
    if (brk != g->brk || big >= MMAP_CANDIDATE || g->extent == 0) {
        struct mallinfo2 mi = mallinfo2();
        g->brk = brk;
        g->extent = mi.arena + mi.hblkhd;
        if (mi.hblkhd > g->max_mmapped) g->max_mmapped = mi.hblkhd;
    }
    return g->extent;
}

static int cmd_util(const char *path) {
    struct bench_prog p;
    struct bench_run r;
    struct glibc_extent g = { 0 };
    void *buf = load_prog(path, &p);
    if (!buf) return 2;
    void **tab = harness_mem((size_t)p.n_ids * sizeof *tab);
    uint32_t *sizes = harness_mem((size_t)p.n_ids * sizeof *sizes);
    if (!tab || !sizes) return fail("out of memory", NULL);
    struct mallinfo2 base = mallinfo2();
    uint64_t before = base.uordblks + base.hblkhd; /* the C runtime's own blocks */
    uint64_t high = bench_sample_libc(&p, tab, sizes, glibc_extent, &g, &r);
    uint64_t footprint = high ? high - before : 0;
    printf("{\"allocator\":\"glibc\",\"ops\":%" PRIu32 ",\"peak_payload\":%" PRIu64 ",\"footprint\":%" PRIu64
           ",\"runtime_bytes\":%" PRIu64 ",\"max_mmapped\":%" PRIu64 ",\"failures\":%" PRIu64, p.n_ops, p.peak_payload,
           footprint, before, g.max_mmapped, r.failures);
    /* a refused request means the peak is not the trace's: no utilization */
    if (footprint) printf(",\"utilization\":%.6f}\n", (double)p.peak_payload / (double)footprint);
    else printf(",\"utilization\":null}\n");
    return 0;
}

/* Prints whether glibc trims the heap top on free (300 KiB freed at the top)
 * and mmaps a 1 MiB block: both true by default, both false under the
 * glibc-notrim tunables. The trim probe runs first: freeing an mmapped
 * block raises glibc's dynamic mmap threshold. */
static int cmd_probe(void) {
    void *volatile small[3];
    for (int i = 0; i < 3; i++) small[i] = malloc(100u << 10);
    size_t before = mallinfo2().arena;
    for (int i = 2; i >= 0; i--) free(small[i]);
    int trims = mallinfo2().arena < before;
    void *volatile big = malloc(1u << 20);
    struct mallinfo2 mi = mallinfo2();
    printf("{\"trims\":%s,\"mmapped_1mib\":%s}\n", trims ? "true" : "false",
           big && mi.hblkhd >= (1u << 20) ? "true" : "false");
    free(big);
    return 0;
}

int main(int argc, char **argv) {
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "policies") == 0 && argc == 2) return cmd_policies();
    if (strcmp(cmd, "compile") == 0 && argc == 4) return cmd_compile(argv[2], argv[3]);
    if (strcmp(cmd, "run") == 0 && argc == 4) return cmd_run(argv[2], argv[3], 0);
    if (strcmp(cmd, "run") == 0 && argc == 5 && strcmp(argv[4], "--warm") == 0) return cmd_run(argv[2], argv[3], 1);
    if (strcmp(cmd, "util") == 0 && argc == 3) return cmd_util(argv[2]);
    if (strcmp(cmd, "probe") == 0 && argc == 2) return cmd_probe();
    fputs("usage: bench-native policies | compile TRACE OUT | run glibc|bump|heaplab-<policy> PROG [--warm] | util PROG | probe\n",
          stderr);
    return 2;
}
