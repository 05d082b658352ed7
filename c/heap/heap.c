/* heap.c: the heap handle, its arena and break, and the two halves every
 * operation is made of:
 *
 *   malloc:  adjust the size -> find a block (fit.c) or move the break ->
 *            place it (split the low end off when the rest can be a block)
 *   free:    mark it free -> coalesce with free neighbours (CS:APP cases
 *            1-4) -> insert into the free list (freelist.c)
 *
 * The arena is one byte array addressed by uint32 offsets. Its capacity is
 * fixed at creation; the memory behind it is allocated as the break grows
 * (the simulated "ask the system for more"), so a 1 GiB arena costs nothing
 * until it is used. Every public call validates first and mutates after,
 * so a bad call returns a HEAP_E* code, logs a fail event and changes
 * nothing else. Every public mutating call ends with dbg_ensures: the
 * checker at HEAP_DEBUG=2, nothing in a release build (heap_debug.h).
 */
#include <stdlib.h>
#include "heap/heap_ops.h"

/* Bytes of memory behind a new arena (capped by its capacity), and the
 * arena bytes its live bitmap covers at first; the backing grows 16x, the
 * bitmap's cover 2x (extend_break).
 * In wasm a new arena takes up to 64 MiB (the default arena whole) at once:
 * linear memory taken but never touched costs address space, not memory
 * (the system backs a page at its first touch), while each growth copies
 * the arena into fresh pages, and a first touch costs about 3.3 us here
 * (cold npm run bench: see extend_break). Should that much be refused,
 * the arena starts at 256 KiB as natively, where glibc grows a large block
 * in place (mremap). The bitmap's memory is taken for the whole backing
 * too (1/64 of it), but it covers, and clears, only what the break has
 * reached (bits_cap, grown 2x), so a large backing costs no bitmap to
 * clear (heap_reset, heap_image.c) and its growth no host allocation:
 * in wasm each memory.grow took 0.1-7 ms here. */
#define INITIAL_BITS (256u << 10)
#ifdef __EMSCRIPTEN__
#define INITIAL_BACKING (64u << 20)
#else
#define INITIAL_BACKING INITIAL_BITS
#endif

/* A logging fast/LIFO heap (the page's logged replay) gets its own bodies:
 * no option test and no log test at a hook (callgrind, logged replay of
 * python_json under fast: see the size index's essay, size_index.c). */
void spec_refresh(struct heap *h) {
    h->spec = !QUIET(h) ? (h->log && h->info && FAST_LIFO(h) ? SPEC_LOGGED | SPEC_FAST_LIFO : SPEC_ANY)
              : FAST_LIFO(h) ? SPEC_QUIET | SPEC_FAST_LIFO : SPEC_QUIET;
    h->usual_max = h->opt.arena_size / 2;
    h->quick_max = IS_QUICK(h) ? h->usual_max : 0;
}

/* Returns the defaults shared by the CLI flags and the JS API. */
struct heap_options heap_default_options(void) {
    return (struct heap_options){
        .policy = HEAP_FIRST_FIT,
        .order = HEAP_ORDER_LIFO,
        .coalesce = 1,
        .align = 8,
        .arena_size = HEAP_DEFAULT_ARENA,
        .grow_step = 0,
        .log = 1,
        .reserve = 0,
        .payload_info = 1,
    };
}

_Static_assert(HEAP_MIN_ARENA >= BLOCK_MAX_ALIGN + BLOCK_MIN_SIZE, "the smallest arena holds the padding, the epilogue and a block");
_Static_assert(HEAP_MIN_ARENA >= 4 * BLOCK_MAX_ALIGN, "request_need: a request of at most arena/2 bytes always fits");
_Static_assert(HEAP_DEFAULT_ARENA % BLOCK_MAX_ALIGN == 0, "the default arena needs no rounding");

/* Returns 1 when the options describe a heap we can build. */
static int options_valid(const struct heap_options *o) {
    return o->policy >= 0 && o->policy < HEAP_POLICY_COUNT && o->order >= HEAP_ORDER_LIFO &&
           o->order <= HEAP_ORDER_ADDR && (o->align == BLOCK_MIN_ALIGN || o->align == BLOCK_MAX_ALIGN) &&
           o->arena_size >= HEAP_MIN_ARENA && o->arena_size <= 0xFFFFF000u &&
           o->grow_step <= o->arena_size && (o->payload_info == 0 || o->payload_info == 1);
}

/* Empties the arena: padding, then the epilogue right below the break. */
static void arena_init(struct heap *h) {
    h->first = h->opt.align - BLOCK_HEADER_SIZE;
    h->brk = h->brk_peak = h->opt.align;
    word_put(h->mem, h->first, 0 | BLOCK_ALLOC | BLOCK_PREV_ALLOC);
    list_clear(h);
    h->live_payload = h->peak_payload = 0;
    h->requests = h->scanned_total = h->failures = 0;
    h->next_id = 0;
}

struct heap *heap_create(const struct heap_options *opt) {
    struct heap_options o = opt ? *opt : heap_default_options();
    if (!options_valid(&o)) return NULL;
    o.arena_size -= o.arena_size % o.align;
    if (o.grow_step > o.arena_size) o.grow_step = o.arena_size; /* same growth; heap_get_options stays creatable */
    struct heap *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->opt = o;
#if HEAP_DEBUG >= 2
    h->dbg_trap = 1;
#endif
    h->mem_cap = o.reserve ? o.arena_size : (o.arena_size < INITIAL_BACKING ? o.arena_size : INITIAL_BACKING);
    h->mem = malloc(h->mem_cap);
    if (!h->mem && !o.reserve && h->mem_cap > INITIAL_BITS) h->mem = malloc(h->mem_cap = INITIAL_BITS); /* wasm: no room for 64 MiB */
    h->bits_cap = o.reserve ? h->mem_cap : (h->mem_cap < INITIAL_BITS ? h->mem_cap : INITIAL_BITS);
    h->info = o.log || o.payload_info;
    if (!h->mem || live_bits_fit(h, 0, h->bits_cap, h->mem_cap) != 0 || (h->info && live_init(&h->live) != 0) ||
        (o.log && (!(h->log = log_create()) || !(h->sizes = size_index_create())))) {
        heap_destroy(h);
        return NULL;
    }
    arena_init(h);
    spec_refresh(h);
    return h;
}

void heap_destroy(struct heap *h) {
    if (!h) return;
    log_destroy(h->log);
    live_destroy(&h->live);
    size_index_destroy(h->sizes);
    free(h->live_bits);
    free(h->mem);
    free(h);
}

struct heap_options heap_get_options(const struct heap *h) { return h->opt; }

void heap_reset(struct heap *h) {
    if (h->info) live_clear(&h->live);
    memset(h->live_bits, 0, ((size_t)h->bits_cap + 511) / 512 * sizeof *h->live_bits);
    if (h->log) log_clear(h->log);
    arena_init(h);
    dbg_ensures(h);
}

/* Returns the next capacity of a backing (the arena's, growth 16, or the
 * bitmap's cover, growth 2) of cap bytes that must reach need: growth x
 * cap, at least need, at most the arena. */
static uint64_t cap_step(const struct heap *h, uint32_t cap, uint32_t need, uint32_t growth) {
    uint64_t c = (uint64_t)cap * growth;
    if (c < need) c = need;
    return c > h->opt.arena_size ? h->opt.arena_size : c;
}

/* Moves the break to new_brk, backing the memory. Returns 0 or -1 (arena full / host memory). */
int extend_break(struct heap *h, uint32_t new_brk) {
    if (new_brk > h->opt.arena_size) return -1;
    if (new_brk > h->mem_cap) {
        /* grow the backing 16x: each growth may copy the arena (wasm's
         * dlmalloc never grows a block in place past its top), so few, large
         * steps; the backing beyond the break is never touched, so it costs
         * address space, not memory. Measured in wasm, cold, git_log (an
         * 18 MB heap): 4x copied 21 MB and took 23 ms a replay, 16x copies
         * 4.3 MB: 13 ms (dlmalloc 9 ms); 2x had cost 40% of the malloclab
         * throughput. Natively glibc moves large blocks with mremap. In
         * wasm the copies' fresh pages were most of the rest: a 64 MiB
         * first backing (INITIAL_BACKING) took the cold geometric mean
         * from 0.74x to 0.92x dlmalloc (gcc 14.7 -> 8.8 ms, random-bal
         * 8.8 -> 3.5 ms). */
        uint64_t cap = cap_step(h, h->mem_cap, new_brk, 16);
        uint8_t *mem = realloc(h->mem, (size_t)cap); /* not zeroed: only calloc promises zeros, and it clears its payload */
        while (!mem && cap > new_brk) { /* no room for 16x (wasm's 4 GiB, say): halve the surplus, down to what is needed */
            cap = new_brk + (cap - new_brk) / 2;
            mem = realloc(h->mem, (size_t)cap);
        }
        if (!mem) return -1;
        h->mem = mem;
        h->mem_cap = (uint32_t)cap;
    }
    if (new_brk > h->bits_cap) {
        /* the bitmap's memory is sized for the whole backing (no host
         * allocation until the backing grows), but its cover grows 2x, so
         * the words cleared stay within 2x of the break: at 16x the gcc
         * trace's 5 MB heap cleared a 1 MiB bitmap for 64 MiB of cover,
         * 3.7 instructions per op (callgrind, fit.c's essay) */
        uint32_t bits = (uint32_t)cap_step(h, h->bits_cap, new_brk, 2);
        if (live_bits_fit(h, h->bits_cap, bits, h->mem_cap) != 0) return -1;
        h->bits_cap = bits;
    }
    h->brk = new_brk;
    if (new_brk > h->brk_peak) h->brk_peak = new_brk;
    return 0;
}

/* ---- logging (op_begin, op_event, op_end: inline guards in heap_internal.h) ---- */

/* Completes the open op record with its result and the heap's state after it (the log is on). */
OP_INLINE void op_record_end(struct heap *h, int64_t result, uint64_t off, uint32_t block_size, uint32_t scanned) {
    struct log_op_record *r = log_current(h->log);
    if (!r) return;
    r->result = result;
    r->offset = off;
    r->block_size = block_size;
    r->scanned = scanned;
    r->heap_size = h->brk;
    r->live_bytes = h->live_payload;
    r->free_bytes = h->free_bytes;
    r->largest_free = h->sizes ? size_index_max(h->sizes) : largest_free_walk(h); /* O(1): the size index (inline) */
    r->free_blocks = h->free_count;
}

void op_end_record(struct heap *h, int64_t result, uint64_t off, uint32_t block_size, uint32_t scanned) {
    op_record_end(h, result, off, block_size, scanned);
}

/* Records a refused call (its record keeps the offset it was given, so a
 * replayed log repeats the same bad call); returns code. */
int64_t op_fail(struct heap *h, uint32_t op, int code, uint64_t arg) {
    h->failures++;
    op_event(h, EV_FAIL, (uint8_t)op, (uint32_t)code, (uint32_t)arg, (uint32_t)(arg >> 32));
    struct log_op_record *r = h->log ? log_current(h->log) : NULL;
    op_end(h, code, r ? r->offset : 0, 0, 0);
    return code;
}

/* Returns the block size for a request of `size` bytes, or 0 with *err set. */
uint32_t adjust_size(const struct heap *h, uint64_t size, int *err) {
    if (size == 0) {
        *err = HEAP_EINVAL;
        return 0;
    }
    uint64_t a = h->opt.align;
    if (size > h->opt.arena_size) {
        *err = HEAP_ETOOBIG;
        return 0;
    }
    uint64_t need = (size + BLOCK_HEADER_SIZE + a - 1) & ~(a - 1); /* a is a power of two */
    if (need < BLOCK_MIN_SIZE) need = BLOCK_MIN_SIZE;
    if (need > h->opt.arena_size - a) {
        *err = HEAP_ETOOBIG;
        return 0;
    }
    return (uint32_t)need;
}

/* Moves the break so that a free block of at least `need` bytes ends the
 * heap; returns it (listed), or 0 when the arena is full. With coalescing,
 * a free block already touching the epilogue is extended in place. */
static uint32_t grow_for(struct heap *h, uint32_t need) {
    uint8_t *mem;
    uint32_t epi = h->brk - BLOCK_HEADER_SIZE;
    uint32_t last = (h->opt.coalesce && !block_prev_alloc(h->mem, epi)) ? block_prev(h->mem, epi) : 0;
    uint32_t have = last ? block_size(h->mem, last) : 0;
    uint64_t grow = need - have, step = (h->opt.grow_step + h->opt.align - 1) / h->opt.align * h->opt.align, user = step;
    uint32_t old_brk = h->brk;
    if (h->opt.policy == HEAP_FAST_FIT) { /* room to keep small and large blocks apart (see place) */
        uint32_t chunk = old_brk / FAST_CHUNK_DIV / h->opt.align * h->opt.align;
        if (chunk > FAST_CHUNK_MAX) chunk = FAST_CHUNK_MAX;
        if (chunk > step) step = chunk;
    }
    if (grow < step && (uint64_t)old_brk + step <= h->opt.arena_size) grow = step;
    else if (grow < user && grow < h->opt.arena_size - old_brk) /* --grow near the end: to the end */
        grow = user < h->opt.arena_size - old_brk ? user : h->opt.arena_size - old_brk;
    if ((uint64_t)old_brk + grow > h->opt.arena_size || extend_break(h, (uint32_t)(old_brk + grow)) != 0)
        return 0;
    mem = h->mem; /* may have moved */
    op_event(h, EV_EXTEND, 0, old_brk, h->brk, (uint32_t)grow);
    uint32_t b;
    if (last) {
        b = last;
        list_resize(h, b, have + (uint32_t)grow);
    } else {
        b = epi;
        block_set_free(mem, b, (uint32_t)grow, block_prev_alloc(mem, epi));
        list_insert(h, b);
    }
    word_put(mem, h->brk - BLOCK_HEADER_SIZE, 0 | BLOCK_ALLOC); /* new epilogue; prev is free */
    return b;
}

/* Finds or makes a block of `need` bytes and allocates it. Returns its
 * offset, or 0 with *err = HEAP_ENOMEM. */
OP_INLINE uint32_t acquire(int K, struct heap *h, uint32_t need, uint32_t *scanned, int *err) {
    dbg_assert(need >= BLOCK_MIN_SIZE && need % h->opt.align == 0 && "adjust_size rounds every request");
    uint32_t rover = h->rover; /* as the search finds it, for the logged walk */
    uint32_t c = 0; /* the list the block is found in */
    uint32_t b = IS_FAST(K, h) ? fast_search(h, need, scanned, &c) : fit_find(h, need, scanned);
    if (SPEC_HAS_LOG(K, h) && log_examine_cap(h->log)) fit_walk_log(h, need, b, *scanned, rover);
    OP_EVENT(K, h, EV_SCAN, 0, *scanned, b, 0);
    h->requests++;
    h->scanned_total += *scanned;
    if (!b) {
        if (!(b = grow_for(h, need))) {
            *err = HEAP_ENOMEM;
            return 0;
        }
        c = spec_class(K, h, block_size(h->mem, b));
    }
    return place(K, h, b, c, need);
}

uint32_t block_acquire(struct heap *h, uint32_t need, uint32_t *scanned, int *err) {
    return acquire(SPEC_ANY, h, need, scanned, err);
}

void block_release(struct heap *h, uint32_t b) { release(SPEC_ANY, h, b); }

/* Shared body of malloc, calloc and realloc(0, n): returns a payload or a HEAP_E* code. */
OP_INLINE int64_t alloc_body(int K, struct heap *h, uint32_t op, uint64_t size, int64_t id, int zero) {
    if (id < 0) id = h->next_id;
    if (id >= h->next_id) h->next_id = id + 1;
    if (SPEC_HAS_LOG(K, h)) log_begin_op(h->log, op, id, size, 0);
    int err = 0;
    uint32_t scanned = 0, need = request_need(K, h, size, &err);
    if (!need) return op_fail(h, op, err, size);
    if (SPEC_HAS_INFO(K, h) && live_reserve(&h->live) != 0) return op_fail(h, op, HEAP_ENOMEM, size);
    OP_EVENT(K, h, EV_REQUEST, 0, (uint32_t)size, need, 0);
    uint32_t b = acquire(K, h, need, &scanned, &err);
    if (!b) return op_fail(h, op, err, size);
    uint32_t p = block_payload(b);
    live_bit_set(h, p);
    if (SPEC_HAS_INFO(K, h)) {
        live_insert(&h->live, p, (uint32_t)size, id);
        h->live_payload += size;
        if (h->live_payload > h->peak_payload) h->peak_payload = h->live_payload;
    }
    if (zero) memset(h->mem + p, 0, (size_t)size);
    if (SPEC_HAS_LOG(K, h)) op_record_end(h, p, p, block_size(h->mem, b), scanned);
    return p;
}

int64_t alloc_op(struct heap *h, uint32_t op, uint64_t size, int64_t id, int zero) {
    return alloc_body(SPEC_ANY, h, op, size, id, zero);
}

/* The quick bodies. A quiet fast/LIFO heap (no log, no live table: how the
 * benchmark and an embedder without a log run it) takes its malloc and
 * free through these: each either does the usual op, a request the fast
 * search satisfies or a free of a live payload, with the same decisions
 * and effects as alloc_body and free_op, or changes nothing and hands the
 * whole call to the general body (alloc_general, free_general: a request
 * that must grow the break or is too big, a refused free), which then
 * decides from scratch. With the general bodies out of line the quick ones
 * call nothing but in tail position, so gcc saves registers only after the
 * hand-off test and the usual op runs no general-path code (callgrind,
 * fit.c's essay: 8 instructions per op). */
__attribute__((noinline)) static int64_t alloc_general(struct heap *h, uint64_t size) {
    return WITH_SPEC(h, alloc_body, h, LOG_OP_ALLOC, size, -1, 0);
}

OP_INLINE int64_t alloc_quick(struct heap *h, uint64_t size) {
    enum { K = SPEC_QUIET | SPEC_FAST_LIFO };
    uint32_t need = usual_need(K, h, size), scanned, c; /* request_quick(h, size): heap_malloc */
    uint32_t b = fast_search(h, need, &scanned, &c);
    if (c == HEAP_CLASS_COUNT) return alloc_general(h, size); /* no block: the break must grow */
    h->next_id++; /* alloc_body's id bookkeeping for id -1 */
    h->requests++;
    uint32_t p = block_payload(place(K, h, b, c, need));
    h->scanned_total += scanned; /* apart from requests++: gcc pairs the two in 7 vector instructions */
    live_bit_set(h, p);
    return p;
}

/* The public mutating calls end with dbg_ensures: heap_check at HEAP_DEBUG=2, nothing below. */
int64_t heap_malloc_id(struct heap *h, uint64_t size, int64_t id) {
    int64_t r = WITH_SPEC(h, alloc_body, h, LOG_OP_ALLOC, size, id, 0);
    dbg_ensures(h);
    return r;
}

int64_t heap_malloc(struct heap *h, uint64_t size) {
    int64_t r = request_quick(h, size) ? alloc_quick(h, size) : alloc_general(h, size);
    dbg_ensures(h);
    return r;
}

int64_t heap_calloc(struct heap *h, uint64_t n, uint64_t size) {
    /* an overflowing product is a request for UINT64_MAX bytes: refused as too big */
    uint64_t total = (n != 0 && size > UINT64_MAX / n) ? UINT64_MAX : n * size;
    if (total != UINT64_MAX && (n == 0 || size == 0)) total = 0;
    int64_t r = alloc_op(h, LOG_OP_CALLOC, total, -1, 1);
    dbg_ensures(h);
    return r;
}

/* Returns 1 when `off` is a live payload (the bitmap's one bit test);
 * otherwise records the refused call (op, with its size) and returns 0
 * with *code set. */
int live_or_refuse(struct heap *h, uint32_t op, uint64_t off, uint64_t size, int64_t *code) {
    if (live_bit(h, off)) return 1;
    op_begin(h, op, -1, size, off); /* the whole offset: a replay repeats this call */
    *code = op_fail(h, op, classify_bad_payload(h, off), off);
    return 0;
}

/* Body of heap_free: HEAP_OK or the code of the refused call. */
OP_INLINE int free_op(int K, struct heap *h, uint64_t off) {
    if (off == 0) return HEAP_OK; /* free(NULL) */
    int64_t code;
    if (!live_bit(h, off) && !live_or_refuse(h, LOG_OP_FREE, off, 0, &code)) return (int)code;
    uint32_t p = (uint32_t)off, b = block_of_payload(p), bsize = block_size(h->mem, b);
    live_bit_clear(h, p);
    if (SPEC_HAS_INFO(K, h)) {
        uint32_t i = live_slot_of(&h->live, p); /* live: the bitmap's bit was set */
        const struct live_entry *e = &h->live.slots[i];
        if (SPEC_HAS_LOG(K, h)) log_begin_op(h->log, LOG_OP_FREE, e->id, 0, p);
        h->live_payload -= e->size;
        live_remove_slot(&h->live, i); /* the slot found above: one probe per free */
    }
    release(K, h, b);
    if (SPEC_HAS_LOG(K, h)) op_record_end(h, 0, p, bsize, 0);
    return HEAP_OK;
}

__attribute__((noinline)) static int free_general(struct heap *h, uint64_t off) {
    return WITH_SPEC(h, free_op, h, off);
}

OP_INLINE int free_quick(struct heap *h, uint64_t off) {
    /* live_bit's test, with the word and mask kept for the clear */
    if (off >= h->brk || (off & 7)) return free_general(h, off);
    uint64_t *word = &h->live_bits[off >> 9], bit = 1ull << ((off >> 3) & 63), w = *word;
    if (!(w & bit)) return free_general(h, off); /* free(NULL) too: 0 is never a payload */
    *word = w & ~bit;
    release(SPEC_QUIET | SPEC_FAST_LIFO, h, block_of_payload((uint32_t)off));
    return HEAP_OK;
}

int heap_free(struct heap *h, uint64_t off) {
    int r = IS_QUICK(h) ? free_quick(h, off) : free_general(h, off);
    dbg_ensures(h);
    return r;
}
