// compare-view.js: the same operations up to the cursor under each of the
// placement policies (the vocabulary's comparePolicies, from C: first,
// next, best and worst fit and the segregated fast policy): a small heap
// map per policy (same scale for all), a summary table, and the first step
// where the policies part ways. It draws what
// it is given (the engine's compare answer); the controller (app.js) asks
// the engine only while this section is on screen and playback is not
// running, and drops stale answers.
import { el, table, whenVisible } from './dom.js';
import { HeapView } from './heap-view.js';
import { formatBytes } from '../model/heap-layout.js';

const NAMES = { first: 'First fit', next: 'Next fit', best: 'Best fit', worst: 'Worst fit', fast: 'Fast (size classes)' };

// Returns a policy's title ("Best fit"; the engine's name for one these words lack).
const title = (p) => NAMES[p] || p;

// Returns the sentence naming where the policies first part ways (engine divergence(): {teaching, fast}), or ''.
export function divergenceText(d) {
  if (!d) return '';
  const t = d.teaching ? `First, next, best and worst fit first place a block differently (or move the break differently) at step ${d.teaching}.`
    : 'First, next, best and worst fit make the same choices at every step of this run.';
  const f = d.fast ? ` Fast parts from first fit at step ${d.fast}.` : d.fast === null ? ' Fast makes the same choices as first fit throughout.' : '';
  return t + f;
}

// Returns each heap size as the table shows it: rounded (formatBytes) when that tells every
// two different sizes apart, else exact bytes for all ("5,244,928 B"), so the star is earned.
export function heapSizeTexts(sizes) {
  const rounded = sizes.map(formatBytes);
  const clash = sizes.some((a, i) => sizes.some((b, j) => a !== b && rounded[i] === rounded[j]));
  return clash ? sizes.map((n) => `${n.toLocaleString('en')} B`) : rounded;
}

// Returns the sentence under the table: which policies need the smallest heap
// (`bytes`: a byte count, or its text as the table shows it).
export function summary(winners, count, bytes) {
  if (!winners.length) return '';
  const size = typeof bytes === 'string' ? bytes : formatBytes(bytes);
  if (winners.length === count) return `Every policy needs the same heap here (${size}).`;
  const names = winners.map(title);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${list} ${names.length === 1 ? 'needs' : 'need'} the smallest heap here (${size}).`;
}

export class CompareView {
  // maps/tableBox: containers; section: the observed <section>; onVisible(): called when it
  // comes on screen (the controller then decides whether to ask the engine for show());
  // vocab: the engine's vocabulary (comparePolicies, headerBytes).
  constructor(maps, tableBox, section, { vocab, onVisible = () => {} } = {}) {
    this.maps = maps;
    this.tableBox = tableBox;
    this.views = {};
    this.k = -1;
    for (const p of vocab.comparePolicies) {
      const canvas = el('canvas', { role: 'img', 'aria-label': `${title(p)} heap layout` });
      const scroller = el('div', { class: 'heap-scroll small' }, canvas);
      const detail = el('p', { class: 'detail small' });
      maps.append(el('figure', { class: 'cmp' }, el('figcaption', { text: title(p) }), scroller, detail));
      this.views[p] = new HeapView(canvas, scroller, detail, { vocab });
    }
    // the first compare on a long run replays it under each policy: its progress, with Cancel
    this.bar = el('progress', { max: '1', value: '0', 'aria-label': 'Replaying under each policy' });
    this.cancel = el('button', { type: 'button', text: 'Cancel' });
    this.barText = el('span', { class: 'hint' });
    this.barBox = el('p', { class: 'compare-progress' }, this.barText, this.bar, this.cancel);
    this.barBox.hidden = true;
    this.cancel.addEventListener('click', () => { if (this.onCancel) this.onCancel(); });
    maps.before(this.barBox);
    // off screen until observed; without an observer the section counts as always on screen
    this.visible = !whenVisible(section, (on) => { this.visible = on; if (on) onVisible(); }, '200px');
  }

  // Shows the progress of a compare (fraction 0..1) with Cancel calling onCancel; null hides it.
  progress(fraction, onCancel = null) {
    this.onCancel = onCancel;
    this.barBox.hidden = fraction === null;
    if (fraction === null) return;
    this.bar.value = fraction;
    this.barText.textContent = `Replaying the operations under each policy… ${Math.floor(100 * fraction)}%`;
  }

  // Returns true when the heaps shown are those at step k.
  shows(k) {
    return this.k === k;
  }

  // Draws the heaps of a compare answer {k, heaps} for a run of n ops (maxHeap bytes at most) at `align`.
  show(res, { n, maxHeap, align }) {
    const k = res.k;
    this.k = k;
    const span = Math.max(...res.heaps.map((h) => (h.stats ? h.stats.heapPeak : 0)), maxHeap || 0, 64);
    const rows = [];
    const ok = res.heaps.filter((h) => !h.error);
    const least = Math.min(...ok.map((h) => h.stats.heapSize));
    const winners = ok.filter((h) => h.stats.heapSize === least).map((h) => h.policy);
    const texts = heapSizeTexts(ok.map((h) => h.stats.heapSize));
    const sizeText = new Map(ok.map((h, i) => [h, texts[i]]));
    const draws = [];
    for (const h of res.heaps) {
      if (h.error) { rows.push({ cells: [h.policy ? title(h.policy) : '?', h.error, '', '', '', ''] }); continue; }
      draws.push(() => this.views[h.policy].show({ ...h, span, align, touched: { blocks: new Set(), extend: null } }));
      const s = h.stats;
      rows.push({
        policy: h.policy,
        cells: [title(h.policy), `${(100 * s.utilization).toFixed(1)}%`, `${(100 * s.externalFrag).toFixed(1)}%`, sizeText.get(h), s.scannedMean.toFixed(2), String(s.failures)],
      });
    }
    if (winners.length < ok.length) for (const r of rows) if (winners.includes(r.policy)) r.className = 'least';
    this.tableBox.replaceChildren(
      table(['policy', 'utilization', 'external fragmentation', 'heap size', 'mean blocks scanned', 'failures'], rows, `After step ${k} of ${n}`),
      el('p', { class: 'hint diverge', text: divergenceText(res.diverge) }),
      el('p', { class: 'hint', text: summary(winners, ok.length, texts[ok.findIndex((h) => h.stats.heapSize === least)] || least) }),
    );
    this.drawInTurn(draws);
  }

  // Draws the policies' maps one per animation frame (the first at once), so five maps of a large heap
  // are five short tasks rather than one long one; a newer show() drops the rest of an older one's.
  drawInTurn(draws) {
    const turn = {};
    this.turn = turn;
    const next = () => {
      if (this.turn !== turn || !draws.length) return;
      draws.shift()();
      if (draws.length) requestAnimationFrame(next);
    };
    next();
  }

  // Re-reads the theme colours of the maps (after a light/dark switch).
  refreshColours() {
    for (const v of Object.values(this.views)) v.refreshColours();
  }
}
