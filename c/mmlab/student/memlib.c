/* memlib.c: the simulated heap under a Malloc Lab allocator. One region of
 * MAX_HEAP bytes (page-aligned) is taken once; mem_sbrk moves its break up and
 * refuses a negative increment or one past the limit with (void *)-1 and
 * errno ENOMEM, as the lab's memlib does. The refusal is also recorded for
 * the driver (mem_last_refusal) so an out-of-memory is reported with its size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "memlib.h"

static char *mem_start_brk; /* first byte of the heap */
static char *mem_brk;       /* last byte of the heap plus one */
static char *mem_max_addr;  /* largest legal heap address plus one */
long mem_last_refusal = 0;  /* the increment mem_sbrk last refused (driver's) */

/* Takes the region; exits when the machine cannot give 20 MB. */
void mem_init(void) {
    if (mem_start_brk) return;
    mem_start_brk = aligned_alloc(4096, MAX_HEAP);
    if (!mem_start_brk) {
        fprintf(stderr, "mem_init: cannot take %d bytes\n", MAX_HEAP);
        exit(3);
    }
    mem_max_addr = mem_start_brk + MAX_HEAP;
    mem_brk = mem_start_brk;
}

void mem_deinit(void) {
    free(mem_start_brk);
    mem_start_brk = mem_brk = mem_max_addr = NULL;
}

/* Empties the heap: the break goes back to its start. */
void mem_reset_brk(void) { mem_brk = mem_start_brk; }

/* Moves the break up by incr bytes; returns the old break or (void *)-1. */
void *mem_sbrk(int incr) {
    char *old_brk = mem_brk;
    if (incr < 0 || incr > mem_max_addr - mem_brk) {
        errno = ENOMEM;
        mem_last_refusal = incr;
        return (void *)-1;
    }
    mem_brk += incr;
    return old_brk;
}

void *mem_heap_lo(void) { return mem_start_brk; }
void *mem_heap_hi(void) { return mem_brk - 1; }
size_t mem_heapsize(void) { return (size_t)(mem_brk - mem_start_brk); }
size_t mem_pagesize(void) { return (size_t)getpagesize(); }
