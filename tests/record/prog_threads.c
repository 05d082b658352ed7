/* prog_threads.c: `prog_threads T M`: T threads, each making M malloc/free
 * pairs, freeing one block the main thread allocated for it, and leaving one
 * block of its own for the main thread to free after the join. Calls made
 * at this program's sites (tests/record/run.sh counts them by the site
 * column, since thread start-up makes heap calls of its own):
 *   worker: T*M + T allocs;  main: T allocs
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct job { int m; void *from_main, *for_main; };

void *worker(void *arg) {
    struct job *j = arg;
    for (int k = 0; k < j->m; k++) {
        volatile char *p = malloc(16 + (size_t)(k % 64));
        p[0] = 1;
        free((void *)p);
    }
    free(j->from_main);
    j->for_main = malloc(24);
    return NULL;
}

int main(int argc, char **argv) {
    int t = argc > 1 ? atoi(argv[1]) : 4, m = argc > 2 ? atoi(argv[2]) : 1000;
    pthread_t th[64];
    struct job jobs[64];
    if (t > 64) t = 64;
    for (int i = 0; i < t; i++) {
        jobs[i] = (struct job){ m, malloc(40), NULL };
        if (pthread_create(&th[i], NULL, worker, &jobs[i]) != 0) return 1;
    }
    for (int i = 0; i < t; i++) {
        pthread_join(th[i], NULL);
        free(jobs[i].for_main);
    }
    printf("threads %d x %d\n", t, m);
    return 0;
}
