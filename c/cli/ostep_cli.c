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
 * with its free list, address map and events (ostep_json.c), streamed as
 * the run goes (memory stays flat; the text waits in a scratch file), with
 * a budget on snapshot items. Errors still go to stderr with status 2,
 * after the JSON that records them.
 */
#include "ostep/ostep.h"
#include "util/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Flush callback: writes the piece to stdout; returns 0 or -1. */
static int write_stdout(const char *text, size_t len, void *ctx)
{
    (void)ctx;
    return fwrite(text, 1, len, stdout) == len ? 0 : -1;
}

/* The JSON's snapshot budget for a whole run: free-list entries, blocks and
 * events written. Past it steps carry none (snapshots_truncated, and a note
 * on stderr): a run whose address map grows with every op would otherwise
 * write output quadratic in its length (-S 2^40 -n 1e6: tens of GB). */
#define JSON_SNAPSHOT_BUDGET ((uint64_t)1 << 20)

/* A --json run streamed: each step is written as it is recorded, its text
 * kept in a scratch file for the document's "text", then dropped. */
struct json_stream {
    struct strbuf b;
    FILE *text;          /* the whole text so far (scratch file) */
    size_t text_base;    /* text_total when r's text was last dropped */
    uint64_t items;      /* snapshot items written */
    size_t steps;        /* steps written */
    int failed;
};

/* Writes b to stdout and empties it; returns 0 or -1. */
static int put_out(struct strbuf *b)
{
    int bad = b->failed || (b->len && fwrite(b->s, 1, b->len, stdout) != b->len);
    sb_clear(b);
    return bad ? -1 : 0;
}

/* Moves r's text held so far into the scratch file; returns 0 or -1. */
static int keep_text(struct json_stream *j, struct ostep_result *r)
{
    if (r->text_len && fwrite(r->text, 1, r->text_len, j->text) != r->text_len) return -1;
    j->text_base = r->text_total;
    ostep_result_drop(r);
    return 0;
}

/* on_step callback: writes the steps recorded, keeps their text, drops them. */
static int json_on_step(struct ostep_result *r, void *ctx)
{
    struct json_stream *j = ctx;
    for (size_t i = 0; i < r->step_count; i++) {
        const struct ostep_step *s = &r->steps[i];
        ostep_json_step(&j->b, r, i, j->text_base, j->steps++ == 0);
        j->items += s->entry_count + s->block_count + s->event_count;
    }
    if (!r->snapshots_truncated && j->items >= JSON_SNAPSHOT_BUDGET) {
        r->snapshots_truncated = 1;
        fprintf(stderr, "heaplab ostep: note: steps after %zu carry no free list, address map or events: "
                        "the JSON's budget of %llu snapshot items is used (\"snapshots_truncated\": true)\n",
                j->steps, (unsigned long long)JSON_SNAPSHOT_BUDGET);
    }
    return j->failed = put_out(&j->b) || keep_text(j, r);
}

/* Copies the scratch text into the document, escaped; returns 0 or -1. */
static int copy_text(struct json_stream *j)
{
    char buf[1 << 16];
    size_t have = 0, got;
    rewind(j->text);
    while ((got = fread(buf + have, 1, sizeof buf - have, j->text)) > 0 || have) {
        size_t n = have + got, cut = n;
        if (got) /* end each piece at a newline, so no UTF-8 character is split */
            while (cut > 0 && buf[cut - 1] != '\n') cut--;
        if (cut == 0) cut = n; /* a 64 KiB line: rare; split it anyway */
        ostep_json_text_piece(&j->b, buf, cut);
        if (put_out(&j->b)) return -1;
        memmove(buf, buf + cut, n - cut);
        have = n - cut;
        if (!got && !have) break;
    }
    return ferror(j->text) ? -1 : 0;
}

/* --json: streams the run as JSON; returns the run status. */
static int run_json(int argc, char **argv, struct ostep_result *r)
{
    struct ostep_options o;
    char err[256];
    struct json_stream j = {{0}, tmpfile(), 0, 0, 0, 0};
    int parsed = ostep_parse_args(argc, argv, &o, err, sizeof err);
    if (!j.text) {
        snprintf(r->error, sizeof r->error, "cannot create a scratch file for the JSON's text");
        return OSTEP_E_NOMEM;
    }
    r->record = OSTEP_RECORD_STEPS;
    r->max_snapshot = (size_t)1 << 24;
    r->on_step = json_on_step;
    r->on_step_ctx = &j;
    ostep_json_head(&j.b, parsed == 0 ? &o : NULL);
    int bad = put_out(&j.b);
    if (parsed == OSTEP_HELP || parsed < 0)
        ostep_run_argv(argc, argv, r);
    else
        ostep_run(&o, r);
    bad |= j.failed || keep_text(&j, r);
    ostep_json_text_open(&j.b);
    bad |= put_out(&j.b) || copy_text(&j);
    ostep_json_tail(&j.b, r);
    bad |= put_out(&j.b);
    fclose(j.text);
    free(sb_take(&j.b));
    if (bad && r->status >= 0) {
        snprintf(r->error, sizeof r->error, "writing the JSON failed");
        return OSTEP_E_NOMEM;
    }
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
