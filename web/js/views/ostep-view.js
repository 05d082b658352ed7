// ostep-view.js: draws the OSTEP mode from (session, cursor). The address
// map is a row of absolutely placed boxes, to scale over [base, base+size)
// (widths in percent, so it needs no redraw on resize); the free list is an
// ordered list of malloc.py's own `[ addr:A sz:Z ]` items; the questions
// are one list item each, the answer hidden until revealed. Questions come
// before answers: at step k the map and the free list are those *before*
// op k, and the step's sentence is its question, until its answer is
// revealed (its Reveal button, or "Show answers as I step", malloc.py's -c).
// It keeps only which answers are revealed and that switch; the mode
// (ostep-mode.js) owns everything else.
import { el, byId } from './dom.js';
import { mapSegments, touchedRange, mapDescription, mapTicks, entryText, blockText, stepWords, summaryText } from '../model/modes/ostep-model.js';

export class OstepView {
  // Looks up the section's elements (a missing one is a build error).
  constructor({ onGoto } = {}) {
    this.e = {};
    for (const id of ['ostep-summary', 'ostep-stepinfo', 'ostep-slider', 'ostep-now', 'ostep-map', 'ostep-ticks', 'ostep-list', 'ostep-questions', 'ostep-text', 'ostep-text-c', 'ostep-detail', 'ostep-error', 'ostep-help', 'ostep-back', 'ostep-fwd', 'ostep-reset', 'ostep-end',
      'ostep-as-i-step', 'ostep-reveal-now', 'ostep-list-h', 'ostep-map-h']) this.e[id] = byId(id);
    this.onGoto = onGoto || (() => {});
    this.session = null;
    this.k = 0;
    this.revealed = new Set();
    this.e['ostep-as-i-step'].addEventListener('change', () => this.setCursor(this.k));
    this.e['ostep-reveal-now'].addEventListener('click', () => this.reveal(this.k, true));
    this.items = [];
    this.hint = this.e['ostep-detail'].textContent;
    this.e['ostep-map'].addEventListener('focusin', (e) => this.describe(e.target));
    this.e['ostep-map'].addEventListener('mouseover', (e) => this.describe(e.target));
  }

  // Shows the block under the pointer or focus in the detail line.
  describe(target) {
    const seg = target && target.closest ? target.closest('.seg') : null;
    if (seg && seg.dataset.text) this.e['ostep-detail'].textContent = seg.dataset.text;
  }

  // Shows an error line (or hides it for ''), saying the previous run is kept when there is one.
  error(text, kept = true) {
    const e = this.e['ostep-error'];
    e.hidden = !text;
    e.textContent = text ? `${text}.${kept ? ' Nothing was changed: the page still shows the previous run.' : ' There is no run to show yet: correct the flags and press Run.'}` : '';
  }

  // Shows malloc.py's help text (or hides it for '').
  help(text) {
    this.e['ostep-help'].hidden = !text;
    this.e['ostep-help'].textContent = text || '';
  }

  // Installs a new session: summary, questions, text; all answers hidden again.
  setSession(session) {
    this.session = session;
    this.revealed.clear();
    this.e['ostep-summary'].textContent = summaryText(session.options, session.n) + (session.truncated ? ' The map is not recorded for the later steps (too many blocks).' : '');
    this.e['ostep-slider'].max = String(session.n);
    this.buildQuestions();
    this.showText();
  }

  // Builds one list item per printed operation (question, reveal button, hidden answer).
  buildQuestions() {
    const s = this.session;
    this.items = [];
    const lis = [];
    for (let i = 1; i <= s.n; i++) {
      const st = s.steps[i];
      const li = el('li', { class: 'q', dataset: { step: String(i) } });
      const go = el('button', { type: 'button', class: 'q-go', 'aria-label': `Go to step ${i}`, text: `${i}` });
      go.addEventListener('click', () => this.onGoto(i));
      const question = el('pre', { class: 'q-text', text: st.question });
      const answer = el('pre', { class: 'q-answer', text: st.answer, hidden: true });
      li.append(go, question);
      let button = null;
      if (st.question !== st.answer) {
        button = el('button', { type: 'button', class: 'q-reveal', 'aria-expanded': 'false', 'aria-label': `Reveal answer ${i}`, text: 'Reveal' });
        button.addEventListener('click', () => this.reveal(i, !this.revealed.has(i)));
        li.append(button, answer);
      }
      this.items[i] = { li, answer, button };
      lis.push(li);
    }
    this.e['ostep-questions'].replaceChildren(...lis);
  }

  // Shows or hides the answer to step i's question.
  reveal(i, on) {
    const it = this.items[i];
    if (!it || !it.button) return;
    if (on) this.revealed.add(i); else this.revealed.delete(i);
    it.answer.hidden = !on;
    it.li.classList.toggle('revealed', on);
    it.button.textContent = on ? 'Hide' : 'Reveal';
    it.button.setAttribute('aria-label', `${on ? 'Hide' : 'Reveal'} answer ${i}`);
    it.button.setAttribute('aria-expanded', on ? 'true' : 'false');
    if (i === this.k && this.session) this.setCursor(this.k);
  }

  // Returns true when step k's answer may show: the start, a step with nothing to ask,
  // a revealed answer, or answers shown as one steps.
  answered(k) {
    const it = this.items[k];
    return k === 0 || !it || !it.button || this.revealed.has(k) || this.e['ostep-as-i-step'].checked;
  }

  // Reveals (or hides) every answer.
  revealAll(on) {
    for (let i = 1; i < this.items.length; i++) this.reveal(i, on);
  }

  // Fills the text view: what malloc.py prints with -c (checkbox on) or without.
  showText() {
    if (!this.session) return;
    this.e['ostep-text'].textContent = this.e['ostep-text-c'].checked ? this.session.textWith : this.session.textWithout;
  }

  // Shows step k: counters, sentence, map, ticks, free list, current question.
  setCursor(k) {
    const s = this.session;
    if (!s) return;
    this.e['ostep-stepinfo'].textContent = `step ${k} / ${s.n}`;
    const slider = this.e['ostep-slider'];
    if (slider.value !== String(k)) slider.value = String(k);
    slider.setAttribute('aria-valuetext', `step ${k} of ${s.n}`);
    this.k = k;
    const shown = this.answered(k);
    const at = shown ? k : k - 1; // the state drawn: after op k once answered, else before it
    this.e['ostep-now'].textContent = `${k ? `Step ${k}: ` : ''}${this.stepText(k)}`;
    this.e['ostep-reveal-now'].hidden = shown;
    this.e['ostep-map-h'].textContent = shown ? 'The heap as the simulator sees it' : `The heap before step ${k}`;
    this.e['ostep-list-h'].textContent = shown ? 'Free list, in list order' : `Free list before step ${k}, in list order`;
    this.e['ostep-back'].disabled = this.e['ostep-reset'].disabled = k === 0;
    this.e['ostep-fwd'].disabled = this.e['ostep-end'].disabled = k === s.n;
    this.drawMap(at, shown);
    this.keepDetail();
    this.drawList(at, shown);
    for (let i = 1; i < this.items.length; i++) {
      const li = this.items[i].li;
      li.classList.toggle('done', i <= k);
      li.classList.toggle('current', i === k);
      li.classList.toggle('next', i === k + 1);
      if (i === k) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
    }
    const cur = this.items[Math.max(1, k)];
    if (cur) scrollIntoList(this.e['ostep-questions'], cur.li);
  }

  // Draws the address map of step k (a box per segment; live and free blocks are focusable),
  // with what step k touched outlined when `touched`.
  drawMap(k, touched = true) {
    const s = this.session;
    const o = s.options;
    const map = this.e['ostep-map'];
    map.setAttribute('aria-label', mapDescription(s, k));
    const px = map.clientWidth || 600;
    const boxes = mapSegments(s, k).map((g) => {
      const text = blockText(g.block, o);
      const box = el('span', { class: `seg seg-${g.kind}${g.last ? ' end' : ''}`, dataset: { text, addr: String(g.start), size: String(g.end - g.start) } });
      box.style.left = `${(100 * g.left).toFixed(4)}%`;
      box.style.width = `${(100 * g.width).toFixed(4)}%`;
      const label = g.kind === 'free' ? `#${g.block.listPos}` : g.kind === 'payload' ? `ptr[${g.block.ptr}]` : '';
      if (label && g.width * px >= label.length * 7 + 8) box.append(el('span', { class: 'seg-label', text: label }));
      if (g.kind === 'free' || g.kind === 'payload') box.title = text;
      return box;
    });
    const t = touched ? touchedRange(s, k) : null;
    if (t) {
      const mark = el('span', { class: 'seg-touch', 'aria-hidden': 'true' });
      mark.style.left = `${(100 * t.left).toFixed(4)}%`;
      mark.style.width = `${(100 * t.width).toFixed(4)}%`;
      boxes.push(mark);
    }
    map.replaceChildren(...boxes);
    const digits = String(o.baseAddr + o.size).length;
    this.e['ostep-ticks'].replaceChildren(...mapTicks(s, k, Math.max(0.06, (digits * 7 + 12) / px)).map((t) => {
      const tick = el('span', { class: `tick${t.at === 1 ? ' end' : t.at === 0 ? ' start' : ''}`, text: String(t.addr) });
      tick.style.left = `${(100 * t.at).toFixed(4)}%`;
      return tick;
    }));
  }

  // Keeps the detail line only while it describes a block drawn now (a new run or
  // step may have removed or changed it); otherwise shows the hint again.
  keepDetail() {
    const d = this.e['ostep-detail'];
    const texts = new Set([...this.e['ostep-map'].querySelectorAll('.seg')].map((g) => g.dataset.text));
    if (d.textContent !== this.hint && !texts.has(d.textContent)) d.textContent = this.hint;
  }

  // Lists the free list of step k in list order, as malloc.py prints its entries
  // (the entry step k touched marked when `touched`).
  drawList(k, touched = true) {
    const st = this.session.steps[k];
    const list = this.e['ostep-list'];
    if (!st.freeList) { list.replaceChildren(el('li', { class: 'empty', text: 'not recorded for this step' })); return; }
    if (!st.freeList.length) { list.replaceChildren(el('li', { class: 'empty', text: 'empty: no free space left' })); return; }
    const mark = touched && (st.kind === 'alloc' || st.kind === 'free') ? st.addr : null;
    list.replaceChildren(...st.freeList.map((e, i) => el('li', {
      class: mark !== null && mark >= e.addr && mark < e.addr + Math.max(1, e.size) ? 'touched' : null,
    }, el('span', { class: 'pos', text: `#${i}` }), el('code', { text: entryText(e) }))));
  }

  // Returns what step k says: what malloc.py did once answered, else its question (one line).
  stepText(k) {
    if (this.answered(k)) return stepWords(this.session, k);
    return `${this.session.steps[k].question.replace(/\s*\n\s*/g, ' ').trim()} Work it out on the map, then reveal the answer.`;
  }
}

// Scrolls `item` into view inside the scrolling list `box` only (never the page).
function scrollIntoList(box, item) {
  const top = item.offsetTop - box.offsetTop;
  if (top < box.scrollTop || top + item.offsetHeight > box.scrollTop + box.clientHeight) {
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
}
