/* heapinfo.h: what the heap keeps only for its observers (the event log,
 * the page, payload_info): the ids and requested sizes of live payloads
 * (live_table.c) and the multiset of free block sizes whose maximum the log
 * records after every op (size_index.c). The allocator's decisions never
 * read them; a heap without a log or payload_info keeps none of it.
 * Depends on nothing: the heap (c/heap) includes this, never the reverse.
 */
#ifndef HEAPLAB_HEAPINFO_H
#define HEAPLAB_HEAPINFO_H

#include <assert.h>
#include <stdint.h>

/* The heap's debug tier (heap/heap_debug.h, -DHEAP_DEBUG=N) at level 1 and up: an internal assumption. */
#if defined(HEAP_DEBUG) && HEAP_DEBUG >= 1
#define info_assert(cond) assert(cond)
#else
#define info_assert(cond) ((void)0)
#endif

/* One live payload: what the user asked for, and the block's logical id. */
struct live_entry {
    uint32_t off;  /* payload offset; 0 = empty slot */
    uint32_t size; /* requested bytes */
    int64_t id;
};

/* Open-addressing table of live payloads (linear probing, backward-shift delete). */
struct live_table {
    struct live_entry *slots;
    uint32_t cap;   /* power of two, or 0 */
    uint32_t count;
};

/* live_table.c */
int live_init(struct live_table *t);
void live_destroy(struct live_table *t);
void live_clear(struct live_table *t);
struct live_entry *live_find(const struct live_table *t, uint32_t off);
int live_reserve(struct live_table *t);
void live_insert(struct live_table *t, uint32_t off, uint32_t size, int64_t id);
void live_remove(struct live_table *t, uint32_t off);

/* size_index.c: the multiset of free block sizes (the log's largest free block in O(log n)) */
struct size_index;
struct size_index *size_index_create(void);
void size_index_destroy(struct size_index *x);
void size_index_clear(struct size_index *x);
int size_index_add(struct size_index *x, uint32_t size);
void size_index_remove(struct size_index *x, uint32_t size);
uint32_t size_index_max(const struct size_index *x);
uint64_t size_index_count(const struct size_index *x); /* UINT32_MAX when malformed (the checker) */

#endif
