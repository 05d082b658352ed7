// mm-view.js: the DOM of "your allocator's heap" (the mm mode): its section
// (built here, inserted after #setup), the verdict, the step controls, the
// map drawn on a canvas from model/modes/mm-model.js's rows and segments, the
// legend, the numbers, and the ops around the cursor; with a decoded run
// (--decode cs-app) a switch draws the allocator's own blocks (headers,
// padding, free blocks) instead. Given (trace, state, decoded blocks);
// holds no run. Callbacks: onGoto(k), onTrace(i), onLeave().
import { el, byId } from './dom.js';
import { mapRows, rowWords, verdictWords, payloadAt, rowKind } from '../model/modes/mm-model.js';

const ROW_H = 34;
const GAP = 16;
const MAX_ROWS = 8;
const AROUND = 6; // ops listed on each side of the cursor

// Returns the canvas colours from the page's CSS variables.
function colours(node) {
  const cs = getComputedStyle(node);
  const v = (n) => cs.getPropertyValue(n).trim();
  return {
    payload: v('--c-payload'), held: v('--c-pad'), beyond: v('--c-beyond'), touched: v('--c-touched'),
    bad: v('--error-fg'), fg: v('--fg'), text: v('--c-text-on-bar'), bg: v('--panel'), line: v('--line'),
    header: v('--c-header'), padding: v('--c-padding'), free: v('--c-free'),
  };
}

export class MmView {
  constructor({ onGoto, onTrace, onLeave }) {
    this.onGoto = onGoto;
    const b = (id, text, title) => el('button', { type: 'button', id, text, title });
    this.e = {
      title: el('h2', { id: 'mm-h', text: 'Your allocator’s heap' }),
      file: el('p', { id: 'mm-file', class: 'mm-file muted' }),
      traceSel: el('select', { id: 'mm-trace', 'aria-label': 'Trace' }),
      verdict: el('p', { id: 'mm-verdict', class: 'mm-verdict', role: 'status' }),
      start: b('mm-start', '◀◀ Start', 'First step (Home)'),
      back: b('mm-back', '◀ Back', 'Step back (←)'),
      fwd: b('mm-fwd', 'Next ▶', 'Step forward (→)'),
      end: b('mm-end', 'End ▶▶', 'Last step (End)'),
      fail: b('mm-fail', 'Go to the failing op'),
      slider: el('input', { id: 'mm-slider', type: 'range', min: '0', max: '0', value: '0', 'aria-label': 'Step' }),
      step: el('span', { id: 'mm-step', class: 'mm-step' }),
      op: el('p', { id: 'mm-op', class: 'mm-op', 'aria-live': 'polite' }),
      canvas: el('canvas', { id: 'mm-canvas', class: 'mm-canvas', tabindex: '0', 'aria-label': 'Your allocator’s heap, to scale' }),
      detail: el('p', { id: 'mm-detail', class: 'mm-detail muted', text: 'Point at the map to read an address.' }),
      nums: el('dl', { id: 'mm-nums', class: 'mm-nums' }),
      ops: el('ol', { id: 'mm-ops', class: 'mm-ops' }),
      leave: b('mm-leave', 'Back to HeapLab’s allocator'),
      decode: el('input', { id: 'mm-decode', type: 'checkbox', checked: true }),
      decodeNote: el('p', { id: 'mm-decode-note', class: 'mm-decode-note muted' }),
    };
    const e = this.e;
    this.outsideOnly = [el('li', {}, el('span', { class: 'sw sw-held' }), 'held but not given out: headers, footers, padding, free blocks (overhead)')];
    this.decodedOnly = [
      el('li', {}, el('span', { class: 'sw sw-header' }), 'header (and the prologue, epilogue, first padding word)'),
      el('li', {}, el('span', { class: 'sw sw-padding' }), 'rest of an allocated block: footer, rounding'),
      el('li', {}, el('span', { class: 'sw sw-free' }), 'free block')];
    const legend = el('ul', { class: 'mm-legend' },
      el('li', {}, el('span', { class: 'sw sw-payload' }), 'payload given out (live)'),
      ...this.outsideOnly, ...this.decodedOnly,
      el('li', {}, el('span', { class: 'sw sw-beyond' }), 'not yet in the heap (beyond the break)'),
      el('li', {}, el('span', { class: 'sw sw-touched' }), 'the op just done'),
      el('li', {}, el('span', { class: 'sw sw-bad' }), 'where a check broke (red fill: bytes two live payloads share)'));
    this.section = el('section', { id: 'mm', class: 'panel mm', 'aria-labelledby': 'mm-h', hidden: true },
      el('div', { class: 'mm-head' }, e.title, e.leave),
      e.file,
      el('p', { class: 'mm-intro muted', text: 'What “heaplab mm --log” recorded of a Malloc Lab allocator: HeapLab sees only what mm_malloc, mm_realloc and mm_free returned and where the break (mem_sbrk) stood, so each payload is drawn where it was given out and everything else below the break is what the allocator kept for itself; a run recorded with --decode cs-app also has what the allocator’s own headers said.' }),
      el('label', { class: 'mm-trace-label' }, 'Trace ', e.traceSel),
      e.verdict,
      el('div', { class: 'mm-controls', role: 'group', 'aria-label': 'Steps' }, e.start, e.back, e.fwd, e.end, e.fail),
      el('div', { class: 'mm-slider-row' }, e.slider, e.step),
      e.op,
      el('label', { class: 'mm-decode-label', id: 'mm-decode-label' }, e.decode, ' Draw its own blocks, read from its headers (heaplab mm --decode cs-app)'),
      e.decodeNote, e.canvas, e.detail, legend,
      el('div', { class: 'mm-cols' }, e.nums, el('div', {}, el('h3', { text: 'Ops around this step' }), e.ops)));
    byId('setup').after(this.section);
    e.start.addEventListener('click', () => onGoto(0));
    e.back.addEventListener('click', () => onGoto(this.k - 1));
    e.fwd.addEventListener('click', () => onGoto(this.k + 1));
    e.end.addEventListener('click', () => onGoto(Infinity));
    e.fail.addEventListener('click', () => onGoto(this.failK));
    e.slider.addEventListener('input', () => onGoto(Number(e.slider.value)));
    e.traceSel.addEventListener('change', () => onTrace(Number(e.traceSel.value)));
    e.leave.addEventListener('click', () => onLeave());
    e.decode.addEventListener('change', () => this.draw());
    e.canvas.addEventListener('mousemove', (ev) => this.hover(ev));
    this.k = 0;
    this.failK = -1;
    this.trace = null;
    this.state = null;
    this.layout = null;
  }

  // Shows or hides the section.
  show(on) { this.section.hidden = !on; }

  // Lists the traces of a log (the select is hidden for one).
  setLog(fileName, traces, current) {
    this.e.file.textContent = `From ${fileName}`;
    this.e.traceSel.replaceChildren(...traces.map((t, i) => el('option', { value: String(i), text: `${i}: ${t.name} (${t.status})` })));
    this.e.traceSel.value = String(current);
    this.e.traceSel.parentElement.hidden = traces.length < 2;
  }

  // Draws trace t at state s (failK: the failing step or -1; dec: model/modes/mm-model.js decodedBlocks).
  render(t, s, failK, dec) {
    this.trace = t;
    this.state = s;
    this.dec = dec;
    this.k = s.k;
    this.failK = failK;
    const e = this.e;
    const v = verdictWords(t);
    e.verdict.textContent = `${t.name}: ${v.text}`;
    e.verdict.classList.toggle('bad', !v.ok);
    e.fail.hidden = failK < 0;
    e.slider.max = String(t.rows.n);
    e.slider.value = String(s.k);
    e.step.textContent = `Step ${s.k} of ${t.rows.n}`;
    e.start.disabled = e.back.disabled = s.k === 0;
    e.fwd.disabled = e.end.disabled = s.k === t.rows.n;
    const atFail = failK >= 0 && s.k === failK;
    const lastOp = t.rows.n > 0 ? t.rows.op[t.rows.n - 1] : -1;
    const failNote = t.op === lastOp ? ' This is the op where the run broke (see above).' : ` The run broke at op ${t.op} (see above), which never returned.`;
    e.op.textContent = rowWords(t, s.row) + (atFail ? failNote : '');
    e.op.classList.toggle('bad', atFail);
    const asked = t.decode && t.decode.state !== 'none';
    byId('mm-decode-label').hidden = !asked;
    e.decodeNote.hidden = !asked || !dec.why;
    e.decodeNote.textContent = dec.why ? `${dec.why} The map shows the outside view.` : '';
    this.showNumbers(t, s);
    this.showOps(t, s);
    this.draw();
  }

  showNumbers(t, s) {
    const pct = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(1)} %` : '–');
    const items = [
      ['Live payload', `${s.livePayload} bytes in ${s.live.length} blocks`],
      ['Heap (mem_heapsize)', `${s.heapSize} bytes`],
      ['Held but not given out', `${s.overhead} bytes (${pct(s.overhead, s.heapSize)} of the heap)`],
      ['Peak live payload so far', `${s.peakPayload} bytes`],
      ['Utilization so far', s.heapSize > 0 ? `${pct(s.peakPayload, s.heapSize)} (peak live payload / heap, as mdriver)` : '–'],
    ];
    this.e.nums.replaceChildren(...items.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  }

  showOps(t, s) {
    const lo = Math.max(0, s.row - AROUND);
    const hi = Math.min(t.rows.n - 1, s.row + AROUND);
    const items = [];
    for (let r = lo; r <= hi; r++) {
      const li = el('li', { class: r === s.row ? 'current' : null },
        el('button', { type: 'button', class: 'linkish', text: rowWords(t, r) }));
      li.firstChild.addEventListener('click', () => this.onGoto(r + 1));
      items.push(li);
    }
    this.e.ops.start = lo;
    this.e.ops.replaceChildren(...items);
  }

  // Draws the map of the current state.
  draw() {
    const s = this.state;
    const t = this.trace;
    if (!s || this.section.hidden) return;
    const c = this.e.canvas;
    const col = colours(this.section);
    const width = Math.max(240, c.clientWidth || c.parentElement.clientWidth || 600);
    const blocks = this.e.decode.checked && this.dec && this.dec.blocks ? this.dec.blocks : null;
    for (const li of this.outsideOnly) li.hidden = !!blocks;
    for (const li of this.decodedOnly) li.hidden = !blocks;
    const m = mapRows(s, s.maxHeap > 4096 ? MAX_ROWS : 2, blocks);
    const height = m.rows.length * (ROW_H + GAP) + 4;
    const dpr = globalThis.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    c.style.height = `${height}px`;
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    const x = (b, row) => ((b - row.lo) / m.bytesPerRow) * width;
    const atFail = this.failK >= 0 && s.k === this.failK;
    const touched = s.row >= 0 ? t.rows.offset[s.row] : -1;
    const failOff = atFail ? t.failOffset : -1;
    this.layout = { m, width, blocks };
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    m.rows.forEach((row, r) => {
      const y = GAP + r * (ROW_H + GAP);
      for (const seg of row.segs) {
        const x0 = x(Math.max(seg.start, row.lo), row);
        const x1 = Math.max(x0 + 1, x(Math.min(seg.end, row.hi), row));
        g.fillStyle = { payload: col.payload, held: col.held, beyond: col.beyond, overlap: col.bad, header: col.header, padding: col.padding, free: col.free }[seg.kind];
        if (seg.kind === 'overlap') g.fillRect(x0, y + ROW_H / 2, x1 - x0, ROW_H / 2);
        else g.fillRect(x0, y, x1 - x0, ROW_H);
        if (seg.kind === 'payload') {
          g.strokeStyle = col.bg;
          g.strokeRect(x0 + 0.5, y + 0.5, Math.max(0, x1 - x0 - 1), ROW_H - 1);
          if (x1 - x0 > 28) {
            g.fillStyle = col.text;
            g.fillText(`id ${seg.id}`, x0 + 4, y + ROW_H / 2, x1 - x0 - 6);
          }
        }
      }
      g.fillStyle = col.fg;
      g.textAlign = 'left';
      g.fillText(`offset ${row.lo}`, 0, y - GAP / 2 + 1);
      // the break
      const brk = s.heapSize;
      if ((brk > row.lo || (brk === 0 && r === 0)) && brk <= row.hi) {
        const bx = Math.max(1, Math.min(width - 1, x(brk, row)));
        g.fillRect(bx - 1, y - 4, 2, ROW_H + 8);
        g.textAlign = 'right';
        g.fillText(`break ${brk}`, Math.max(60, bx - 3), y - GAP / 2 + 1);
        g.textAlign = 'left';
      }
    });
    // the block the op touched, and the payload where a check broke
    const outline = (off, colour, w) => {
      const b = payloadAt(s, off) || (off >= 0 && s.row >= 0 ? { offset: off, size: Math.max(1, t.rows.size[s.row]) } : null);
      if (!b) return;
      m.rows.forEach((row, r) => {
        if (b.offset + b.size <= row.lo || b.offset >= row.hi) return;
        const y = GAP + r * (ROW_H + GAP);
        const x0 = x(Math.max(b.offset, row.lo), row);
        const x1 = Math.max(x0 + 2, x(Math.min(b.offset + b.size, row.hi), row));
        g.strokeStyle = colour;
        g.lineWidth = w;
        g.strokeRect(x0 + w / 2, y + w / 2, x1 - x0 - w, ROW_H - w);
        g.lineWidth = 1;
      });
    };
    if (touched >= 0 && rowKind(t, s.row) !== 'f') outline(touched, col.touched, 3);
    if (failOff >= 0) outline(failOff, col.bad, 3);
  }

  // Names what lies under the pointer.
  hover(ev) {
    if (!this.layout || !this.state) return;
    const { m, width, blocks } = this.layout;
    const rect = this.e.canvas.getBoundingClientRect();
    const r = Math.floor((ev.clientY - rect.top - GAP) / (ROW_H + GAP));
    const row = m.rows[r];
    if (!row) return;
    const at = Math.floor(row.lo + ((ev.clientX - rect.left) / width) * m.bytesPerRow);
    const s = this.state;
    const b = payloadAt(s, at);
    const own = blocks && at < s.heapSize ? blocks.find((k) => at >= k.offset && at < k.offset + k.size) : null;
    const where = own ? ` In its headers: ${at < own.offset + 4 ? 'the header of' : 'inside'} ${own.alloc ? 'an allocated' : 'a free'} block of ${own.size} bytes at ${own.offset}.` : '';
    this.e.detail.textContent = (b ? `Heap offset ${at}: the payload of id ${b.id} (${b.size} bytes at ${b.offset} .. ${b.offset + b.size - 1})`
      : at < s.heapSize ? `Heap offset ${at}: held by the allocator, not given out (a header, footer, padding or a free block)`
        : `Heap offset ${at}: beyond the break (the heap is ${s.heapSize} bytes now)`) + where;
  }
}
