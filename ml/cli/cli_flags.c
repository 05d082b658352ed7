/* cli_flags.c: the tree flags of the ml subcommands, parsed strictly (whole
 * string must be a number in range). Returns codes; never prints. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli_flags.h"

const char TREE_FLAGS_USAGE[] =
    "  --max-depth N              (default: unlimited)\n"
    "  --min-samples-split N      (default 2)\n"
    "  --min-samples-leaf N       (default 1)\n"
    "  --min-impurity-decrease X  (default 0)\n"
    "  --max-features N           (default: all features)\n"
    "  --random-state N           (default 0; sklearn's integer random_state)\n"
    "  --leaf mean|mode           (mean = scikit-learn; mode = most frequent training target)\n"
    "  --strategy auto|exact|presort  (auto: presort when provably identical)\n";

/* 0 and *out when s is exactly an integer in [lo, hi], else -1. */
int flag_int(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || isspace((unsigned char)*s) || *end || errno || v < lo || v > hi) return -1; /* strtoll skips spaces */
    *out = v;
    return 0;
}

/* 0 and *out when s is exactly a finite number, else -1. */
int flag_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || isspace((unsigned char)*s) || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* 1 consumed a tree flag, 0 not a tree flag, -1 bad value (err says why). */
int flag_tree(int argc, char **argv, int *i, struct tree_params *p, char *err, int errlen)
{
    static const char *const names[] = {"--max-depth", "--min-samples-split", "--min-samples-leaf",
                                        "--min-impurity-decrease", "--max-features",
                                        "--random-state", "--leaf", "--strategy"};
    const char *a = argv[*i];
    int k = -1;
    for (int j = 0; j < 8; j++)
        if (strcmp(a, names[j]) == 0) k = j;
    if (k < 0) return 0;
    if (*i + 1 >= argc) {
        snprintf(err, (size_t)errlen, "%s needs a value", a);
        return -1;
    }
    const char *v = argv[++*i];
    long long n = 0;
    int bad = 0;
    switch (k) {
    case 0: bad = flag_int(v, 1, 2147483647LL, &n); p->max_depth = (int)n; break;
    case 1: bad = flag_int(v, 2, 2147483647LL, &n); p->min_samples_split = (int)n; break;
    case 2: bad = flag_int(v, 1, 2147483647LL, &n); p->min_samples_leaf = (int)n; break;
    case 3: bad = flag_double(v, &p->min_impurity_decrease) || p->min_impurity_decrease < 0; break;
    case 4: bad = flag_int(v, 1, 2147483647LL, &n); p->max_features = (int)n; break;
    case 5: bad = flag_int(v, 0, 4294967295LL, &n); p->random_state = (uint32_t)n; break;
    case 6:
        if (strcmp(v, "mean") == 0) p->leaf_mode = TREE_LEAF_MEAN;
        else if (strcmp(v, "mode") == 0) p->leaf_mode = TREE_LEAF_MODE;
        else bad = 1;
        break;
    default:
        if (strcmp(v, "auto") == 0) p->strategy = TREE_AUTO;
        else if (strcmp(v, "exact") == 0) p->strategy = TREE_EXACT_SORT;
        else if (strcmp(v, "presort") == 0) p->strategy = TREE_PRESORT;
        else bad = 1;
    }
    if (bad) {
        snprintf(err, (size_t)errlen, "%s: bad value '%s'", a, v);
        return -1;
    }
    return 1;
}
