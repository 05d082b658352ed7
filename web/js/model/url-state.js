// url-state.js: the page's state <-> URL query, DOM-free.
// ?scenario=random&seed=1&ops=300&policy=best&order=addr&coalesce=0&align=16
//  &arena=65536&step=42&cut=100&m=a32.f3.r4:128&embed=1&view=4096-8192
// `cut` and `m` describe manual edits: the first `cut` ops of the scenario,
// then the manual ops (a<size> malloc, f<id> free, r<id>:<size> realloc).
// Unknown or malformed values fall back to defaults; nothing here throws.
// The settings' names and defaults are the engine's vocabulary (state.js).
import { normalizeSettings } from './state.js';

export const DEFAULT_SCENARIO = Object.freeze({ name: 'random', seed: 1, ops: 300 });
const MAX_OPS = 200000;

// Returns a non-negative integer from text, or the fallback.
function intOr(text, fallback, max = 4294967295) {
  if (text === null || text === undefined || !/^\d{1,10}$/.test(text)) return fallback;
  const v = Number(text);
  return v <= max ? v : fallback;
}

// Returns the manual ops parsed from the `m` parameter (invalid tokens dropped).
export function parseManual(text) {
  if (!text) return [];
  const out = [];
  for (const tok of text.split('.')) {
    let m;
    if ((m = /^a(\d{1,10})$/.exec(tok))) out.push({ op: 'alloc', size: Number(m[1]) });
    else if ((m = /^f(\d{1,10})$/.exec(tok))) out.push({ op: 'free', id: Number(m[1]) });
    else if ((m = /^r(\d{1,10}):(\d{1,10})$/.exec(tok))) out.push({ op: 'realloc', id: Number(m[1]), size: Number(m[2]) });
  }
  return out;
}

// Returns the `m` parameter for manual ops.
export function formatManual(ops) {
  return ops.map((o) => (o.op === 'alloc' ? `a${o.size}` : o.op === 'free' ? `f${o.id}` : `r${o.id}:${o.size}`)).join('.');
}

// Returns a run's ops as manual ops (allocs renumbered in order, frees and reallocs
// following them), so a small imported trace fits in a link; null when the run is
// longer than `max` ops or holds a call no manual op can express (a bad free).
export function runAsManual(run, max = 500) {
  if (run.n > max) return null;
  const ids = new Map();
  const out = [];
  for (let i = 0; i < run.n; i++) {
    const op = run.op[i];
    const id = run.id[i];
    const size = run.cols.size[i];
    if (op === 0 || op === 3) { ids.set(id, ids.size); out.push({ op: 'alloc', size }); continue; }
    if (!ids.has(id)) return null;
    out.push(op === 1 ? { op: 'free', id: ids.get(id) } : { op: 'realloc', id: ids.get(id), size });
  }
  return out;
}

// Returns the heap map's window from the `view` parameter ("lo-hi", bytes [lo, hi)), or null.
export function parseView(text) {
  const m = /^(\d{1,10})-(\d{1,10})$/.exec(text || '');
  if (!m) return null;
  const lo = Number(m[1]), hi = Number(m[2]);
  return hi > lo ? { lo, hi } : null;
}

// Returns the page state a query string describes, under vocabulary v.
export function parseQuery(search, v) {
  const q = new URLSearchParams(search || '');
  const name = (q.get('scenario') || DEFAULT_SCENARIO.name).slice(0, 64);
  const settings = normalizeSettings({
    policy: q.get('policy') || undefined,
    order: q.get('order') || undefined,
    coalesce: q.has('coalesce') ? q.get('coalesce') : undefined,
    align: q.get('align') || undefined,
    arena: q.get('arena') || undefined,
  }, v);
  return {
    scenario: {
      name: /^[a-z0-9_:-]+$/i.test(name) ? name : DEFAULT_SCENARIO.name,
      seed: intOr(q.get('seed'), DEFAULT_SCENARIO.seed),
      ops: Math.max(1, intOr(q.get('ops'), DEFAULT_SCENARIO.ops, MAX_OPS)),
    },
    settings,
    step: q.has('step') ? intOr(q.get('step'), 0) : null,
    cut: q.has('cut') ? intOr(q.get('cut'), 0) : null,
    manual: parseManual(q.get('m')),
    embed: q.get('embed') === '1',
    view: parseView(q.get('view')),
  };
}

// Returns the query string (with leading '?') for a page state; v.defaults are omitted.
export function formatQuery(st, v) {
  const d = v.defaults;
  const q = new URLSearchParams();
  q.set('scenario', st.scenario.name);
  if (st.scenario.generated) {
    q.set('seed', String(st.scenario.seed));
    q.set('ops', String(st.scenario.ops));
  }
  const s = st.settings;
  for (const key of ['policy', 'order', 'align', 'arena']) {
    if (s[key] !== d[key]) q.set(key, String(s[key]));
  }
  if (s.coalesce !== d.coalesce) q.set('coalesce', s.coalesce ? '1' : '0');
  if (st.manual && st.manual.length) {
    if (st.cut !== null && st.cut !== undefined) q.set('cut', String(st.cut));
    q.set('m', formatManual(st.manual));
  }
  q.set('step', String(st.step));
  if (st.embed) q.set('embed', '1');
  if (st.view) q.set('view', `${st.view.lo}-${st.view.hi}`);
  return `?${q.toString().replace(/%3A/g, ':')}`;
}
