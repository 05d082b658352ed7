/* record_out.c: one process image's output (record.h describes the files).
 * The CSV is a shared mapping of the file, a 4 MiB window at a time: a row
 * is copied into the window, and when the window is full the file is grown
 * with fallocate (which fails cleanly when the disk is full, where touching
 * a page past a sparse file's space would raise SIGBUS) and the next window
 * is mapped. Rows are formatted by hand: printf may allocate.
 */
#ifdef HEAPLAB_RECORD_LIB /* c/Makefile's recorder rule; anything else (the one-line gcc build of
                             the tool) compiles this file to nothing: the hooks belong in the .so only */
#define _GNU_SOURCE /* fallocate */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "record/record_internal.h"

#define WINDOW ((size_t)4 << 20)

HIDDEN char record_exe_name[256] = "?";
static struct record_settings settings;
static int settings_read;
static struct record_stat fallback_stat; /* before the files exist, or when they cannot */
static struct record_stat *counters = &fallback_stat; /* the .stat mapping */
static int csv_fd = -1, open_failed;
static dev_t csv_dev; /* the CSV file's identity, checked before each window */
static ino_t csv_ino;
static char *window;      /* mapping of [window_base, window_base + WINDOW) */
static uint64_t window_base;
static struct timespec t0;
static int began_as_fork;

struct record_stat *out_stat(void) { return counters; }

/* Parses a decimal number; 0 when s is NULL or not one. */
static uint64_t parse_u64(const char *s) {
    uint64_t v = 0;
    if (!s) return 0;
    for (; *s >= '0' && *s <= '9'; s++) v = v * 10 + (uint64_t)(*s - '0');
    return *s ? 0 : v;
}

const struct record_settings *out_settings(void) {
    if (settings_read) return &settings;
    settings_read = 1;
    settings.dir = getenv(RECORD_ENV_DIR);
    settings.enabled = settings.dir && settings.dir[0];
    const char *s = getenv(RECORD_ENV_SITES), *t = getenv(RECORD_ENV_THREADS);
    uint64_t depth = parse_u64(s);
    settings.sites = depth > SITE_MAX_DEPTH ? SITE_MAX_DEPTH : (int)depth;
    settings.all_threads = !t || strcmp(t, "main") != 0;
    settings.max_ops = parse_u64(getenv(RECORD_ENV_MAX_OPS));
    if (settings.enabled) { /* before the first site is named: the main program's module name */
        ssize_t n = readlink("/proc/self/exe", record_exe_name, sizeof record_exe_name - 1);
        record_exe_name[n > 0 ? n : 0] = 0;
    }
    return &settings;
}

/* Writes the decimal digits of v at p; returns the end. */
static char *put_u64(char *p, uint64_t v) {
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10); while ((v /= 10));
    while (n) *p++ = tmp[--n];
    return p;
}

/* Copies s at p; returns the end. */
static char *put_str(char *p, const char *s, size_t max) {
    while (*s && max--) *p++ = *s++;
    return p;
}

/* Maps the window starting at base, growing the file first; 0 or -1. The
 * descriptor is checked to be still ours: a program that closes every
 * descriptor and opens its own files must not get our writes. */
static int window_map(uint64_t base) {
    if (window) munmap(window, WINDOW);
    window = NULL;
    struct stat sb;
    if (fstat(csv_fd, &sb) != 0 || sb.st_dev != csv_dev || sb.st_ino != csv_ino) return -1;
    int e = fallocate(csv_fd, 0, (off_t)base, (off_t)WINDOW);
    if (e != 0 && errno == EOPNOTSUPP) e = ftruncate(csv_fd, (off_t)(base + WINDOW));
    if (e != 0) return -1;
    void *m = mmap(NULL, WINDOW, PROT_READ | PROT_WRITE, MAP_SHARED, csv_fd, (off_t)base);
    if (m == MAP_FAILED) return -1;
    window = m;
    window_base = base;
    return 0;
}

/* Appends n bytes to the CSV; 0 or -1 (then recording stops). */
static int csv_append(const char *s, size_t n) {
    while (n) {
        uint64_t at = counters->bytes - window_base;
        if (at == WINDOW) {
            if (window_map(window_base + WINDOW) != 0) {
                counters->stopped = RECORD_STOP_SPACE;
                return -1;
            }
            at = 0;
        }
        size_t k = WINDOW - at < n ? (size_t)(WINDOW - at) : n;
        memcpy(window + at, s, k);
        counters->bytes += k;
        s += k;
        n -= k;
    }
    return 0;
}

/* Opens <dir>/<pid>-<k>.<ext> for the first free k (O_EXCL), or the
 * given k when k_fixed; returns the fd or -1. */
static int open_image_file(const char *ext, uint32_t *k, int k_fixed) {
    char path[4096];
    for (uint32_t i = k_fixed ? *k : 0; i < 100000; i++) {
        char *p = put_str(path, settings.dir, 3900);
        *p++ = '/';
        p = put_u64(p, (uint64_t)getpid());
        *p++ = '-';
        p = put_u64(p, i);
        *p++ = '.';
        p = put_str(p, ext, 8);
        *p = 0;
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | (k_fixed ? O_TRUNC : O_EXCL), 0644);
        if (fd >= 0) { *k = i; return fd; }
        if (errno != EEXIST || k_fixed) return -1;
    }
    return -1;
}

int out_open(void) {
    if (csv_fd >= 0) return counters->stopped ? -1 : 0;
    if (open_failed || !out_settings()->enabled) return -1;
    open_failed = 1; /* until it succeeds */
    uint32_t k = 0;
    int sfd = open_image_file("stat", &k, 0);
    if (sfd < 0) return -1;
    void *m = MAP_FAILED;
    if (ftruncate(sfd, sizeof(struct record_stat)) == 0)
        m = mmap(NULL, sizeof(struct record_stat), PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
    close(sfd);
    if (m == MAP_FAILED) return -1;
    csv_fd = open_image_file("csv", &k, 1);
    if (csv_fd < 0) return -1;
    /* out of the way of a program that reuses low descriptors (dup2 onto 3, 4, ...) */
    int high = fcntl(csv_fd, F_DUPFD_CLOEXEC, 512);
    if (high >= 0) {
        close(csv_fd);
        csv_fd = high;
    }
    struct stat sb;
    if (fstat(csv_fd, &sb) != 0) return -1;
    csv_dev = sb.st_dev;
    csv_ino = sb.st_ino;
    counters = m;
    memset(counters, 0, sizeof *counters);
    *counters = fallback_stat; /* counts made before the files existed */
    counters->magic = RECORD_STAT_MAGIC;
    counters->version = RECORD_STAT_VERSION;
    counters->pid = getpid();
    counters->ppid = getppid();
    counters->image = k;
    counters->forked = (uint32_t)began_as_fork;
    counters->bytes = 0;
    memcpy(counters->exe, record_exe_name, sizeof counters->exe);
    if (window_map(0) != 0) { counters->stopped = RECORD_STOP_SPACE; return -1; }
    const char *hdr = settings.sites ? RECORD_CSV_HEADER ",site\n" : RECORD_CSV_HEADER "\n";
    if (csv_append(hdr, strlen(hdr)) != 0) return -1;
    clock_gettime(CLOCK_MONOTONIC, &t0); /* time 0: the image's first recorded call */
    open_failed = 0;
    return 0;
}

void out_row(enum row_op op, uint32_t id, uint64_t size, int result, uint32_t thread, const char *site) {
    static const char *const names[] = {"alloc,", "free,", "realloc,"};
    char line[600], *p = line;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t ns = (uint64_t)(now.tv_sec - t0.tv_sec) * 1000000000u + (uint64_t)now.tv_nsec - (uint64_t)t0.tv_nsec;
    p = put_str(p, names[op], 8);
    p = put_u64(p, id);
    *p++ = ',';
    p = put_u64(p, size);
    *p++ = ',';
    if (result < 0) { *p++ = '-'; p = put_u64(p, (uint64_t)-(int64_t)result); }
    else *p++ = '0';
    *p++ = ',';
    p = put_u64(p, thread);
    *p++ = ',';
    p = put_u64(p, ns);
    if (settings.sites) {
        *p++ = ',';
        if (site) p = put_str(p, site, 500);
    }
    *p++ = '\n';
    if (csv_append(line, (size_t)(p - line)) != 0) return;
    counters->rows++;
    if (op == ROW_ALLOC) counters->allocs++;
    else if (op == ROW_FREE) counters->frees++;
    else counters->reallocs++;
    if (result < 0) counters->failed++;
}

void out_forget(void) {
    if (window) munmap(window, WINDOW);
    if (counters != &fallback_stat) munmap(counters, sizeof *counters);
    if (csv_fd >= 0) close(csv_fd);
    window = NULL;
    window_base = 0;
    csv_fd = -1;
    open_failed = 0;
    counters = &fallback_stat;
    memset(&fallback_stat, 0, sizeof fallback_stat);
    began_as_fork = 1;
}
#else
typedef int record_out_not_built; /* ISO C wants a non-empty unit */
#endif
