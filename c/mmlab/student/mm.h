/* mm.h: the four calls a Malloc Lab allocator provides (CS:APP), and the
 * team record the lab's older handouts ask each mm.c to fill in. */
#ifndef HEAPLAB_MM_H
#define HEAPLAB_MM_H
#include <stdio.h>

extern int mm_init(void);
extern void *mm_malloc(size_t size);
extern void mm_free(void *ptr);
extern void *mm_realloc(void *ptr, size_t size);

typedef struct {
    char *teamname;
    char *name1;
    char *id1;
    char *name2;
    char *id2;
} team_t;
extern team_t team;
#endif
