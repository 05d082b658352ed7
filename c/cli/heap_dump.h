/* heap_dump.h: the heap as text (block table + arena map), for --show. */
#ifndef HEAPLAB_HEAP_DUMP_H
#define HEAPLAB_HEAP_DUMP_H
#include "heap/allocator.h"
/* malloc'd, NUL-terminated text; map `width` characters wide. NULL when out of memory. */
char *heap_dump_text(const struct heap *h, uint32_t width);
#endif
