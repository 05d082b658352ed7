/* tree_internal.h: the splitter shared by tree.c (builder) and
 * tree_split.c (split search), and the helpers in tree_sort.c, tree_mode.c
 * and tree_rng.c.
 * Not part of the public API. Names and state follow sklearn 1.2.1's
 * BestSplitter + MSE criterion so the two can be read side by side.
 */
#ifndef HEAPLAB_TREE_INTERNAL_H
#define HEAPLAB_TREE_INTERNAL_H

#include <stdint.h>

/* sklearn's FEATURE_THRESHOLD, compared in float32 arithmetic. */
#define TREE_FEATURE_THRESHOLD 1e-7f
/* sklearn's EPSILON = np.finfo('double').eps. */
#define TREE_EPSILON 2.220446049250313e-16

/* Best candidate so far (sklearn's `best` plus best_proxy). */
struct split_best {
    int pos, feature;
    double threshold, proxy;
};

/* sklearn's introsort in progress (tree_sort_sklearn_begin / _more): the
 * segments still to sort, as the recursion would reach them. Segments are
 * disjoint, so sorting them one step at a time moves every entry as the
 * recursion does. The stack holds at most one pending right part per
 * level, and the depth is at most 2 log2(n) < 64. */
struct sk_sort {
    float *Xf;
    int32_t *samples;
    int top;
    struct sk_seg { int off, n, maxd; } st[72];
};

/* A node's split search in progress (splitter_split_begin / _more): the
 * draw loop's counters between two features, then the presorted columns'
 * partition between two columns, so a slice can stop after any feature. */
struct split_job {
    int phase;                 /* 0 drawing and scanning features, 1 partitioning, 2 done */
    struct split_best b;
    double impurity;
    int f_i, n_visited, n_found, n_drawn, n_known, n_total;
    int part_f;                /* phase 1: -1 the samples, then the next column (presort) */
    int pending, cur_f, cur_fj; /* exact: the drawn feature whose values are being sorted */
    struct sk_sort sort;
};

/* An LSD radix sort of one column in progress (tree_sort_column_begin /
 * _more): the pass and the position in it, so a slice can stop anywhere. */
struct column_sort {
    const float *vals;
    int n;
    int32_t *idx, *idx_tmp;
    float *sorted;
    uint32_t *key_tmp;
    uint32_t *ka, *kb;
    int32_t *ia, *ib;
    int phase, shift, i;       /* phase 0 keys, 1 count, 2 scatter, 3 gather, 4 done */
    uint32_t count[257];
};

struct splitter {
    int n, n_features;
    const float *Xc;           /* column-major: Xc[f * n + i] */
    const double *y;
    int32_t *samples;          /* persistent across nodes (sklearn's samples) */
    int32_t *features;         /* persistent permutation (sklearn's features) */
    int32_t *constant_features;
    float *Xf;                 /* exact path: the node's values of one feature */
    uint32_t rand_state;
    int max_features, min_samples_leaf;
    int presort;               /* 1: sorted columns + running sums */
    int32_t *sidx;             /* presort: per feature, sample ids sorted by value */
    float *sval;               /*          ... and their values */
    int32_t *tmp_idx;
    float *tmp_val;
    uint8_t *goes_left;
    uint8_t *skip;             /* scratch per feature */
    /* criterion state for the current node */
    int start, end;
    double sum_total, sq_sum_total, wn_node, wn_samples;
    struct split_job sj;       /* the current node's split search */
};

struct split_result {
    int pos, feature;
    double threshold, improvement, impurity_left, impurity_right;
};

/* tree_split.c */
/* Sums of the node's targets (sklearn's criterion.init). */
void splitter_node_init(struct splitter *s, int start, int end);
/* MSE of the node's targets computed from the sums. */
double splitter_node_impurity(const struct splitter *s);
/* Best split of the node (sklearn's BestSplitter.node_split); r->pos == end
 * when none. Updates *n_constant, the persistent permutation and samples. */
void splitter_node_split(struct splitter *s, double impurity, int *n_constant, struct split_result *r);
/* The same search in slices: begin starts it for the node set by
 * splitter_node_init; more adds the rows it touches to *done (a feature's
 * scan or a column's partition: the node's sample count each) and stops
 * once *done >= work, returning 1 when the split is made (r and *n_constant
 * then set as splitter_node_split sets them), else 0. The draws and sums
 * are the same however it is sliced. */
void splitter_split_begin(struct splitter *s, double impurity, int n_constant);
int splitter_split_more(struct splitter *s, double work, double *done, int *n_constant, struct split_result *r);

/* tree_sort.c */
/* sklearn's introsort of Xf[0..n) carrying samples (same unstable order). */
void tree_sort_sklearn(float *Xf, int32_t *samples, int n);
/* The same sort in slices: more sorts segments (a partition of a segment of
 * m entries adds m to *done) until *done >= work; 1 once sorted. */
void tree_sort_sklearn_begin(struct sk_sort *k, float *Xf, int32_t *samples, int n);
int tree_sort_sklearn_more(struct sk_sort *k, double work, double *done);
/* Ascending order of vals[0..n): fills idx (ids 0..n-1) and sorted values.
 * tmp buffers of n entries each. Returns 0 (no allocation inside). */
void tree_sort_column(const float *vals, int n, int32_t *idx, float *sorted,
                      uint32_t *key_tmp, int32_t *idx_tmp);
/* The same sort in slices: begin sets it up (nothing done); more touches
 * about work - *done entries (adding them to *done: a pass reads or moves
 * each entry once) and returns 1 once sorted, else 0. */
void tree_sort_column_begin(struct column_sort *c, const float *vals, int n, int32_t *idx, float *sorted,
                            uint32_t *key_tmp, int32_t *idx_tmp);
int tree_sort_column_more(struct column_sort *c, double work, double *done);

/* tree_mode.c: a mode leaf's value counted in pieces. begin readies the
 * table for a leaf of n samples (0 or TREE_E_NOMEM); more counts the
 * targets of samples[start..end) from where it stopped, about work - *done
 * of them (added to *done), and returns 1 once all are counted: m->best is
 * then the most frequent (ties: the smaller). */
struct mode_count {
    double *keys;
    int32_t *counts, *stamps;
    uint32_t cap, bits;        /* cap = 2^bits slots */
    int32_t stamp, best_c;
    int i;                     /* the next sample, -1 before the first */
    double best;
};
int mode_begin(struct mode_count *m, int n);
int mode_more(struct mode_count *m, const double *y, const int32_t *samples, int start, int end, double work,
              double *done);
void mode_free(struct mode_count *m);

/* tree_rng.c */
/* sklearn's our_rand_r: xorshift32, returns a value in [0, 0x7FFFFFFF]. */
uint32_t tree_our_rand_r(uint32_t *state);
/* low + our_rand_r % (high - low). */
int tree_rand_int(int low, int high, uint32_t *state);

#endif
