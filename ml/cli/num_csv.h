/* num_csv.h: numeric CSV tables for `heaplab tree`: a header row of column
 * names, then rows of the same number of finite numbers separated by commas.
 * Blank lines are skipped; CRLF is accepted. Errors name "file:line: what".
 */
#ifndef HEAPLAB_NUM_CSV_H
#define HEAPLAB_NUM_CSV_H

#include <stddef.h>

struct num_table {
    int rows, cols;
    double *data; /* rows x cols, row-major */
};

#define NUM_CSV_ERR_LEN 256

/* Parses text (len bytes). Returns 0, or -1 with err = "name:line: what" and
 * *out left empty. */
int num_csv_parse(const char *text, size_t len, const char *name, struct num_table *out, char *err,
                  size_t errlen);
/* Reads and parses a file; same contract ("path: cannot read" when unreadable). */
int num_csv_load(const char *path, struct num_table *out, char *err, size_t errlen);
void num_csv_free(struct num_table *t);

#endif
