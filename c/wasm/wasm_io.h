/* wasm_io.h: what the wasm faces share (wasm build only): handle tables,
 * the text slot C hands strings to JS through, the input buffer JS writes
 * text into, and the conversion of JS numbers into engine arguments.
 *
 * Handles are small integers: index + 1 into a table that never reuses a
 * slot, so a stale handle from JS is refused, never aliased.
 */
#ifndef HEAPLAB_WASM_IO_H
#define HEAPLAB_WASM_IO_H

#include <stddef.h>
#include <stdint.h>

struct handle_table {
    void **items; /* handle h names items[h - 1]; NULL once released */
    uint32_t n, cap;
};
/* Returns a new handle (> 0) for p, or 0 when out of host memory. */
int handle_add(struct handle_table *t, void *p);
/* Returns the item named by h, or NULL for a bad or released handle. */
void *handle_get(const struct handle_table *t, int h);
/* Forgets handle h (the caller frees the item). */
void handle_release(struct handle_table *t, int h);

/* The heap and the trace named by a handle (NULL when bad): shared by the faces. */
struct heap *wasm_heap(int h);
struct trace *wasm_trace(int t);
/* A handle for trace t moved into the trace table (t emptied), or HEAP_ENOMEM. */
int trace_keep(struct trace *t);

/* Replaces the text handed to JS (malloc'd, or NULL); returns its length or -1. */
int text_set(char *s, size_t len);
/* Copies a NUL-terminated message into the text slot; returns -1 (the error return). */
int text_error(const char *msg);
/* The input buffer JS last wrote into (hl_input), and its capacity. */
char *input_bytes(void);
uint32_t input_capacity(void);
/* The input buffer read as text_len bytes of text then name_len bytes of its
 * name (what hl_trace_parse and hl_mm_parse take): returns the text and sets
 * *len and name (NUL-terminated, cut to name_cap - 1 bytes), or NULL when
 * the lengths do not fit the buffer. */
const char *input_named_text(double text_len, double name_len, size_t *len, char *name, size_t name_cap);

/* Returns d as a uint64 argument: `bad` when d is not a non-negative integer,
 * UINT64_MAX when it is beyond uint64. */
uint64_t u64_arg(double d, uint64_t bad);
#define BAD_OFFSET 0xFFFFFFFFu /* odd and beyond every arena: never a payload */
#define size_arg(d) u64_arg((d), 0)
#define offset_arg(d) u64_arg((d), BAD_OFFSET)

#endif
