// ui.js: the small DOM updates of the setup and playback panels: status,
// errors, step counter, slider, the "what just happened" line, heap
// statistics, the manual-op block list, the Play/Pause name, the aria-live
// announcer, the link and the address bar. It only writes to the page;
// controls.js reads it.
import { byId, el, setText } from './dom.js';
import { formatBytes } from '../model/heap-layout.js';
import { KINDS } from './heap-words.js';
import { liveBlocks } from '../model/state.js';

export class Ui {
  // Looks up the elements it writes to (a missing one is a build error) and fills the legend.
  constructor() {
    this.e = {};
    for (const id of ['status', 'error', 'stepinfo', 'slider', 'now', 'play', 'announcer', 'heap-stats', 'm-block', 'heap-scale', 'self-link', 'open-full', 'legend', 'app', 'loading', 'link-note', 'edit-note', 'progress', 'progress-text', 'progress-bar', 'progress-cancel']) this.e[id] = byId(id);
    this.e['progress-cancel'].addEventListener('click', () => { if (this.onCancel) this.onCancel(); });
    this.buildLegend();
  }

  // Fills the legend with one swatch per colour the heap map uses.
  buildLegend() {
    this.e.legend.replaceChildren(...KINDS.map(([kind, label]) => el('li', {}, el('span', { class: `swatch sw-${kind}`, 'aria-hidden': 'true' }), label)));
  }

  // Shows (or clears, with '') a busy message and marks the page busy for assistive tech.
  // With line: false the text is not shown in the page's flow (a rerun: its progress bar says it, nothing shifts).
  busy(text, { line = true } = {}) {
    this.e.app.setAttribute('aria-busy', text ? 'true' : 'false');
    this.e.loading.hidden = !text || !line;
    this.e.loading.textContent = text;
  }

  // Shows a long run's progress ({label, fraction 0..1}) with a Cancel button that calls
  // onCancel; null hides it.
  progress(p, onCancel = null) {
    const box = this.e.progress;
    if (!p) { box.hidden = true; this.onCancel = null; return; }
    this.onCancel = onCancel;
    const pct = Math.max(0, Math.min(100, Math.floor(100 * p.fraction)));
    const text = `${p.label} ${pct}%`;
    if (this.e['progress-text'].textContent !== text) this.e['progress-text'].textContent = text;
    this.e['progress-bar'].value = Math.max(0, Math.min(1, p.fraction));
    this.e['progress-cancel'].hidden = !onCancel;
    box.hidden = false;
  }

  // Shows an error (with its line when known), or hides it for ''. `kept`: there is a
  // previous state and it is still on show (false on a first load, when there is none).
  error(text, line, kept = true) {
    const e = this.e.error;
    if (!text) { e.hidden = true; e.textContent = ''; return; }
    const where = line && !/:\d+:/.test(text) ? ` (line ${line})` : '';
    e.textContent = `${text}${where}.${kept ? ' Nothing was changed: the page still shows the previous state.' : ''}`;
    e.hidden = false;
  }

  // Shows what a link asked for that the page could not do (sentences), until dismissed or
  // replaced; [] hides it. Runs do not clear it: it describes how the page was opened.
  linkNote(lines) {
    const e = this.e['link-note'];
    e.hidden = !lines.length;
    if (!lines.length) { e.replaceChildren(); return; }
    const close = el('button', { type: 'button', class: 'note-close', text: 'Dismiss' });
    close.addEventListener('click', () => this.linkNote([]));
    e.replaceChildren(el('p', { text: 'This link could not be followed as written:' }),
      el('ul', {}, lines.map((t) => el('li', { text: /[.!?]$/.test(t) ? t : `${t}.` }))), close);
  }

  // Shows a note about the last edit with an action button ({label, run}), or hides it for ''.
  editNote(text, action) {
    const e = this.e['edit-note'];
    e.hidden = !text;
    if (!text) { e.replaceChildren(); return; }
    const kids = [text];
    if (action) {
      const b = el('button', { type: 'button', text: action.label });
      b.addEventListener('click', () => { this.editNote(''); action.run(); });
      kids.push(' ', b);
    }
    e.replaceChildren(...kids);
  }

  // Shows a status line.
  status(text) {
    setText(this.e.status, text);
  }

  // Shows what the scenario exists to show (C's words for a generated one), or hides it for ''.
  about(text) {
    const e = byId('scenario-about');
    e.textContent = text ? `What this scenario shows: ${text}` : '';
    e.hidden = !text;
  }

  // Prepares the slider for a run of n ops.
  setRun(run) {
    this.e.slider.max = String(run.n);
  }

  // Shows step k of n and what op k-1 did (words null: its log row is on its way, only the step shows).
  setCursor(k, n, words) {
    setText(this.e.stepinfo, `step ${k} / ${n}`);
    if (this.e.slider.value !== String(k)) this.e.slider.value = String(k);
    this.e.slider.setAttribute('aria-valuetext', `step ${k} of ${n}`);
    setText(this.e.now, words === null ? `Step ${k}.` : k > 0 ? `Step ${k}: ${words}` : words);
  }

  // Shows the heap statistics and the map's scale line, and refreshes the list of live blocks for free/realloc.
  setSnapshot(snap, scaleText) {
    const s = snap.stats;
    const pct = (x) => `${(100 * x).toFixed(1)}%`;
    const items = [
      ['live payload', formatBytes(s.livePayload)],
      ['heap size (break)', formatBytes(s.heapSize)],
      ['utilization (peak payload / heap)', pct(s.utilization)],
      ['external fragmentation', pct(s.externalFrag)],
      ['internal fragmentation', formatBytes(s.internalFrag)],
      ['blocks', `${s.allocBlocks} allocated, ${s.freeBlocks} free`],
      ['largest free block', formatBytes(s.largestFree)],
      ['mean blocks scanned', s.scannedMean.toFixed(2)],
      ['failed calls', String(s.failures)],
    ];
    const dl = this.e['heap-stats'];
    if (dl.children.length !== items.length) dl.replaceChildren(...items.map(([k]) => el('div', {}, el('dt', { text: k }), el('dd'))));
    items.forEach(([, v], i) => setText(dl.children[i].lastChild, v));
    this.live = snap.blocks;
    this.liveStale = true;
    if (snap.blocks.length < 300 || document.activeElement === this.e['m-block']) this.refreshBlocks();
    setText(this.e['heap-scale'], scaleText);
  }

  // Refills the manual-op block list from the last snapshot (done lazily: only when it is used).
  refreshBlocks() {
    if (!this.liveStale) return;
    this.liveStale = false;
    const sel = this.e['m-block'];
    const keep = sel.value;
    const live = liveBlocks(this.live || []);
    const shown = live.slice(-500);
    sel.replaceChildren(...shown.map((b) => el('option', { value: String(b.id), text: `#${b.id} @${b.offset} (${b.payloadSize} B)` })));
    if (!live.length) sel.append(el('option', { value: '', text: 'no live blocks' }));
    if (shown.some((b) => String(b.id) === keep)) sel.value = keep;
  }

  // Selects block id in the manual-op list (after a click on the map).
  pickBlock(id) {
    this.refreshBlocks();
    const sel = this.e['m-block'];
    if ([...sel.options].some((o) => o.value === String(id))) sel.value = String(id);
  }

  // Names the play button Play or Pause (its accessible name changes with it).
  setPlaying(on) {
    const b = this.e.play;
    b.setAttribute('aria-label', on ? 'Pause' : 'Play');
    b.replaceChildren(on ? '⏸ ' : '▶ ', el('span', { 'aria-hidden': 'true', text: on ? 'Pause' : 'Play' }));
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  // Says something through the aria-live region.
  announce(text) {
    const a = this.e.announcer;
    a.textContent = '';
    a.textContent = text;
  }

  // Writes query q into the address bar (file:// may refuse: then the URL stays as it was)
  // and points the "link to this view" anchors at it.
  showQuery(q) {
    try {
      if (location.search !== q) history.replaceState(null, '', q + location.hash);
    } catch { /* the URL stays as it was */ }
    const full = q.replace(/&embed=1\b/, '');
    if (this.e['self-link'].getAttribute('href') !== q) this.e['self-link'].href = q;
    if (this.e['open-full'].getAttribute('href') !== full) this.e['open-full'].href = full;
  }
}
