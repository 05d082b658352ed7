/* mm_decode.h: `heaplab mm --decode cs-app`: the driver's walk over the
 * student's heap in the textbook's block format (mm_decode.c). */
#ifndef HEAPLAB_MM_DECODE_H
#define HEAPLAB_MM_DECODE_H
#include <stddef.h>
#include <stdint.h>

/* A live payload as the driver knows it: bytes [lo, hi) of block id. */
struct mm_live { char *lo, *hi; uint32_t id; };

/* Walks the heap after op `op`, checks the walk against the live payloads
 * (sorted by address) and writes the block list's changes since the last
 * walk to fd (struct mm_blk). Returns 0, or -1 with why (nothing written). */
int mm_decode_step(uint32_t op, const struct mm_live *live, size_t n_live, int fd, char *why, size_t len);
#endif
