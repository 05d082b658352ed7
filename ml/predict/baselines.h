/* baselines.h: the honest predictors every tree result is shown against, all
 * trained on the first t_split values of the size sequence s and asked for
 * each target t in [t_split, m) with the true history s[0..t):
 *   last     s[t-1]
 *   mode     most frequent size of s[0..t_split) (ties: the smaller)
 *   markov1  most frequent successor of s[t-1] in training, else mode
 *   ngram    most frequent successor of the longest context s[t-j..t-1],
 *            j = order..1, seen in training, else mode (order 4 by default:
 *            the same inputs as the lag-4 tree)
 * "Most frequent" ties go to the smaller size, so results are deterministic.
 */
#ifndef HEAPLAB_BASELINES_H
#define HEAPLAB_BASELINES_H

enum baseline_kind { BASE_LAST = 0, BASE_MODE = 1, BASE_MARKOV1 = 2, BASE_NGRAM = 3 };

/* A trained n-gram table with backoff (markov1 is order 1). */
struct ngram_model {
    int order;
    double mode;
    int count[8];        /* entries per context length 1..order */
    double *ctx[8];      /* count[j] contexts of j values, sorted lexicographically */
    double *next[8];     /* their most frequent successor */
};

/* Trains on s[0..t_split); order 1..8. Returns 0, or -1 out of memory / bad args. */
int ngram_train(struct ngram_model *g, const double *s, int t_split, int order);
/* The same training a step at a time: the mode (0 or -1; g then holds no
 * table), then each context length j = 1..order (0, or -1: free g). */
int ngram_train_mode(struct ngram_model *g, const double *s, int t_split, int order);
int ngram_train_level(struct ngram_model *g, const double *s, int t_split, int j);
/* The same steps in pieces, for a caller that sorts in slices (tuple_sort.h):
 * ngram_start (0, or -1 bad args), ngram_tuples (rows of j + 1 values: each
 * context of length j and its successor; j = 0: the sizes; malloc'd, *n
 * rows; NULL with *n > 0: out of memory), sorted, then
 * ngram_mode_from_sorted (j = 0; the caller frees) or ngram_level_from_sorted
 * (frees tup; 0, or -1: free g). */
int ngram_start(struct ngram_model *g, int t_split, int order);
double *ngram_tuples(const double *s, int t_split, int j, int *n);
void ngram_mode_from_sorted(struct ngram_model *g, const double *sorted, int n);
int ngram_level_from_sorted(struct ngram_model *g, double *tup, int n, int j);
/* ngram_tuples' rows [from, to) written into tup (rows of j + 1 values), so
 * the rows can be made in pieces. */
void ngram_tuples_fill(const double *s, int j, int from, int to, double *tup);
/* A table made from its sorted rows in slices (ngram_level_from_sorted and
 * ngram_mode_from_sorted are this job in one call): begin (the caller keeps
 * tup until the end; 0, or -1 out of memory: nothing to finish), more reads
 * about `work` units (j + 1 per row) and returns 1 once every row is read,
 * finish gives the table (j = 0: the mode) to g, abort drops it. */
struct ngram_level_job {
    const double *tup;
    int n, j, i;          /* rows, context length, next row to read */
    int cs, rs, best_run; /* the current group's first row (-1: none), its run's first row, its longest run */
    double best;          /* the successor of that run */
    double *ctx, *nxt;    /* the table so far: k entries */
    int k;
};
int ngram_level_begin(struct ngram_level_job *lj, const double *tup, int n, int j);
int ngram_level_more(struct ngram_level_job *lj, double work);
void ngram_level_finish(struct ngram_level_job *lj, struct ngram_model *g);
void ngram_level_abort(struct ngram_level_job *lj);
/* Prediction after history h[0..len) (uses at most order values). */
double ngram_predict(const struct ngram_model *g, const double *h, int len);
void ngram_free(struct ngram_model *g);

/* Predictions of one baseline for t in [t_split, m) into pred[0..m-t_split).
 * order is used by BASE_NGRAM. Returns 0 or -1. t_split >= 1. */
int baseline_predict(int kind, const double *s, int m, int t_split, int order, double *pred);
/* The same predictions of every kind from one model g trained up to any
 * order >= 1 (BASE_NGRAM then uses g's order), so the four baselines cost
 * one training. */
void baseline_from_model(int kind, const struct ngram_model *g, const double *s, int m, int t_split, double *pred);
/* The same for the targets t in [from, to) only (pred[t - t_split]), so the
 * predictions can be made in pieces. */
void baseline_from_model_range(int kind, const struct ngram_model *g, const double *s, int t_split, int from, int to,
                               double *pred);

#endif
