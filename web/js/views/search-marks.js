// search-marks.js: the last operation's search, drawn over the heap map
// (an overlay HeapView calls after its own drawing) and listed in words
// beside it. Every block the policy examined gets its number in walk order
// and a bar in the colour of why it was passed over (too small; fits, but a
// better one was taken) or taken; the chosen block is the one the map's
// touched outline shows split. While the page plays, the marks appear one
// after the other within the step, unless the reader prefers reduced
// motion. The marks are the engine's own record (model/search.js); this
// file only draws them. The list keeps the largest height it had in the run
// (a step without a search, a free, empties it but keeps its place), so
// stepping does not move the map's panel and every panel under it up and
// down; a new run (reset) lets it go.
import { el } from './dom.js';
import { rectsOf } from '../model/heap-layout.js';
import { searchLines, whyText } from '../model/search.js';

const WHY_CLASS = { too_small: 'mk-small', not_best: 'mk-pass', chosen: 'mk-chosen', next_class: 'mk-chosen', top_last: 'mk-pass' };

// Returns true when the reader asked for reduced motion.
function reducedMotion() {
  return !!(globalThis.matchMedia && globalThis.matchMedia('(prefers-reduced-motion: reduce)').matches);
}

export class SearchMarks {
  // heap: the HeapView to draw over; box: the element the walk is listed in.
  // recordedSteps: the longest run whose walks the engine records (vocabulary searchMarkSteps).
  constructor(heap, box, recordedSteps = 0) {
    this.recordedSteps = recordedSteps;
    this.heap = heap;
    this.box = box;
    this.search = null;
    this.policy = '';
    this.shown = 0; // marks drawn so far (all of them unless animating)
    this.timer = 0;
    this.listed = null; // the words the box holds (list)
    this.height = 0; // the box's largest height in this run (px, kept by a ResizeObserver: no layout is forced)
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver((es) => {
        const e = es[es.length - 1];
        const h = e.borderBoxSize && e.borderBoxSize[0] ? e.borderBoxSize[0].blockSize : box.offsetHeight;
        if (box.childElementCount && h > this.height) this.height = h;
      }).observe(box);
    }
    heap.overlays.push(this);
  }

  // Forgets the walk and its height (another run: nothing to keep the place of).
  reset() {
    clearTimeout(this.timer);
    this.search = null;
    this.listed = null;
    this.height = 0;
    this.box.style.minHeight = '';
    this.box.replaceChildren();
    this.box.hidden = true;
  }

  // Shows an op's search (model/search.js searchOf, or null) under `policy`; with `animate`,
  // reveals the marks one by one within stepMs milliseconds. `run`: the run the op is from
  // (another run: the last one's walk and its place are forgotten first).
  show(search, policy, { animate = false, stepMs = 0, run = null } = {}) {
    if (run !== this.run) { this.reset(); this.run = run; }
    clearTimeout(this.timer);
    this.search = search;
    this.policy = policy;
    const n = search ? search.marks.length : 0;
    this.animating = animate && n > 1 && stepMs >= 150 && !reducedMotion();
    this.shown = this.animating ? 1 : n;
    this.list();
    if (this.animating) {
      const every = Math.max(40, Math.min(400, (stepMs * 0.8) / n));
      const tick = () => {
        this.shown++;
        this.list();
        this.heap.draw();
        if (this.shown < n) this.timer = setTimeout(tick, every);
      };
      this.timer = setTimeout(tick, every);
    }
  }

  // Returns the marks currently drawn (the engine's examined blocks, in walk order).
  drawn() {
    return this.search ? this.search.marks.slice(0, this.shown) : [];
  }

  // Lists the walk in words (the marks shown so far). The box is written only when its words
  // change (successive frees, or steps whose walk reads the same, leave the page as it was).
  list() {
    const t = searchLines(this.search, this.policy, this.recordedSteps);
    const marks = this.drawn();
    const words = t ? [t.head, ...marks.map((m) => `${m.order} ${m.block} ${m.size} ${m.why}`), ...t.lines].join('\n') : '';
    if (words === this.listed) return;
    this.listed = words;
    if (!t) {
      this.box.replaceChildren();
      if (this.height && !this.box.hidden) this.box.style.minHeight = `${this.height}px`; // the walk's place, kept
      else this.box.hidden = true;
      return;
    }
    if (this.height) this.box.style.minHeight = `${this.height}px`;
    this.box.hidden = false;
    const items = marks.map((m) => el('li', { class: WHY_CLASS[m.why] || '', dataset: { block: String(m.block), why: m.why } },
      el('span', { class: 'mk-num', text: String(m.order), 'aria-hidden': 'true' }),
      ` block @${m.block} (${m.size} bytes): ${whyText(m.why, this.policy)}`));
    const notes = t.lines.filter((line) => !/^\d+\. /.test(line)).map((line) => el('p', { class: 'hint', text: line }));
    this.box.replaceChildren(el('p', { class: 'mk-head', text: t.head }), el('ol', { class: 'mk-list' }, items), ...notes);
  }

  // Draws the marks on the map (called by HeapView.draw with its context and layout).
  draw(g, L) {
    const marks = this.drawn();
    if (!marks.length) return;
    const cs = getComputedStyle(this.heap.canvas);
    const colour = (why) => cs.getPropertyValue(why === 'too_small' ? '--c-mark-small' : why === 'not_best' ? '--c-mark-pass' : '--c-mark-chosen').trim() || '#000';
    g.save();
    g.font = 'bold 10px system-ui, sans-serif';
    g.textBaseline = 'middle';
    g.textAlign = 'center';
    for (const m of marks) {
      const rs = rectsOf(m.block, m.block + m.size, L);
      if (!rs.length) continue;
      g.fillStyle = colour(m.why);
      for (const r of rs) g.fillRect(r.x, r.y + r.h - 5, Math.max(r.w, 2), 5);
      // the number sits on the block's first row, at its right end above the bar (clear of the
      // touched label, which the map draws in the link band at the block's start)
      const r = rs[0];
      const x = Math.max(7, Math.min(L.width - 7, r.x + Math.max(7, r.w - 8)));
      const y = r.y + r.h - 12;
      g.beginPath();
      g.arc(x, y, 7, 0, 2 * Math.PI);
      g.fill();
      g.fillStyle = '#fff';
      g.fillText(String(m.order), x, y + 0.5);
    }
    g.restore();
  }
}
