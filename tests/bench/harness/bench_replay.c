/* bench_replay.c: the replay loops through the C library's allocator
 * (glibc natively; emmalloc or dlmalloc in wasm, chosen at link time), and
 * the clock. The timed loop does nothing but the calls and the table
 * updates; the sampling loop is the same loop plus one extent() call per
 * op, and is never timed.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_prog.h"
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#ifdef __EMSCRIPTEN__
/* Returns node's CPU time of this process (user + system), microseconds. */
EM_JS(double, js_cpu_us, (void), {
    const u = process.cpuUsage();
    return u.user + u.system;
});
#endif

/* Returns microseconds of CPU time: this thread natively (user + system),
 * the node process in wasm (the replay runs on its main thread). */
double bench_cpu_us(void) {
#ifdef __EMSCRIPTEN__
    return js_cpu_us();
#else
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
#endif
}

/* Microseconds from a monotonic clock (performance.now() in wasm). */
double bench_now_us(void) {
#ifdef __EMSCRIPTEN__
    return emscripten_get_now() * 1000.0;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
#endif
}

/* Frees the blocks a trace left live (untimed; keeps leak checkers quiet). */
static void release_all(const struct bench_prog *p, void **tab) {
    for (uint32_t i = 0; i < p->n_ids; i++) {
        free(tab[i]);
        tab[i] = NULL;
    }
}

/* The timed part, kept out of line so an instruction counter can collect
 * exactly it (valgrind --toggle-collect=bench_loop_libc). Adds to
 * counts[0] the refused requests, to counts[1] the skipped ops. */
__attribute__((noinline)) static void bench_loop_libc(const struct bench_prog *p, void **tab, uint64_t counts[2]) {
    const struct bench_op *op = p->ops, *end = p->ops + p->n_ops;
    for (; op < end; op++) {
        void **slot = &tab[op->id];
        if (op->op == BENCH_ALLOC) {
            if (!(*slot = malloc(op->size))) counts[0]++;
        } else if (op->op == BENCH_FREE) {
            if (!*slot) counts[1]++;
            free(*slot);
            *slot = NULL;
        } else if (!*slot) {
            counts[1]++;
        } else {
            void *q = realloc(*slot, op->size);
            if (q) *slot = q;
            else counts[0]++;
        }
    }
}

/* The untimed first pass of a warm run: the same replay, writing every
 * payload it is handed (bench_prog.h says why). */
static void warm_up_libc(const struct bench_prog *p, void **tab) {
    for (const struct bench_op *op = p->ops, *end = p->ops + p->n_ops; op < end; op++) {
        void **slot = &tab[op->id], *q = NULL;
        if (op->op == BENCH_ALLOC) {
            q = *slot = malloc(op->size);
        } else if (op->op == BENCH_FREE) {
            free(*slot);
            *slot = NULL;
        } else if (*slot && (q = realloc(*slot, op->size))) {
            *slot = q;
        }
        if (q) memset(q, 0xa5, op->size);
    }
}

/* Returns 0; out->us is the time of the op loop alone. */
int bench_replay_libc(const struct bench_prog *p, void **tab, int warm, struct bench_run *out) {
    uint64_t counts[2] = { 0, 0 };
    if (warm) {
        warm_up_libc(p, tab);
        release_all(p, tab);
    }
    double w0 = bench_now_us(), c0 = bench_cpu_us();
    bench_loop_libc(p, tab, counts);
    out->us = bench_cpu_us() - c0;
    out->wall_us = bench_now_us() - w0;
    release_all(p, tab);
    out->failures = counts[0];
    out->skipped = counts[1];
    out->peak_payload = p->peak_payload;
    out->heap_peak = 0;
    return 0;
}

/* Returns the high-water mark of extent() over the replay (0 when the
 * allocator failed a request: the peak would not be the trace's). */
uint64_t bench_sample_libc(const struct bench_prog *p, void **tab, uint32_t *sizes, bench_extent_fn extent,
                           void *ctx, struct bench_run *out) {
    uint64_t high = extent(ctx, 0), failures = 0, skipped = 0;
    for (uint32_t i = 0; i < p->n_ops; i++) {
        const struct bench_op *op = &p->ops[i];
        uint32_t big = sizes[op->id] > op->size ? sizes[op->id] : op->size;
        if (op->op == BENCH_ALLOC) {
            if ((tab[op->id] = malloc(op->size))) sizes[op->id] = op->size;
            else failures++;
        } else if (op->op == BENCH_FREE) {
            if (!tab[op->id]) skipped++;
            free(tab[op->id]);
            tab[op->id] = NULL;
            sizes[op->id] = 0;
        } else if (!tab[op->id]) {
            skipped++;
        } else {
            void *q = realloc(tab[op->id], op->size);
            if (q) {
                tab[op->id] = q;
                sizes[op->id] = op->size;
            } else {
                failures++;
            }
        }
        uint64_t e = extent(ctx, big);
        if (e > high) high = e;
    }
    release_all(p, tab);
    out->us = out->wall_us = 0;
    out->failures = failures;
    out->skipped = skipped;
    out->peak_payload = p->peak_payload;
    out->heap_peak = high;
    return failures ? 0 : high;
}
