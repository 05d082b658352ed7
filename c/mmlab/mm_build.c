/* mm_build.c: the student's program: the embedded driver and memlib written
 * into a fresh temporary folder ($TMPDIR, else /tmp) and compiled there with
 * the student's files by the compiler named at run time:
 *     CC -O2 -g -DALIGNMENT=A -I DIR STUDENT.c... DIR/mm_driver.c DIR/mm_decode.c DIR/memlib.c -o DIR/mm_driver
 * so `#include "mm.h"` and `#include "memlib.h"` find HeapLab's copies.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "mmlab/mm_runner.h"

static int write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && w == len) ? 0 : -1;
}

void mm_build_remove(struct mm_build *b) {
    if (!b->dir[0]) return;
    char path[400];
    for (size_t i = 0; i < mm_embedded_count; i++) {
        snprintf(path, sizeof path, "%s/%s", b->dir, mm_embedded_files[i].name);
        unlink(path);
    }
    const char *extra[] = { "mm_driver", "ops.bin", "shared.bin", "log.bin", "blocks.bin" };
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) {
        snprintf(path, sizeof path, "%s/%s", b->dir, extra[i]);
        unlink(path);
    }
    rmdir(b->dir);
    b->dir[0] = 0;
}

/* Runs argv (searched on PATH), its output on our stderr; the exit status,
 * 127 when it could not be started, or -1 when fork failed. */
static int run_compiler(char **argv) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(2, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int mm_build(const struct mm_config *c, char *const *srcs, int n_srcs, struct mm_build *b, char *err, size_t errlen) {
    memset(b, 0, sizeof *b);
    const char *tmp = getenv("TMPDIR");
    snprintf(b->dir, sizeof b->dir, "%s/heaplab-mm-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(b->dir)) {
        snprintf(err, errlen, "cannot make a temporary folder: %s", strerror(errno));
        b->dir[0] = 0;
        return -1;
    }
    char path[400];
    for (size_t i = 0; i < mm_embedded_count; i++) {
        snprintf(path, sizeof path, "%s/%s", b->dir, mm_embedded_files[i].name);
        if (write_file(path, mm_embedded_files[i].data, strlen(mm_embedded_files[i].data))) {
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
            mm_build_remove(b);
            return -1;
        }
    }
    snprintf(b->driver, sizeof b->driver, "%s/mm_driver", b->dir);
    char align[32], driver_c[300], decode_c[300], memlib_c[300];
    snprintf(align, sizeof align, "-DALIGNMENT=%u", c->align);
    snprintf(driver_c, sizeof driver_c, "%s/mm_driver.c", b->dir);
    snprintf(memlib_c, sizeof memlib_c, "%s/memlib.c", b->dir);
    snprintf(decode_c, sizeof decode_c, "%s/mm_decode.c", b->dir);
    char **argv = calloc((size_t)n_srcs + 16, sizeof *argv);
    if (!argv) {
        snprintf(err, errlen, "out of memory");
        mm_build_remove(b);
        return -1;
    }
    int k = 0;
    argv[k++] = (char *)c->cc;
    argv[k++] = "-O2";
    argv[k++] = "-g";
    argv[k++] = align;
    argv[k++] = "-I";
    argv[k++] = b->dir;
    for (int i = 0; i < n_srcs; i++) argv[k++] = srcs[i];
    argv[k++] = driver_c;
    argv[k++] = decode_c;
    argv[k++] = memlib_c;
    argv[k++] = "-o";
    argv[k++] = b->driver;
    argv[k] = NULL;
    int rc = run_compiler(argv);
    free(argv);
    if (rc != 0) {
        if (rc == 127) snprintf(err, errlen, "cannot run the compiler '%s' (give one with --cc or $CC)", c->cc);
        else if (rc < 0) snprintf(err, errlen, "cannot start the compiler: %s", strerror(errno));
        else snprintf(err, errlen, "the compiler '%s' failed (exit status %d): see its messages above", c->cc, rc);
        mm_build_remove(b);
        return -1;
    }
    return 0;
}
