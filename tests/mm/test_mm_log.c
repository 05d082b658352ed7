/* test_mm_log.c: the mm log's reader (c/mm/mm_log.c) on a log that
 * `heaplab mm --log` wrote (argv[1]: the broken allocator on overlap.rep),
 * on writer output read back, and on malformed logs (file:line, nothing kept). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm/mm_log.h"
#include "util/file_text.h"

static int failures;
#define CHECK(name, expr) do { if (!(expr)) { failures++; fprintf(stderr, "FAIL %s: %s\n", name, #expr); } } while (0)

static void bad(const char *name, const char *text, const char *want) {
    struct mm_log log;
    char err[256] = "";
    int rc = mm_log_parse(text, strlen(text), "x.log", &log, err, sizeof err);
    CHECK(name, rc == -1 && log.n_rows == 0 && log.n_traces == 0);
    if (!strstr(err, want)) { failures++; fprintf(stderr, "FAIL %s: error '%s' lacks '%s'\n", name, err, want); }
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    char err[256];
    size_t len;
    char *text = file_text_read(argv[1], &len, err, sizeof err);
    CHECK("read", text != NULL);
    struct mm_log log;
    CHECK("parse", text && mm_log_parse(text, len, argv[1], &log, err, sizeof err) == 0);
    if (text && log.n_traces == 1) {
        const struct mm_log_trace *t = &log.traces[0];
        CHECK("name", strcmp(t->name, "overlap.rep") == 0);
        CHECK("ops", t->ops == 12 && t->align == 8);
        CHECK("status", t->status == MM_STATUS_INVALID && t->check == MM_CHECK_OVERLAP && t->op == 9);
        CHECK("fail offset", t->fail_offset == 8);
        CHECK("message", strstr(t->message, "overlaps the live payload of id 4") != NULL);
        CHECK("rows", t->n_rows == 10 && log.rows[0].kind == 'a' && log.rows[0].offset == 8 && log.rows[0].heap_size == 1008);
        CHECK("free row", log.rows[2].kind == 'f' && log.rows[2].id == 1 && log.rows[2].offset == 1016);
        CHECK("last row", log.rows[9].op == 9 && log.rows[9].size == 5000 && log.rows[9].offset == 8);
        /* written back, it reads the same */
        struct strbuf b = { 0 };
        mm_log_write_magic(&b);
        mm_log_write_trace(&b, 0, t->ops, t->align, t->name);
        for (size_t i = 0; i < t->n_rows; i++) mm_log_write_row(&b, &log.rows[t->first_row + i]);
        mm_log_write_end(&b, 0, t);
        CHECK("round trip", b.s && b.len == len && memcmp(b.s, text, len) == 0);
        free(sb_take(&b));
    }
    if (text) mm_log_free(&log);
    free(text);

    bad("magic", "op,id\n", "x.log:1: not an mm log");
    bad("fields", MM_LOG_MAGIC "\ntrace,0,3,8,a.rep\n0,a,0,8\n", "x.log:3: an op record has 6 fields");
    bad("kind", MM_LOG_MAGIC "\ntrace,0,3,8,a.rep\n0,q,0,8,8,16\n", "x.log:3: an op's kind");
    bad("order", MM_LOG_MAGIC "\ntrace,0,3,8,a.rep\n1,a,0,8,8,16\n0,a,1,8,24,32\n", "x.log:4: op 0 does not follow op 1");
    bad("past", MM_LOG_MAGIC "\ntrace,0,1,8,a.rep\n1,a,0,8,8,16\n", "x.log:3: op 1 is past");
    bad("unended", MM_LOG_MAGIC "\ntrace,0,3,8,a.rep\n0,a,0,8,8,16\n", "x.log:3: trace 0 has no end record");
    bad("status", MM_LOG_MAGIC "\ntrace,0,3,8,a.rep\nend,0,fine,-1,none,-1,\n", "x.log:3: unknown status");
    bad("align", MM_LOG_MAGIC "\ntrace,0,3,4,a.rep\n", "x.log:2: alignment 4");
    bad("outside", MM_LOG_MAGIC "\n0,a,0,8,8,16\n", "x.log:2: an op record outside a trace");
    bad("empty", MM_LOG_MAGIC "\n", "no trace in the log");
    /* comments, CRLF, a NULL offset and a message with commas */
    const char *ok = MM_LOG_MAGIC "\r\n# note\r\ntrace,0,2,16,a b.rep\r\n0,a,0,0,-,16\r\nend,0,crash,1,none,-1,died, at op 1\r\n";
    CHECK("ok", mm_log_parse(ok, strlen(ok), "ok", &log, err, sizeof err) == 0);
    if (log.n_traces == 1) {
        CHECK("null offset", log.rows[0].offset == MM_LOG_NULL && log.traces[0].align == 16);
        CHECK("message commas", strcmp(log.traces[0].message, "died, at op 1") == 0 && log.traces[0].status == MM_STATUS_CRASH);
        CHECK("name spaces", strcmp(log.traces[0].name, "a b.rep") == 0);
        mm_log_free(&log);
    }
    /* decoded blocks and the decode record */
    const char *dec = MM_LOG_MAGIC "\ntrace,0,2,8,d.rep\n0,a,0,8,16,32\nb,0,+,4,8,1\nb,0,+,12,16,1\n1,f,0,0,16,32\n"
                      "b,1,-,12,16,1\nb,1,+,12,16,0\ndecode,0,cs-app,ok,-1,\nend,0,ok,-1,none,-1,\n";
    CHECK("decoded", mm_log_parse(dec, strlen(dec), "d", &log, err, sizeof err) == 0);
    if (log.n_traces == 1) {
        const struct mm_log_trace *t = &log.traces[0];
        CHECK("decode state", t->decode == MM_DECODE_OK && t->decode_op == -1 && t->n_blocks == 4 && t->n_rows == 2);
        CHECK("block", log.blocks[3].op == 1 && log.blocks[3].add == 1 && log.blocks[3].alloc == 0 && log.blocks[3].offset == 12);
        struct strbuf b = { 0 };
        mm_log_write_magic(&b);
        mm_log_write_trace(&b, 0, t->ops, t->align, t->name);
        for (size_t i = 0, k = 0; i < t->n_rows; i++) {
            mm_log_write_row(&b, &log.rows[i]);
            for (; k < t->n_blocks && log.blocks[k].op == log.rows[i].op; k++) mm_log_write_block(&b, &log.blocks[k]);
        }
        mm_log_write_decode(&b, 0, t);
        mm_log_write_end(&b, 0, t);
        CHECK("decoded round trip", b.s && strcmp(b.s, dec) == 0);
        free(sb_take(&b));
        mm_log_free(&log);
    }
    bad("block before its op", MM_LOG_MAGIC "\ntrace,0,2,8,a.rep\n0,a,0,8,8,16\nb,1,+,4,8,1\n", "x.log:4: block record of op 1 does not follow");
    bad("block sign", MM_LOG_MAGIC "\ntrace,0,2,8,a.rep\n0,a,0,8,8,16\nb,0,*,4,8,1\n", "x.log:4: a block record says + or -");
    bad("decode state", MM_LOG_MAGIC "\ntrace,0,2,8,a.rep\ndecode,0,cs-app,fine,-1,\n", "x.log:3: a decode record's state");
    bad("decode format", MM_LOG_MAGIC "\ntrace,0,2,8,a.rep\ndecode,0,tlsf,ok,-1,\n", "x.log:3: the only block format is cs-app");
    bad("block after decode", MM_LOG_MAGIC "\ntrace,0,2,8,a.rep\n0,a,0,8,8,16\ndecode,0,cs-app,stopped,0,x\nb,0,+,4,8,1\n",
        "x.log:5: a block record after the decode record");
    if (failures) fprintf(stderr, "test_mm_log: %d failures\n", failures);
    else printf("test_mm_log: ok\n");
    return failures != 0;
}
