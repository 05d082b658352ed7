/* tree_split.c: the split search of sklearn 1.2.1's BestSplitter with the
 * MSE criterion, in two interchangeable evaluation strategies.
 *
 * Maths. For a node with targets y, splitting at position p of the values
 * sorted by one feature, the children's summed squared error is
 *     SSE = sum(y^2) - S_L^2/n_L - S_R^2/n_R,
 * and sum(y^2) is the same for every candidate, so the best split maximises
 * the proxy S_L^2/n_L + S_R^2/n_R (strictly: the first maximum wins).
 *
 * Exact strategy: like sklearn, copy the feature's values of the node's
 * samples, introsort them (moving `samples`), and scan with the criterion's
 * update rule (add forward, or reset to the total and subtract backward).
 * Every floating-point sum is then formed in sklearn's order.
 *
 * Presort strategy: each feature's column is sorted once; every node owns the
 * same range [start, end) in every column, kept by a stable partition after
 * each split. A scan is one pass with a running sum. This gives bitwise the
 * same tree whenever every partial sum of y and y*y is an exact integer in
 * double (tree.c checks that before choosing it), because then summation
 * order cannot change any value.
 *
 * The random feature order (Fisher-Yates draws with our_rand_r, known and
 * newly found constant features) is shared code, so both strategies draw
 * the same numbers.
 *
 * The search is resumable (splitter_split_begin / _more): its state is the
 * draw loop's counters and the best candidate, so a slice can stop after
 * any feature's scan, inside the exact strategy's sort (between two of its
 * partitions), or between two presorted columns' partitions. The steps
 * are the ones splitter_node_split takes in one call, in the same order.
 */
#include <math.h>
#include <string.h>
#include "tree/tree_internal.h"

/* Sets the node's range and its sums of y and y*y (sklearn's order). */
void splitter_node_init(struct splitter *s, int start, int end)
{
    double st = 0.0, sq = 0.0;
    for (int p = start; p < end; p++) {
        double yi = s->y[s->samples[p]];
        double wy = 1.0 * yi;
        st += wy;
        sq += wy * yi;
    }
    s->start = start;
    s->end = end;
    s->sum_total = st;
    s->sq_sum_total = sq;
    s->wn_node = (double)(end - start);
}

/* sq_sum/n - mean^2, as sklearn's MSE.node_impurity. */
double splitter_node_impurity(const struct splitter *s)
{
    double imp = s->sq_sum_total / s->wn_node;
    double m = s->sum_total / s->wn_node;
    imp -= m * m;
    return imp;
}

/* Running criterion of the exact strategy: sklearn's update() rule. */
struct crit {
    int pos;
    double sum_left, wn_left;
};

/* Moves the split position to new_pos summing in sklearn's order. */
static void crit_update(const struct splitter *s, struct crit *c, int new_pos)
{
    const int32_t *smp = s->samples;
    if ((new_pos - c->pos) <= (s->end - new_pos)) {
        for (int p = c->pos; p < new_pos; p++) {
            c->sum_left += s->y[smp[p]];
            c->wn_left += 1.0;
        }
    } else {
        c->pos = s->end; /* reverse_reset */
        c->sum_left = s->sum_total;
        c->wn_left = s->wn_node;
        for (int p = s->end - 1; p >= new_pos; p--) {
            c->sum_left -= s->y[smp[p]];
            c->wn_left -= 1.0;
        }
    }
    c->pos = new_pos;
}

/* sklearn's midpoint rule: the sum of halves, falling back to the lower value. */
static inline double split_threshold(float lo, float hi)
{
    double thr = (double)lo / 2.0 + (double)hi / 2.0;
    if (thr == (double)hi || thr == INFINITY || thr == -INFINITY) thr = (double)lo;
    return thr;
}

/* Proxy improvement S_L^2/n_L + S_R^2/n_R. */
static inline double proxy_of(const struct splitter *s, double sum_left, double wn_left)
{
    double wn_right = s->wn_node - wn_left;
    double sum_right = s->sum_total - sum_left;
    return sum_left * sum_left / wn_left + sum_right * sum_right / wn_right;
}

/* Exact strategy for one feature, once its values Xf are sorted (with
 * samples): 1 if constant in the node, else scans. */
static int scan_exact(struct splitter *s, int f, struct split_best *b)
{
    const int start = s->start, end = s->end, msl = s->min_samples_leaf;
    const float *Xf = s->Xf;
    if (Xf[end - 1] <= Xf[start] + TREE_FEATURE_THRESHOLD) return 1;
    struct crit c = {start, 0.0, 0.0};
    int p = start;
    while (p < end) {
        while (p + 1 < end && Xf[p + 1] <= Xf[p] + TREE_FEATURE_THRESHOLD) p++;
        p++;
        if (p >= end) break;
        if ((p - start) < msl || (end - p) < msl) continue;
        crit_update(s, &c, p);
        double proxy = proxy_of(s, c.sum_left, c.wn_left);
        if (proxy > b->proxy) {
            b->proxy = proxy;
            b->threshold = split_threshold(Xf[p - 1], Xf[p]);
            b->feature = f;
            b->pos = p;
        }
    }
    return 0;
}

/* Exact strategy, the start of a feature: its values of the node's samples
 * into Xf, and their sort begun (sklearn's introsort, in steps). */
static void copy_exact(struct splitter *s, int f)
{
    const int start = s->start, end = s->end;
    const float *col = s->Xc + (size_t)f * (size_t)s->n;
    float *Xf = s->Xf;
    for (int i = start; i < end; i++) Xf[i] = col[s->samples[i]];
    tree_sort_sklearn_begin(&s->sj.sort, Xf + start, s->samples + start, end - start);
}

/* Presort strategy for one feature: same candidates, one running sum. */
static int eval_presort(struct splitter *s, int f, struct split_best *b)
{
    const int start = s->start, end = s->end, msl = s->min_samples_leaf;
    const float *v = s->sval + (size_t)f * (size_t)s->n;
    const int32_t *ix = s->sidx + (size_t)f * (size_t)s->n;
    const double *y = s->y;
    if (v[end - 1] <= v[start] + TREE_FEATURE_THRESHOLD) return 1;
    double sum_left = 0.0;
    int q = start, p = start;
    while (p < end) {
        while (p + 1 < end && v[p + 1] <= v[p] + TREE_FEATURE_THRESHOLD) p++;
        p++;
        if (p >= end) break;
        if ((p - start) < msl || (end - p) < msl) continue;
        while (q < p) sum_left += y[ix[q++]];
        double proxy = proxy_of(s, sum_left, (double)(p - start));
        if (proxy > b->proxy) {
            b->proxy = proxy;
            b->threshold = split_threshold(v[p - 1], v[p]);
            b->feature = f;
            b->pos = p;
        }
    }
    return 0;
}

/* Presort, the split's first part: marks the chosen left samples and moves
 * them first in `samples`; flags the columns the partition skips (the
 * constant ones and the split's own, whose left part already comes first). */
static void partition_samples(struct splitter *s, const struct split_best *b, int n_constant)
{
    const int start = s->start, end = s->end, n = s->n;
    const int32_t *bix = s->sidx + (size_t)b->feature * (size_t)n;
    for (int k = start; k < end; k++) s->goes_left[bix[k]] = (uint8_t)(k < b->pos);
    int l = start, r = end;
    for (int k = start; k < end; k++) s->tmp_idx[k] = s->samples[k];
    for (int k = start; k < end; k++) {
        int32_t id = s->tmp_idx[k];
        if (s->goes_left[id]) s->samples[l++] = id;
        else s->samples[--r] = id;
    }
    for (int i = 0; i < n_constant; i++) s->skip[s->features[i]] = 1;
    s->skip[b->feature] = 1;
}

/* Presort: the left samples first, stably, in the sorted column f. */
static void partition_column(struct splitter *s, int f)
{
    const int start = s->start, end = s->end, n = s->n;
    int32_t *ix = s->sidx + (size_t)f * (size_t)n;
    float *v = s->sval + (size_t)f * (size_t)n;
    int nl = start, nr = 0;
    for (int k = start; k < end; k++) {
        int32_t id = ix[k];
        if (s->goes_left[id]) {
            ix[nl] = id;
            v[nl++] = v[k];
        } else {
            s->tmp_idx[nr] = id;
            s->tmp_val[nr++] = v[k];
        }
    }
    memcpy(ix + nl, s->tmp_idx, (size_t)nr * sizeof *ix);
    memcpy(v + nl, s->tmp_val, (size_t)nr * sizeof *v);
}

/* Exact: sklearn's in-place partition of samples by x <= threshold. */
static void partition_exact(struct splitter *s, const struct split_best *b)
{
    const float *col = s->Xc + (size_t)b->feature * (size_t)s->n;
    int p = s->start, pe = s->end;
    while (p < pe) {
        if ((double)col[s->samples[p]] <= b->threshold) {
            p++;
        } else {
            pe--;
            int32_t t = s->samples[p];
            s->samples[p] = s->samples[pe];
            s->samples[pe] = t;
        }
    }
}

/* Children impurities and the weighted impurity decrease of the split. */
static void finish_split(struct splitter *s, double impurity, struct split_result *r)
{
    struct crit c = {s->start, 0.0, 0.0};
    crit_update(s, &c, r->pos);
    double sq_left = 0.0;
    for (int p = s->start; p < r->pos; p++) {
        double yi = s->y[s->samples[p]];
        sq_left += 1.0 * yi * yi;
    }
    double wn_left = c.wn_left, wn_right = s->wn_node - c.wn_left;
    double sum_left = c.sum_left, sum_right = s->sum_total - c.sum_left;
    double sq_right = s->sq_sum_total - sq_left;
    double il = sq_left / wn_left, ir = sq_right / wn_right;
    double ml = sum_left / wn_left, mr = sum_right / wn_right;
    il -= ml * ml;
    ir -= mr * mr;
    r->impurity_left = il;
    r->impurity_right = ir;
    r->improvement = (s->wn_node / s->wn_samples) *
                     (impurity - (wn_right / s->wn_node * ir) - (wn_left / s->wn_node * il));
}

void splitter_split_begin(struct splitter *s, double impurity, int n_constant)
{
    struct split_job *sj = &s->sj;
    sj->phase = 0;
    sj->b = (struct split_best){s->end, 0, 0.0, -INFINITY};
    sj->impurity = impurity;
    sj->f_i = s->n_features;
    sj->n_visited = sj->n_found = sj->n_drawn = 0;
    sj->n_known = sj->n_total = n_constant;
    sj->part_f = -1;
    sj->pending = 0;
}

/* After feature f_j was scanned: sklearn's bookkeeping of the permutation. */
static void feature_done(struct splitter *s, struct split_job *sj, int f_j, int is_const)
{
    int32_t *features = s->features;
    if (is_const) {
        int32_t t = features[f_j]; features[f_j] = features[sj->n_total]; features[sj->n_total] = t;
        sj->n_found++;
        sj->n_total++;
    } else {
        sj->f_i--;
        int32_t t = features[sj->f_i]; features[sj->f_i] = features[f_j]; features[f_j] = t;
    }
}

/* One step of the draw loop: a feature drawn and, unless known constant,
 * scanned (presort), or its values copied and their sort begun (exact),
 * or a step of that sort, or its scan once sorted; adds the rows touched
 * to *done. Returns 0, or -1 once the loop is over (the permutation's
 * constant part then written back, as sklearn does). */
static int draw_step(struct splitter *s, struct split_job *sj, double work, double *done)
{
    int32_t *features = s->features, *constant = s->constant_features;
    const int rows = s->end - s->start;
    if (sj->pending) {
        if (!tree_sort_sklearn_more(&sj->sort, work, done)) return 0;
        sj->pending = 0;
        int is_const = scan_exact(s, sj->cur_f, &sj->b);
        *done += rows;
        feature_done(s, sj, sj->cur_fj, is_const);
        return 0;
    }
    if (!(sj->f_i > sj->n_total &&
          (sj->n_visited < s->max_features || sj->n_visited <= sj->n_found + sj->n_drawn))) {
        memcpy(features, constant, (size_t)sj->n_known * sizeof *features);
        memcpy(constant + sj->n_known, features + sj->n_known, (size_t)sj->n_found * sizeof *features);
        return -1;
    }
    sj->n_visited++;
    int f_j = tree_rand_int(sj->n_drawn, sj->f_i - sj->n_found, &s->rand_state);
    if (f_j < sj->n_known) { /* a feature already known constant: skip it */
        int32_t t = features[sj->n_drawn]; features[sj->n_drawn] = features[f_j]; features[f_j] = t;
        sj->n_drawn++;
        return 0;
    }
    f_j += sj->n_found;
    int f = features[f_j];
    *done += rows;
    if (s->presort) {
        feature_done(s, sj, f_j, eval_presort(s, f, &sj->b));
        return 0;
    }
    copy_exact(s, f);
    sj->pending = 1;
    sj->cur_f = f;
    sj->cur_fj = f_j;
    return 0;
}

/* Sets r from the best candidate (no split yet: improvement -inf). */
static void result_of(const struct split_best *b, struct split_result *r)
{
    r->pos = b->pos;
    r->feature = b->feature;
    r->threshold = b->threshold;
    r->improvement = -INFINITY;
    r->impurity_left = INFINITY;
    r->impurity_right = INFINITY;
}

int splitter_split_more(struct splitter *s, double work, double *done, int *n_constant, struct split_result *r)
{
    struct split_job *sj = &s->sj;
    const double rows = (double)(s->end - s->start);
    while (sj->phase == 0 && *done < work)
        if (draw_step(s, sj, work, done) < 0) sj->phase = sj->b.pos < s->end ? 1 : 2;
    while (sj->phase == 1 && *done < work) {
        if (!s->presort) {
            partition_exact(s, &sj->b);
            *done += rows;
            sj->part_f = s->n_features;
        } else if (sj->part_f < 0) {
            partition_samples(s, &sj->b, sj->n_total);
            *done += 2.0 * rows;
            sj->part_f = 0;
        } else if (sj->part_f < s->n_features) {
            int f = sj->part_f++;
            if (!s->skip[f]) {
                partition_column(s, f);
                *done += rows;
            }
        }
        if (sj->part_f >= s->n_features) {
            for (int f = 0; f < s->n_features; f++) s->skip[f] = 0;
            sj->phase = 2;
        }
    }
    if (sj->phase != 2) return 0;
    result_of(&sj->b, r);
    if (sj->b.pos < s->end) {
        finish_split(s, sj->impurity, r);
        *done += rows;
    }
    *n_constant = sj->n_total;
    return 1;
}

/* Finds the best split over a random feature order; partitions samples (the search in one slice). */
void splitter_node_split(struct splitter *s, double impurity, int *n_constant, struct split_result *r)
{
    double done = 0.0;
    splitter_split_begin(s, impurity, *n_constant);
    splitter_split_more(s, INFINITY, &done, n_constant, r);
}
