// scenarios.js: where operations come from. Seeded generators (the
// engine's), bundled real-program traces (data.js), manual operations on
// an empty heap, and imported files. A scenario descriptor is plain data:
// {kind: 'gen'|'real'|'manual'|'import', name, label, seed?, ops?, text?, fileName?}.
import { REAL_TRACES, realTrace } from './data.js';

const GEN_LABELS = {
  random: 'Random allocs and frees',
  stack: 'Stack (LIFO frees)',
  queue: 'Queue (FIFO frees)',
  phases: 'Phases with survivors',
  fragment: 'Fragmentation stress',
  realloc: 'Growing by realloc',
  'best-wins': 'Where best fit wins (vs first fit)',
  'worst-wins': 'Where worst fit wins (vs best fit)',
  'next-spreads': 'Where next fit spreads fragmentation',
};

// Returns the scenario choices as groups: [{label, items: [{value, label}]}].
export function scenarioGroups(genNames) {
  return [
    { label: 'Generated (seeded)', items: genNames.map((n) => ({ value: n, label: GEN_LABELS[n] || n })) },
    { label: 'Real programs (first 3,000 operations)', items: REAL_TRACES.map(([n, l]) => ({ value: n, label: l })) },
    { label: 'Your own', items: [{ value: 'manual', label: 'Empty heap: do it yourself' }, { value: 'import', label: 'Imported trace', disabled: true }] },
  ];
}

// Returns a scenario descriptor for a name (generated ones take seed and ops), or null when unknown.
export async function scenarioFor(name, genNames, seed, ops) {
  if (genNames.includes(name)) return { kind: 'gen', name, label: `${GEN_LABELS[name] || name} (seed ${seed})`, seed, ops };
  const real = REAL_TRACES.find(([n]) => n === name);
  if (real) return { kind: 'real', name, label: real[1], text: await realTrace(name) };
  if (name === 'manual') return { kind: 'manual', name, label: 'Your operations', text: 'op,id,size\n' };
  return null;
}

// Returns an imported scenario for a file's text.
export function importedScenario(fileName, text) {
  return { kind: 'import', name: 'import', label: `Imported ${fileName}`, fileName, text };
}
