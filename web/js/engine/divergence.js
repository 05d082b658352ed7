// divergence.js: where the compared policies first part ways on a run (the
// compare view names that step). Each policy's heap replays the run with
// the log on, and the first step after which some placement (the op's
// offset) or the break differs is the answer: among the teaching policies
// (first, next, best and worst fit), and for the segregated ones against
// first fit. The engine computes it once per run (engine-core.js).

// Returns {teaching, fast}: the first differing step (1-based) or null when never.
// trace: the run's steps; heapOf(policy): a fresh logging heap for it (destroyed here).
export function firstDivergence(trace, heapOf, comparePolicies, teachingPolicies) {
  const cols = {};
  for (const p of comparePolicies) {
    const h = heapOf(p);
    try {
      h.replay(trace, { verify: false });
      const t = h.logTable();
      cols[p] = [t.cols.offset, t.cols.heapSize];
    } finally {
      h.destroy();
    }
  }
  const first = (ps) => {
    const [o0, b0] = cols[ps[0]];
    for (let i = 0; i < trace.length; i++) {
      if (ps.some((p) => cols[p][0][i] !== o0[i] || cols[p][1][i] !== b0[i])) return i + 1;
    }
    return null;
  };
  const fast = comparePolicies.filter((p) => !teachingPolicies.includes(p));
  return { teaching: first(teachingPolicies), fast: fast.length ? first([teachingPolicies[0], ...fast]) : null };
}
