/* search_dump.h: an op's search as text (the blocks examined and why), for --show. */
#ifndef HEAPLAB_SEARCH_DUMP_H
#define HEAPLAB_SEARCH_DUMP_H
#include "log/event_log.h"
/* malloc'd, NUL-terminated text for op record `op` of the log ("" when it
 * searched nothing), or NULL when out of memory. */
char *search_dump_text(const struct event_log *log, uint32_t op);
#endif
