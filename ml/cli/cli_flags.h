/* cli_flags.h: strict parsing of the numeric and tree flags shared by
 * `heaplab tree` and `heaplab predict`. */
#ifndef HEAPLAB_CLI_FLAGS_H
#define HEAPLAB_CLI_FLAGS_H

#include "tree/tree.h"

/* Parses an int in [lo, hi]; 0 or -1. */
int flag_int(const char *s, long long lo, long long hi, long long *out);
/* Parses a finite double; 0 or -1. */
int flag_double(const char *s, double *out);
/* If argv[*i] is a tree flag, consumes it (and its value) into p and returns
 * 1; returns 0 when it is not a tree flag, -1 (message in err) when its
 * value is missing or bad. */
int flag_tree(int argc, char **argv, int *i, struct tree_params *p, char *err, int errlen);
/* The usage lines of the tree flags. */
extern const char TREE_FLAGS_USAGE[];

#endif
