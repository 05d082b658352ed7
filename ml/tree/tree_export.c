/* tree_export.c: the fitted tree as JSON (the node arrays, as %.17g so that
 * doubles round-trip exactly), for tests, the CLI and the wasm API.
 */
#include <stdlib.h>
#include "util/strbuf.h"
#include "tree/tree.h"
#include "tree/tree_export.h"

/* Appends "name":[int32 array]. */
static void put_i32(struct strbuf *b, const char *name, const int32_t *v, int n)
{
    sb_printf(b, "\"%s\":[", name);
    for (int i = 0; i < n; i++) sb_printf(b, i ? ",%d" : "%d", (int)v[i]);
    sb_printf(b, "],");
}

/* The node arrays as JSON (malloc'd), NULL when out of memory. */
char *tree_to_json(const struct tree *t)
{
    struct strbuf b = {0};
    int n = t->node_count;
    sb_printf(&b, "{\"node_count\":%d,\"n_features\":%d,\"leaf\":\"%s\",", n, t->n_features,
              t->leaf_mode == TREE_LEAF_MODE ? "mode" : "mean");
    put_i32(&b, "feature", t->feature, n);
    put_i32(&b, "left", t->left, n);
    put_i32(&b, "right", t->right, n);
    put_i32(&b, "n_node_samples", t->n_node_samples, n);
    sb_printf(&b, "\"threshold\":");
    sb_num_array(&b, t->threshold, n);
    sb_printf(&b, ",\"value\":");
    sb_num_array(&b, t->value, n);
    sb_printf(&b, ",\"mode\":");
    sb_num_array(&b, t->mode, n);
    sb_printf(&b, ",\"impurity\":");
    sb_num_array(&b, t->impurity, n);
    sb_printf(&b, ",\"importances\":");
    sb_num_array(&b, t->importances, t->n_features);
    sb_printf(&b, "}");
    return sb_take(&b);
}
