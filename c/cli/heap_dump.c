/* heap_dump.c: the heap as text, the original project's memory-state view
 * for debugging: one line per block (offset, size, state, id, payload,
 * free-list link) and a compact map of the arena, one character per
 * `width`-th of the break ('#' allocated, '.' free, '|' both in one cell).
 * Formats into a malloc'd string; the CLI prints it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/heap_dump.h"
#include "util/strbuf.h"

struct dump_ctx { struct strbuf text; char *map; uint32_t width, brk; };

/* Adds one block's line and marks its cells in the map. */
static int dump_block(const struct heap_block_info *b, void *ctx) {
    struct dump_ctx *d = ctx;
    if (b->is_free)
        sb_printf(&d->text, "  %10" PRIu32 " %10" PRIu32 "  free                         next %" PRIu32 "\n",
                  b->offset, b->size, b->next_free);
    else
        sb_printf(&d->text, "  %10" PRIu32 " %10" PRIu32 "  alloc id %-8" PRId64 " payload %-10" PRIu32 " (%" PRIu32 " bytes)\n",
                  b->offset, b->size, b->id, b->payload_off, b->payload_size);
    uint64_t c0 = (uint64_t)b->offset * d->width / d->brk, c1 = ((uint64_t)b->offset + b->size - 1) * d->width / d->brk;
    for (uint64_t c = c0; c <= c1 && c < d->width; c++) {
        char want = b->is_free ? '.' : '#';
        d->map[c] = (d->map[c] == ' ' || d->map[c] == want) ? want : '|';
    }
    return 0;
}

char *heap_dump_text(const struct heap *h, uint32_t width) {
    struct heap_stats st;
    heap_get_stats(h, &st);
    if (width < 8) width = 8;
    struct dump_ctx d = { { 0 }, malloc(width + 1), width, st.heap_size };
    if (!d.map) return NULL;
    memset(d.map, ' ', width);
    d.map[width] = 0;
    sb_printf(&d.text, "heap: break %" PRIu32 " of %" PRIu32 " bytes, %" PRIu32 " allocated, %" PRIu32 " free blocks, free list head %" PRIu32 "\n",
              st.heap_size, st.arena_size, st.alloc_blocks, st.free_blocks, heap_free_head(h));
    sb_printf(&d.text, "      offset       size  state\n");
    heap_walk(h, dump_block, &d);
    sb_printf(&d.text, "  [%s]\n", d.map);
    free(d.map);
    return sb_take(&d.text);
}
