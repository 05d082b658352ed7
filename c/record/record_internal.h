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
/* 0 with the id of live pointer p in *id, or -1 when p is not live. */
HIDDEN int map_find(uintptr_t p, uint32_t *id);
/* Makes p live with id; 0, or -1 when no memory could be mapped. */
HIDDEN int map_insert(uintptr_t p, uint32_t id);
/* Forgets p (a no-op when it is not live). */
HIDDEN void map_remove(uintptr_t p);
/* Forgets every pointer and site (a fork child starts afresh). */
HIDDEN void map_reset(void);
/* The name of call site addr ("module!function+0xoff" or "module+0xoff"),
 * or NULL when unknown. May call dladdr: call it without the lock held. */
HIDDEN const char *site_lookup(uintptr_t addr);
/* Caches the name for addr; returns the stored copy (or NULL). Lock held. */
HIDDEN const char *site_store(uintptr_t addr, const char *name, uint64_t *nsites);
/* Writes the site name of addr into buf (cap bytes), resolved with dladdr.
 * No lock needed; no allocation. */
HIDDEN void site_resolve(uintptr_t addr, char *buf, size_t cap);

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
    int sites;
    int all_threads;
    uint64_t max_ops; /* 0: no limit */
    const char *dir;
};
HIDDEN const struct record_settings *out_settings(void);
#endif
