/* mm_report.h: what `heaplab mm` prints (mm_report.c) and the page it
 * writes with --page (mm_page.c), given the runs; the command's face is
 * mm_cli.c. */
#ifndef HEAPLAB_MM_REPORT_H
#define HEAPLAB_MM_REPORT_H
#define MM_PATH_LEN 4096 /* a trace's path or name */
#include <stddef.h>
#include "mmlab/mm_runner.h"

/* One trace of a run: its name as shown, its file ("" for a generated
 * scenario) and what the driver said. */
struct mm_job {
    char name[MM_PATH_LEN];
    char path[MM_PATH_LEN];
    int scenario;
    struct mm_result r;
};

/* Prints mdriver's tables (libc's when timed, then the allocator's), the
 * errors, the header walk's verdicts and the performance index; or, with
 * json, one object per trace and a total line. errors: traces not valid. */
void mm_report(const struct mm_job *jobs, int n, int errors, int timed, int decode, int json);

/* Writes the page template (template_path) with the mm log inside, base64 in
 * a <script id="heaplab-mm-log" data-name=NAME> block before </body>; 0, or
 * -1 with err. */
int mm_write_page(const char *path, const char *template_path, const char *log, size_t log_len, const char *name,
                  char *err, size_t errlen);
#endif
