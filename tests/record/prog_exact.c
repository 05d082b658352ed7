/* prog_exact.c: a program making an exactly known set of heap calls, for
 * tests/record/run.sh. `prog_exact N [kill]`: N rounds of every hooked call,
 * then four failing calls; with `kill` it dies of SIGKILL after the rounds
 * (the rows written so far must survive). No stdio: its only output is one
 * write(2), so the C library makes no heap call of its own.
 * Per round: allocs 8 (malloc, calloc, memalign, posix_memalign,
 * aligned_alloc, valloc, pvalloc, realloc(NULL)), reallocs 2 (realloc,
 * reallocarray), frees 8 (7 free + realloc(p, 0)), and one free(NULL).
 * Then: failed allocs 3 (malloc too big, calloc overflow, posix_memalign
 * EINVAL), one malloc + failed realloc + free. Built with -O0 so the compiler
 * keeps every call.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile size_t huge = SIZE_MAX / 2;
static void *volatile null_ptr; /* free(NULL) that the compiler cannot drop */

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10;
    for (int i = 0; i < n; i++) {
        char *a = malloc((size_t)i + 1);
        char *b = calloc(2, (size_t)i + 1);
        a = realloc(a, 100 + (size_t)i);
        b = reallocarray(b, 3, (size_t)i + 1);
        void *c = memalign(64, 10), *d = NULL, *e = aligned_alloc(16, 32), *f = valloc(40), *g = pvalloc(50);
        if (posix_memalign(&d, 32, 20) != 0) return 1;
        char *h = realloc(NULL, 60);
        if (!a || !b || !c || !d || !e || !f || !g || !h) return 1;
        memset(a, 1, 100);
        free(a);
        free(b);
        free(c);
        free(d);
        free(e);
        free(f);
        free(g);
        if (realloc(h, 0) != NULL) return 1; /* glibc: frees h */
        free(null_ptr);
    }
    if (argc > 2 && strcmp(argv[2], "kill") == 0) kill(getpid(), SIGKILL);
    void *x = malloc(huge), *y = calloc(huge, 4), *z = NULL;
    int rc = posix_memalign(&z, 3, 8);
    char *w = malloc(8), *w2 = realloc(w, huge);
    if (x || y || rc == 0 || !w || w2) return 1;
    free(w);
    if (write(1, "done\n", 5) != 5) return 1;
    return 0;
}
