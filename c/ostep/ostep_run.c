/* ostep_run.c: malloc.py's main program over the model (ostep_model.c),
 * printing and recording through ostep_result.c. It is the one file that
 * knows both: it plugs the recorder's event sink into the model when steps
 * are recorded.
 *
 * Order of malloc.py's work, kept because it decides what is printed before
 * a crash: construct the allocator (asserts on policy, order, alignment:
 * nothing printed yet), print the 13-line header and an empty line, seed
 * the generator, assert -P > 0, then run the ops. A crash inside an op
 * leaves exactly the text printed before it (a free of a failed
 * allocation's index has already printed "Free(ptr[N])").
 *
 * Random mode: per iteration u = random(); u < P/100 allocates
 * int(random() * range) + 1 bytes as ptr[c] (an op even when it fails);
 * otherwise, with live pointers, frees L[int(random() * len(L))], else
 * draws again without printing. Explicit mode (-A): tokens split on ',';
 * "+S" allocates, "-i" frees p[i] where p keeps every successful address
 * (p is never shrunk); i >= len(p) prints "Invalid Free: Skipping".
 */
#include "ostep/ostep_model.h"
#include "util/strbuf.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Prints the header exactly as malloc.py's 13 print() calls and the empty line. */
static int print_header(struct ostep_result *r, const struct ostep_options *o)
{
    return ostep_out_printf(r,
                            "seed %" PRId64 "\nsize %" PRId64 "\nbaseAddr %" PRId64 "\nheaderSize %" PRId64
                            "\nalignment %" PRId64 "\npolicy %s\nlistOrder %s\ncoalesce %s\nnumOps %" PRId64
                            "\nrange %" PRId64 "\npercentAlloc %" PRId64 "\n",
                            o->seed, o->heap_size, o->base_addr, o->header_size, o->alignment, o->policy,
                            o->order, o->coalesce ? "True" : "False", o->num_ops, o->range, o->percent_alloc) ||
                   ostep_out_write(r, "allocList ", 10) ||
                   ostep_out_write(r, o->alloc_list, strlen(o->alloc_list)) ||
                   ostep_out_printf(r, "\ncompute %s\n\n", o->compute ? "True" : "False")
               ? r->status
               : 0;
}

/* Runs one allocation, prints its lines and closes its step; 0 or < 0. */
static int do_alloc(struct ostep_result *r, struct ostep_model *m, const struct ostep_options *o,
                    int64_t c, int64_t size, int random_mode, int64_t *addr)
{
    struct ostep_step s = ostep_begin_step(r, OSTEP_STEP_ALLOC, c);
    struct ostep_alloc_out a;
    int rc = ostep_model_malloc(m, size, c, &a);
    if (rc) return ostep_model_fail(r, rc, a.addr);
    s.request = size;
    s.need = a.need;
    s.addr = a.addr;
    s.searched = a.searched;
    s.chosen = a.chosen;
    s.result = a.addr;
    /* random mode answers the payload address (the failure -1 included) */
    if (random_mode && ostep_add(a.addr, o->header_size, &s.result)) return ostep_model_fail(r, OSTEP_E_RANGE, 0);
    if (ostep_out_printf(r, "ptr[%" PRId64 "] = Alloc(%" PRId64 ")", c, size)) return r->status;
    if (o->compute)
        rc = ostep_out_printf(r, " returned %" PRId64 " (searched %" PRId64 " elements)\n", s.result, s.searched);
    else
        rc = ostep_out_printf(r, " returned ?\n");
    if (rc || ostep_print_tail(r, m, o, random_mode ? "List? " : "List?")) return r->status;
    *addr = a.addr;
    return ostep_end_step(r, m, &s);
}

/* Frees `addr` as ptr[c], prints its lines and closes its step; 0 or < 0. */
static int do_free(struct ostep_result *r, struct ostep_model *m, const struct ostep_options *o,
                   int64_t c, int64_t addr, int random_mode)
{
    struct ostep_step s = ostep_begin_step(r, OSTEP_STEP_FREE, c);
    int64_t rc = 0, size = 0;
    int err = ostep_model_free(m, addr, &rc, &size);
    if (err) return ostep_model_fail(r, err, addr);
    s.addr = addr;
    s.need = size;
    s.result = rc;
    if (ostep_out_printf(r, "Free(ptr[%" PRId64 "])\n", c)) return r->status;
    err = o->compute ? ostep_out_printf(r, "returned %" PRId64 "\n", rc) : ostep_out_printf(r, "returned ?\n");
    if (err || ostep_print_tail(r, m, o, random_mode ? "List? " : "List?")) return r->status;
    return ostep_end_step(r, m, &s);
}

struct live_ptr { int64_t c, addr; };

/* Random mode (no -A): the loop of malloc.py with CPython's generator. */
static int run_random(struct ostep_result *r, struct ostep_model *m, const struct ostep_options *o)
{
    struct ostep_mt mt;
    struct live_ptr *L = NULL;
    size_t nl = 0, cap = 0;
    int64_t c = 0, j = 0;
    double percent = (double)o->percent_alloc / 100.0;
    int rc = 0;

    ostep_mt_seed(&mt, o->seed);
    while (!rc && j < o->num_ops) {
        if (ostep_mt_random(&mt) < percent) {
            double x = ostep_mt_random(&mt) * (double)o->range;
            int64_t size, addr = -1;
            if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0) || ostep_add((int64_t)x, 1, &size)) {
                rc = ostep_model_fail(r, OSTEP_E_RANGE, 0);
                break;
            }
            if ((rc = ostep_check_limit(r, (uint64_t)j)) != 0) break;
            rc = do_alloc(r, m, o, c, size, 1, &addr);
            if (!rc && addr != -1) {
                if (nl == cap) {
                    struct live_ptr *p = realloc(L, (cap ? cap * 2 : 16) * sizeof *L);
                    if (!p) {
                        rc = ostep_model_fail(r, OSTEP_E_NOMEM, 0);
                        break;
                    }
                    L = p;
                    cap = cap ? cap * 2 : 16;
                }
                L[nl].c = c;
                L[nl++].addr = addr;
            }
            c++;
            j++;
        } else if (nl > 0) {
            size_t d = (size_t)(ostep_mt_random(&mt) * (double)nl);
            if ((rc = ostep_check_limit(r, (uint64_t)j)) != 0) break;
            rc = do_free(r, m, o, L[d].c, L[d].addr, 1);
            memmove(L + d, L + d + 1, (nl - d - 1) * sizeof *L);
            nl--;
            j++;
        }
    }
    free(L);
    return rc;
}

/* One "+S" or "-i" number: Python's int() of the text up to the next sign. */
static int token_number(struct ostep_result *r, const char *tok, size_t len, int64_t *v)
{
    const char *end = memchr(tok + 1, tok[0], len - 1);
    size_t n = end ? (size_t)(end - tok - 1) : len - 1;
    int rc = ostep_parse_pyint(tok + 1, n, 10, v);
    if (rc == -1)
        return ostep_fail(r, OSTEP_E_NUMBER, "-A token '%.*s': '%.*s' is not an integer (malloc.py raises ValueError)",
                          (int)len, tok, (int)n, tok + 1);
    if (rc == -2)
        return ostep_fail(r, OSTEP_E_RANGE, "-A token '%.*s': number beyond the 64-bit range this port supports",
                          (int)len, tok);
    return 0;
}

/* Explicit mode (-A): the op list, token by token. */
static int run_list(struct ostep_result *r, struct ostep_model *m, const struct ostep_options *o)
{
    const char *tok = o->alloc_list;
    int64_t *p = NULL;      /* p[c]: address of ptr[c], or INT64_MIN when it failed */
    int64_t c = 0, plen = 0; /* plen = len(p), successful allocations */
    uint64_t ops = 0;
    int rc = 0;

    for (;;) {
        const char *comma = strchr(tok, ',');
        size_t len = comma ? (size_t)(comma - tok) : strlen(tok);
        int64_t v;
        if ((rc = ostep_check_limit(r, ops++)) != 0) break;
        if (len == 0 || (tok[0] != '+' && tok[0] != '-')) {
            rc = ostep_fail(r, OSTEP_E_TOKEN, "-A token '%.*s' must be +Size or -Index (malloc.py crashes with %s)",
                            (int)len, tok, len ? "NameError" : "IndexError");
            break;
        }
        if ((rc = token_number(r, tok, len, &v)) != 0) break;
        if (tok[0] == '+') {
            int64_t addr = -1, *q = realloc(p, (size_t)(c + 1) * sizeof *p);
            if (!q) {
                rc = ostep_model_fail(r, OSTEP_E_NOMEM, 0);
                break;
            }
            p = q;
            if ((rc = do_alloc(r, m, o, c, v, 0, &addr)) != 0) break;
            p[c++] = addr != -1 ? addr : INT64_MIN;
            plen += addr != -1;
        } else if (v >= plen) {
            struct ostep_step s = ostep_begin_step(r, OSTEP_STEP_SKIP, v);
            if (ostep_out_printf(r, "Invalid Free: Skipping\n") || ostep_end_step(r, m, &s)) {
                rc = r->status;
                break;
            }
        } else if (v >= c || p[v] == INT64_MIN) {
            ostep_out_printf(r, "Free(ptr[%" PRId64 "])\n", v);
            rc = ostep_fail(r, OSTEP_E_FAILED_FREE,
                            "-A token '%.*s': ptr[%" PRId64 "] was never allocated (its allocation failed; "
                            "malloc.py crashes with KeyError)", (int)len, tok, v);
            break;
        } else if ((rc = do_free(r, m, o, v, p[v], 0)) != 0) {
            break;
        }
        if (!comma) break;
        tok = comma + 1;
    }
    free(p);
    return rc;
}

/* Runs malloc.py with options o; returns r->status (see ostep.h). */
int ostep_run(const struct ostep_options *o, struct ostep_result *r)
{
    struct ostep_model m;
    struct ostep_step s;
    int policy = ostep_policy_from_name(o->policy), order = ostep_order_from_name(o->order), rc;

    r->status = 0;
    r->error[0] = 0;
    if (policy < 0)
        return ostep_fail(r, OSTEP_E_POLICY, "unknown policy '%s' for -p (use BEST, WORST or FIRST)", o->policy);
    if (order < 0)
        return ostep_fail(r, OSTEP_E_ORDER,
                          "unknown list order '%s' for -l (use ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT "
                          "or INSERT-BACK)", o->order);
    if (o->alignment != -1 && o->alignment <= 0)
        return ostep_fail(r, OSTEP_E_ALIGN, "alignment -a %" PRId64 " must be -1 (none) or positive",
                          o->alignment);
    ostep_model_init(&m, o, policy, order);
    if (!m.list) return ostep_fail(r, OSTEP_E_NOMEM, "out of memory");
    if (r->record & OSTEP_RECORD_STEPS) m.sink = ostep_result_event_sink(r);
    s = ostep_begin_step(r, OSTEP_STEP_START, -1);
    rc = print_header(r, o);
    if (!rc) rc = ostep_end_step(r, &m, &s);
    if (!rc && o->percent_alloc <= 0)
        rc = ostep_fail(r, OSTEP_E_PERCENT, "-P %" PRId64 " must be above 0 (malloc.py fails its "
                                            "'percent > 0' assertion)", o->percent_alloc);
    if (!rc) rc = o->alloc_list[0] == 0 ? run_random(r, &m, o) : run_list(r, &m, o);
    ostep_model_release(&m);
    /* the text printed before a crash is delivered too, as Python flushes it */
    if (r->flush && r->text_len > 0) {
        if (r->flush(r->text, r->text_len, r->flush_ctx))
            ostep_fail(r, OSTEP_E_NOMEM, "the output could not be written");
        sb_clear(&r->out);
    }
    if (rc < 0) ostep_fail(r, rc, "failed (code %d)", rc);
    return r->status;
}

/* Parses argv like optparse, then runs; help fills the text. */
int ostep_run_argv(int argc, char **argv, struct ostep_result *r)
{
    struct ostep_options o;
    char err[256];
    int rc = ostep_parse_args(argc, argv, &o, err, sizeof err);
    if (rc == OSTEP_HELP) {
        const char *h = ostep_help_text();
        r->status = 0;
        if (ostep_out_write(r, h, strlen(h))) return r->status;
        r->status = OSTEP_HELP;
        if (r->flush && r->flush(r->text, r->text_len, r->flush_ctx)) return OSTEP_E_NOMEM;
        return OSTEP_HELP;
    }
    if (rc) {
        r->status = 0;
        return ostep_fail(r, rc, "%s", err);
    }
    return ostep_run(&o, r);
}
