/* ostep_json.c: an OSTEP run as JSON (`heaplab ostep --json ...`), for
 * course tooling and as the native picture of what the page receives.
 *
 *   {"status":0,"error":"","options":{...}|null,"text":"...",
 *    "snapshots_truncated":false,
 *    "steps":[{"kind":"alloc","ptr":0,"request":10,"need":16,"addr":1000,
 *              "result":1000,"searched":1,"chosen":0,"text":"...",
 *              "free_list":[{"addr":1016,"size":84}],
 *              "blocks":[{"addr":1000,"size":16,"payload":1004,"request":10,
 *                         "ptr":0,"list_pos":-1,"is_free":false},...],
 *              "events":[{"kind":"request","a":10,"b":16,"c":0},...]}]}
 *
 * Built in memory (a util/strbuf); the caller prints it. Needs a run recorded with
 * OSTEP_RECORD_STEPS and no flush callback (the whole text in r->text).
 * Or streamed (the CLI): the same document in pieces, steps first, written
 * as the run goes, so memory stays flat however long the run.
 */
#include "ostep/ostep.h"
#include "log/event_kinds.h" /* log_event_name */
#include "util/strbuf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns the length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    size_t k;
    if (len == 0 || len > n) return 0;
    for (k = 1; k < len; k++)
        if ((s[k] & 0xc0) != 0x80) return 0;
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) || (s[0] == 0xf0 && s[1] < 0x90) ||
        (s[0] == 0xf4 && s[1] >= 0x90))
        return 0; /* overlong, surrogate, or beyond U+10FFFF */
    return len;
}

/* Appends s[0..n) as a JSON string: valid UTF-8 passed through, controls
 * escaped, bytes that are not UTF-8 (argv may hold any) as U+FFFD. */
static void put_str_body(struct strbuf *b, const char *s, size_t n)
{
    size_t i, run = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t k = utf8_len((const unsigned char *)s + i, n - i);
            if (k) {
                i += k - 1;
                continue;
            }
            sb_append(b, s + run, i - run);
            run = i + 1;
            sb_append(b, "\\ufffd", 6);
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        sb_append(b, s + run, i - run);
        run = i + 1;
        if (c == '"') sb_append(b, "\\\"", 2);
        else if (c == '\\') sb_append(b, "\\\\", 2);
        else if (c == '\n') sb_append(b, "\\n", 2);
        else if (c == '\t') sb_append(b, "\\t", 2);
        else sb_printf(b, "\\u%04x", c);
    }
    sb_append(b, s + run, n - run);
}

static void put_str(struct strbuf *b, const char *s, size_t n)
{
    sb_append(b, "\"", 1);
    put_str_body(b, s, n);
    sb_append(b, "\"", 1);
}

static const char *const STEP_KINDS[] = {"start", "alloc", "free", "skip"};

/* The parsed options (as malloc.py's header names them), or null. */
static void put_options(struct strbuf *b, const struct ostep_options *o)
{
    if (!o) {
        sb_append(b, "null", 4);
        return;
    }
    sb_printf(b, "{\"seed\":%" PRId64 ",\"size\":%" PRId64 ",\"base_addr\":%" PRId64 ",\"header_size\":%" PRId64
                 ",\"alignment\":%" PRId64 ",\"num_ops\":%" PRId64 ",\"range\":%" PRId64 ",\"percent_alloc\":%" PRId64
                 ",\"policy\":",
              o->seed, o->heap_size, o->base_addr, o->header_size, o->alignment, o->num_ops, o->range,
              o->percent_alloc);
    put_str(b, o->policy, strlen(o->policy));
    sb_append(b, ",\"list_order\":", 14);
    put_str(b, o->order, strlen(o->order));
    sb_printf(b, ",\"coalesce\":%s,\"compute\":%s,\"alloc_list\":", o->coalesce ? "true" : "false",
              o->compute ? "true" : "false");
    put_str(b, o->alloc_list, strlen(o->alloc_list));
    sb_append(b, "}", 1);
}

/* One step with its snapshots and events; its text is r->text[s->text_off - text_base ...]. */
static void put_step(struct strbuf *b, const struct ostep_result *r, const struct ostep_step *s, size_t text_base)
{
    size_t k;
    sb_printf(b, "{\"kind\":\"%s\",\"ptr\":%" PRId64 ",\"request\":%" PRId64 ",\"need\":%" PRId64 ",\"addr\":%" PRId64
                 ",\"result\":%" PRId64 ",\"searched\":%" PRId64 ",\"chosen\":%" PRId64 ",\"text\":",
              s->kind >= 0 && s->kind < 4 ? STEP_KINDS[s->kind] : "?", s->ptr, s->request, s->need, s->addr, s->result,
              s->searched, s->chosen);
    put_str(b, r->text + (s->text_off - text_base), s->text_len);
    sb_append(b, ",\"free_list\":[", 14);
    for (k = 0; k < s->entry_count; k++) {
        const struct ostep_entry *e = &r->entries[s->entry_off + k];
        sb_printf(b, "%s{\"addr\":%" PRId64 ",\"size\":%" PRId64 "}", k ? "," : "", e->addr, e->size);
    }
    sb_append(b, "],\"blocks\":[", 12);
    for (k = 0; k < s->block_count; k++) {
        const struct ostep_block *x = &r->blocks[s->block_off + k];
        sb_printf(b, "%s{\"addr\":%" PRId64 ",\"size\":%" PRId64 ",\"payload\":%" PRId64 ",\"request\":%" PRId64
                     ",\"ptr\":%" PRId64 ",\"list_pos\":%" PRId64 ",\"is_free\":%s}",
                  k ? "," : "", x->addr, x->size, x->payload, x->request, x->ptr, x->list_pos,
                  x->is_free ? "true" : "false");
    }
    sb_append(b, "],\"events\":[", 12);
    for (k = 0; k < s->event_count; k++) {
        const struct ostep_event *e = &r->events[s->event_off + k];
        sb_printf(b, "%s{\"kind\":\"%s\",\"a\":%" PRId64 ",\"b\":%" PRId64 ",\"c\":%" PRId64 "}", k ? "," : "",
                  log_event_name((uint32_t)e->kind), e->a, e->b, e->c);
    }
    sb_append(b, "]}", 2);
}

/* Returns the run as JSON (malloc'd, NUL-terminated, *len without the NUL),
 * or NULL when out of memory. o may be NULL (the command line did not parse). */
char *ostep_result_json(const struct ostep_result *r, const struct ostep_options *o, size_t *len)
{
    struct strbuf b = {0};
    size_t i, n;
    char *json;
    sb_printf(&b, "{\"status\":%d,\"error\":", r->status);
    put_str(&b, r->error, strlen(r->error));
    sb_append(&b, ",\"options\":", 11);
    put_options(&b, o);
    sb_append(&b, ",\"text\":", 8);
    put_str(&b, r->text ? r->text : "", r->text_len);
    sb_printf(&b, ",\"snapshots_truncated\":%s,\"steps\":[", r->snapshots_truncated ? "true" : "false");
    for (i = 0; i < r->step_count; i++) {
        if (i) sb_append(&b, ",", 1);
        put_step(&b, r, &r->steps[i], 0);
    }
    sb_append(&b, "]}\n", 3);
    n = b.len;
    json = sb_take(&b);
    if (json && len) *len = n;
    return json;
}

void ostep_json_head(struct strbuf *b, const struct ostep_options *o)
{
    sb_append(b, "{\"options\":", 11);
    put_options(b, o);
    sb_append(b, ",\"steps\":[", 10);
}

void ostep_json_step(struct strbuf *b, const struct ostep_result *r, size_t i, size_t text_base, int first)
{
    if (!first) sb_append(b, ",", 1);
    put_step(b, r, &r->steps[i], text_base);
}

void ostep_json_text_open(struct strbuf *b) { sb_append(b, "],\"text\":\"", 10); }

void ostep_json_text_piece(struct strbuf *b, const char *s, size_t n) { put_str_body(b, s, n); }

void ostep_json_tail(struct strbuf *b, const struct ostep_result *r)
{
    sb_printf(b, "\",\"snapshots_truncated\":%s,\"status\":%d,\"error\":", r->snapshots_truncated ? "true" : "false", r->status);
    put_str(b, r->error, strlen(r->error));
    sb_append(b, "}\n", 2);
}
