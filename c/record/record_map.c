/* record_map.c: the recorder's two tables, both in mmap'd memory (the
 * traced program's malloc is the thing being watched, so it is never used):
 *   live pointers  pointer -> block id, open addressing with linear probing
 *                  and backward-shift deletion (no tombstones), doubled at
 *                  half load;
 *   call sites     return address -> site name, the names in append-only
 *                  1 MiB chunks (a stored name never moves).
 * A site name is stable across runs and ASLR: the module's file name and
 * an offset in it, with the enclosing function when dladdr can name it:
 *   "libpython3.11.so.1.0!PyList_New+0x5c"  or  "sort+0x6a12";
 * with --site-depth N, the callers' frames follow, each after a '<'
 * ("cc1+0x8d2f1<cc1+0x3c1a0": xmalloc, called from the parser).
 */
#ifdef HEAPLAB_RECORD_LIB /* c/Makefile's recorder rule; anything else (the one-line gcc build of
                             the tool) compiles this file to nothing: the hooks belong in the .so only */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <string.h>
#include <sys/mman.h>
#include "record/record_internal.h"

struct slot { uintptr_t key; uint32_t id; uint32_t unused; };
struct site_slot { struct site_key key; const char *name; }; /* key.n == 0: empty */

static struct slot *live;         /* cap slots, key 0 = empty */
static size_t live_cap, live_used;
static struct site_slot *sites;
static size_t sites_cap, sites_used;
static char *chunk;               /* the current chunk of site names */
static size_t chunk_used;
#define CHUNK_SIZE ((size_t)1 << 20)

/* Fresh zeroed memory of n bytes, or NULL. A large table asks for huge
 * pages: its probes land anywhere in it, and TLB misses dominated them. */
static void *pages(size_t n) {
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    if (n >= ((size_t)2 << 20)) madvise(p, n, MADV_HUGEPAGE);
    return p;
}

/* Fibonacci hashing of a pointer into cap (a power of two, >= 2) slots: the top bits of the product. */
static size_t hash_ptr(uintptr_t p, size_t cap) {
    return (size_t)(((uint64_t)p * 0x9E3779B97F4A7C15ull) >> (64 - __builtin_ctzll((unsigned long long)cap)));
}

/* Doubles the live table (or makes the first one); 0 or -1. */
static int live_grow(void) {
    size_t cap = live_cap ? live_cap * 2 : (size_t)1 << 16;
    struct slot *t = pages(cap * sizeof *t);
    if (!t) return -1;
    for (size_t i = 0; i < live_cap; i++) {
        if (!live[i].key) continue;
        size_t j = hash_ptr(live[i].key, cap);
        while (t[j].key) j = (j + 1) & (cap - 1);
        t[j] = live[i];
    }
    if (live) munmap(live, live_cap * sizeof *live);
    live = t;
    live_cap = cap;
    return 0;
}

int map_find(uintptr_t p, uint32_t *id) {
    if (!live_cap || !p) return -1;
    for (size_t i = hash_ptr(p, live_cap); live[i].key; i = (i + 1) & (live_cap - 1))
        if (live[i].key == p) {
            *id = live[i].id;
            return 0;
        }
    return -1;
}

int map_put(uintptr_t p, uint32_t id, uint32_t *old) {
    if ((live_used + 1) * 2 > live_cap && live_grow() != 0) return -1;
    size_t i = hash_ptr(p, live_cap);
    while (live[i].key && live[i].key != p) i = (i + 1) & (live_cap - 1);
    int had = live[i].key != 0;
    if (had) *old = live[i].id;
    else live_used++;
    live[i].key = p;
    live[i].id = id;
    return had;
}

int map_take(uintptr_t p, uint32_t *id) {
    if (!live_cap || !p) return -1;
    size_t i = hash_ptr(p, live_cap), m = live_cap - 1;
    while (live[i].key && live[i].key != p) i = (i + 1) & m;
    if (!live[i].key) return -1;
    *id = live[i].id;
    /* backward shift: pull later members of the run into the hole */
    for (size_t j = (i + 1) & m; live[j].key; j = (j + 1) & m) {
        size_t home = hash_ptr(live[j].key, live_cap);
        /* j may move to i when its home is not cyclically in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            live[i] = live[j];
            i = j;
        }
    }
    live[i].key = 0;
    live_used--;
    return 0;
}

void map_reset(void) {
    if (live) munmap(live, live_cap * sizeof *live);
    if (sites) munmap(sites, sites_cap * sizeof *sites);
    live = NULL;
    sites = NULL;
    live_cap = live_used = sites_cap = sites_used = 0;
    chunk = NULL; /* the old chunks stay mapped: a name handed out may still be read */
    chunk_used = 0;
}

/* A hash of a site's frames. */
static size_t hash_key(const struct site_key *k, size_t cap) {
    uint64_t h = (uint64_t)k->n;
    for (int i = 0; i < k->n; i++) h = (h ^ (uint64_t)k->pc[i]) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> (64 - __builtin_ctzll((unsigned long long)cap)));
}

static int same_key(const struct site_key *a, const struct site_key *b) {
    if (a->n != b->n) return 0;
    for (int i = 0; i < a->n; i++)
        if (a->pc[i] != b->pc[i]) return 0;
    return 1;
}

const char *site_lookup(const struct site_key *k) {
    if (!sites_cap) return NULL;
    for (size_t i = hash_key(k, sites_cap); sites[i].key.n; i = (i + 1) & (sites_cap - 1))
        if (same_key(&sites[i].key, k)) return sites[i].name;
    return NULL;
}

/* Doubles the site table; 0 or -1. */
static int sites_grow(void) {
    size_t cap = sites_cap ? sites_cap * 2 : 4096;
    struct site_slot *t = pages(cap * sizeof *t);
    if (!t) return -1;
    for (size_t i = 0; i < sites_cap; i++) {
        if (!sites[i].key.n) continue;
        size_t j = hash_key(&sites[i].key, cap);
        while (t[j].key.n) j = (j + 1) & (cap - 1);
        t[j] = sites[i];
    }
    if (sites) munmap(sites, sites_cap * sizeof *sites);
    sites = t;
    sites_cap = cap;
    return 0;
}

const char *site_store(const struct site_key *k, const char *name, uint64_t *nsites) {
    const char *have = site_lookup(k);
    if (have) return have;
    size_t n = strlen(name) + 1;
    if ((sites_used + 1) * 2 > sites_cap && sites_grow() != 0) return NULL;
    if (!chunk || chunk_used + n > CHUNK_SIZE) {
        if (!(chunk = pages(CHUNK_SIZE))) return NULL;
        chunk_used = 0;
    }
    char *copy = chunk + chunk_used;
    memcpy(copy, name, n);
    chunk_used += n;
    size_t i = hash_key(k, sites_cap);
    while (sites[i].key.n) i = (i + 1) & (sites_cap - 1);
    sites[i].key = *k;
    sites[i].name = copy;
    sites_used++;
    (*nsites)++;
    return copy;
}

/* Appends s to buf at *n, keeping a NUL; CSV-unsafe bytes become '_'. */
static void put(char *buf, size_t cap, size_t *n, const char *s) {
    for (; *s && *n + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        buf[(*n)++] = (c <= 0x20 || c >= 0x7f || c == ',' || c == '"') ? '_' : (char)c;
    }
    buf[*n] = 0;
}

/* Appends "+0x<hex>" to buf. */
static void put_off(char *buf, size_t cap, size_t *n, uintptr_t off) {
    char hex[24];
    int k = 0;
    do hex[k++] = "0123456789abcdef"[off & 15]; while ((off >>= 4) && k < 20);
    char s[28] = "+0x";
    int j = 3;
    while (k) s[j++] = hex[--k];
    s[j] = 0;
    put(buf, cap, n, s);
}

extern HIDDEN char record_exe_name[]; /* record_out.c: basename of the program */

/* Appends the name of one frame (return address addr) to buf at *n. */
static void frame_name(uintptr_t addr, char *buf, size_t cap, size_t *n) {
    Dl_info info;
    /* addr - 1: the call instruction itself, in case the call ends its function */
    if (!dladdr((void *)(addr - 1), &info) || !info.dli_fbase) {
        put(buf, cap, n, "?");
        put_off(buf, cap, n, addr);
        return;
    }
    const char *mod = info.dli_fname && info.dli_fname[0] ? info.dli_fname : record_exe_name;
    const char *slash = strrchr(mod, '/');
    put(buf, cap, n, slash ? slash + 1 : mod);
    if (info.dli_sname && info.dli_saddr) {
        put(buf, cap, n, "!");
        put(buf, cap, n, info.dli_sname);
        put_off(buf, cap, n, addr - (uintptr_t)info.dli_saddr);
    } else {
        put_off(buf, cap, n, addr - (uintptr_t)info.dli_fbase);
    }
}

void site_resolve(const struct site_key *k, char *buf, size_t cap) {
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < k->n; i++) {
        if (i) put(buf, cap, &n, "<");
        frame_name(k->pc[i], buf, cap, &n);
    }
}
#else
typedef int record_map_not_built; /* ISO C wants a non-empty unit */
#endif
