/* ostep_cli.c: `heaplab ostep [malloc.py's flags]`.
 *
 * Prints exactly what OSTEP's malloc.py prints, streamed in 64 KB pieces so
 * long random runs need no memory for the whole text. Where malloc.py would
 * crash (or optparse would reject the command line) the text printed up to
 * that point still goes to stdout, then one line naming the problem goes to
 * stderr and the exit status is 2 (optparse's own status for usage errors).
 * -h/--help prints optparse's help layout and exits 0.
 *
 * `heaplab ostep --json [flags]` (--json first; malloc.py has no such flag)
 * prints the run as one JSON object instead: the same text, plus every step
 * with its free list, address map and events (ostep_json.c). Errors still
 * go to stderr with status 2, after the JSON that records them.
 */
#include "ostep/ostep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Flush callback: writes the piece to stdout; returns 0 or -1. */
static int write_stdout(const char *text, size_t len, void *ctx)
{
    (void)ctx;
    return fwrite(text, 1, len, stdout) == len ? 0 : -1;
}

/* --json: records the run and prints it as JSON; returns the run status. */
static int run_json(int argc, char **argv, struct ostep_result *r)
{
    struct ostep_options o;
    char err[256], *json;
    size_t len = 0;
    int parsed = ostep_parse_args(argc, argv, &o, err, sizeof err);
    r->record = OSTEP_RECORD_STEPS;
    r->max_snapshot = (size_t)1 << 24;
    if (parsed == OSTEP_HELP || parsed < 0)
        ostep_run_argv(argc, argv, r);
    else
        ostep_run(&o, r);
    json = ostep_result_json(r, parsed == 0 ? &o : NULL, &len);
    if (!json) {
        snprintf(r->error, sizeof r->error, "out of memory for the JSON");
        return OSTEP_E_NOMEM;
    }
    fwrite(json, 1, len, stdout);
    free(json);
    return r->status;
}

/* Returns the process exit status: 0, or 2 on any error. */
int ostep_cli_main(int argc, char **argv)
{
    struct ostep_result r;
    int rc;
    ostep_result_init(&r);
    if (argc > 1 && strcmp(argv[1], "--json") == 0) {
        argv[1] = argv[0]; /* drop --json: the flags start after it */
        rc = run_json(argc - 1, argv + 1, &r);
    } else {
        r.flush = write_stdout;
        rc = ostep_run_argv(argc, argv, &r);
    }
    if (fflush(stdout) != 0 && rc >= 0) {
        rc = OSTEP_E_NOMEM;
        snprintf(r.error, sizeof r.error, "writing the output failed");
    }
    if (rc < 0) fprintf(stderr, "heaplab ostep: error: %s\n", r.error);
    ostep_result_free(&r);
    return rc < 0 ? 2 : 0;
}
