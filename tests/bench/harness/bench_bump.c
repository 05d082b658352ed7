/* bench_bump.c: the physical limit of the harness, a bump allocator. malloc
 * moves a pointer (an 8-byte header holding the size, 8-byte alignment, as
 * HeapLab's blocks); free does nothing; realloc bumps a new block and copies
 * min(old, new) bytes. No allocator can do less per op, so its row in the
 * table says how close each allocator gets. Its memory comes in chunks,
 * 256 KiB first, each twice the last (up to 64 MiB), as a heap grows:
 * mmap natively, sbrk in wasm (every instance's
 * memory is fresh, as for the other allocators). "Warm" resets the pointer
 * to the first chunk after the untimed pass: the same memory, touched.
 * Its utilization is peak live payload / bytes bumped (it never reuses).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, sbrk */
#include <string.h>
#include "bench_prog.h"
#ifdef __EMSCRIPTEN__
#include <unistd.h>
#else
#include <sys/mman.h>
#endif

#define BUMP_FIRST (256u << 10) /* the first chunk; each next one doubles, up to BUMP_MAX */
#define BUMP_MAX (64u << 20)
#define BUMP_MAX_CHUNKS 256

static struct {
    char *base[BUMP_MAX_CHUNKS];
    size_t len[BUMP_MAX_CHUNKS];
    int n, at;      /* chunks obtained; the one in use */
    char *cur, *end;
    uint64_t used;  /* bytes bumped (headers included) */
} bump;

/* Returns fresh memory of len bytes from the system, or NULL. */
static char *system_mem(size_t len) {
#ifdef __EMSCRIPTEN__
    void *p = sbrk((intptr_t)len);
    return p == (void *)-1 ? NULL : p;
#else
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
#endif
}

/* Moves on to the next chunk holding need bytes (reusing one after a reset); 0 or -1. */
static __attribute__((noinline)) int next_chunk(size_t need) {
    while (bump.at + 1 < bump.n) {
        bump.at++;
        bump.cur = bump.base[bump.at];
        bump.end = bump.cur + bump.len[bump.at];
        if ((size_t)(bump.end - bump.cur) >= need) return 0;
    }
    size_t chunk = bump.n ? bump.len[bump.n - 1] * 2 : BUMP_FIRST;
    if (chunk > BUMP_MAX) chunk = BUMP_MAX;
    size_t len = need > chunk ? (need + 15) / 16 * 16 : chunk;
    char *p = bump.n < BUMP_MAX_CHUNKS ? system_mem(len) : NULL;
    if (!p) return -1;
    bump.base[bump.n] = p;
    bump.len[bump.n] = len;
    bump.at = bump.n++;
    bump.cur = p;
    bump.end = p + len;
    return 0;
}

static inline void *bump_malloc(uint32_t size) {
    size_t need = ((size_t)size + 8 + 7) & ~(size_t)7;
    if ((size_t)(bump.end - bump.cur) < need && next_chunk(need) != 0) return NULL;
    char *b = bump.cur;
    bump.cur += need;
    bump.used += need;
    memcpy(b, &size, sizeof size);
    return b + 8;
}

static inline void *bump_realloc(void *p, uint32_t size) {
    uint32_t old;
    memcpy(&old, (char *)p - 8, sizeof old);
    void *q = bump_malloc(size);
    if (q) memcpy(q, p, old < size ? old : size);
    return q;
}

/* The timed part (callgrind: --toggle-collect=bench_loop_*). */
__attribute__((noinline)) static void bench_loop_bump(const struct bench_prog *p, void **tab, uint64_t counts[2]) {
    const struct bench_op *op = p->ops, *end = p->ops + p->n_ops;
    for (; op < end; op++) {
        void **slot = &tab[op->id];
        if (op->op == BENCH_ALLOC) {
            if (!(*slot = bump_malloc(op->size))) counts[0]++;
        } else if (op->op == BENCH_FREE) {
            if (!*slot) counts[1]++;
            *slot = NULL;
        } else if (!*slot) {
            counts[1]++;
        } else {
            void *q = bump_realloc(*slot, op->size);
            if (q) *slot = q;
            else counts[0]++;
        }
    }
}

int bench_replay_bump(const struct bench_prog *p, void **tab, int warm, struct bench_run *out) {
    uint64_t counts[2] = { 0, 0 };
    memset(&bump, 0, sizeof bump);
    bump.at = -1;
    if (warm) {
        bench_loop_bump(p, tab, counts);
        memset(tab, 0, (size_t)p->n_ids * sizeof *tab);
        bump.at = bump.n ? 0 : -1; /* back to the first chunk: the same memory */
        bump.cur = bump.n ? bump.base[0] : NULL;
        bump.end = bump.n ? bump.base[0] + bump.len[0] : NULL;
        bump.used = 0;
        counts[0] = counts[1] = 0;
    }
    double w0 = bench_now_us(), c0 = bench_cpu_us();
    bench_loop_bump(p, tab, counts);
    out->us = bench_cpu_us() - c0;
    out->wall_us = bench_now_us() - w0;
    out->failures = counts[0];
    out->skipped = counts[1];
    out->peak_payload = p->peak_payload;
    out->heap_peak = bump.used;
    out->side_bytes = 0;
    return 0;
}
