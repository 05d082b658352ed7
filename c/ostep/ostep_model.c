/* ostep_model.c: the free-list model of OSTEP's malloc.py.
 *
 *   free list (list order)          sizemap (live blocks, by address)
 *   [ (1000, 8) (1020, 80) ]        { 1008: 12 }
 *
 * malloc(S): need = S rounded up to the alignment (Python's % on negative
 * S), plus the header; walk the list from index 0 counting every entry:
 * FIRST stops at the first entry >= need, BEST keeps the smallest entry
 * >= need that is below heapSize + 1 (strict <, earliest wins), WORST the
 * largest entry >= need above -1 (strict >). The block comes off the low
 * end of the chosen entry, which keeps its list position; an exact fit
 * removes it. free(addr): not live -> -1; else append and stably sort by
 * address / size up / size down, append, or insert at the front; then, with
 * coalescing, one pass merges list neighbours whose addresses touch.
 *
 * Invariant kept: `live` is sorted by address with unique addresses (the
 * sizemap is a dict; malloc.py asserts before overwriting a key).
 *
 * What the model did goes out as events (log/event_kinds.h's EV_* kinds)
 * through m->sink; the model knows neither the recorder nor the log.
 */
#include "ostep/ostep_model.h"
#include "log/event_kinds.h" /* EV_*: the vocabulary shared with the real engine's log */

#include <stdlib.h>
#include <string.h>

static const char *const POLICY_NAMES[] = {"BEST", "WORST", "FIRST"};
static const char *const ORDER_NAMES[] = {"ADDRSORT", "SIZESORT+", "SIZESORT-", "INSERT-FRONT",
                                          "INSERT-BACK"};

/* Returns the policy's name as malloc.py spells it, or "?". */
const char *ostep_policy_name(int policy)
{
    return policy >= 0 && policy < 3 ? POLICY_NAMES[policy] : "?";
}

/* Returns the list order's name as malloc.py spells it, or "?". */
const char *ostep_order_name(int order)
{
    return order >= 0 && order < 5 ? ORDER_NAMES[order] : "?";
}

/* Returns the policy for an exact (case-sensitive) name, or -1. */
int ostep_policy_from_name(const char *s)
{
    int i;
    for (i = 0; i < 3; i++)
        if (strcmp(s, POLICY_NAMES[i]) == 0) return i;
    return -1;
}

/* Returns the list order for an exact (case-sensitive) name, or -1. */
int ostep_order_from_name(const char *s)
{
    int i;
    for (i = 0; i < 5; i++)
        if (strcmp(s, ORDER_NAMES[i]) == 0) return i;
    return -1;
}

/* Hands one event to the sink, if any. */
static void emit(struct ostep_model *m, int kind, int64_t a, int64_t b, int64_t c)
{
    struct ostep_event e;
    if (!m->sink.emit) return;
    e.kind = kind;
    e.a = a;
    e.b = b;
    e.c = c;
    m->sink.emit(m->sink.ctx, &e);
}

/* The model's initial state: one free entry (base, size), nothing live. */
void ostep_model_init(struct ostep_model *m, const struct ostep_options *o, int policy, int order)
{
    memset(m, 0, sizeof *m);
    m->policy = policy;
    m->order = order;
    m->coalesce = o->coalesce;
    m->heap_size = o->heap_size;
    m->header = o->header_size;
    m->align = o->alignment;
    m->list = malloc(4 * sizeof *m->list);
    if (m->list) {
        m->cap = 4;
        m->n = 1;
        m->list[0].addr = o->base_addr;
        m->list[0].size = o->heap_size;
    }
}

/* Frees the model's arrays and zeroes it. */
void ostep_model_release(struct ostep_model *m)
{
    free(m->list);
    free(m->live);
    free(m->scratch);
    memset(m, 0, sizeof *m);
}

/* Returns 0 when the list has room for one more entry, else OSTEP_E_NOMEM. */
static int list_reserve(struct ostep_model *m)
{
    if (!m->list) return OSTEP_E_NOMEM;
    if (m->n == m->cap) {
        size_t cap = m->cap * 2;
        struct ostep_entry *p = realloc(m->list, cap * sizeof *p);
        if (!p) return OSTEP_E_NOMEM;
        m->list = p;
        m->cap = cap;
    }
    return 0;
}

/* Returns the index of the first live block with address >= addr. */
static size_t live_lower_bound(const struct ostep_model *m, int64_t addr)
{
    size_t lo = 0, hi = m->nlive;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->live[mid].addr < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* addToMap: 0, OSTEP_E_LIVE_ADDR when addr is already live (malloc.py's
 * assert), or OSTEP_E_NOMEM. Keeps `live` sorted. */
static int live_add(struct ostep_model *m, int64_t addr, int64_t size, int64_t ptr, int64_t request)
{
    size_t at = live_lower_bound(m, addr);
    if (at < m->nlive && m->live[at].addr == addr) return OSTEP_E_LIVE_ADDR;
    if (m->nlive == m->live_cap) {
        size_t cap = m->live_cap ? m->live_cap * 2 : 16;
        struct ostep_live *p = realloc(m->live, cap * sizeof *p);
        if (!p) return OSTEP_E_NOMEM;
        m->live = p;
        m->live_cap = cap;
    }
    memmove(m->live + at + 1, m->live + at, (m->nlive - at) * sizeof *m->live);
    m->live[at].addr = addr;
    m->live[at].size = size;
    m->live[at].ptr = ptr;
    m->live[at].request = request;
    m->nlive++;
    return 0;
}

/* Python's size % align for align > 0 (the result is never negative). */
static int64_t py_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

/* malloc.py's malloc(); see the file comment for the rules. */
int ostep_model_malloc(struct ostep_model *m, int64_t request, int64_t ptr, struct ostep_alloc_out *out)
{
    int64_t need = request, best, idx = -1, count = 0, rem, naddr;
    size_t i;
    int rc;

    if (m->align != -1) {
        int64_t left = py_mod(need, m->align);
        if (left != 0 && ostep_add(need, m->align - left, &need)) return OSTEP_E_RANGE;
    }
    if (ostep_add(need, m->header, &need)) return OSTEP_E_RANGE;
    /* BEST starts from heapSize + 1 (esize < heapSize + 1 is esize <= heapSize,
     * which cannot overflow); WORST and FIRST from -1 */
    best = m->policy == OSTEP_BEST ? m->heap_size : -1;
    for (i = 0; i < m->n; i++) {
        int64_t esize = m->list[i].size;
        count++;
        if (esize >= need && ((m->policy == OSTEP_BEST && (idx < 0 ? esize <= best : esize < best)) ||
                              (m->policy == OSTEP_WORST && esize > best) || m->policy == OSTEP_FIRST)) {
            best = esize;
            idx = (int64_t)i;
            if (m->policy == OSTEP_FIRST) break;
        }
    }
    out->need = need;
    out->searched = count;
    out->chosen = idx;
    out->addr = -1;
    emit(m, EV_REQUEST, request, need, 0);
    emit(m, EV_SCAN, count, idx, 0);
    if (idx < 0) {
        emit(m, EV_FAIL, need, 0, 0);
        return 0;
    }
    out->addr = m->list[idx].addr;
    if (best > need) {
        if (ostep_add(out->addr, need, &naddr) || __builtin_sub_overflow(best, need, &rem))
            return OSTEP_E_RANGE;
        m->list[idx].addr = naddr;
        m->list[idx].size = rem;
        emit(m, EV_SPLIT, out->addr, need, rem);
    } else {
        memmove(m->list + idx, m->list + idx + 1, (m->n - (size_t)idx - 1) * sizeof *m->list);
        m->n--;
    }
    rc = live_add(m, out->addr, need, ptr, request);
    if (rc) return rc;
    if (ostep_add(out->addr, m->header, &naddr)) return OSTEP_E_RANGE;
    emit(m, EV_PLACE, out->addr, need, naddr);
    return 0;
}

struct sort_item { int64_t key; size_t idx; struct ostep_entry e; };

/* The sort key of an entry under a sorted order (size-down: ~size). */
static int64_t entry_key(int order, struct ostep_entry e)
{
    return order == OSTEP_ADDRSORT ? e.addr : order == OSTEP_SIZESORT_UP ? e.size : ~e.size;
}

/* qsort order: key ascending, then original position (a stable sort). */
static int item_cmp(const void *pa, const void *pb)
{
    const struct sort_item *a = pa, *b = pb;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Python's sorted(list, key=..., reverse=...): stable, and equal keys keep
 * their order even with reverse=True, so size-down sorts ascending on ~size
 * (-size - 1, which cannot overflow) rather than sorting up and reversing.
 * Returns 0 or OSTEP_E_NOMEM. */
static int list_stable_sort(struct ostep_model *m)
{
    struct sort_item *it;
    size_t i;
    if (m->scratch_cap < m->n) {
        void *p = realloc(m->scratch, m->n * sizeof *it);
        if (!p) return OSTEP_E_NOMEM;
        m->scratch = p;
        m->scratch_cap = m->n;
    }
    it = m->scratch;
    for (i = 0; i < m->n; i++) {
        it[i].e = m->list[i];
        it[i].idx = i;
        it[i].key = entry_key(m->order, m->list[i]);
    }
    qsort(it, m->n, sizeof *it, item_cmp);
    for (i = 0; i < m->n; i++) m->list[i] = it[i].e;
    return 0;
}

/* Append-then-stable-sort, fast path: when the list is already sorted, the
 * stable sort puts the new entry after every entry whose key is <= its own,
 * so it is inserted there; otherwise (a split remainder kept its position)
 * the whole list is sorted. Returns 0 or OSTEP_E_NOMEM. Needs room for one. */
static int list_insert_sorted(struct ostep_model *m, struct ostep_entry e)
{
    size_t i, lo = 0, hi = m->n;
    int64_t k = entry_key(m->order, e);
    for (i = 1; i < m->n; i++)
        if (entry_key(m->order, m->list[i - 1]) > entry_key(m->order, m->list[i])) {
            m->list[m->n++] = e;
            return list_stable_sort(m);
        }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (entry_key(m->order, m->list[mid]) <= k)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(m->list + lo + 1, m->list + lo, (m->n - lo) * sizeof *m->list);
    m->list[lo] = e;
    m->n++;
    return 0;
}

/* The -C pass: merges list neighbours whose addresses touch, in list order. */
static int list_coalesce(struct ostep_model *m)
{
    size_t i, out = 0;
    struct ostep_entry cur = m->list[0];
    for (i = 1; i < m->n; i++) {
        struct ostep_entry e = m->list[i];
        int64_t end;
        if (ostep_add(cur.addr, cur.size, &end)) return OSTEP_E_RANGE;
        if (e.addr == end) {
            if (ostep_add(cur.size, e.size, &cur.size)) return OSTEP_E_RANGE;
            emit(m, EV_COALESCE, cur.addr, cur.size, 0);
        } else {
            m->list[out++] = cur;
            cur = e;
        }
    }
    m->list[out++] = cur;
    m->n = out;
    return 0;
}

/* malloc.py's free(); see the file comment for the rules. */
int ostep_model_free(struct ostep_model *m, int64_t addr, int64_t *rc, int64_t *size)
{
    size_t at = live_lower_bound(m, addr);
    struct ostep_entry e;
    int err;

    *size = 0;
    if (at == m->nlive || m->live[at].addr != addr) {
        *rc = -1;
        emit(m, EV_FREE, addr, 0, -1);
        return 0;
    }
    e.addr = addr;
    e.size = m->live[at].size;
    *size = e.size;
    err = list_reserve(m);
    if (err) return err;
    if (m->order == OSTEP_INSERT_FRONT) {
        memmove(m->list + 1, m->list, m->n * sizeof *m->list);
        m->list[0] = e;
        m->n++;
    } else if (m->order == OSTEP_INSERT_BACK) {
        m->list[m->n++] = e;
    } else if ((err = list_insert_sorted(m, e)) != 0) {
        return err;
    }
    emit(m, EV_FREE, addr, e.size, 0);
    if (m->coalesce && (err = list_coalesce(m)) != 0) return err;
    memmove(m->live + at, m->live + at + 1, (m->nlive - at - 1) * sizeof *m->live);
    m->nlive--;
    *rc = 0;
    return 0;
}
