// step-map.js: which step of a new run shows the same operation as step k of
// the old one, DOM-free. A run's steps are its trace's ops minus those that
// made no log row (a free or realloc of a block whose allocation failed), so
// the same trace under other settings (a smaller arena, say) can have fewer
// or more steps and step k may name another operation. Both runs are the
// trace with some ops left out; walking them side by side pairs the ops they
// share.

// Returns true when op i of run a and op j of run b are the same call.
function same(a, i, b, j) {
  return a.op[i] === b.op[j] && a.id[i] === b.id[j] && a.cols.size[i] === b.cols.size[j];
}

const LOOKAHEAD = 16; // how far ahead in b an op of a is looked for past ops a lacks

// Returns {k, exact}: the step of run b after the op that step k of run a last applied
// (exact), or, when b lacks that op, after the last op before it that b has (exact false).
// The end of a maps to the end of b.
export function sameStep(a, k, b) {
  if (k <= 0) return { k: 0, exact: true };
  if (k >= a.n) return { k: b.n, exact: true };
  let i = 0, j = 0, matched = -1;
  while (i < k && j < b.n) {
    if (same(a, i, b, j)) { matched = i; i++; j++; continue; }
    // ops b has and a lacks are frees and reallocs; look past a few of them for op i
    let ahead = -1;
    for (let d = j + 1; d < Math.min(b.n, j + 1 + LOOKAHEAD) && b.op[d - 1] !== 0 && b.op[d - 1] !== 3; d++) {
      if (same(a, i, b, d)) { ahead = d; break; }
    }
    if (ahead >= 0) j = ahead; else i++; // b's ops j..ahead-1 are not in a / a's op i is not in b
  }
  return { k: j, exact: matched === k - 1 };
}
