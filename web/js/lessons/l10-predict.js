// l10-predict.js: lesson 10, can the next size be predicted? The
// regression tree against trivial baselines on real programs, honestly,
// and what prediction could buy an allocator.
const choices = [
  { value: 'tree', label: 'the regression tree' },
  { value: 'last', label: 'repeat the last size' },
  { value: 'mode', label: 'the most frequent size' },
  { value: 'markov1', label: 'Markov-1 (most frequent successor)' },
  { value: 'ngram', label: 'n-gram with backoff' },
];

export default {
  title: 'Can the next size be predicted?',
  teaches: 'A regression tree learns request sizes from the log, but a trivial baseline often predicts as well or better; and even perfect foresight would buy a good allocator little heap.',
  settings: { policy: 'fast', order: 'lifo', coalesce: true, align: 8, arena: 1 << 20 },
  real: 'sqlite3',
  steps: [
    {
      at: 2999,
      show: 'predict',
      text: 'These are the first 3,000 heap calls of the sqlite3 shell, recorded from the real program. The Predictions panel trains a regression tree on the first part of the request sizes and tests it on the rest, next to simple baselines on the same split: repeat the last size, the most frequent size, the most frequent successor (Markov-1), an n-gram.',
      ask: { kind: 'winner', prompt: 'Which predictor has the smallest mean error on sqlite3?', choices },
      expect: 'ngram',
      reveal: 'The winner: {answer}. sqlite3 repeats short sequences of sizes, and a table of what followed what is all it takes: the tree does worse. A trivial baseline is the honest thing to beat.',
    },
    {
      at: 2999,
      real: 'gcc_cc1_pngtest',
      show: 'predict',
      text: 'Now gcc compiling a C file: many more distinct sizes, in patterns that depend on more than the last one or two.',
      ask: { kind: 'winner', prompt: 'Which predictor wins on gcc?', choices },
      expect: 'tree',
      reveal: 'The winner: {answer}. Here the tree\'s features (the last four sizes, how often the last one repeated, and what followed the same one, two and three sizes last time) pay off. Whether learning helps depends on the program.',
    },
    {
      at: 2999,
      text: 'And what would a good guess buy? Not much heap. In a simulation of fast on these real traces, even perfect knowledge of every block\'s lifetime shrank the heap by only about 0.2% on average: segregated fits already keep most of the heap in use. That is why production allocators that learn, such as LLAMA, predict lifetimes from the call site in long-running servers, where huge pages that never empty cost real memory, rather than predicting the next size.',
    },
  ],
};
