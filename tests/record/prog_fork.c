/* prog_fork.c: `prog_fork P C`: the parent allocates P blocks, then forks a
 * child that allocates and frees C blocks of its own, frees the parent's P
 * blocks (pointers its recorder never saw: counted and skipped) and _exits
 * with status 0; then forks a second child that execs `sh -c "exit 0"`. The
 * parent waits for both, frees its blocks and exits with status 7 (so a test
 * sees the exit status pass through). Sizes are distinct per process so a
 * test can tell whose rows are whose: parent 1000+i, child 2000+i.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int p = argc > 1 ? atoi(argv[1]) : 10, c = argc > 2 ? atoi(argv[2]) : 20;
    void **mine = malloc(sizeof *mine * (size_t)p);
    for (int i = 0; i < p; i++) mine[i] = malloc(1000 + (size_t)i);
    fflush(stdout);
    pid_t a = fork();
    if (a == 0) {
        for (int i = 0; i < c; i++) free(malloc(2000 + (size_t)i));
        for (int i = 0; i < p; i++) free(mine[i]);
        _exit(0);
    }
    pid_t b = fork();
    if (b == 0) {
        execlp("sh", "sh", "-c", "exit 0", (char *)NULL);
        _exit(127);
    }
    int sa = 0, sb = 0;
    waitpid(a, &sa, 0);
    waitpid(b, &sb, 0);
    for (int i = 0; i < p; i++) free(mine[i]);
    free(mine);
    printf("children %d %d\n", WEXITSTATUS(sa), WEXITSTATUS(sb));
    return 7;
}
