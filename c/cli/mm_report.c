/* mm_report.c: `heaplab mm`'s report. The tables keep mdriver's layout
 * (its printf formats: trace, valid, util, ops, secs, Kops, then Total);
 * the performance index is the lab's, 100 * (0.6 * mean utilization + 0.4 *
 * min(1, throughput / libc's)), throughput being all ops over all seconds,
 * with libc's malloc timed on the same ops in the same run; 0 when any trace
 * failed, as in mdriver. --json gives the same numbers, one object a line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli/mm_report.h"
#include "util/strbuf.h"

#define UTIL_WEIGHT 0.6

/* Appends s as a JSON string. */
static void json_str(struct strbuf *b, const char *s) {
    sb_append(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') sb_printf(b, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) sb_printf(b, "\\u%04x", *s);
        else sb_append(b, s, 1);
    }
    sb_append(b, "\"", 1);
}

/* Thousands of ops per second (0 when not timed). */
static double kops(double ops, double secs) { return secs > 0 ? ops / 1e3 / secs : 0; }

/* mdriver's table for the student's allocator (libc=0) or libc's. */
static void print_table(const struct mm_job *jobs, int n, int libc, int timed) {
    printf("\nResults for %s malloc:\n", libc ? "libc" : "mm");
    printf("%5s%7s %5s%8s%10s%6s\n", "trace", " valid", "util", "ops", "secs", "Kops");
    double util = 0, ops = 0, secs = 0;
    int errors = 0;
    for (int i = 0; i < n; i++) {
        const struct mm_result *r = &jobs[i].r;
        double s = libc ? r->libc_secs : r->secs;
        if (r->end.status == MM_STATUS_OK) {
            if (libc) printf("%2d%10s%6s%8.0f", i, "yes", "-", (double)r->ops);
            else printf("%2d%10s%5.0f%%%8.0f", i, "yes", r->util * 100.0, (double)r->ops);
            if (timed) printf("%10.6f%6.0f\n", s, kops((double)r->ops, s));
            else printf("%10s%6s\n", "-", "-");
            util += r->util;
            ops += (double)r->ops;
            secs += s;
        } else {
            printf("%2d%10s%6s%8s%10s%6s\n", i, "no", "-", "-", "-", "-");
            errors++;
        }
    }
    if (errors || n == 0) printf("%12s%6s%8s%10s%6s\n", "Total       ", "-", "-", "-", "-");
    else if (libc) printf("%12s%6s%8.0f%10.6f%6.0f\n", "Total       ", "-", ops, secs, kops(ops, secs));
    else if (timed) printf("%12s%5.0f%%%8.0f%10.6f%6.0f\n", "Total       ", util / n * 100.0, ops, secs, kops(ops, secs));
    else printf("%12s%5.0f%%%8.0f%10s%6s\n", "Total       ", util / n * 100.0, ops, "-", "-");
}

/* Prints the traces, the tables and the verdicts (see mm_report.h). */
static void report_text(const struct mm_job *jobs, int n, int errors, int timed, int decode, double p1, double p2) {
    for (int i = 0; i < n; i++) printf("Trace %d: %s\n", i, jobs[i].path[0] ? jobs[i].path : jobs[i].name);
    if (timed && !errors) print_table(jobs, n, 1, timed); /* libc is timed after a valid checked pass */
    print_table(jobs, n, 0, timed);
    for (int i = 0; i < n; i++) {
        const struct mm_result *r = &jobs[i].r;
        if (r->end.status == MM_STATUS_OK) continue;
        printf("\nERROR [trace %d, %s", i, jobs[i].name);
        if (r->end.op >= 0) printf(", op %" PRId64, r->end.op);
        printf("]: %s: %s\n", mm_status_name(r->end.status), r->end.message);
    }
    int decoded = 0;
    for (int i = 0; i < n; i++) {
        const struct mm_log_trace *e = &jobs[i].r.end;
        if (e->decode == MM_DECODE_OK) decoded++;
        else if (e->decode == MM_DECODE_STOPPED)
            printf("\nDECODE [trace %d, %s]: the headers stop following the textbook's block format %s; "
                   "the log has the outside view from there\n", i, jobs[i].name, e->decode_message);
    }
    if (decode && decoded) printf("\nDecode: the headers agreed with the driver after every op on %d of %d traces\n", decoded, n);
    if (errors) printf("\nTerminated with %d errors\n", errors);
    else if (timed) printf("\nPerf index = %.0f (util) + %.0f (thru) = %.0f/100\n", p1 * 100, p2 * 100, (p1 + p2) * 100);
    else printf("\nPerf index = %.0f (util) + - (thru, not timed: --runs 0)\n", p1 * 100);
}

/* Prints one JSON object per trace and a total line. */
static void report_json(const struct mm_job *jobs, int n, int errors, int timed, double util, double ops, double secs,
                        double libc_secs, double p1, double p2) {
    struct strbuf o = { 0 };
    for (int i = 0; i < n; i++) {
        const struct mm_result *r = &jobs[i].r;
        sb_printf(&o, "{\"trace\":");
        json_str(&o, jobs[i].name);
        sb_printf(&o, ",\"index\":%d,\"valid\":%s,\"status\":\"%s\",\"op\":%" PRId64 ",\"check\":\"%s\",\"fail_offset\":%" PRId64 ",\"message\":",
                  i, r->end.status == MM_STATUS_OK ? "true" : "false", mm_status_name(r->end.status), r->end.op,
                  mm_check_name(r->end.check), r->end.fail_offset);
        json_str(&o, r->end.message);
        sb_printf(&o, ",\"decode\":\"%s\",\"decode_op\":%" PRId64 ",\"decode_message\":", mm_decode_name(r->end.decode),
                  r->end.decode_op);
        json_str(&o, r->end.decode_message);
        sb_printf(&o, ",\"ops\":%" PRIu64 ",\"peak_payload\":%" PRIu64 ",\"heap_bytes\":%" PRIu64 ",\"util\":",
                  r->ops, r->peak_payload, r->heap_size);
        sb_num(&o, r->util);
        sb_printf(&o, ",\"secs\":");
        sb_num(&o, timed ? r->secs : -1);
        sb_printf(&o, ",\"kops\":");
        sb_num(&o, timed ? kops((double)r->ops, r->secs) : -1);
        sb_printf(&o, ",\"libc_secs\":");
        sb_num(&o, timed ? r->libc_secs : -1);
        sb_printf(&o, "}\n");
    }
    sb_printf(&o, "{\"total\":true,\"traces\":%d,\"errors\":%d,\"ops\":%.0f,\"util\":", n, errors, ops);
    sb_num(&o, n ? util / n : 0);
    sb_printf(&o, ",\"kops\":");
    sb_num(&o, timed ? kops(ops, secs) : -1);
    sb_printf(&o, ",\"libc_kops\":");
    sb_num(&o, timed ? kops(ops, libc_secs) : -1);
    sb_printf(&o, ",\"perf_util\":");
    sb_num(&o, p1 * 100);
    sb_printf(&o, ",\"perf_thru\":");
    sb_num(&o, p2 * 100);
    sb_printf(&o, ",\"perf_index\":");
    sb_num(&o, (p1 + p2) * 100);
    sb_printf(&o, "}\n");
    char *text = sb_take(&o);
    if (text) fputs(text, stdout);
    free(text);
}

void mm_report(const struct mm_job *jobs, int n, int errors, int timed, int decode, int json) {
    double util = 0, ops = 0, secs = 0, libc_secs = 0;
    for (int i = 0; i < n; i++) {
        util += jobs[i].r.util;
        ops += (double)jobs[i].r.ops;
        secs += jobs[i].r.secs;
        libc_secs += jobs[i].r.libc_secs;
    }
    double p1 = errors ? 0 : UTIL_WEIGHT * util / n;
    double ratio = timed && secs > 0 && libc_secs > 0 ? (ops / secs) / (ops / libc_secs) : 0;
    double p2 = errors || !timed ? 0 : (1.0 - UTIL_WEIGHT) * (ratio > 1 ? 1 : ratio);
    if (json) report_json(jobs, n, errors, timed, util, ops, secs, libc_secs, p1, p2);
    else report_text(jobs, n, errors, timed, decode, p1, p2);
}
