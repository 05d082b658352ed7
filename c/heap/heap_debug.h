/* heap_debug.h: the debug tier, one compile-time level (-DHEAP_DEBUG=N), as
 * mimalloc's MI_DEBUG and CS:APP's dbg_requires/dbg_ensures:
 *
 *   0  release (the default). Only what every build does: every public call
 *      validates its arguments and refuses a bad one with its code. Nothing
 *      below exists in the object code; the hot path is the allocator's work.
 *   1  + internal asserts: each block accessor asserts its own precondition
 *      (block_prev needs the previous block's footer, so its PREV_ALLOC bit
 *      clear; free-list links exist only in free blocks; sizes are multiples
 *      of the smallest alignment), in TLSF's style assert(cond && "reason").
 *   2  + heap_check() after every mutating public call (malloc, malloc_id,
 *      calloc, realloc, free, reset). c/Makefile's sanitized test build
 *      (`san`) compiles at this level.
 *
 * A level-2 failure (the library never prints): the first one is recorded
 * in the heap (the call's index since creation, the entry point's name and
 * source line, the HEAP_CHECK_* code and the offset heap_check named) and is
 * readable with heap_debug_first_failure(). Then, unless the heap's trap was
 * turned off with heap_debug_set_trap(h, 0), the call aborts through assert()
 * with the check code's name in the message (and abort() when NDEBUG took
 * the assert away), so a test that never asks still dies at the first call
 * that broke an invariant. With the trap off the heap keeps going and later
 * failures are not recorded over the first.
 *
 * Only the previous call's exit is checked, not each call's entry: the two
 * states are the same unless someone wrote into the arena behind the
 * allocator's back, and then the next call's exit check catches it (see
 * test_misuse's level-2 case).
 */
#ifndef HEAPLAB_HEAP_DEBUG_H
#define HEAPLAB_HEAP_DEBUG_H

#include <assert.h>

#ifndef HEAP_DEBUG
#define HEAP_DEBUG 0
#endif

/* Level 1: an internal assumption; cond is not evaluated at level 0. */
#if HEAP_DEBUG >= 1
#define dbg_assert(cond) assert(cond)
#else
#define dbg_assert(cond) ((void)0)
#endif

/* Level 2: checks the heap at the end of a mutating public call (check.c). */
#if HEAP_DEBUG >= 2
struct heap;
void debug_ensures(struct heap *h, const char *call, int line);
#define dbg_ensures(h) debug_ensures((h), __func__, __LINE__)
#else
#define dbg_ensures(h) ((void)0)
#endif

#endif
