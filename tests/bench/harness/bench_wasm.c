/* bench_wasm.c: the wasm harness's exports (integers and doubles only). The
 * same file is linked three times (build-harness.sh): with HeapLab
 * (BENCH_HEAPLAB defined; the C library's malloc then only backs HeapLab's
 * arena), with -sMALLOC=emmalloc and with -sMALLOC=dlmalloc. A measurement
 * uses a fresh instance (fresh memory, fresh allocator):
 *
 *   p = bench_alloc(len)     harness memory for the program; JS copies it in
 *   bench_load(p, len, s)    validate it, take the zeroed id table (and the
 *                            sizes table when s: sampling runs)
 *   bench_run_libc(warm) / bench_run_bump(warm) / bench_run_heaplab(policy, warm)
 *   / bench_util_libc()
 *   bench_failures() ...     read what the last call measured
 *
 * Harness memory is taken with sbrk() before the allocator's first call,
 * so it lies below the allocator's heap: the allocator starts from an empty
 * heap, as under Malloc Lab's mem_init(). emmalloc and dlmalloc get all
 * their memory from sbrk, so their heap extent is sbrk(0) minus its value
 * at the end of bench_load(), and its high-water mark is their footprint.
 */
#define _DEFAULT_SOURCE /* sbrk */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <emscripten.h>
#include "bench_prog.h"
#ifdef BENCH_HEAPLAB
#include "heap/allocator.h"
#define ARENA_BYTES (1u << 30)
#endif

static struct {
    uintptr_t brk0;            /* sbrk(0) once the harness has its memory */
    struct bench_prog prog;
    void *tab;                 /* n_ids entries of 4 bytes: pointers or offsets */
    uint32_t *sizes;           /* n_ids sizes, sampling runs only */
    struct bench_run run;
    uint64_t footprint;
} st;

/* Returns len bytes of zeroed harness memory from sbrk (16-aligned), or NULL. */
static void *harness_mem(uint32_t len) {
    uintptr_t at = (uintptr_t)sbrk(0), pad = (16 - at % 16) % 16;
    size_t want = pad + ((size_t)len + 15) / 16 * 16;
    void *p = sbrk((intptr_t)want);
    if (p == (void *)-1) return NULL;
    memset((char *)p + pad, 0, want - pad);
    return (char *)p + pad;
}

/* Returns a block of len bytes for the program, or 0. */
EMSCRIPTEN_KEEPALIVE void *bench_alloc(uint32_t len) { return harness_mem(len ? len : 1); }

/* Returns 0, or a BENCH_E* code when the program is bad or memory short. */
EMSCRIPTEN_KEEPALIVE int bench_load(const void *buf, uint32_t len, int with_sizes) {
    int rc = bench_prog_view(buf, len, &st.prog);
    if (rc != 0) return rc;
    uint32_t n = st.prog.n_ids ? st.prog.n_ids : 1;
    _Static_assert(sizeof(void *) == 4, "wasm32: pointers and offsets share the table");
    st.tab = harness_mem(n * 4);
    st.sizes = with_sizes ? harness_mem(n * 4) : NULL;
    if (!st.tab || (with_sizes && !st.sizes)) return BENCH_EHOST;
    st.brk0 = (uintptr_t)sbrk(0);
    return 0;
}

/* Returns the CPU microseconds of one timed replay through malloc/free/realloc
 * (warm: the second replay on the same heap, bench_prog.h). */
EMSCRIPTEN_KEEPALIVE double bench_run_libc(int warm) {
    bench_replay_libc(&st.prog, st.tab, warm, &st.run);
    return st.run.us;
}

/* The same through the bump allocator (bench_bump.c): the harness's limit. */
EMSCRIPTEN_KEEPALIVE double bench_run_bump(int warm) {
    bench_replay_bump(&st.prog, st.tab, warm, &st.run);
    return st.run.us;
}

/* Returns the current heap extent: bytes sbrk'd since bench_load. */
static uint64_t sbrk_extent(void *ctx, uint32_t big) {
    (void)ctx;
    (void)big;
    return (uintptr_t)sbrk(0) - st.brk0;
}

/* Returns the utilization of one sampling replay (0 when a request failed). */
EMSCRIPTEN_KEEPALIVE double bench_util_libc(void) {
    if (!st.sizes) return 0;
    st.footprint = bench_sample_libc(&st.prog, st.tab, st.sizes, sbrk_extent, NULL, &st.run);
    return st.footprint ? (double)st.prog.peak_payload / (double)st.footprint : 0;
}

EMSCRIPTEN_KEEPALIVE double bench_wall_us(void) { return st.run.wall_us; }
EMSCRIPTEN_KEEPALIVE double bench_failures(void) { return (double)st.run.failures; }
EMSCRIPTEN_KEEPALIVE double bench_skipped(void) { return (double)st.run.skipped; }
EMSCRIPTEN_KEEPALIVE double bench_ops(void) { return st.prog.n_ops; }
EMSCRIPTEN_KEEPALIVE double bench_peak_payload(void) { return (double)st.run.peak_payload; }
EMSCRIPTEN_KEEPALIVE double bench_heap_peak(void) { return (double)st.run.heap_peak; }
EMSCRIPTEN_KEEPALIVE double bench_side_bytes(void) { return (double)st.run.side_bytes; }
EMSCRIPTEN_KEEPALIVE double bench_footprint(void) { return (double)st.footprint; }

#ifdef BENCH_HEAPLAB
/* Returns the CPU microseconds of one timed replay through a fresh HeapLab
 * heap (a negative BENCH_E* code when the heap cannot be built). */
EMSCRIPTEN_KEEPALIVE double bench_run_heaplab(int policy, int warm) {
    int rc = bench_replay_heaplab(&st.prog, policy, ARENA_BYTES, st.tab, warm, &st.run);
    return rc ? rc : st.run.us;
}

/* The engine's policy table: how many, and each name (a C string). */
EMSCRIPTEN_KEEPALIVE int bench_policy_count(void) { return HEAP_POLICY_COUNT; }
EMSCRIPTEN_KEEPALIVE const char *bench_policy_name(int p) { return heap_policy_name(p); }
#endif
