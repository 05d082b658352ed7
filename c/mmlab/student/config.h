/* config.h: the Malloc Lab driver's configuration, as the lab's students
 * know it: the heap limit and the payload alignment the driver checks.
 * ALIGNMENT is set by `heaplab mm --align` on the compiler's command line. */
#ifndef HEAPLAB_MM_CONFIG_H
#define HEAPLAB_MM_CONFIG_H
#define MAX_HEAP (20 * (1 << 20)) /* 20 MB, the lab's limit */
#ifndef ALIGNMENT
#define ALIGNMENT 8
#endif
#endif
