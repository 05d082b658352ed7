/* tree.h: a CART regression tree (squared error, best splitter, depth-first
 * builder) that reproduces scikit-learn 1.2.1's DecisionTreeRegressor bit for
 * bit: same node arrays, same predictions, for the same parameters and
 * random_state (../shared/ml/sklearn-tree-spec.md is the specification).
 *
 * The tree is stored as flat per-node arrays indexed by node id, numbered in
 * preorder (left subtree first) exactly like sklearn's tree_:
 *   left/right   child ids, TREE_LEAF (-1) for a leaf
 *   feature      split feature, TREE_UNDEFINED (-2) for a leaf
 *   threshold    go left when (double)(float)x[feature] <= threshold; -2 for a leaf
 *   value        mean training target of the node (sklearn's value)
 *   mode         most frequent training target of the node (ties: the smaller);
 *                filled for leaves only when leaf_mode is TREE_LEAF_MODE,
 *                otherwise equal to value
 *   impurity     mean squared error of the node's targets, as sklearn computes it
 *   n_node_samples
 * Features are float32 (inputs are rounded to float like numpy's astype).
 * Library code: never prints, returns TREE_E* codes.
 */
#ifndef HEAPLAB_TREE_H
#define HEAPLAB_TREE_H

#include <stdint.h>

#define TREE_LEAF (-1)
#define TREE_UNDEFINED (-2)

enum tree_error {
    TREE_OK = 0,
    TREE_E_ARG = -1,    /* a parameter out of range (see tree_params) */
    TREE_E_NOMEM = -2,  /* host memory exhausted; nothing kept */
    TREE_E_VALUE = -3,  /* a NaN/inf input, or a feature too large for float32 */
    TREE_E_EMPTY = -4   /* no samples or no features */
};

enum tree_leaf_mode { TREE_LEAF_MEAN = 0, TREE_LEAF_MODE = 1 };

/* Sort strategy: AUTO uses presorted columns with running sums whenever that
 * is provably identical to sklearn (integer targets with sum|y| and sum y^2
 * below 2^53, so every sum is exact in double), else EXACT_SORT, which
 * re-sorts per node with sklearn's own introsort (bit-exact for any targets).
 * PRESORT forces the fast path (identical only under AUTO's condition). */
enum tree_strategy { TREE_AUTO = 0, TREE_EXACT_SORT = 1, TREE_PRESORT = 2 };

struct tree_params {
    int max_depth;                /* <= 0: unlimited (sklearn None) */
    int min_samples_split;        /* >= 2; default 2 */
    int min_samples_leaf;         /* >= 1; default 1 */
    double min_impurity_decrease; /* >= 0; default 0 */
    int max_features;             /* <= 0: all features; else 1..n_features */
    uint32_t random_state;        /* sklearn's integer random_state; default 0 */
    int leaf_mode;                /* enum tree_leaf_mode; default MEAN (sklearn) */
    int strategy;                 /* enum tree_strategy; default AUTO */
};

struct tree {
    int node_count;
    int n_features;
    int leaf_mode;
    int32_t *left, *right, *feature, *n_node_samples;
    double *threshold, *value, *mode, *impurity;
    double *importances; /* n_features, normalised like sklearn's feature_importances_ */
};

/* Fills p with scikit-learn's defaults (random_state 0, mean leaves). */
void tree_params_default(struct tree_params *p);

/* Fits on X (n rows x n_features, row-major doubles, rounded to float32) and
 * y (n doubles). On success returns TREE_OK and t owns new arrays; on error
 * returns a TREE_E* code and t is left empty (tree_free-safe). */
int tree_fit(struct tree *t, const double *X, const double *y, int n, int n_features,
             const struct tree_params *p);

/* The same fit done in slices, so a caller can show progress and stop it:
 * begin checks the arguments and copies y (NULL with the TREE_E* code in
 * *rc); more does about `work` units (a row of X copied as float32 is
 * n_features units: X is read by the first slices, so the caller keeps it
 * until the fit ends; a node of n samples is n units for its sums, n per
 * feature scanned (with sklearn's sort: n per partition of its values)
 * and per presorted column partitioned, n for its children's impurities,
 * n for a mode leaf's count; a presorted column's sort n per radix pass: a
 * slice stops between two of these, so on the root of a big fit too) and
 * returns 1 when
 * the tree is complete, 0 when there is more to do, or a TREE_E* code;
 * progress is the fraction done (0..1: the share of samples already in
 * leaves, after the column sorts); end frees the job and, when t is not
 * NULL and the fit is complete, moves the tree into t (TREE_OK) exactly as
 * tree_fit would have made it, however the work was sliced; t NULL drops
 * it (a cancel). */
struct tree_fit_job;
struct tree_fit_job *tree_fit_begin(const double *X, const double *y, int n, int n_features,
                                    const struct tree_params *p, int *rc);
int tree_fit_more(struct tree_fit_job *j, double work);
double tree_fit_progress(const struct tree_fit_job *j);
int tree_fit_end(struct tree_fit_job *j, struct tree *t);

/* Leaf id reached by one row (n_features doubles, compared as float32). */
int tree_apply(const struct tree *t, const double *x);

/* Prediction for one row: the leaf's value, or its mode in TREE_LEAF_MODE. */
double tree_predict_row(const struct tree *t, const double *x);

/* tree_predict_row, adding the nodes it visits (the leaf's depth + 1) to
 * *visits, so that a caller can bound its work by the walks' real length. */
double tree_predict_row_visits(const struct tree *t, const double *x, double *visits);

/* Releases the arrays; t becomes empty. */
void tree_free(struct tree *t);

/* The uint32 seed sklearn's splitter draws from RandomState(random_state):
 * MT19937 init_genrand, first output & 0x7FFFFFFF, redrawn if 0x7FFFFFFF. */
uint32_t tree_rand_r_seed(uint32_t random_state);

/* Human-readable text for a TREE_E* code. */
const char *tree_strerror(int code);

#endif
