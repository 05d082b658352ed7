// log-view.js: the event log as a virtualised table. Only the rows in view
// (plus a margin) exist in the DOM; a spacer gives the scrollbar the full
// height. Row i is op i of the run; the row of the last applied op (cursor
// - 1) is marked current and kept in view. Clicking a row moves the cursor
// just after that op. Words come from words.js, built lazily per row; a recorded
// trace's call site (model/sites.js) gets a line of its own in the row.
import { eventsAt } from '../model/events.js';
import { siteAt } from '../model/sites.js';
import { describeOp } from '../model/words.js';

const ROW = 60;
const MARGIN = 3;
const COLS = [['#', 'seq'], ['call', 'op'], ['id', 'id'], ['size', 'size'], ['offset', 'off'], ['block', 'blk'], ['break', 'heap'], ['what the allocator did', 'what']];
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
  // root: the role=table container; onPick(k): called with the cursor after a clicked row.
  constructor(root, onPick) {
    this.root = root;
    this.onPick = onPick;
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
    this.body.addEventListener('scroll', () => this.render());
    this.body.addEventListener('click', (e) => {
      const row = e.target.closest('.lrow');
      if (row && row.dataset.i !== undefined) this.onPick(Number(row.dataset.i) + 1);
    });
  }

  // Installs a run (the rows change) and scrolls to the top.
  setRun(run) {
    this.run = run;
    this.root.setAttribute('aria-rowcount', String(run.n + 1));
    this.spacer.style.height = `${run.n * ROW}px`;
    this.body.scrollTop = 0;
    this.cache = new Map();
    this.rows = null;
    this.render();
  }

  // Marks op cursor-1 as current and scrolls it into view.
  setCursor(k) {
    this.cursor = k;
    const i = k - 1;
    const top = i * ROW;
    const b = this.body;
    if (i >= 0 && (top < b.scrollTop || top + ROW > b.scrollTop + b.clientHeight)) {
      b.scrollTop = Math.max(0, top - b.clientHeight / 2);
    } else if (i < 0) b.scrollTop = 0;
    this.render();
  }

  // Returns the sentence for op i (cached per run).
  words(i) {
    let w = this.cache.get(i);
    if (w === undefined) {
      const r = this.run;
      w = describeOp(r.op[i], r.id[i], r.cols.size ? r.cols.size[i] : 0, r.cols.offset ? r.cols.offset[i] : 0, eventsAt(r.events, i));
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(i, w);
    }
    return w;
  }

  // Returns the row element for op i (built once per run while it stays in view).
  row(i) {
    const r = this.run;
    const c = r.cols;
    const row = document.createElement('div');
    const failed = c.result && c.result[i] < 0;
    row.className = `lrow${failed ? ' failed' : ''}`;
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(i + 2));
    row.dataset.i = String(i);
    row.style.transform = `translateY(${i * ROW}px)`;
    const words = this.words(i);
    row.append(
      cell('seq', String(i + 1)),
      cell('op', OPNAME[r.op[i]]),
      cell('id', String(r.id[i])),
      cell('size', c.size && r.op[i] !== 1 ? String(c.size[i]) : ''),
      cell('off', failed ? 'fail' : c.offset ? String(c.offset[i]) : ''),
      cell('blk', c.blockSize ? String(c.blockSize[i]) : ''),
      cell('heap', c.heapSize ? String(c.heapSize[i]) : ''),
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
    const first = Math.max(0, Math.floor(b.scrollTop / ROW) - MARGIN);
    const last = Math.min(r.n, Math.ceil((b.scrollTop + (b.clientHeight || 600)) / ROW) + MARGIN);
    if (!this.rows || this.rowsRun !== r) { this.rows = new Map(); this.rowsRun = r; b.replaceChildren(this.spacer); }
    for (const [i, el] of this.rows) if (i < first || i >= last) { el.remove(); this.rows.delete(i); }
    const add = [];
    for (let i = first; i < last; i++) {
      let el = this.rows.get(i);
      if (!el) { el = this.row(i); this.rows.set(i, el); add.push(el); }
      const cur = i === this.cursor - 1;
      el.classList.toggle('current', cur);
      el.classList.toggle('future', i >= this.cursor);
      if (cur) el.setAttribute('aria-current', 'step'); else el.removeAttribute('aria-current');
    }
    if (add.length) b.append(...add);
  }
}
