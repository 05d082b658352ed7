// predict-model.js: turns a prediction report (lab.predict) into what the
// page says, DOM-free. The winner is the predictor with the lowest MAE on
// the test part; the sentence names it even when it is a trivial baseline.

const NAMES = { tree: 'regression tree', tree_sklearn: 'regression tree, mean leaves (scikit-learn exact)', last: 'repeat last size', mode: 'most frequent size', markov1: 'Markov-1 (most frequent successor)', ngram: 'n-gram with backoff' };

// Returns the display name of a predictor key.
export function predictorName(key) {
  return NAMES[key] || key;
}

// Returns the predictors of a report: [key, metrics] for every entry that has an MAE.
export function predictors(rep) {
  const src = rep && (rep.predictors || rep);
  if (!src || typeof src !== 'object') return [];
  return Object.entries(src).filter(([, m]) => m && typeof m === 'object' && Number.isFinite(m.mae));
}

// Returns metric table rows: MAE, RMSE, exact-match and size-class rates; the winner is marked.
export function metricRows(rep) {
  const list = predictors(rep);
  const best = winner(rep);
  return list.map(([key, m]) => ({
    className: best && key === best[0] ? 'best' : key === 'tree' ? 'row-tree' : null,
    cells: [predictorName(key), m.mae.toFixed(1), Number.isFinite(m.rmse) ? m.rmse.toFixed(1) : '–', pct(m.exact), pct(m.size_class ?? m.sizeClass)],
  }));
}

// Returns a rate as a percentage string ('–' when missing).
function pct(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–';
}

// Returns [key, metrics] of the predictor with the lowest MAE (the tree wins ties), or null.
export function winner(rep) {
  let best = null;
  for (const [key, m] of predictors(rep)) {
    if (!best || m.mae < best[1].mae || (m.mae === best[1].mae && key.startsWith('tree'))) best = [key, m];
  }
  return best;
}

// Returns the plain-language verdict: who wins on this log, by how much.
export function verdict(rep, k) {
  const list = predictors(rep);
  const tree = list.find(([key]) => key === 'tree');
  const best = winner(rep);
  if (!tree || !best) return `Not enough allocation requests in the first ${k} operations to train and test a predictor.`;
  const base = list.filter(([key]) => !key.startsWith('tree')).sort((a, b) => a[1].mae - b[1].mae)[0];
  if (best[0].startsWith('tree')) {
    const t = best[1];
    return base
      ? `On this log the ${predictorName(best[0])} predicts best: mean error ${t.mae.toFixed(1)} bytes, against ${base[1].mae.toFixed(1)} for the best simple baseline (${predictorName(base[0])}).`
      : `The regression tree's mean error is ${t.mae.toFixed(1)} bytes.`;
  }
  return `On this log ${predictorName(best[0])} beats the regression tree: mean error ${best[1].mae.toFixed(1)} bytes against the tree's ${tree[1].mae.toFixed(1)}. A trivial predictor is the better guess here.`;
}

// Returns the tree as indented lines, node by node (at most `max`), from flat node arrays.
export function treeLines(rep, max = 80) {
  const t = rep && rep.tree && (rep.tree.nodes || rep.tree.model || rep.tree.structure || (rep.tree.feature ? rep.tree : null));
  if (!t || !t.feature) return [];
  const names = rep.featureNames || (rep.tree && rep.tree.featureNames) || [];
  const lines = [];
  const walk = (id, depth) => {
    if (lines.length >= max || id < 0 || id >= t.feature.length) return;
    const pad = '  '.repeat(depth);
    const samples = t.samples ? ` (${t.samples[id]} samples)` : t.n_node_samples ? ` (${t.n_node_samples[id]} samples)` : '';
    const leafValue = t.leaf === 'mode' && t.mode ? t.mode : t.value;
    if (t.feature[id] < 0) { lines.push(`${pad}node ${id}: predict ${Math.round(leafValue[id])} bytes${samples}`); return; }
    const f = names[t.feature[id]] || `feature ${t.feature[id]}`;
    lines.push(`${pad}node ${id}: ${f} ≤ ${+Number(t.threshold[id]).toFixed(2)}?${samples}`);
    walk((t.left || t.children_left)[id], depth + 1);
    walk((t.right || t.children_right)[id], depth + 1);
  };
  walk(0, 0);
  if (lines.length >= max) lines.push(`… (${t.feature.length} nodes in all)`);
  return lines;
}

// Returns [featureName, importance] pairs, largest first.
export function importances(rep) {
  const imp = rep && (rep.importances || rep.featureImportances || (rep.tree && rep.tree.importances));
  if (!imp) return [];
  const names = rep.featureNames || (rep.tree && rep.tree.featureNames) || [];
  return Array.from(imp, (w, i) => [names[i] || `feature ${i}`, Number(w)]).sort((a, b) => b[1] - a[1]);
}

