// log-view.js: the event log as a virtualised table. Only the rows in view
// (plus a margin) exist in the DOM; a spacer gives the scrollbar its height.
// Browsers cap an element's height (Chromium at 33,554,432 px: 559,000 rows
// of 60 px), so past MAX_SPACER px the spacer stays MAX_SPACER tall and the
// scroll position maps proportionally onto the rows (a scrollbar pixel is
// then several rows' worth; the wheel is read as row distances instead).
// Row i is op i of the run; the row of the last applied op (cursor - 1) is
// marked current and kept in view. Clicking a row, or Enter on the row the
// arrow keys picked while the log has keyboard focus, moves the cursor just after
// that op. Words come from words.js, built lazily per row. The row height
// is the CSS variable --log-row (taller when the log is narrow). A recorded
// trace's call site (model/sites.js) gets a line of its own in the row.
// A long run's log rows come in windows (model/run-rows.js): a row whose
// window is not at hand shows its step (the op, id and size asked) and is
// filled in when the window arrives (onNeed asks for it; refresh() redraws).
import { logRow, missingRows } from '../model/run-rows.js';
import { siteAt } from '../model/sites.js';
import { describeOp } from '../model/words.js';

const MARGIN = 3;
const MAX_SPACER = 4000000; // px: well under every browser's element height cap
const COLS = [['#', 'seq'], ['call', 'op'], ['id', 'id'], ['size asked', 'size'], ['payload at', 'off'], ['block size', 'blk'], ['break', 'heap'], ['what the allocator did', 'what']];
const OPNAME = ['malloc', 'free', 'realloc', 'calloc'];

// Returns a new element with a class and text.
function cell(cls, text) {
  const d = document.createElement('div');
  d.className = `c ${cls}`;
  d.setAttribute('role', 'cell');
  d.textContent = text;
  return d;
}

// Adds a recorded trace's call site to a log row (a line of its own, full text on hover).
function addSite(row, site) {
  if (!site) return;
  const s = document.createElement('span');
  s.className = 'site';
  s.textContent = `at ${site}`;
  s.title = `called at ${site} (recorded call site)`;
  row.append(s);
  row.classList.add('has-site');
}

export class LogView {
  // root: the role=table container; onPick(k): called with the cursor after a clicked row;
  // onNeed(from, to): called with the rows in view that are not at hand.
  constructor(root, onPick, onNeed = () => {}) {
    this.root = root;
    this.onPick = onPick;
    this.onNeed = onNeed;
    this.run = null;
    this.cursor = 0;
    const head = document.createElement('div');
    head.className = 'lrow head';
    head.setAttribute('role', 'row');
    head.setAttribute('aria-rowindex', '1');
    for (const [label, cls] of COLS) {
      const h = cell(cls, label);
      h.setAttribute('role', 'columnheader');
      head.append(h);
    }
    this.body = document.createElement('div');
    this.body.className = 'lbody';
    this.body.setAttribute('role', 'rowgroup');
    this.spacer = document.createElement('div');
    this.spacer.className = 'spacer';
    this.body.append(this.spacer);
    root.replaceChildren(head, this.body);
    this.active = -1; // the row the keyboard picked (-1: none yet)
    this.ROW = 60;
    this.body.addEventListener('scroll', () => { if (this.body.scrollTop !== this.renderedTop) this.render(); }); // not again for setCursor's own scroll
    this.body.addEventListener('click', (e) => {
      const row = e.target.closest('.lrow');
      if (row && row.dataset.i !== undefined) this.onPick(Number(row.dataset.i) + 1);
    });
    this.body.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    root.addEventListener('keydown', (e) => this.key(e));
    root.addEventListener('focus', () => { if (this.run && this.run.n) this.activate(this.active >= 0 ? this.active : Math.max(0, this.cursor - 1), false); });
    root.addEventListener('blur', () => this.render());
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.relayout()).observe(this.body);
  }

  // Re-reads the row height (the log's width may have changed it) and redraws, keeping the current row in view.
  relayout() {
    const row = Number.parseFloat(getComputedStyle(this.body).getPropertyValue('--log-row')) || 60;
    if (!this.run) { this.ROW = row; return; }
    if (row === this.ROW && this.spacer.style.height === `${this.geometry().spacer}px`) { this.render(); return; }
    this.ROW = row;
    this.spacer.style.height = `${this.geometry().spacer}px`;
    this.reveal(this.cursor - 1);
    this.render();
  }

  // Returns the full height of the rows in px, and the factor from scroll px to row px (1 below the cap).
  geometry() {
    const total = this.run ? this.run.n * this.ROW : 0;
    const h = this.body.clientHeight || 600;
    const spacer = Math.min(total, MAX_SPACER);
    const scale = total > spacer && spacer > h ? (total - h) / (spacer - h) : 1;
    return { total, spacer, scale, h };
  }

  // Returns the px offset into the rows at the top of the view.
  viewTop() {
    const g = this.geometry();
    return Math.min(Math.max(0, g.total - g.h), this.body.scrollTop * g.scale);
  }

  // Scrolls so that the rows start `top` px above the view.
  scrollToRows(top) {
    this.body.scrollTop = Math.max(0, top) / this.geometry().scale;
  }

  // Reads the wheel as a distance in rows when the scroll position is scaled (else the browser scrolls).
  wheel(e) {
    const g = this.geometry();
    if (g.scale === 1 || e.ctrlKey) return;
    e.preventDefault();
    const dy = e.deltaMode === 1 ? e.deltaY * this.ROW / 3 : e.deltaMode === 2 ? e.deltaY * g.h : e.deltaY;
    this.scrollToRows(this.viewTop() + dy);
  }

  // Installs a run (the rows change) and scrolls to the top.
  setRun(run) {
    this.run = run;
    this.ROW = Number.parseFloat(getComputedStyle(this.body).getPropertyValue('--log-row')) || this.ROW;
    this.root.setAttribute('aria-rowcount', String(run.n + 1));
    this.root.style.setProperty('--seq-digits', String(Math.max(3, String(run.n).length)));
    this.root.style.setProperty('--num-digits', String(Math.max(4, String(Math.max(run.maxHeap || 0, run.maxId || 0)).length)));
    this.spacer.style.height = `${this.geometry().spacer}px`;
    this.body.scrollTop = 0;
    this.active = -1;
    this.root.removeAttribute('aria-activedescendant');
    this.cache = new Map();
    this.rows = null;
    this.render();
  }

  // Marks op cursor-1 as current and scrolls it into view.
  setCursor(k) {
    this.cursor = k;
    this.reveal(k - 1);
    this.render();
  }

  // Runs fn (which may move the cursor, and the view with it) and scrolls the view back where it was.
  keepingScroll(fn) {
    const top = this.body.scrollTop;
    fn();
    if (this.body.scrollTop !== top) {
      this.body.scrollTop = top;
      this.render();
    }
  }

  // Scrolls row i into view (to the middle when it is out of view); i < 0 scrolls to the top.
  reveal(i) {
    if (i < 0) { this.body.scrollTop = 0; return; }
    const top = i * this.ROW;
    const v = this.viewTop();
    const h = this.body.clientHeight;
    if (top < v || top + this.ROW > v + h) this.scrollToRows(top - h / 2 + this.ROW / 2);
  }

  // Makes row i the keyboard's row (outlined, named by aria-activedescendant), scrolled into view.
  activate(i, scroll = true) {
    const r = this.run;
    if (!r || !r.n) return;
    this.active = Math.min(r.n - 1, Math.max(0, i));
    if (scroll) this.reveal(this.active);
    this.render();
    this.root.setAttribute('aria-activedescendant', `log-row-${this.active}`);
  }

  // The log's keys while it has focus: ↑ ↓ PageUp PageDown Home End pick a row, Enter moves the
  // cursor just after it (the page's own keys keep working: ← → step, space plays).
  key(e) {
    const r = this.run;
    if (!r || !r.n || e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor(this.body.clientHeight / this.ROW) - 1);
    const i = this.active >= 0 ? this.active : Math.max(0, this.cursor - 1);
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: r.n - 1 }[e.key];
    if (to !== undefined) this.activate(to);
    else if (e.key === 'Enter') this.onPick(i + 1);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  // Returns the sentence for log row `rw` of op i (cached per run).
  words(i, rw) {
    let w = this.cache.get(i);
    if (w === undefined) {
      w = describeOp(rw.op, rw.id, rw.size, rw.offset, rw.events);
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(i, w);
    }
    return w;
  }

  // Redraws the rows in view when some of them were waiting for their log rows (which arrived).
  refresh() {
    if (this.pendingInView) this.render();
  }

  // Returns the row element for op i (built once per run while it stays in view; until its
  // log row is at hand, only the step's own columns are filled and the row is marked pending).
  row(i) {
    const r = this.run;
    const rw = logRow(r, i);
    const row = document.createElement('div');
    const failed = rw && rw.result < 0;
    row.className = `lrow${failed ? ' failed' : ''}${rw ? '' : ' pending'}`;
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(i + 2));
    row.dataset.i = String(i);
    row.id = `log-row-${i}`;
    if (!rw) row.dataset.pending = '1';
    const words = rw ? this.words(i, rw) : '';
    const known = (v) => (rw && v !== null ? String(v) : '');
    row.append(
      cell('seq', String(i + 1)),
      cell('op', OPNAME[r.op[i]]),
      cell('id', String(r.id[i])),
      cell('size', r.cols.size && r.op[i] !== 1 ? String(r.cols.size[i]) : ''),
      cell('off', failed ? 'fail' : known(rw && rw.offset)),
      cell('blk', known(rw && rw.blockSize)),
      cell('heap', known(rw && rw.heapSize)),
      Object.assign(cell('what', words), { title: words }),
    );
    addSite(row, siteAt(r, i));
    return row;
  }

  // Shows the rows in view (reusing those already built) and marks past, current and future rows.
  render() {
    const r = this.run;
    if (!r) return;
    const b = this.body;
    const ROW = this.ROW;
    const v = this.viewTop();
    const top = b.scrollTop;
    this.renderedTop = top;
    const first = Math.max(0, Math.floor(v / ROW) - MARGIN);
    const last = Math.min(r.n, Math.ceil((v + (b.clientHeight || 600)) / ROW) + MARGIN);
    const focused = document.activeElement === this.root && this.root.matches(':focus-visible');
    if (!this.rows || this.rowsRun !== r) { this.rows = new Map(); this.rowsRun = r; b.replaceChildren(this.spacer); }
    for (const [i, el] of this.rows) if (i < first || i >= last) { el.remove(); this.rows.delete(i); }
    const add = [];
    let pending = 0;
    for (let i = first; i < last; i++) {
      let el = this.rows.get(i);
      if (el && el.dataset.pending && logRow(r, i)) { const fresh = this.row(i); el.replaceWith(fresh); el = fresh; this.rows.set(i, el); }
      if (!el) { el = this.row(i); this.rows.set(i, el); add.push(el); }
      if (el.dataset.pending) pending++;
      const cur = i === this.cursor - 1;
      const y = i * ROW - v + top;
      if (el.shownY !== y) { el.shownY = y; el.style.transform = `translateY(${y}px)`; } // written only when it moves
      el.classList.toggle('active', focused && i === this.active);
      el.classList.toggle('current', cur);
      el.classList.toggle('future', i >= this.cursor);
      if (cur) el.setAttribute('aria-current', 'step'); else el.removeAttribute('aria-current');
    }
    if (add.length) b.append(...add);
    this.pendingInView = pending;
    const need = missingRows(r, first, last);
    if (need) this.onNeed(need[0], need[1]);
  }
}
