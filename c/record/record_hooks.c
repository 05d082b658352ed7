/* record_hooks.c: the functions the recorder puts in front of the C
 * library's allocator (LD_PRELOAD): malloc, calloc, realloc, reallocarray,
 * free, memalign, posix_memalign, aligned_alloc, valloc, pvalloc. Each one
 * calls the real function and, when the call is to be recorded, turns it
 * into a row of the rich CSV (record_out.c) with the block's id (record_map.c).
 *
 * What a call becomes:
 *   malloc/calloc/memalign/...  alloc of a fresh id (dense, in allocation
 *                    order) of the requested bytes (calloc: n*size); a
 *                    failed call is still an alloc row, with result -errno
 *   realloc(p, n)    realloc of p's id, which it keeps; realloc(NULL, n) is an
 *                    alloc; a realloc(p, 0) that frees p is a free row; a
 *                    failure is a realloc row with result -errno (p stays live)
 *   free(p)          free of p's id; free(NULL) and a free of a pointer the
 *                    recorder never saw (allocated before it was loaded, or
 *                    by an unrecorded thread) are counted and skipped
 *
 * Safety inside the traced program:
 *   - no allocation: tables and the CSV live in mmap'd memory; while dlsym
 *     looks the real functions up (it may call calloc) requests are served
 *     from a static arena, whose blocks free() then ignores;
 *   - a per-thread depth counter: a call made from inside a hook (dladdr,
 *     a signal handler interrupting a hook) goes straight through;
 *   - one lock, held across the real call and its row, so the rows are in
 *     the order the heap saw the calls; dladdr (which takes the loader's
 *     lock) runs before it is taken;
 *   - fork: the lock is taken around fork; the child drops the parent's
 *     mappings and ids and starts its own files on its first call; exec
 *     needs nothing (the rows are already in the file);
 *   - errno is what the real call left.
 * --threads main: only the main thread's calls are recorded, plus the frees
 * and reallocs other threads make of blocks the main thread allocated (so a
 * block's life ends in the trace where it ended in the program).
 */
#ifdef HEAPLAB_RECORD_LIB /* c/Makefile's recorder rule; anything else (the one-line gcc build of
                             the tool) compiles this file to nothing: the hooks belong in the .so only */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "record/record_internal.h"
#include "trace/trace.h" /* TRACE_MAX_ID */

#define EXPORT __attribute__((visibility("default")))
#define TLS __thread __attribute__((tls_model("initial-exec")))

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void *(*real_reallocarray)(void *, size_t, size_t);
static void (*real_free)(void *);
static void *(*real_memalign)(size_t, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_valloc)(size_t);
static void *(*real_pvalloc)(size_t);

/* ---- bootstrap: the static arena used while dlsym runs ---------------------- */
static _Alignas(64) unsigned char boot_arena[1 << 16];
static size_t boot_used;
static atomic_int resolving;

/* A zeroed block of the boot arena (16-byte header holding its size), or NULL. */
static void *boot_alloc(size_t n) {
    size_t need = 16 + ((n + 15) & ~(size_t)15);
    if (n > sizeof boot_arena || boot_used + need > sizeof boot_arena) return NULL;
    unsigned char *p = boot_arena + boot_used;
    boot_used += need;
    memcpy(p, &n, sizeof n);
    return p + 16;
}

static int in_boot(const void *p) {
    return (const unsigned char *)p >= boot_arena && (const unsigned char *)p < boot_arena + sizeof boot_arena;
}

/* Looks the real functions up (once); afterwards real_free is set. */
static void resolve(void) {
    if (real_free || atomic_load(&resolving)) return;
    atomic_store(&resolving, 1);
    real_malloc = dlsym(RTLD_NEXT, "malloc");
    real_calloc = dlsym(RTLD_NEXT, "calloc");
    real_realloc = dlsym(RTLD_NEXT, "realloc");
    real_reallocarray = dlsym(RTLD_NEXT, "reallocarray");
    real_memalign = dlsym(RTLD_NEXT, "memalign");
    real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
    real_valloc = dlsym(RTLD_NEXT, "valloc");
    real_pvalloc = dlsym(RTLD_NEXT, "pvalloc");
    real_free = dlsym(RTLD_NEXT, "free");
    atomic_store(&resolving, 0);
}

/* ---- the lock, threads, fork ------------------------------------------------ */
static atomic_flag lock = ATOMIC_FLAG_INIT;
static TLS int depth;             /* > 0 inside a hook */
static TLS uint32_t tls_gen, tls_thread;
static TLS pid_t tls_tid;
static uint32_t generation = 1;   /* bumped in a fork child: thread numbers restart */
static uint32_t next_thread;
static uint32_t next_id;
static pid_t my_pid;

static void lock_take(void) {
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire)) sched_yield();
}
static void lock_drop(void) { atomic_flag_clear_explicit(&lock, memory_order_release); }

/* The calling thread's number in this image (0 = the first to make a call). Lock held. */
static uint32_t thread_index(void) {
    if (tls_gen != generation) {
        tls_gen = generation;
        tls_thread = next_thread++;
        tls_tid = (pid_t)syscall(SYS_gettid);
        out_stat()->threads = next_thread;
    }
    return tls_thread;
}

/* 1 when the calling thread is the process's main thread. Lock held. */
static int is_main_thread(void) {
    thread_index();
    if (!my_pid) my_pid = getpid();
    return tls_tid == my_pid;
}

/* depth stays raised across fork, so a signal handler's malloc in between passes straight through */
static void fork_prepare(void) { depth++; lock_take(); }
static void fork_parent(void) { lock_drop(); depth--; }
static void fork_child(void) {
    out_forget();
    map_reset();
    next_id = 0;
    next_thread = 0;
    generation++;
    my_pid = getpid();
    lock_drop();
    depth--;
}

__attribute__((constructor)) static void record_init(void) {
    resolve();
    pthread_atfork(fork_prepare, fork_parent, fork_child);
    if (out_settings()->sites > 1) { /* backtrace loads libgcc_s (malloc, dlopen) on first use: do it now, unrecorded */
        void *frames[4];
        depth++;
        backtrace(frames, 4);
        depth--;
    }
}

/* ---- call sites ---------------------------------------------------------------- */
#define SITE_NAME_MAX 480

/* The site of a call whose return address is ra: ra alone, or with
 * --site-depth N the N frames from ra outwards (found in a backtrace, which
 * also holds the hook's own frames: they are the ones before ra). */
static void site_key_of(uintptr_t ra, int n, struct site_key *k) {
    k->pc[0] = ra;
    k->n = 1;
    if (n < 2) return;
    void *frames[SITE_MAX_DEPTH + 8];
    int got = backtrace(frames, SITE_MAX_DEPTH + 8), at = 0;
    while (at < got && (uintptr_t)frames[at] != ra) at++;
    for (int i = at + 1; i < got && k->n < n; i++) k->pc[k->n++] = (uintptr_t)frames[i];
}

/* ---- entering and leaving a recorded call --------------------------------- */
enum call_kind { CALL_ALLOC, CALL_RESIZE, CALL_FREE };

/* Decides whether this call is recorded. Returns 1 with the lock held (and
 * *site set with --sites for allocs and resizes), or 0 (lock not held). */
static int enter(enum call_kind kind, uintptr_t ra, const char **site) {
    depth++;
    lock_take();
    const struct record_settings *s = out_settings();
    struct record_stat *st = out_stat();
    if (!s->enabled || st->stopped) goto pass;
    /* --threads main: other threads' allocs are not recorded; their frees and
       reallocs are, when the block is the main thread's (checked by the caller) */
    if (!s->all_threads && kind == CALL_ALLOC && !is_main_thread()) {
        st->skipped_thread++;
        goto pass;
    }
    if (s->max_ops && st->rows >= s->max_ops) {
        st->skipped_max_ops++;
        goto pass;
    }
    if (kind == CALL_ALLOC && next_id > TRACE_MAX_ID) { /* the reader's limit: the trace stays readable */
        st->stopped = RECORD_STOP_IDS;
        goto pass;
    }
    *site = NULL;
    if (s->sites && kind != CALL_FREE) {
        struct site_key key;
        int depth_wanted = s->sites;
        lock_drop(); /* backtrace and dladdr take the loader's lock: never under ours */
        site_key_of(ra, depth_wanted, &key);
        lock_take();
        if (!(*site = site_lookup(&key))) {
            char name[SITE_NAME_MAX];
            lock_drop();
            site_resolve(&key, name, sizeof name);
            lock_take();
            *site = site_store(&key, name, &out_stat()->sites);
        }
    }
    if (out_open() != 0) goto pass;
    return 1;
pass:
    lock_drop();
    depth--;
    return 0;
}

static void leave(void) {
    lock_drop();
    depth--;
}

/* A fresh id for pointer p (the result of an alloc-like call). Lock held. */
static void note_alloc(void *p, uint64_t size, int err, const char *site) {
    uint32_t thread = thread_index(), old, id = next_id++;
    int had = p ? map_put((uintptr_t)p, id, &old) : 0;
    if (had < 0) out_stat()->stopped = RECORD_STOP_MEMORY;
    if (had == 1) { /* p was freed behind our back, and returned again */
        out_row(ROW_FREE, old, 0, 0, thread, NULL);
        out_stat()->implicit_frees++;
    }
    out_row(ROW_ALLOC, id, size, p ? 0 : -(err ? err : ENOMEM), thread, site);
}

/* Counts a free or realloc of a pointer the recorder never saw. Lock held. */
static void unknown(void) { out_stat()->skipped_unknown++; }

/* size = a * b, or UINT64_MAX when that overflows (the call then fails). */
static uint64_t product(size_t a, size_t b) {
    uint64_t r;
    return __builtin_mul_overflow((uint64_t)a, (uint64_t)b, &r) ? UINT64_MAX : r;
}

/* NULL with errno ENOMEM: an aligned allocation asked for before the real functions are known. */
static void *enomem(void) {
    errno = ENOMEM;
    return NULL;
}

/* The common body of the alloc-like hooks: call, then record. */
#define ALLOC_BODY(CALL, SIZE)                                              \
    const char *site;                                                       \
    if (depth || !enter(CALL_ALLOC, (uintptr_t)__builtin_return_address(0), &site)) return CALL; \
    void *p = CALL;                                                         \
    int err = errno;                                                        \
    note_alloc(p, SIZE, err, site);                                         \
    leave();                                                                \
    errno = err;                                                            \
    return p

EXPORT void *malloc(size_t n) {
    if (!real_malloc) {
        if (atomic_load(&resolving)) return boot_alloc(n);
        resolve();
    }
    ALLOC_BODY(real_malloc(n), n);
}

EXPORT void *calloc(size_t n, size_t size) {
    if (!real_calloc) {
        if (atomic_load(&resolving)) return boot_alloc((size_t)product(n, size)); /* zeroed */
        resolve();
    }
    ALLOC_BODY(real_calloc(n, size), product(n, size));
}

EXPORT void *memalign(size_t align, size_t n) {
    resolve();
    if (!real_memalign) return enomem(); /* asked for while dlsym runs */
    ALLOC_BODY(real_memalign(align, n), n);
}

EXPORT void *aligned_alloc(size_t align, size_t n) {
    resolve();
    if (!real_aligned_alloc) return enomem(); /* asked for while dlsym runs */
    ALLOC_BODY(real_aligned_alloc(align, n), n);
}

EXPORT void *valloc(size_t n) {
    resolve();
    if (!real_valloc) return enomem(); /* asked for while dlsym runs */
    ALLOC_BODY(real_valloc(n), n);
}

EXPORT void *pvalloc(size_t n) {
    resolve();
    if (!real_pvalloc) return enomem(); /* asked for while dlsym runs */
    ALLOC_BODY(real_pvalloc(n), n);
}

EXPORT int posix_memalign(void **out, size_t align, size_t n) {
    resolve();
    if (!real_posix_memalign) return ENOMEM;
    const char *site;
    if (depth || !enter(CALL_ALLOC, (uintptr_t)__builtin_return_address(0), &site))
        return real_posix_memalign(out, align, n);
    int err = errno;
    int rc = real_posix_memalign(out, align, n);
    note_alloc(rc ? NULL : *out, n, rc, site);
    leave();
    errno = err; /* posix_memalign leaves errno alone */
    return rc;
}

EXPORT void free(void *p) {
    if (!p || in_boot(p)) {
        if (!p && !depth && real_free) { /* counted, never recorded */
            depth++;
            lock_take();
            out_stat()->skipped_null_free++;
            lock_drop();
            depth--;
        }
        return;
    }
    resolve();
    const char *site;
    if (depth || !enter(CALL_FREE, 0, &site)) {
        real_free(p);
        return;
    }
    int err = errno;
    uint32_t id;
    real_free(p);
    if (map_take((uintptr_t)p, &id) == 0) out_row(ROW_FREE, id, 0, 0, thread_index(), NULL);
    else unknown();
    leave();
    errno = err;
}

/* realloc and reallocarray after the call: new is its result, size the bytes asked for. Lock held. */
static void note_resize(void *old, void *new, uint64_t size, int err, const char *site) {
    uint32_t id, stale;
    if (!old) {
        note_alloc(new, size, err, site);
        return;
    }
    uint32_t thread = thread_index();
    if (!new && size > 0) { /* failed: p is still live, with its old size */
        if (map_find((uintptr_t)old, &id) == 0) out_row(ROW_REALLOC, id, size, -(err ? err : ENOMEM), thread, site);
        else unknown();
        return;
    }
    if (map_take((uintptr_t)old, &id) != 0) {
        unknown();
        return;
    }
    if (!new) { /* realloc(p, 0) freed p */
        out_row(ROW_FREE, id, 0, 0, thread, NULL);
        return;
    }
    int had = map_put((uintptr_t) new, id, &stale);
    if (had < 0) out_stat()->stopped = RECORD_STOP_MEMORY;
    if (had == 1) { /* new was freed behind our back */
        out_row(ROW_FREE, stale, 0, 0, thread, NULL);
        out_stat()->implicit_frees++;
    }
    out_row(ROW_REALLOC, id, size, 0, thread, site);
}

/* A block of the boot arena moved to the real heap (realloc of a bootstrap block). */
static void *boot_move(void *p, size_t n) {
    size_t had;
    memcpy(&had, (unsigned char *)p - 16, sizeof had);
    void *q = malloc(n);
    if (q) memcpy(q, p, had < n ? had : n);
    return q;
}

EXPORT void *realloc(void *p, size_t n) {
    if (!real_realloc) {
        if (atomic_load(&resolving)) return p ? NULL : boot_alloc(n);
        resolve();
    }
    if (in_boot(p)) return boot_move(p, n);
    const char *site;
    if (depth || !enter(p ? CALL_RESIZE : CALL_ALLOC, (uintptr_t)__builtin_return_address(0), &site))
        return real_realloc(p, n);
    void *q = real_realloc(p, n);
    int err = errno;
    note_resize(p, q, n, err, site);
    leave();
    errno = err;
    return q;
}

EXPORT void *reallocarray(void *p, size_t n, size_t size) {
    resolve();
    if (in_boot(p)) {
        uint64_t total = product(n, size);
        if (total == UINT64_MAX) { errno = ENOMEM; return NULL; }
        return boot_move(p, (size_t)total);
    }
    const char *site;
    void *q;
    if (depth || !enter(p ? CALL_RESIZE : CALL_ALLOC, (uintptr_t)__builtin_return_address(0), &site))
        return real_reallocarray ? real_reallocarray(p, n, size) : NULL;
    uint64_t total = product(n, size);
    if (real_reallocarray) q = real_reallocarray(p, n, size);
    else if (total == UINT64_MAX) { q = NULL; errno = ENOMEM; }
    else q = real_realloc(p, (size_t)total);
    int err = errno;
    /* reallocarray(p, 0, x) frees p as realloc(p, 0) does */
    note_resize(p, q, total, err, site);
    leave();
    errno = err;
    return q;
}
#else
typedef int record_hooks_not_built; /* ISO C wants a non-empty unit */
#endif
