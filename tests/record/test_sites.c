/* test_sites.c: the rich CSV's optional columns (site, thread, time) as the
 * reader keeps them (c/trace/trace_sites.h): sites interned per op, kept by
 * copies and replay rows, cleared where a cut trace gets new ops; bad
 * thread/time values rejected with file:line; and the predictor's site
 * features (ml/predict/size_features.h) on a sequence only the site explains.
 * Built sanitized by run.sh.
 */
#include <string.h>
#include "../c/check.h"
#include "heap/allocator.h"
#include "trace/replay.h"
#include "trace/trace.h"
#include "trace/trace_sites.h"
#include "predict/predict_report.h"
#include "predict/size_features.h"

static const char *const recorded =
    "op,id,size,result,thread,time,site\n"
    "alloc,0,16,0,0,100,prog!main+0x10\n"
    "alloc,1,32,0,1,200,libc.so.6!strdup+0x1a\n"
    "realloc,0,64,0,0,300,prog!main+0x10\n"
    "free,1,0,0,1,400,\n"
    "alloc,2,8,-12,0,500,prog+0x99\n"
    "free,0,0,0,0,600,\n";

/* 1 when op i of t has the site named want (NULL: none). */
static int site_is(const struct trace *t, size_t i, const char *want) {
    int64_t s = trace_site_of(t, i);
    if (!want) return s < 0;
    return s >= 0 && strcmp(trace_site_name(t, (uint32_t)s), want) == 0;
}

static void test_parse(void) {
    struct trace t;
    char err[TRACE_ERR_LEN];
    CHECK("parses", trace_parse(recorded, strlen(recorded), "rec.csv", &t, err, sizeof err) == 0);
    CHECK("ops", t.n == 6 && t.max_id == 2);
    CHECK("three distinct sites", trace_site_count(&t) == 3);
    CHECK("interned: first appearance order", strcmp(trace_site_name(&t, 0), "prog!main+0x10") == 0 &&
                                                  strcmp(trace_site_name(&t, 2), "prog+0x99") == 0);
    CHECK("alloc site", site_is(&t, 0, "prog!main+0x10") && site_is(&t, 1, "libc.so.6!strdup+0x1a"));
    CHECK("realloc keeps its own site", site_is(&t, 2, "prog!main+0x10") && trace_site_of(&t, 2) == trace_site_of(&t, 0));
    CHECK("free has none", site_is(&t, 3, NULL) && site_is(&t, 5, NULL));
    CHECK("a failed alloc still has its site", site_is(&t, 4, "prog+0x99"));
    CHECK("beyond the ops: none", trace_site_of(&t, 99) == -1 && trace_site_name(&t, 3) == NULL);

    struct trace c;
    CHECK("copy", trace_copy(&t, 3, &c) == 0 && c.n == 3);
    CHECK("copy keeps sites and numbers", site_is(&c, 1, "libc.so.6!strdup+0x1a") && trace_site_of(&c, 2) == 0);
    trace_truncate(&c, 1);
    CHECK("push after a cut", trace_push(&c, TRACE_ALLOC, 5, 8, 0) == 0);
    CHECK("the new op has no stale site", site_is(&c, 1, NULL));
    trace_free(&c);
    CHECK("freed", c.sites == NULL);

    struct heap_options o = heap_default_options();
    struct heap *h = heap_create(&o);
    struct trace rows = {.max_id = -1};
    struct replay_options ro = {.verify = 1, .rows = &rows};
    struct replay_result r;
    CHECK("replays", replay_run(h, &t, &ro, &r) == 0);
    CHECK("rows carry the sites", rows.n == t.n && site_is(&rows, 0, "prog!main+0x10") && site_is(&rows, 3, NULL) &&
                                      site_is(&rows, 4, "prog+0x99"));
    trace_free(&rows);
    heap_destroy(h);
    trace_free(&t);

    const char *plain = "op,id,size\nalloc,0,8\nfree,0,0\n";
    CHECK("no site column", trace_parse(plain, strlen(plain), "p.csv", &t, err, sizeof err) == 0 && t.sites == NULL &&
                                trace_site_count(&t) == 0 && trace_site_of(&t, 0) == -1);
    trace_free(&t);
}

static void test_bad(void) {
    struct trace t;
    char err[TRACE_ERR_LEN];
    const char *bad_thread = "op,id,size,thread\nalloc,0,8,0\nalloc,1,8,two\n";
    CHECK("bad thread", trace_parse(bad_thread, strlen(bad_thread), "b.csv", &t, err, sizeof err) == -1 &&
                            strstr(err, "b.csv:3:") && strstr(err, "thread"));
    const char *bad_time = "op,id,size,time\nalloc,0,8,-5\n";
    CHECK("negative time", trace_parse(bad_time, strlen(bad_time), "b.csv", &t, err, sizeof err) == -1 &&
                               strstr(err, "b.csv:2:") && strstr(err, "time"));
    const char *missing = "op,id,size,result,thread,time,site\nalloc,0,8,0,0,1\n";
    CHECK("missing site field", trace_parse(missing, strlen(missing), "b.csv", &t, err, sizeof err) == -1 &&
                                    strstr(err, "b.csv:2:"));
}

/* Sizes decided by the site alone (site 0 asks 24, site 1 asks 4096, site 2
 * asks 40 + 8k for its k-th call, mod 4), sites interleaved at random: the size
 * history cannot say which comes next, the site can. */
static void test_site_features(void) {
    enum { M = 3000 };
    static double s[M], site[M];
    uint32_t x = 12345, k2 = 0;
    for (int i = 0; i < M; i++) {
        x = x * 1103515245u + 12345u;
        int w = (int)((x >> 16) % 3);
        site[i] = w;
        s[i] = w == 0 ? 24 : w == 1 ? 4096 : 40 + 8 * (k2++ % 4);
    }
    int e;
    CHECK("parse default,site_last", features_parse("default,site_last", &e) == 0 && e == (FEATURES_DEFAULT | FEAT_SITE_LAST));
    CHECK("parse site", features_parse("site", &e) == 0 && e == FEAT_SITE);
    CHECK("all is the size features", features_parse("all", &e) == 0 && e == FEAT_ALL);
    char nb[32];
    CHECK("column names", strcmp(features_name(4, FEAT_SITES, 4, nb, sizeof nb), "site") == 0 &&
                              strcmp(features_name(4, FEAT_SITES, 5, nb, sizeof nb), "site_last") == 0);
    struct predict_opts o;
    struct predict_report with, without;
    char err[256];
    predict_opts_default(&o);
    o.extras = FEATURES_DEFAULT | FEAT_SITES;
    CHECK("site features without sites: refused", predict_run(s, M, &o, &with, err, sizeof err) == -1 && strstr(err, "site column"));
    o.sites = site;
    CHECK("with sites", predict_run(s, M, &o, &with, err, sizeof err) == 0);
    o.extras = FEATURES_DEFAULT;
    o.sites = NULL;
    CHECK("without", predict_run(s, M, &o, &without, err, sizeof err) == 0);
    /* names[0] is the tree; site 2's cycle is learnable from site_last + the site */
    CHECK("the site explains the sizes", with.m[0].exact > 0.95);
    CHECK("the sizes alone do not", without.m[0].exact < 0.6);
    CHECK("site features reported", with.n_features == without.n_features + 2);
    predict_report_free(&with);
    predict_report_free(&without);
}

int main(void) {
    test_parse();
    test_site_features();
    test_bad();
    return check_done("test_sites");
}
