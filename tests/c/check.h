/* check.h: the native tests' assertion helper.
 *
 * CHECK(name, expr) counts one check, and on failure prints
 * "FAIL file:line: name: expr" to stderr and keeps going, so one run shows
 * every broken case. check_done(prog) prints the tally and returns the exit
 * status (0 only when every check held). One test program = one translation
 * unit, so the counters are file-local.
 */
#ifndef HEAPLAB_TESTS_CHECK_H
#define HEAPLAB_TESTS_CHECK_H

#include <stdio.h>

static int check_total;
static int check_failed;

#define CHECK(name, expr)                                                          \
    do {                                                                           \
        check_total++;                                                             \
        if (!(expr)) {                                                             \
            check_failed++;                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: %s\n", __FILE__, __LINE__, (name), #expr); \
        }                                                                          \
    } while (0)

/* Prints "prog: N checks, M failed" and returns the process exit status. */
static inline int check_done(const char *prog)
{
    printf("%s: %d checks, %d failed\n", prog, check_total, check_failed);
    return check_failed ? 1 : 0;
}

#endif
