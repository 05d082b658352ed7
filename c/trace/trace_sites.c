/* trace_sites.c: interned call-site names per op (see trace_sites.h). The
 * name table is one text buffer plus offsets; lookups go through an
 * open-addressing hash of the names, doubled at half load.
 */
#include <stdlib.h>
#include <string.h>
#include "trace/trace_sites.h"

/* FNV-1a of len bytes. */
static uint32_t name_hash(const char *s, size_t len) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Slot where the name is, or the empty slot where it would go. */
static uint32_t slot_of(const struct trace_sites *s, const char *name, size_t len) {
    uint32_t i = name_hash(name, len) & (s->slot_cap - 1);
    for (; s->slots[i]; i = (i + 1) & (s->slot_cap - 1)) {
        const char *have = s->text + s->name_at[s->slots[i] - 1];
        if (strlen(have) == len && memcmp(have, name, len) == 0) break;
    }
    return i;
}

/* Doubles the hash; 0 or -1. */
static int slots_grow(struct trace_sites *s) {
    uint32_t cap = s->slot_cap ? s->slot_cap * 2 : 256;
    uint32_t *old = s->slots, old_cap = s->slot_cap;
    if (!(s->slots = calloc(cap, sizeof *s->slots))) {
        s->slots = old;
        return -1;
    }
    s->slot_cap = cap;
    for (uint32_t i = 0; i < old_cap; i++)
        if (old[i]) {
            const char *n = s->text + s->name_at[old[i] - 1];
            s->slots[slot_of(s, n, strlen(n))] = old[i];
        }
    free(old);
    return 0;
}

/* The site number of a name, added when new; -1 out of memory. */
static int64_t intern(struct trace_sites *s, const char *name, size_t len) {
    if ((s->count + 1) * 2 > s->slot_cap && slots_grow(s)) return -1;
    uint32_t i = slot_of(s, name, len);
    if (s->slots[i]) return s->slots[i] - 1;
    if (s->count == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 64;
        uint32_t *a = realloc(s->name_at, cap * sizeof *a);
        if (!a) return -1;
        s->name_at = a;
        s->cap = cap;
    }
    if (s->text_len + len + 1 > s->text_cap) {
        size_t cap = s->text_cap ? s->text_cap : 4096;
        while (cap < s->text_len + len + 1) cap *= 2;
        char *t = realloc(s->text, cap);
        if (!t) return -1;
        s->text = t;
        s->text_cap = cap;
    }
    memcpy(s->text + s->text_len, name, len);
    s->text[s->text_len + len] = 0;
    s->name_at[s->count] = (uint32_t)s->text_len;
    s->text_len += len + 1;
    s->slots[i] = s->count + 1;
    return s->count++;
}

/* Sets op's site number (or none, -1); 0 or -1 out of memory. */
static int set_number(struct trace *t, size_t op, int64_t site) {
    struct trace_sites *s = t->sites;
    if (op >= s->cap_ops) {
        size_t cap = s->cap_ops ? s->cap_ops : 1024;
        while (cap <= op) cap *= 2;
        uint32_t *a = realloc(s->of_op, cap * sizeof *a);
        if (!a) return -1;
        s->of_op = a;
        s->cap_ops = cap;
    }
    if (op >= s->n_ops) {
        memset(s->of_op + s->n_ops, 0, (op + 1 - s->n_ops) * sizeof *s->of_op);
        s->n_ops = op + 1;
    }
    s->of_op[op] = (uint32_t)(site + 1);
    return 0;
}

/* t->sites, created when missing; NULL out of memory. */
static struct trace_sites *sites_of(struct trace *t) {
    if (!t->sites) t->sites = calloc(1, sizeof *t->sites);
    return t->sites;
}

int trace_site_set(struct trace *t, size_t op, const char *name, size_t len) {
    if (!sites_of(t)) return -1;
    int64_t site = intern(t->sites, name, len);
    return site < 0 ? -1 : set_number(t, op, site);
}

int64_t trace_site_of(const struct trace *t, size_t op) {
    const struct trace_sites *s = t->sites;
    if (!s || op >= s->n_ops || op >= t->n) return -1;
    return (int64_t)s->of_op[op] - 1;
}

uint32_t trace_site_count(const struct trace *t) { return t->sites ? t->sites->count : 0; }

const char *trace_site_name(const struct trace *t, uint32_t s) {
    return t->sites && s < t->sites->count ? t->sites->text + t->sites->name_at[s] : NULL;
}

int trace_site_copy_op(struct trace *dst, size_t dst_op, const struct trace *src, size_t src_op) {
    int64_t s = trace_site_of(src, src_op);
    if (s < 0) return 0;
    const char *name = trace_site_name(src, (uint32_t)s);
    return trace_site_set(dst, dst_op, name, strlen(name));
}

int trace_sites_copy(const struct trace *src, size_t k, struct trace *dst) {
    const struct trace_sites *s = src->sites;
    if (!s) return 0;
    struct trace_sites *d = sites_of(dst);
    if (!d) return -1;
    /* the whole name table, in the same order: numbers stay the same */
    for (uint32_t i = 0; i < s->count; i++) {
        const char *n = s->text + s->name_at[i];
        if (intern(d, n, strlen(n)) < 0) return -1;
    }
    size_t n_ops = k < s->n_ops ? k : s->n_ops;
    if (n_ops) {
        if (!(d->of_op = malloc(n_ops * sizeof *d->of_op))) return -1;
        memcpy(d->of_op, s->of_op, n_ops * sizeof *d->of_op);
        d->n_ops = d->cap_ops = n_ops;
    }
    return 0;
}

void trace_sites_free(struct trace *t) {
    struct trace_sites *s = t->sites;
    if (!s) return;
    free(s->of_op);
    free(s->text);
    free(s->name_at);
    free(s->slots);
    free(s);
    t->sites = NULL;
}
