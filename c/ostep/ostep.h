/* ostep.h: a faithful model of OSTEP's free-space simulator, malloc.py.
 *
 * The model parses malloc.py's command line the way Python's optparse does,
 * runs the simulator (random mode with CPython's Mersenne Twister, or an
 * explicit -A op list) and produces exactly the text malloc.py prints, into
 * a growable buffer (util/strbuf). It also records one step per printed operation with
 * the free list as the simulator sees it (list order), the live blocks in
 * address order, and the events in the allocator's vocabulary (the EV_*
 * kinds of log/event_kinds.h, shared with the real engine's log), so a page
 * can draw each step. The library never prints.
 *
 * Where malloc.py crashes (unknown policy or order, bad alignment, -P <= 0,
 * a malformed -A token, freeing the index of a failed allocation, placing a
 * zero-sized block on a live address), the run stops with a negative
 * OSTEP_E* status and a one-line message; the text holds what malloc.py
 * would have printed before crashing. Numbers are Python ints there; here
 * they are int64 and any overflow is reported as OSTEP_E_RANGE.
 *
 * Dependencies: log/event_kinds.h (the event vocabulary), util/strbuf.h
 * (the growable text of the output and the JSON) and the C library;
 * nothing of the heap, the trace code or the event log. Calls between the
 * files, from the prototypes below and in ostep_model.h (A -> B: A calls B):
 *
 *   ostep_run.c  -> ostep_model.c      init, malloc, free, release, names
 *   ostep_run.c  -> ostep_result.c     text, errors, steps, the event sink
 *   ostep_run.c  -> ostep_args.c       parse_args, parse_pyint, help text
 *   ostep_run.c  -> ostep_random.c     the generator
 *   ostep_json.c -> log/event_kinds.c  event names
 *   ostep_result.c, ostep_json.c, ostep_run.c -> util/strbuf.c  the text
 *   ostep_model.c, ostep_args.c, ostep_random.c, ostep_cmdline.c -> nothing
 *
 * The model's events reach the recorder only through m->sink.emit, a
 * function pointer ostep_run.c sets: the model names no function of the
 * recorder, and the recorder reads the model's state but calls none of its
 * functions (ostep_add is inline), so there is no circle. The faces call
 * in from outside: c/cli/ostep_cli.c (args, run, result, json) and
 * c/wasm/ostep_wasm_api.c (cmdline, args, run, result, model names).
 *
 * See /work/shared/ostep-compat.md for the behaviour this matches.
 */
#ifndef HEAPLAB_OSTEP_H
#define HEAPLAB_OSTEP_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* Status codes: 0, OSTEP_HELP, or a negative OSTEP_E*. */
enum ostep_status {
    OSTEP_OK = 0,
    OSTEP_HELP = 1,          /* -h/--help: text holds the help, nothing run */
    OSTEP_E_USAGE = -1,      /* optparse error: unknown option, bad int, missing value */
    OSTEP_E_POLICY = -2,     /* -p not BEST, WORST or FIRST */
    OSTEP_E_ORDER = -3,      /* -l not one of the five list orders */
    OSTEP_E_ALIGN = -4,      /* -a neither -1 nor positive */
    OSTEP_E_PERCENT = -5,    /* -P <= 0 */
    OSTEP_E_TOKEN = -6,      /* -A token empty or not starting with + or - */
    OSTEP_E_NUMBER = -7,     /* -A token whose number Python's int() rejects */
    OSTEP_E_FAILED_FREE = -8,/* -A frees the index of a failed allocation */
    OSTEP_E_LIVE_ADDR = -9,  /* a zero/negative-sized block lands on a live address */
    OSTEP_E_RANGE = -10,     /* a number or a result beyond int64 */
    OSTEP_E_NOMEM = -11,     /* out of host memory */
    OSTEP_E_LIMIT = -12      /* the caller's op limit was reached */
};

enum ostep_policy { OSTEP_BEST = 0, OSTEP_WORST = 1, OSTEP_FIRST = 2 };
enum ostep_order {
    OSTEP_ADDRSORT = 0, OSTEP_SIZESORT_UP = 1, OSTEP_SIZESORT_DOWN = 2,
    OSTEP_INSERT_FRONT = 3, OSTEP_INSERT_BACK = 4
};

/* malloc.py's options after optparse. Strings point into the argv given to
 * ostep_parse_args and must outlive the run. */
struct ostep_options {
    int64_t seed, heap_size, base_addr, header_size, alignment;
    int64_t num_ops, range, percent_alloc;
    const char *policy;     /* as typed; validated by ostep_run */
    const char *order;
    const char *alloc_list; /* "" = random mode */
    int coalesce, compute, help;
};

/* A free-list entry (addr, size), exactly malloc.py's tuple. */
struct ostep_entry { int64_t addr, size; };

/* One block of the address-ordered map: a free-list entry or a live block. */
struct ostep_block {
    int64_t addr;     /* block start (where the header would be) */
    int64_t size;     /* whole block: aligned request + header */
    int64_t payload;  /* addr + header size */
    int64_t request;  /* requested bytes (live), 0 for free entries */
    int64_t ptr;      /* ptr[N] that owns it (live), -1 for free entries */
    int64_t list_pos; /* index in the free list (free), -1 for live blocks */
    int is_free;
};

/* An event of one step, with log/event_kinds.h's EV_* kinds:
 * EV_REQUEST a=request b=need; EV_SCAN a=searched b=chosen list index (-1);
 * EV_SPLIT a=addr b=need c=remainder; EV_PLACE a=addr b=need c=payload;
 * EV_FREE a=addr b=size c=0 ok / -1 not live; EV_COALESCE a=addr b=merged size;
 * EV_FAIL a=need. */
struct ostep_event { int kind; int64_t a, b, c; };

enum ostep_step_kind {
    OSTEP_STEP_START = 0,   /* the header; the initial free list */
    OSTEP_STEP_ALLOC = 1,
    OSTEP_STEP_FREE = 2,
    OSTEP_STEP_SKIP = 3     /* explicit mode: "Invalid Free: Skipping" */
};

/* One printed operation. Ranges index the run's arrays. */
struct ostep_step {
    int kind;               /* enum ostep_step_kind */
    int64_t ptr;            /* N of ptr[N] (-1 for START) */
    int64_t request;        /* S for ALLOC */
    int64_t need;           /* aligned S + header for ALLOC; block size for FREE */
    int64_t addr;           /* block chosen / freed, -1 when none */
    int64_t result;         /* the printed answer: R for ALLOC, rc for FREE */
    int64_t searched;       /* K for ALLOC */
    int64_t chosen;         /* free-list index chosen for ALLOC, -1 */
    size_t text_off, text_len;       /* this step's lines in the text */
    size_t entry_off, entry_count;   /* free list after the step, list order */
    size_t block_off, block_count;   /* address map after the step */
    size_t event_off, event_count;
};

/* Receives text as it is produced; returns 0, or nonzero to abort. */
typedef int (*ostep_flush_fn)(const char *text, size_t len, void *ctx);

/* Recording switches for ostep_run. */
#define OSTEP_RECORD_STEPS 1u   /* fill steps, entries, blocks, events */

struct ostep_result {
    int status;             /* enum ostep_status */
    char error[256];        /* one line, no newline, when status < 0 */
    /* The output (or its unflushed tail): a util/strbuf that ostep_result.c
     * grows, which the faces read as text (NUL-terminated, NULL before any
     * output) and text_len. C11 lets either name be read: the two structs
     * share their leading members (6.5.2.3p6). Only strbuf's calls write. */
    union {
        struct strbuf out;
        struct { char *text; size_t text_len; };
    };
    size_t text_total;      /* bytes produced in all, flushed included */
    struct ostep_step *steps; size_t step_count, step_cap;
    struct ostep_entry *entries; size_t entry_count, entry_cap;
    struct ostep_block *blocks; size_t block_count, block_cap;
    struct ostep_event *events; size_t event_count, event_cap;
    int snapshots_truncated;/* snapshot budget hit: later steps have none */
    /* set by the caller before ostep_run (ostep_result_init zeroes them) */
    ostep_flush_fn flush;   /* NULL: keep all text in memory */
    void *flush_ctx;
    unsigned record;        /* OSTEP_RECORD_* */
    uint64_t max_ops;       /* 0 = unlimited; else stop with OSTEP_E_LIMIT */
    size_t max_snapshot;    /* 0 = default budget of entries + blocks */
    /* called after each step is recorded (nonzero aborts the run): a
     * streaming consumer takes the step and the text, then empties the
     * arrays and the text (ostep_result_drop), so memory stays flat */
    int (*on_step)(struct ostep_result *r, void *ctx);
    void *on_step_ctx;
};

/* ---- ostep_args.c */
/* Defaults of malloc.py's options. */
void ostep_default_options(struct ostep_options *o);
/* Parses argv[1..argc-1] like optparse. Returns 0, OSTEP_HELP, or
 * OSTEP_E_USAGE with a one-line message in err. */
int ostep_parse_args(int argc, char **argv, struct ostep_options *o, char *err, size_t err_size);
/* Python's int(s, base) for base 2, 8, 10 or 16: 0 and *out, or -1 when
 * Python raises ValueError, -2 when the value does not fit int64. */
int ostep_parse_pyint(const char *s, size_t len, int base, int64_t *out);
/* The help text of the ostep command (optparse's layout, 80 columns). */
const char *ostep_help_text(void);

/* ---- ostep_random.c: CPython's random module, exactly */
struct ostep_mt { uint32_t mt[624]; int mti; };
/* random.seed(seed) for an int seed: init_by_array over |seed|'s 32-bit words. */
void ostep_mt_seed(struct ostep_mt *r, int64_t seed);
uint32_t ostep_mt_u32(struct ostep_mt *r);
/* random.random(): 53-bit double in [0, 1). */
double ostep_mt_random(struct ostep_mt *r);

/* ---- ostep_model.c */
const char *ostep_policy_name(int policy);
const char *ostep_order_name(int order);
/* 0..2 / 0..4, or -1 when the name is not one malloc.py accepts. */
int ostep_policy_from_name(const char *s);
int ostep_order_from_name(const char *s);

/* ---- ostep_result.c */
/* Zeroes r: no flush callback, no recording, no limits. */
void ostep_result_init(struct ostep_result *r);
/* Frees everything r owns and zeroes it (its settings included). */
void ostep_result_free(struct ostep_result *r);

/* Forgets the recorded steps, their snapshots and events, and the text
 * held so far (text_total keeps counting), keeping the memory: what a
 * streaming consumer calls once it has written them. */
void ostep_result_drop(struct ostep_result *r);

/* ---- ostep_run.c */
/* Runs the simulator; returns r->status. */
int ostep_run(const struct ostep_options *o, struct ostep_result *r);
/* Parses argv (argv[0] is the program name) and runs; returns r->status. */
int ostep_run_argv(int argc, char **argv, struct ostep_result *r);

/* ---- ostep_cmdline.c */
/* Splits a command line like a POSIX shell (quotes, backslashes) into argv,
 * dropping a leading "python3 malloc.py" / "heaplab ostep" prefix.
 * Returns argc (>= 1, argv[0] = "ostep") or -1 (unbalanced quote) / -2
 * (no memory); *argv_out and its strings are one malloc'd block. */
int ostep_split_cmdline(const char *line, size_t len, char ***argv_out);

/* ---- ostep_json.c */
/* The run as JSON (steps with snapshots and events; see the file comment),
 * malloc'd and NUL-terminated, or NULL when out of memory. o may be NULL. */
char *ostep_result_json(const struct ostep_result *r, const struct ostep_options *o, size_t *len);
/* The same document streamed in pieces (keys in another order: steps first,
 * then text and status), each appended to b for the caller to write:
 *   head    {"options":...,"steps":[
 *   step    one step object (r's text from text_base on holds its text),
 *           after a comma unless first
 *   text    ],"text":"   then text pieces (escaped, no quotes), each ending
 *           at a character boundary, then the tail
 *   tail    ","snapshots_truncated":...,"status":...,"error":"..."}\n  */
void ostep_json_head(struct strbuf *b, const struct ostep_options *o);
void ostep_json_step(struct strbuf *b, const struct ostep_result *r, size_t i, size_t text_base, int first);
void ostep_json_text_open(struct strbuf *b);
void ostep_json_text_piece(struct strbuf *b, const char *s, size_t n);
void ostep_json_tail(struct strbuf *b, const struct ostep_result *r);

/* ---- ostep_cli.c */
/* `heaplab ostep [--json] ...`: prints the text (or the JSON) on stdout,
 * errors on stderr; returns 0, or 2 on any error (malloc.py's crashes
 * included). argv[0] is "ostep". */
int ostep_cli_main(int argc, char **argv);

#endif
