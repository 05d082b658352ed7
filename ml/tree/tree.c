/* tree.c: the depth-first tree builder of sklearn 1.2.1 and the public
 * tree_* API (fit, apply, predict, importances, mode leaves).
 *
 * Stopping rule, as one condition (evaluated when a node is popped):
 *   leaf = depth >= max_depth || n < min_samples_split || n < 2*min_samples_leaf
 *          || impurity <= EPSILON
 *          || no valid split || improvement + EPSILON < min_impurity_decrease
 * with min_samples_split raised to 2*min_samples_leaf. Nodes are pushed
 * right child first, so ids come out in preorder, left subtree first. Only
 * the root computes its own impurity; children take the value their
 * parent's split computed. Leaf values are sum/n (the mean).
 *
 * The fit is resumable (tree_fit_begin / _more / _end): the stack of
 * pending nodes is explicit, and a node's split search keeps its state
 * (tree_split.c: between two features, or two columns' partitions), as
 * does a column's radix sort (tree_sort.c: anywhere in a pass), so a slice
 * ends after about `work` rows touched and the next one resumes there. (A
 * 3.3M-op trace's root, 1.15M rows x 9 features, took 110 ms natively in
 * one call, a column's sort 30-36 ms.)
 * tree_fit is the same job run in one slice.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tree/tree.h"
#include "tree/tree_internal.h"

/* scikit-learn's defaults: unlimited depth, 2, 1, 0, all features, rs 0, mean. */
void tree_params_default(struct tree_params *p)
{
    p->max_depth = 0;
    p->min_samples_split = 2;
    p->min_samples_leaf = 1;
    p->min_impurity_decrease = 0.0;
    p->max_features = 0;
    p->random_state = 0;
    p->leaf_mode = TREE_LEAF_MEAN;
    p->strategy = TREE_AUTO;
}

/* Static text for a TREE_E* code. */
const char *tree_strerror(int code)
{
    switch (code) {
    case TREE_OK: return "ok";
    case TREE_E_ARG: return "parameter out of range";
    case TREE_E_NOMEM: return "out of memory";
    case TREE_E_VALUE: return "input contains NaN, infinity or a value too large for float32";
    case TREE_E_EMPTY: return "no samples or no features";
    default: return "unknown error";
    }
}

/* Releases every node array; t becomes empty. */
void tree_free(struct tree *t)
{
    free(t->left); free(t->right); free(t->feature); free(t->n_node_samples);
    free(t->threshold); free(t->value); free(t->mode); free(t->impurity);
    free(t->importances);
    memset(t, 0, sizeof *t);
}

/* Grows every node array to hold `need` nodes (the first time exactly,
 * later by doubling); 0 or TREE_E_NOMEM. */
static int nodes_reserve(struct tree *t, int *cap, int need)
{
    if (need <= *cap) return 0;
    int nc = *cap ? *cap : need;
    while (nc < need) nc = nc > INT32_MAX / 2 ? INT32_MAX : nc * 2;
    void *p;
#define GROW(field) \
    if (!(p = realloc(t->field, (size_t)nc * sizeof *t->field))) return TREE_E_NOMEM; \
    t->field = p;
    GROW(left) GROW(right) GROW(feature) GROW(n_node_samples)
    GROW(threshold) GROW(value) GROW(mode) GROW(impurity)
#undef GROW
    *cap = nc;
    return 0;
}

/* The most nodes a fit of n samples can make: every leaf holds at least
 * min_samples_leaf samples and lies at most max_depth deep, and a binary
 * tree of L leaves has 2L - 1 nodes. The node arrays are allocated at this
 * size once (untouched memory until used), so they never grow: doubling
 * them meant copying them all in one node's slice (a 3.3M-op trace's
 * unlimited tree, 2.2M nodes: 49 ms natively, 110-120 ms in wasm, and
 * 201 MB of arrays at the last doubling where 111 MB suffice). */
static int node_bound(int n, const struct tree_params *p)
{
    long long leaves = n / p->min_samples_leaf;
    if (p->max_depth > 0 && p->max_depth < 40 && (1LL << p->max_depth) < leaves) leaves = 1LL << p->max_depth;
    if (leaves < 1) leaves = 1;
    long long nodes = 2 * leaves - 1;
    return nodes > INT32_MAX ? INT32_MAX : (int)nodes;
}

/* Gives the node arrays back down to the tree's node count (they were
 * allocated at node_bound). */
static void nodes_trim(struct tree *t)
{
    size_t n = (size_t)(t->node_count > 0 ? t->node_count : 1);
    void *p;
#define TRIM(field) \
    if ((p = realloc(t->field, n * sizeof *t->field))) t->field = p;
    TRIM(left) TRIM(right) TRIM(feature) TRIM(n_node_samples)
    TRIM(threshold) TRIM(value) TRIM(mode) TRIM(impurity)
#undef TRIM
}

/* A pending node of the depth-first stack. */
struct stack_rec {
    int start, end, depth, parent, is_left, n_constant;
    double impurity;
};

/* sklearn's compute_feature_importances, incl. numpy's pairwise np.sum. */
static void compute_importances(struct tree *t)
{
    double *imp = t->importances;
    for (int f = 0; f < t->n_features; f++) imp[f] = 0.0;
    for (int i = 0; i < t->node_count; i++) {
        if (t->left[i] == TREE_LEAF) continue;
        int l = t->left[i], r = t->right[i];
        imp[t->feature[i]] += (double)t->n_node_samples[i] * t->impurity[i] -
                              (double)t->n_node_samples[l] * t->impurity[l] -
                              (double)t->n_node_samples[r] * t->impurity[r];
    }
    for (int f = 0; f < t->n_features; f++) imp[f] /= (double)t->n_node_samples[0];
    double norm;
    int F = t->n_features;
    if (F < 8) {
        norm = 0.0;
        for (int f = 0; f < F; f++) norm += imp[f];
    } else { /* numpy pairwise_sum for n <= 128: 8 accumulators */
        double r[8];
        for (int k = 0; k < 8; k++) r[k] = imp[k];
        int i;
        for (i = 8; i < F - (F % 8); i += 8)
            for (int k = 0; k < 8; k++) r[k] += imp[i + k];
        norm = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < F; i++) norm += imp[i];
    }
    if (norm > 0.0)
        for (int f = 0; f < F; f++) imp[f] /= norm;
}

/* 1 when every partial sum of y and y*y is an exact integer in double, so
 * summation order cannot matter and the presort strategy is bitwise safe.
 * Partial sums of |y| and y*y never exceed the totals; a computed total
 * below 2^53 proves that no partial sum was rounded (rounding is monotone). */
static int sums_are_exact(const double *y, int n)
{
    const double limit = 9007199254740992.0; /* 2^53 */
    double sum_abs = 0.0, sum_sq = 0.0;
    for (int i = 0; i < n; i++) {
        if (y[i] != floor(y[i])) return 0;
        sum_abs += fabs(y[i]);
        sum_sq += y[i] * y[i];
    }
    return sum_abs < limit && sum_sq < limit;
}

/* Allocates the splitter's buffers (the presorted columns are sorted
 * later, one per slice: job_sort_column); 0 or code. */
static int splitter_setup(struct splitter *s, const float *Xc, const double *y, int n, int F,
                          const struct tree_params *p)
{
    memset(s, 0, sizeof *s);
    s->n = n; s->n_features = F; s->Xc = Xc; s->y = y;
    s->max_features = p->max_features > 0 ? p->max_features : F;
    s->min_samples_leaf = p->min_samples_leaf;
    s->rand_state = tree_rand_r_seed(p->random_state);
    s->wn_samples = (double)n;
    s->presort = p->strategy == TREE_PRESORT ||
                 (p->strategy == TREE_AUTO && sums_are_exact(y, n));
    s->samples = malloc((size_t)n * sizeof *s->samples);
    s->features = malloc((size_t)F * sizeof *s->features);
    s->constant_features = calloc((size_t)F, sizeof *s->constant_features);
    s->skip = calloc((size_t)F, 1);
    if (!s->samples || !s->features || !s->constant_features || !s->skip) return TREE_E_NOMEM;
    for (int i = 0; i < n; i++) s->samples[i] = i;
    for (int f = 0; f < F; f++) s->features[f] = f;
    if (!s->presort) {
        s->Xf = malloc((size_t)n * sizeof *s->Xf);
        return s->Xf ? 0 : TREE_E_NOMEM;
    }
    size_t nf = (size_t)n * (size_t)F;
    s->sidx = malloc(nf * sizeof *s->sidx);
    s->sval = malloc(nf * sizeof *s->sval);
    s->tmp_idx = malloc((size_t)n * sizeof *s->tmp_idx);
    s->tmp_val = malloc((size_t)n * sizeof *s->tmp_val);
    s->goes_left = malloc((size_t)n);
    if (!s->sidx || !s->sval || !s->tmp_idx || !s->tmp_val || !s->goes_left) return TREE_E_NOMEM;
    return 0;
}

/* Frees the splitter's buffers. */
static void splitter_release(struct splitter *s)
{
    free(s->samples); free(s->features); free(s->constant_features); free(s->skip);
    free(s->Xf); free(s->sidx); free(s->sval); free(s->tmp_idx); free(s->tmp_val);
    free(s->goes_left);
}

enum { IN_NONE, IN_SPLIT, IN_LEAF };

/* A fit in progress (tree.h's tree_fit_begin / _more / _end): the tree so
 * far, the splitter, and the DepthFirstTreeBuilder's explicit stack of
 * pending nodes, so the build can stop after any node and resume. The
 * order of work is exactly tree_fit's, so the result is bit for bit the
 * same however the work is sliced. */
struct tree_fit_job {
    struct tree t;
    struct splitter s;
    struct tree_params p;
    float *Xc;
    double *y;                /* a copy of the targets (the caller's may go) */
    uint32_t *key_tmp;        /* presort: the column sort's keys */
    struct stack_rec *stack;
    int top, scap, cap, first;
    struct stack_rec cur;     /* the node under way (in_node) */
    int in_node;              /* IN_NONE, or the node's split search (IN_SPLIT) or leaf (IN_LEAF) is under way */
    double cur_impurity;
    struct split_result cur_sr;
    int cur_nconst;
    struct mode_count mc;     /* mode leaves: the current leaf's targets counted */
    int mc_started;           /* mc counts the current leaf */
    int max_depth, mss;
    const double *X;          /* the caller's rows, until copied (the caller keeps them until the fit ends) */
    int copied;               /* rows of X copied into Xc so far */
    int sorted;               /* presort: columns sorted so far */
    struct column_sort cs;    /* presort: the column being sorted (sorting) */
    int sorting;
    double leaf_samples;      /* samples in finished leaves (progress) */
    int rc;                   /* a TREE_E* code once failed */
};

/* Copies about `work` units of X's rows (F a row) into the column-major
 * float32 Xc; 1 once every row is copied, 0 when there is more, or
 * TREE_E_VALUE (a value not finite in float32). A 3.3M-op trace's 1.15M
 * rows of 9 took ~90 ms natively in one call, so they come in pieces. */
static int job_copy_rows(struct tree_fit_job *j, double work)
{
    const int n = j->s.n, F = j->s.n_features;
    double k = work / F;
    int i = j->copied, end = k >= n - i ? n : i + (k < 1.0 ? 1 : (int)k);
    for (; i < end; i++)
        for (int f = 0; f < F; f++) {
            float v = (float)j->X[(size_t)i * F + f];
            if (!isfinite(v)) return TREE_E_VALUE;
            j->Xc[(size_t)f * n + i] = v;
        }
    j->copied = i;
    return i == n;
}

/* Sorts the presorted columns in pieces: about work - *done entries
 * touched (each pass of the radix sort touches each entry once: a column
 * of a 3.3M-op trace's 1.15M rows took 30-36 ms natively in one call). */
static void job_sort_columns(struct tree_fit_job *j, double work, double *done)
{
    struct splitter *s = &j->s;
    const int n = s->n;
    while (j->sorted < s->n_features && *done < work) {
        if (!j->sorting) {
            int f = j->sorted;
            tree_sort_column_begin(&j->cs, j->Xc + (size_t)f * n, n, s->sidx + (size_t)f * n,
                                   s->sval + (size_t)f * n, j->key_tmp, s->tmp_idx);
            j->sorting = 1;
        }
        if (tree_sort_column_more(&j->cs, work, done)) {
            j->sorting = 0;
            j->sorted++;
        }
    }
}

/* Makes the node of record e (a leaf, or split by sr; a mode leaf's value
 * counted: j->mc.best) and pushes its children; 0, or -1 with j->rc set. */
static int job_make_node(struct tree_fit_job *j, const struct stack_rec *e, int is_leaf, double impurity,
                         const struct split_result *sr, int n_constant)
{
    struct tree *t = &j->t;
    struct splitter *s = &j->s;
    const struct tree_params *p = &j->p;
    int n_node = e->end - e->start;
    if ((j->rc = nodes_reserve(t, &j->cap, t->node_count + 1))) return -1;
    int id = t->node_count++;
    t->left[id] = t->right[id] = TREE_LEAF;
    t->feature[id] = is_leaf ? TREE_UNDEFINED : sr->feature;
    t->threshold[id] = is_leaf ? (double)TREE_UNDEFINED : sr->threshold;
    t->impurity[id] = impurity;
    t->n_node_samples[id] = n_node;
    t->value[id] = s->sum_total / s->wn_node;
    t->mode[id] = t->value[id];
    if (is_leaf && p->leaf_mode == TREE_LEAF_MODE) t->mode[id] = j->mc.best;
    if (e->parent >= 0) {
        if (e->is_left) t->left[e->parent] = id;
        else t->right[e->parent] = id;
    }
    if (is_leaf) {
        j->leaf_samples += n_node;
        return 0;
    }
    if (j->top + 2 > j->scap) {
        struct stack_rec *ns = realloc(j->stack, (size_t)j->scap * 2 * sizeof *j->stack);
        if (!ns) { j->rc = TREE_E_NOMEM; return -1; }
        j->stack = ns;
        j->scap *= 2;
    }
    j->stack[j->top++] = (struct stack_rec){sr->pos, e->end, e->depth + 1, id, 0, n_constant, sr->impurity_right};
    j->stack[j->top++] = (struct stack_rec){e->start, sr->pos, e->depth + 1, id, 1, n_constant, sr->impurity_left};
    return 0;
}

/* The builder's loop body, resumable inside a node: pops a pending node
 * (its sums: its rows) and starts its split search, or its leaf; a split
 * search continues (splitter_split_more) until the node is split or found
 * a leaf; a mode leaf's targets are counted (mode_more) before it is made.
 * Adds the rows touched to *done; 0, or -1 with j->rc set. */
static int job_node(struct tree_fit_job *j, double work, double *done)
{
    struct splitter *s = &j->s;
    const struct tree_params *p = &j->p;
    const struct stack_rec *e = &j->cur;
    if (j->in_node == IN_NONE) {
        j->cur = j->stack[--j->top];
        int n_node = e->end - e->start;
        splitter_node_init(s, e->start, e->end);
        *done += n_node;
        int is_leaf = e->depth >= j->max_depth || n_node < j->mss || n_node < 2 * p->min_samples_leaf;
        j->cur_impurity = e->impurity;
        if (j->first) { j->cur_impurity = splitter_node_impurity(s); j->first = 0; }
        is_leaf = is_leaf || j->cur_impurity <= TREE_EPSILON;
        j->cur_sr = (struct split_result){e->end, 0, 0.0, -INFINITY, INFINITY, INFINITY};
        j->cur_nconst = e->n_constant;
        if (!is_leaf) {
            splitter_split_begin(s, j->cur_impurity, e->n_constant);
            j->in_node = IN_SPLIT;
            return 0;
        }
        j->in_node = IN_LEAF;
        j->mc_started = 0;
    } else if (j->in_node == IN_SPLIT) {
        if (!splitter_split_more(s, work, done, &j->cur_nconst, &j->cur_sr)) return 0;
        const struct split_result *sr = &j->cur_sr;
        int is_leaf = sr->pos >= e->end || sr->improvement + TREE_EPSILON < p->min_impurity_decrease;
        if (!is_leaf) {
            j->in_node = IN_NONE;
            return job_make_node(j, e, 0, j->cur_impurity, sr, j->cur_nconst);
        }
        j->in_node = IN_LEAF;
        j->mc_started = 0;
    }
    if (p->leaf_mode == TREE_LEAF_MODE) { /* IN_LEAF: count its targets, then make it */
        if (!j->mc_started) {
            if ((j->rc = mode_begin(&j->mc, e->end - e->start))) return -1;
            j->mc_started = 1;
        }
        if (*done >= work) return 0;
        if (!mode_more(&j->mc, s->y, s->samples, e->start, e->end, work, done)) return 0;
    }
    j->in_node = IN_NONE;
    return job_make_node(j, e, 1, j->cur_impurity, &j->cur_sr, j->cur_nconst);
}

/* Frees everything the job holds but its tree. */
static void job_release(struct tree_fit_job *j)
{
    splitter_release(&j->s);
    free(j->Xc);
    free(j->y);
    mode_free(&j->mc);
    free(j->key_tmp);
    free(j->stack);
}

struct tree_fit_job *tree_fit_begin(const double *X, const double *y, int n, int F, const struct tree_params *p,
                                    int *rc)
{
    *rc = TREE_OK;
    if (n <= 0 || F <= 0) { *rc = TREE_E_EMPTY; return NULL; }
    if (p->min_samples_split < 2 || p->min_samples_leaf < 1 || p->max_features > F ||
        !(p->min_impurity_decrease >= 0.0) || (size_t)n * (size_t)F > (size_t)INT32_MAX ||
        (p->leaf_mode != TREE_LEAF_MEAN && p->leaf_mode != TREE_LEAF_MODE) ||
        p->strategy < TREE_AUTO || p->strategy > TREE_PRESORT) {
        *rc = TREE_E_ARG;
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (!isfinite(y[i])) { *rc = TREE_E_VALUE; return NULL; }
    struct tree_fit_job *j = calloc(1, sizeof *j);
    if (!j) { *rc = TREE_E_NOMEM; return NULL; }
    j->p = *p;
    j->Xc = malloc((size_t)n * (size_t)F * sizeof *j->Xc);
    j->y = malloc((size_t)n * sizeof *j->y);
    j->t.importances = calloc((size_t)F, sizeof *j->t.importances);
    j->scap = 16;
    j->stack = malloc((size_t)j->scap * sizeof *j->stack);
    int r = (!j->Xc || !j->y || !j->t.importances || !j->stack) ? TREE_E_NOMEM : 0;
    j->X = X; /* copied to Xc by the first slices (job_copy_rows) */
    if (!r) {
        memcpy(j->y, y, (size_t)n * sizeof *y);
        r = splitter_setup(&j->s, j->Xc, j->y, n, F, p);
    }
    if (!r && j->s.presort && !(j->key_tmp = malloc((size_t)n * sizeof *j->key_tmp))) r = TREE_E_NOMEM;
    if (r) {
        job_release(j);
        tree_free(&j->t);
        free(j);
        *rc = r;
        return NULL;
    }
    j->t.n_features = F;
    j->t.leaf_mode = p->leaf_mode;
    j->max_depth = p->max_depth > 0 ? p->max_depth : 2147483647;
    j->mss = p->min_samples_split < 2 * p->min_samples_leaf ? 2 * p->min_samples_leaf : p->min_samples_split;
    j->first = 1;
    j->stack[j->top++] = (struct stack_rec){0, n, 0, -1, 0, 0, INFINITY};
    if ((r = nodes_reserve(&j->t, &j->cap, node_bound(n, p)))) {
        tree_fit_end(j, NULL);
        *rc = r;
        return NULL;
    }
    return j;
}

int tree_fit_more(struct tree_fit_job *j, double work)
{
    if (j->rc) return j->rc;
    const struct splitter *s = &j->s;
    double done = 0.0;
    if (j->copied < s->n) {
        int rc = job_copy_rows(j, work);
        if (rc < 0) return j->rc = rc;
        return 0;
    }
    if (s->presort) job_sort_columns(j, work, &done);
    if (s->presort && j->sorted < s->n_features) return 0;
    while ((j->top > 0 || j->in_node) && done < work)
        if (job_node(j, work, &done)) return j->rc;
    return j->top == 0 && !j->in_node ? 1 : 0;
}

double tree_fit_progress(const struct tree_fit_job *j)
{
    const struct splitter *s = &j->s;
    /* the copy of the rows and the column sorts count as a tenth of the fit; the build's share is the
     * samples already in leaves */
    double pre = s->presort ? 0.1 : 0.05;
    double copy = (s->presort ? 0.05 : pre) * j->copied / s->n;
    double sort = s->presort ? 0.05 * j->sorted / s->n_features : 0.0;
    return copy + sort + (1.0 - pre) * (j->leaf_samples / s->n);
}

int tree_fit_end(struct tree_fit_job *j, struct tree *t)
{
    int rc = j->rc;
    if (!rc && t && (j->top > 0 || j->in_node)) rc = TREE_E_ARG; /* not finished: call tree_fit_more until it returns 1 */
    job_release(j);
    if (rc || !t) {
        tree_free(&j->t);
        free(j);
        if (t) memset(t, 0, sizeof *t);
        return rc;
    }
    *t = j->t;
    free(j);
    nodes_trim(t);
    compute_importances(t);
    return TREE_OK;
}

/* TREE_OK with t filled, or a TREE_E* code with t empty: the fit in one slice. */
int tree_fit(struct tree *t, const double *X, const double *y, int n, int F, const struct tree_params *p)
{
    memset(t, 0, sizeof *t);
    int rc;
    struct tree_fit_job *j = tree_fit_begin(X, y, n, F, p, &rc);
    if (!j) return rc;
    while ((rc = tree_fit_more(j, INFINITY)) == 0) {}
    if (rc < 0) {
        tree_fit_end(j, NULL);
        return rc;
    }
    return tree_fit_end(j, t);
}

/* Id of the leaf that row x reaches; *visits, when given, gains the nodes
 * the walk passed, the leaf included. */
static inline int walk(const struct tree *t, const double *x, double *visits)
{
    int node = 0, n = 1;
    while (t->left[node] != TREE_LEAF) {
        double v = (double)(float)x[t->feature[node]];
        node = v <= t->threshold[node] ? t->left[node] : t->right[node];
        n++;
    }
    if (visits) *visits += n;
    return node;
}

/* The leaf's mean, or its mode with mode leaves. */
static inline double leaf_value(const struct tree *t, int leaf)
{
    return t->leaf_mode == TREE_LEAF_MODE ? t->mode[leaf] : t->value[leaf];
}

int tree_apply(const struct tree *t, const double *x) { return walk(t, x, NULL); }

double tree_predict_row(const struct tree *t, const double *x) { return leaf_value(t, walk(t, x, NULL)); }

double tree_predict_row_visits(const struct tree *t, const double *x, double *visits)
{
    return leaf_value(t, walk(t, x, visits));
}
