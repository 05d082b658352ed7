/* file_text.h: reading a whole file into memory, for the text parsers
 * (traces, numeric CSV). */
#ifndef HEAPLAB_FILE_TEXT_H
#define HEAPLAB_FILE_TEXT_H
#include <stddef.h>
/* Returns the file's bytes (malloc'd, NUL-terminated; *len excludes the NUL),
 * or NULL with err = "path: cannot open: reason" / "path: cannot read". */
char *file_text_read(const char *path, size_t *len, char *err, size_t errlen);
#endif
