// vocabulary.js: the page's vocabulary (model/state.js) read from the lab,
// that is from C, here and nowhere else: the names of the policies, orders
// and alignments, the header size, the smallest arena, the defaults, the
// size classes' boundaries, the search walk's reasons. The engine answers
// 'info' with it; node tests build the page's model from it too.

// the longest run whose searches are logged block by block (search marks): up to 16
// examine events per search would make a long run's log several times larger
export const SEARCH_MARK_STEPS = 20000;

// Returns the page's vocabulary (state.js) as plain data: the lab's names, alignments,
// header size, smallest arena and defaults; the policies compared side by side are
// those that search the one free list.
export function vocabularyOf(lab) {
  const d = lab.defaults;
  return {
    policies: [...lab.policies],
    comparePolicies: [...lab.policies], // every policy, the segregated fast one last
    teachingPolicies: [...lab.singleListPolicies], // those that search the one free list
    searchMarkSteps: SEARCH_MARK_STEPS,
    examineReasons: [...lab.examineReasons], // an examine event's detail -> its name
    sizeClassMin: [...lab.sizeClasses.minSize], // fast: the smallest block size of each class
    scenarioAbout: lab.scenarioAbout ? Object.fromEntries(lab.scenarios.map((n, i) => [n, lab.scenarioAbout[i]])) : {},
    orders: [...lab.orders],
    aligns: [...lab.aligns],
    headerBytes: lab.headerBytes,
    minArena: lab.minArena,
    defaults: { policy: d.policy, order: d.order, coalesce: d.coalesce, align: d.align, arena: d.arenaBytes },
  };
}
