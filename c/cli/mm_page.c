/* mm_page.c: `heaplab mm --page FILE.html`: a copy of the built page with
 * the run's mm log inside, so one file opens it (mm-mode.js reads the block
 * #heaplab-mm-log at start). The log goes in base64, so nothing in it (a
 * student's "</script>" in a message) can end the block or become markup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/mm_report.h"
#include "util/file_text.h"
#include "util/strbuf.h"

int mm_write_page(const char *path, const char *tpl_path, const char *log, size_t log_len, const char *name,
                  char *err, size_t errlen) {
    size_t tlen;
    char *tpl = file_text_read(tpl_path, &tlen, err, errlen);
    if (!tpl) {
        size_t l = strlen(err);
        snprintf(err + l, errlen - l, " (--page copies the built page: run ./build.sh, or set HEAPLAB_PAGE)");
        return -1;
    }
    char *body = NULL;
    for (char *p = strstr(tpl, "</body>"); p; p = strstr(p + 1, "</body>")) body = p;
    if (!body) { snprintf(err, errlen, "%.300s: no </body> in the page", tpl_path); free(tpl); return -1; }
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    struct strbuf b = { 0 };
    sb_append(&b, tpl, (size_t)(body - tpl));
    sb_printf(&b, "<script type=\"application/x-heaplab-mm-log-base64\" id=\"heaplab-mm-log\" data-name=\"");
    for (const char *c = name; *c; c++) /* a file name, kept to characters that need no escaping */
        sb_append(&b, (strchr("-_.", *c) || (*c >= '0' && *c <= '9') || ((*c | 32) >= 'a' && (*c | 32) <= 'z')) ? c : "_", 1);
    sb_append(&b, "\">", 2);
    const unsigned char *s = (const unsigned char *)log;
    for (size_t i = 0; i < log_len; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < log_len ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < log_len ? s[i + 2] : 0);
        char q[4] = { b64[v >> 18], b64[(v >> 12) & 63], i + 1 < log_len ? b64[(v >> 6) & 63] : '=', i + 2 < log_len ? b64[v & 63] : '=' };
        sb_append(&b, q, 4);
    }
    sb_printf(&b, "</script>\n");
    sb_append(&b, body, tlen - (size_t)(body - tpl));
    free(tpl);
    char *text = sb_take(&b);
    FILE *f = text ? fopen(path, "w") : NULL;
    int ok = f && fputs(text, f) >= 0;
    if (f && fclose(f)) ok = 0;
    free(text);
    if (!ok) { snprintf(err, errlen, "cannot write %s", path); return -1; }
    return 0;
}

