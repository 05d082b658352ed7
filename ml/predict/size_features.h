/* size_features.h: the one place that defines what the tree sees when it predicts
 * the next allocation size s[t] from the sizes before it.
 *
 *   lag1..lagK  s[t-1] .. s[t-K]                          (K = lags, default 4)
 *   FEAT_RUN    how many times in a row s[t-1] has just occurred (capped at 64)
 *   FEAT_DELTA  s[t-1] - s[t-2]
 *   FEAT_NEXT1  the size that followed the previous occurrence of s[t-1]
 *   FEAT_NEXT2  the size that followed the previous occurrence of (s[t-2], s[t-1])
 *   FEAT_NEXT3  the size that followed the previous occurrence of (s[t-3..t-1])
 *   FEAT_MF1    the most frequent successor of s[t-1] so far (ties: smaller)
 *   FEAT_MF2    the most frequent successor of (s[t-2], s[t-1]) so far
 *   FEAT_SITE       the call site of the request being predicted (its site
 *                   number, trace_sites.h; -1 unknown): known when the call is
 *                   made, as in the learned-allocation literature (Barrett &
 *                   Zorn 1993, LLAMA 2020), which predicts from the site
 *   FEAT_SITE_LAST  the size the previous request from that site asked for
 * The two site features need a trace with a site column (`heaplab record
 * --sites`); they are not part of "all", which names the size features.
 * (-1 where undefined: a missing lag, a context never seen). NEXTk ("what
 * happened last time in this context") and MFk (an online Markov / 3-gram
 * table) are computed from the history s[0..t) alone, so rows, forecasts and
 * the split never leak the future.
 *
 * Measurements (tests/ml/measure-predictors.sh; tree MAE in bytes, mean of
 * random_state 0-4, mode leaves, min_samples_leaf 3, chronological 70/30):
 *   trace        lags only  +run,delta,next1-3  all (+mf1,mf2)  lags+mf1,mf2
 *   gcc cc1        542.2        498.6              510.8           520.4
 *   git log       1817.4       1767.6             1786.0          1834.7
 *   python json     53.4         43.2               47.9            49.7
 *   sqlite3         28.4         21.1               24.0            39.7
 *   amptjp         587.1        586.1              559.3           552.7
 *   cccp           389.5        430.5              407.7           394.1
 *   cp-decl        458.7        478.8              478.8           458.7
 *   expr           509.3        509.3              532.2           509.3
 * The default (run, delta, next1-3) is best on all four real-program traces;
 * mf1/mf2 help on some Malloc Lab traces and are kept as options. Leaves:
 * mode beats mean on MAE and exact match (lags only, rs 0: gcc 535 vs 614,
 * amptjp 593 vs 787, cccp 390 vs 633); min_samples_leaf 3 beats 1 on
 * git (1817 vs 2025) and python (53 vs 100), loses on sqlite3 (28 vs 23).
 *
 * A feat_state is fed the sequence one size at a time; before each push it
 * can write the feature row that predicts the value about to be pushed.
 */
#ifndef HEAPLAB_SIZE_FEATURES_H
#define HEAPLAB_SIZE_FEATURES_H

#include <stdint.h>

enum feature_extra {
    FEAT_RUN = 1,
    FEAT_DELTA = 2,
    FEAT_NEXT1 = 4,
    FEAT_NEXT2 = 8,
    FEAT_NEXT3 = 16,
    FEAT_MF1 = 32,
    FEAT_MF2 = 64,
    FEAT_ALL = 127,       /* the size features */
    FEAT_SITE = 128,
    FEAT_SITE_LAST = 256,
    FEAT_SITES = 384      /* the site features */
};

/* Extras used by `heaplab predict` unless --features says otherwise. */
#define FEATURES_DEFAULT (FEAT_RUN | FEAT_DELTA | FEAT_NEXT1 | FEAT_NEXT2 | FEAT_NEXT3)
#define FEATURES_MAX_LAGS 64

struct succ_map { /* context (up to 3 sizes) -> size that followed it last */
    uint64_t cap, used;
    double *keys; /* cap * 3 */
    double *val;
    uint8_t *full;
    /* after a growth: the previous table, moved out a few slots per put */
    uint64_t old_cap, moved;   /* old_cap 0: none; slots [0, moved) are moved */
    double *old_keys, *old_val;
    uint8_t *old_full;
};

struct feat_state {
    int lags, extras, len;
    double hist[FEATURES_MAX_LAGS + 4]; /* most recent last */
    int run;
    struct succ_map succ[3];
    struct succ_map pair_count[2]; /* (context, next) -> times seen */
    struct succ_map best[2];       /* context -> most frequent next */
    struct succ_map best_count[2]; /* context -> its count */
    double next_site;              /* site of the value about to be pushed (-1 unknown) */
    struct succ_map site_last;     /* site -> the size it requested last */
};

/* Number of columns for lags + extras. */
int features_count(int lags, int extras);
/* Column name i ("lag1", "run", "next2", ...). */
const char *features_name(int lags, int extras, int i, char *buf, int buflen);
/* Parses a comma list ("run,next1,mf1" / "none" / "all", and "all" or "default"
 * as items: "default,site") into *extras; 0 or -1. */
int features_parse(const char *list, int *extras);

/* 0, or -1 for bad arguments (lags 1..64) / out of memory. */
int feat_init(struct feat_state *st, int lags, int extras);
/* Writes the features_count() columns predicting the next value. */
void feat_row(const struct feat_state *st, double *out);
/* Appends one observed (or predicted) size; 0 or -1 out of memory. The
 * pushed size is the request of the site set by feat_set_site (which then
 * resets to -1, unknown). */
int feat_push(struct feat_state *st, double size);
/* Sets the call site of the next value (for its row and its push). */
void feat_set_site(struct feat_state *st, double site);
void feat_free(struct feat_state *st);

/* Rows for targets t = lags .. m-1: X (rows x features_count) and y,
 * malloc'd. Returns the row count (m - lags, may be 0) or -1. */
int features_build(const double *s, int m, int lags, int extras, double **X, double **y);
/* The same with sites[t], the call site of s[t] (NULL: every site unknown). */
int features_build_sites(const double *s, const double *sites, int m, int lags, int extras, double **X, double **y);

#endif
