/* run_rows_api.c: the log rows of a window of a run's steps, made again on
 * demand, so the page's engine need not keep a long run's whole log (a
 * 3,300,000-op run's log is over 200 MB as columns).
 *
 * The state at step k is a pure function of the first k steps (trace.h), so
 * the rows steps [from, to) made in the run are the rows the same steps make
 * on a heap that is at step `from`: a cursor's heap (trace_cursor.h, no log)
 * is copied into a heap made with the same options and a log (heap_image:
 * the allocator's state, its statistics and live ids included), the replay
 * state (which payload each id holds) is read back from the live blocks' ids
 * as a cursor does, and the steps are replayed there with replay_op, the
 * run's own replay. The copy's log then holds exactly those rows.
 * The whole file is wasm-only; the native build compiles it to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <string.h>
#include "heap/allocator.h"
#include "log/event_log.h"
#include "trace/replay.h"
#include "trace/trace.h"
#include "wasm/wasm_io.h"

/* Walker callback: id -> payload of one live block (the replay state). */
static int offs_fill(const struct heap_block_info *b, void *ctx) {
    struct replay_state *st = ctx;
    if (!b->is_free && b->id >= 0 && (size_t)b->id <= st->nids) st->offs[b->id] = b->payload_off;
    return 0;
}

/* Makes heap log_h (same options as src_h, with a log) the heap src_h is, empties its log
 * and replays steps [from, to) of trace t on it; src_h must be at step `from` of t (a
 * cursor's heap, seeked there). Returns the rows its log then holds, or HEAP_EINVAL (bad
 * handles or range, a heap without a log, other options), HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_run_rows(int src_h, int log_h, int t, double from, double to) {
    struct heap *src = wasm_heap(src_h), *dst = wasm_heap(log_h);
    const struct trace *tr = wasm_trace(t);
    if (!src || !dst || !tr || src == dst || !heap_log(dst) || !(from >= 0 && from <= to && to <= (double)tr->n))
        return HEAP_EINVAL;
    struct heap_image *img = heap_image_save(src);
    if (!img) return HEAP_ENOMEM;
    int rc = heap_image_restore(dst, img);
    heap_image_free(img);
    if (rc != 0) return rc;
    log_clear(heap_log(dst));
    struct replay_state st;
    if (replay_state_init(&st, tr, 0)) return HEAP_ENOMEM;
    heap_walk(dst, offs_fill, &st);
    struct replay_result res;
    memset(&res, 0, sizeof res);
    for (size_t i = (size_t)from; i < (size_t)to; i++) replay_op(&st, dst, &tr->ops[i], i, &res);
    replay_state_free(&st);
    return (int)log_op_count(heap_log(dst));
}
#endif
