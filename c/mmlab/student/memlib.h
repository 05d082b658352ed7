/* memlib.h: HeapLab's memlib for `heaplab mm`, the interface of CS:APP's
 * Malloc Lab memlib: one simulated heap of MAX_HEAP bytes whose break only
 * moves up, through mem_sbrk. Compiled with the student's mm.c by the tool. */
#ifndef HEAPLAB_MEMLIB_H
#define HEAPLAB_MEMLIB_H
#include <stddef.h>
#include <unistd.h>

void mem_init(void);
void mem_deinit(void);
void *mem_sbrk(int incr);
void mem_reset_brk(void);
void *mem_heap_lo(void);
void *mem_heap_hi(void);
size_t mem_heapsize(void);
size_t mem_pagesize(void);
#endif
