/* record_internal.h: the recorder's parts, grouped by the file that defines
 * them. Everything here runs inside the traced program, so nothing may call
 * malloc: tables and buffers are mmap'd, text is formatted by hand.
 * Every function below is called with the recorder's lock held (record_hooks.c).
 */
#ifndef HEAPLAB_RECORD_INTERNAL_H
#define HEAPLAB_RECORD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "record/record.h"

#define HIDDEN __attribute__((visibility("hidden")))

/* record_map.c: live pointers -> ids, and call sites -> site names. */
#define SITE_MAX_DEPTH 8
/* A call site: the return addresses of the hooked call and of its callers
 * (pc[0] = where the program called malloc; --site-depth N keeps N). */
struct site_key { uintptr_t pc[SITE_MAX_DEPTH]; int n; };
/* 0 with the id of live pointer p in *id, or -1 when p is not live. */
HIDDEN int map_find(uintptr_t p, uint32_t *id);
/* Makes p live with id: 0, or 1 when p was live already (its old id in
 * *old, now replaced), or -1 when no memory could be mapped. One probe. */
HIDDEN int map_put(uintptr_t p, uint32_t id, uint32_t *old);
/* Forgets p: 0 with its id in *id, or -1 when p was not live. One probe. */
HIDDEN int map_take(uintptr_t p, uint32_t *id);
/* Forgets every pointer and site (a fork child starts afresh). */
HIDDEN void map_reset(void);
/* The cached name of site k, or NULL when not cached yet. Lock held. */
HIDDEN const char *site_lookup(const struct site_key *k);
/* Caches the name for k; returns the stored copy (or NULL). Lock held. */
HIDDEN const char *site_store(const struct site_key *k, const char *name, uint64_t *nsites);
/* Writes the name of site k into buf (cap bytes): each frame resolved with
 * dladdr ("module!function+0xoff" or "module+0xoff"), callers after a '<'.
 * Takes the loader's lock: call it without the recorder's. No allocation. */
HIDDEN void site_resolve(const struct site_key *k, char *buf, size_t cap);

/* record_out.c: the image's two files and its rows. */
enum row_op { ROW_ALLOC, ROW_FREE, ROW_REALLOC };
/* The image's counters (a shared mapping, or a static fallback). */
HIDDEN struct record_stat *out_stat(void);
/* Opens the image's files on first use; 0 or -1 (then nothing is recorded). */
HIDDEN int out_open(void);
/* Appends one row. site may be NULL (an empty site field). */
HIDDEN void out_row(enum row_op op, uint32_t id, uint64_t size, int result, uint32_t thread, const char *site);
/* In a fork child: drops the parent's mappings without touching its files. */
HIDDEN void out_forget(void);
/* Settings read from the environment at the first call. */
struct record_settings {
    int enabled;    /* HEAPLAB_RECORD_DIR set */
    int sites;      /* call-site frames to record: 0 (no site column) .. SITE_MAX_DEPTH */
    int all_threads;
    uint64_t max_ops; /* 0: no limit */
    const char *dir;
};
HIDDEN const struct record_settings *out_settings(void);
#endif
