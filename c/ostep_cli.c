/* ostep_cli.c: `heaplab ostep [malloc.py's flags]`.
 *
 * Prints exactly what OSTEP's malloc.py prints, streamed in 64 KB pieces so
 * long random runs need no memory for the whole text. Where malloc.py would
 * crash (or optparse would reject the command line) the text printed up to
 * that point still goes to stdout, then one line naming the problem goes to
 * stderr and the exit status is 2 (optparse's own status for usage errors).
 * -h/--help prints optparse's help layout and exits 0.
 */
#include "ostep.h"

#include <stdio.h>

/* Flush callback: writes the piece to stdout; returns 0 or -1. */
static int write_stdout(const char *text, size_t len, void *ctx)
{
    (void)ctx;
    return fwrite(text, 1, len, stdout) == len ? 0 : -1;
}

/* Returns the process exit status: 0, or 2 on any error. */
int ostep_cli_main(int argc, char **argv)
{
    struct ostep_result r;
    int rc;
    ostep_result_init(&r);
    r.flush = write_stdout;
    rc = ostep_run_argv(argc, argv, &r);
    if (fflush(stdout) != 0 && rc >= 0) {
        rc = OSTEP_E_NOMEM;
        snprintf(r.error, sizeof r.error, "writing the output failed");
    }
    if (rc < 0) fprintf(stderr, "heaplab ostep: error: %s\n", r.error);
    ostep_result_free(&r);
    return rc < 0 ? 2 : 0;
}
