/* tree_export.h: a fitted tree as JSON text. */
#ifndef HEAPLAB_TREE_EXPORT_H
#define HEAPLAB_TREE_EXPORT_H

#include "tree/tree.h"

/* {"node_count","n_features","leaf","feature","left","right","n_node_samples",
 *  "threshold","value","mode","impurity","importances"}; malloc'd, or NULL
 * when out of memory. Doubles are printed with %.17g (exact round trip). */
char *tree_to_json(const struct tree *t);

#endif
