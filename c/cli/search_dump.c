/* search_dump.c: one op's search in words, from the log's examine, class
 * and scan events (event_kinds.h), for --show and --show-every:
 *
 *   search for a 40-byte block: 3 examined
 *     1. block 24 (16 bytes): too small
 *     2. block 88 (48 bytes): chosen
 *     (+1 more examined, not recorded)
 *
 * The "more" is derived: the scan event's count minus the examine events.
 */
#include <inttypes.h>
#include <stdlib.h>
#include "cli/search_dump.h"
#include "util/strbuf.h"

static const char *const WHY_WORDS[EXAMINE_WHY_COUNT] = {
    [EXAMINE_TOO_SMALL] = "too small",
    [EXAMINE_NOT_BEST] = "fits, but a better one was taken",
    [EXAMINE_CHOSEN] = "chosen",
    [EXAMINE_NEXT_CLASS] = "chosen: head of the next non-empty larger class (bitmap)",
    [EXAMINE_TOP_LAST] = "fits, but it is the top block (ends at the break): taken last",
};

char *search_dump_text(const struct event_log *log, uint32_t op) {
    struct strbuf t = { 0 };
    sb_printf(&t, "%s", "");
    const struct log_op_record *r = log_op_at(log, op);
    if (!r) return sb_take(&t);
    uint32_t end = op + 1 < log_op_count(log) ? log_op_at(log, op + 1)->first_event : log_event_count(log);
    uint32_t need = 0, shown = 0;
    for (uint32_t i = r->first_event; i < end; i++) {
        const struct log_event *e = log_event_at(log, i);
        if (e->kind == EV_REQUEST) need = e->b;
        else if (e->kind == EV_CLASS)
            sb_printf(&t, "  size class %" PRIu32 "; block taken from class %" PRIu32 "%s\n", e->a, e->b,
                      e->b == e->a ? " (its own list)" : "");
        else if (e->kind == EV_EXAMINE)
            sb_printf(&t, "  %" PRIu32 ". block %" PRIu32 " (%" PRIu32 " bytes): %s\n", ++shown, e->a, e->b,
                      e->detail < EXAMINE_WHY_COUNT ? WHY_WORDS[e->detail] : "?");
        else if (e->kind == EV_SCAN) {
            if (e->a > shown) sb_printf(&t, "  (+%" PRIu32 " more examined, not recorded)\n", e->a - shown);
            if (!e->b) sb_printf(&t, "  none fits: the break moves\n");
            struct strbuf head = { 0 };
            sb_printf(&head, "search for a %" PRIu32 "-byte block: %" PRIu32 " examined\n", need, e->a);
            sb_append(&head, t.s ? t.s : "", t.len);
            free(sb_take(&t));
            return sb_take(&head);
        }
    }
    return sb_take(&t);
}
