// predict-model.js: turns a prediction report (lab.predict) into what the
// page says, DOM-free. No single number decides: the verdict names which
// predictor wins on each measure a reader cares about (mean error, exact
// size, size class), names a trivial baseline when it beats the tree, and
// says when the test part holds too few requests to tell. The tree's
// feature names are C's (size_features.h); here they get their meaning.

const NAMES = { tree: 'regression tree', tree_sklearn: 'regression tree, mean leaves (scikit-learn exact)', last: 'repeat last size', mode: 'most frequent size', markov1: 'Markov-1 (most frequent successor)', ngram: 'n-gram with backoff' };

// The fewest test requests on which the page names a winner.
export const MIN_TEST = 30;

// What each feature C names (size_features.h) means, for a reader; lagK is "the size K requests back".
const FEATURES = {
  run: 'how many times in a row the previous size has just repeated',
  delta: 'the change between the last two sizes',
  next1: 'what followed the previous size the last time it was asked for',
  next2: 'what followed the last two sizes the last time they came in that order',
  next3: 'what followed the last three sizes the last time they came in that order',
  mf1: 'the size that has most often followed the previous size so far',
  mf2: 'the size that has most often followed the last two sizes so far',
};

// Returns what feature `name` means (from the history before the request only), or '' when unknown.
export function featureMeaning(name) {
  const lag = /^lag(\d+)$/.exec(name);
  if (lag) return lag[1] === '1' ? 'the previous request size' : `the request size ${lag[1]} requests back`;
  return FEATURES[name] || '';
}

// The measures the verdict weighs: [metric key(s), words, larger is better].
const MEASURES = [
  [['mae'], 'closest on average (mean error)', false],
  [['exact'], 'exact size most often', true],
  [['size_class', 'sizeClass'], 'right size class most often', true],
];

// Returns a metric of m by its keys (the first present), or NaN.
function metric(m, keys) {
  for (const k of keys) if (Number.isFinite(m[k])) return m[k];
  return NaN;
}

// Returns a metric as the table and the verdict show it.
function shown(keys, x) {
  return keys[0] === 'mae' ? `${x.toFixed(1)} bytes` : pct(x);
}

// Returns, per measure, {words, keys, best: [keys of the winners], value, tree}: the predictors that
// win it (all of them on a tie, as shown rounded), every row of the table competing.
export function measureWinners(rep) {
  const list = predictors(rep);
  return MEASURES.map(([keys, words, up]) => {
    const vals = list.map(([key, m]) => [key, metric(m, keys)]).filter(([, v]) => Number.isFinite(v));
    if (!vals.length) return null;
    const best = vals.reduce((a, [, v]) => (up ? Math.max(a, v) : Math.min(a, v)), up ? -Infinity : Infinity);
    const text = shown(keys, best);
    const tree = vals.find(([key]) => key === 'tree');
    return { words, keys, best: vals.filter(([, v]) => shown(keys, v) === text).map(([key]) => key), value: best, tree: tree ? tree[1] : NaN };
  }).filter(Boolean);
}

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

// Returns metric table rows: MAE, RMSE, exact-match and size-class rates; each measure's
// winning value is starred (ties all starred), the tree's row marked.
export function metricRows(rep) {
  const wins = new Map(measureWinners(rep).map((w) => [w.keys[0], new Set(w.best)]));
  const star = (key, col, text) => (wins.get(col) && wins.get(col).has(key) && wins.get(col).size < predictors(rep).length ? `${text}\u00a0★` : text);
  return predictors(rep).map(([key, m]) => ({
    className: key === 'tree' ? 'row-tree' : null,
    cells: [predictorName(key), star(key, 'mae', m.mae.toFixed(1)), Number.isFinite(m.rmse) ? m.rmse.toFixed(1) : '–', star(key, 'exact', pct(m.exact)), star(key, 'size_class', pct(m.size_class ?? m.sizeClass))],
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

// Returns a list of names joined with commas and "and".
function names(keys) {
  const n = keys.map(predictorName);
  return n.length < 2 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

// Returns the plain-language verdict: who wins on which measure, or that the test part is too small to tell.
export function verdict(rep, k) {
  const list = predictors(rep);
  const tree = list.find(([key]) => key === 'tree');
  if (!tree) return `Not enough allocation requests in the first ${k} operations to train and test a predictor.`;
  const test = Number(rep.test);
  if (Number.isFinite(test) && test < MIN_TEST) {
    return `Too few test requests to tell: the last ${test === 1 ? 'request was' : `${test} requests were`} held back to test on, and a predictor can be lucky on so few. Step further (at least ${MIN_TEST} test requests) and train again.`;
  }
  const wins = measureWinners(rep);
  const treeWins = wins.filter((w) => w.best.includes('tree'));
  const each = wins.map((w) => `${w.words}: ${names(w.best)}, ${shown(w.keys, w.value)}${w.best.includes('tree') ? '' : ` against the tree's ${shown(w.keys, w.tree)}`}`);
  if (treeWins.length === wins.length) return `On this log the regression tree predicts best on every measure. ${each.map((t) => `${t[0].toUpperCase()}${t.slice(1)}.`).join(' ')}`;
  const others = [...new Set(wins.flatMap((w) => w.best))].filter((key) => key !== 'tree');
  if (!treeWins.length && others.length === 1) return `On this log ${predictorName(others[0])} beats the regression tree on every measure: a trivial predictor is the better guess here. ${each.map((t) => `${t[0].toUpperCase()}${t.slice(1)}.`).join(' ')}`;
  return `No predictor is best on every measure here. ${each.map((t) => `${t[0].toUpperCase()}${t.slice(1)}.`).join(' ')}`;
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
