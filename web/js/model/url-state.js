// url-state.js: the page's state <-> URL query, DOM-free.
// ?scenario=random&seed=1&ops=300&policy=best&order=addr&coalesce=0&align=16
//  &arena=65536&step=42&cut=100&m=a32.f3.r4:128&zoom=4&embed=1&view=4096-8192
// `cut` and `m` describe manual edits: the first `cut` ops of the scenario,
// then the manual ops (a<size> malloc, f<id> free, r<id>:<size> realloc).
// Unknown or malformed values fall back to defaults, each named in the
// parsed state's `problems` (sentences the page shows); nothing here throws.
// The settings' names and defaults are the engine's vocabulary (state.js).
import { normalizeSettings, MAX_ARENA } from './state.js';
import { formatBytes } from './heap-layout.js';

export const DEFAULT_SCENARIO = Object.freeze({ name: 'random', seed: 1, ops: 300 });
const MAX_OPS = 200000;

// Returns a non-negative integer from text, or the fallback.
function intOr(text, fallback, max = 4294967295) {
  if (text === null || text === undefined || !/^\d{1,10}$/.test(text)) return fallback;
  const v = Number(text);
  return v <= max ? v : fallback;
}

// Returns the manual ops parsed from the `m` parameter (invalid tokens dropped, and
// pushed onto `bad` when given).
export function parseManual(text, bad = []) {
  if (!text) return [];
  const out = [];
  for (const tok of text.split('.')) {
    let m;
    if ((m = /^a(\d{1,10})$/.exec(tok))) out.push({ op: 'alloc', size: Number(m[1]) });
    else if ((m = /^f(\d{1,10})$/.exec(tok))) out.push({ op: 'free', id: Number(m[1]) });
    else if ((m = /^r(\d{1,10}):(\d{1,10})$/.exec(tok))) out.push({ op: 'realloc', id: Number(m[1]), size: Number(m[2]) });
    else bad.push(tok);
  }
  return out;
}

// Returns the sentences naming each value of query q that parseQuery could not use
// (`settings` and `scenario` being what it used instead).
function problemsOf(q, settings, scenario, v, badOps) {
  const out = [];
  const shown = (key) => `${key}=${JSON.stringify(q.get(key).slice(0, 40))}`;
  const choices = { policy: v.policies, order: v.orders, align: v.aligns };
  for (const key of ['policy', 'order', 'align']) {
    if (q.has(key) && String(settings[key]) !== q.get(key)) out.push(`${shown(key)} is not one of ${choices[key].join(', ')}: using ${settings[key]}`);
  }
  if (q.has('arena') && String(settings.arena) !== q.get('arena')) out.push(`${shown('arena')} is not a whole number of bytes from ${v.minArena} to ${formatBytes(MAX_ARENA)}: using ${settings.arena}`);
  if (q.has('coalesce') && !['0', '1', 'true', 'false'].includes(q.get('coalesce'))) out.push(`${shown('coalesce')} is not 0 or 1: using ${settings.coalesce ? 1 : 0}`);
  if (q.has('seed') && String(scenario.seed) !== q.get('seed')) out.push(`${shown('seed')} is not a whole number ≥ 0: using ${scenario.seed}`);
  if (q.has('ops') && String(scenario.ops) !== q.get('ops')) out.push(`${shown('ops')} is not a whole number from 1 to ${MAX_OPS}: using ${scenario.ops}`);
  if (q.has('scenario') && scenario.name !== q.get('scenario')) out.push(`${shown('scenario')} is not a scenario name: using ${scenario.name}`);
  for (const key of ['step', 'cut']) if (q.has(key) && intOr(q.get(key), null) === null) out.push(`${shown(key)} is not a whole number ≥ 0: ignored`);
  if (q.has('view') && !parseView(q.get('view'))) out.push(`${shown('view')} is not a region lo-hi of bytes with lo < hi: the whole heap is shown`);
  if (badOps.length) out.push(`m: ${badOps.slice(0, 3).map((t) => JSON.stringify(t.slice(0, 20))).join(', ')}${badOps.length > 3 ? ` and ${badOps.length - 3} more` : ''} ${badOps.length === 1 ? 'is not an operation' : 'are not operations'} (a<size>, f<id>, r<id>:<size>): left out`);
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
  const ops = intOr(q.get('ops'), DEFAULT_SCENARIO.ops, MAX_OPS);
  const scenario = {
    name: /^[a-z0-9_:-]+$/i.test(name) ? name : DEFAULT_SCENARIO.name,
    seed: intOr(q.get('seed'), DEFAULT_SCENARIO.seed),
    ops: ops >= 1 ? ops : DEFAULT_SCENARIO.ops,
  };
  const badOps = [];
  const manual = parseManual(q.get('m'), badOps);
  const zoom = intOr(q.get('zoom'), 1, 64);
  return {
    scenario,
    settings,
    step: q.has('step') ? intOr(q.get('step'), 0) : null,
    cut: q.has('cut') ? intOr(q.get('cut'), 0) : null,
    manual,
    zoom: zoom >= 1 ? zoom : 1,
    embed: q.get('embed') === '1',
    view: parseView(q.get('view')),
    problems: problemsOf(q, settings, scenario, v, badOps),
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
  if (st.step !== null) q.set('step', String(st.step)); // null: a link that cannot restore the run names no step
  if (st.zoom && st.zoom !== 1) q.set('zoom', String(st.zoom));
  if (st.embed) q.set('embed', '1');
  if (st.view) q.set('view', `${st.view.lo}-${st.view.hi}`);
  return `?${q.toString().replace(/%3A/g, ':')}`;
}
