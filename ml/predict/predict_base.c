/* predict_base.c: the BASELINES stage of the prediction job
 * (predict_job.h): one n-gram model (baselines.h) trained a step at a
 * time, which gives all four baselines' predictions:
 *   step 0        the mode: the training sizes as rows, sorted, then one pass
 *   step 1..order each context length j: its (context, successor) rows,
 *                 sorted, then one pass making the table
 *   then          each baseline's predictions for the test targets
 * Each of those is done in pieces of about `work` units: rows made (j + 1
 * values a row), rows sorted (tuple_sort), rows read by the pass
 * (ngram_level_more), targets predicted (BASE_COST per context length a
 * target may look up). The model is freed after the last baseline.
 */
#include <stdlib.h>
#include "predict/predict_job.h"

/* Work units of one baseline target per context length it may look up (a
 * binary search over a table of up to a million contexts: ~550 ns natively
 * on the 3.3M-op trace, where 16 units made the n-gram's slices 17-18 ms
 * natively, 27-29 in wasm). */
#define BASE_COST 24.0

enum { ROWS = 0, SORT = 1, PASS = 2 }; /* the phases of a training step (j->base_phase) */

/* The predictions of baseline kind k in pieces; after the last, the next step (or FINISH); 0. */
static int predictions_step(struct predict_job *j, int k, double work)
{
    const int order = j->o.ngram_order;
    int from = j->t_split + j->base_t;
    int to = from + items_for(work, BASE_COST * (k == BASE_NGRAM ? order : 1), j->m - from);
    baseline_from_model_range(k, &j->g, j->s, j->t_split, from, to, j->pred + (size_t)(k + 2) * j->n_test);
    j->base_t = to - j->t_split;
    if (to < j->m) return 0;
    j->base_t = 0;
    j->base_step++;
    if (k == BASE_NGRAM) {
        ngram_free(&j->g);
        j->stage = FINISH;
    }
    return 0;
}

int baselines_step(struct predict_job *j, double work)
{
    const int order = j->o.ngram_order, step = j->base_step, w = step + 1;
    if (step > order) return predictions_step(j, step - order - 1, work);
    if (j->base_phase == ROWS) {
        if (!j->tup) { /* the step's rows: the sizes (the mode), or the contexts of length step */
            if (step == 0 && ngram_start(&j->g, j->t_split, order)) return job_fail(j, "bad n-gram order");
            j->tup_n = j->t_split - step > 0 ? j->t_split - step : 0;
            j->tup_i = 0;
            if (j->tup_n == 0) { /* no rows: an empty table (no mode: t_split >= 1 always has sizes) */
                j->base_step++;
                return step ? ngram_level_from_sorted(&j->g, NULL, 0, step) : 0;
            }
            j->tup = malloc((size_t)j->tup_n * w * sizeof *j->tup);
            if (!j->tup) return job_fail(j, "out of memory");
            return 0;
        }
        int to = j->tup_i + items_for(work, w, j->tup_n - j->tup_i);
        ngram_tuples_fill(j->s, step, j->tup_i, to, j->tup);
        j->tup_i = to;
        if (to == j->tup_n) j->base_phase = SORT;
        return 0;
    }
    if (j->base_phase == SORT) {
        int rc = job_sort_step(j, j->tup, j->tup_n, w, work);
        if (rc <= 0) return rc;
        if (ngram_level_begin(&j->lj, j->tup, j->tup_n, step)) return job_fail(j, "out of memory");
        j->base_phase = PASS;
        return 0;
    }
    if (!ngram_level_more(&j->lj, work)) return 0;
    ngram_level_finish(&j->lj, &j->g);
    free(j->tup);
    j->tup = NULL;
    j->base_phase = ROWS;
    j->base_step++;
    return 0;
}

double baselines_progress(const struct predict_job *j)
{
    return (j->base_step + (double)j->base_t / j->n_test) / (j->o.ngram_order + 5);
}
