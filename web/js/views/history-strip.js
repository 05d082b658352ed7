// history-strip.js: the heap over time at a glance (after villoc). Each thin
// row is the heap after one step (or one of evenly spaced steps on a long
// run), addresses left to right as on the map: blue where the bytes are
// allocated, yellow where they are free, grey beyond the break, so the step
// where yellow specks start to pepper the blue is where fragmentation
// starts. The current step's row is outlined; clicking a row (or ↑ ↓ on the
// focused strip) moves the cursor there. The cells are C's (heap.timeline);
// this file only paints them.
import { el } from './dom.js';
import { rowOfStep, mix, rgbOf } from '../model/history.js';

const MAX_H = 180; // pixels the strip may take

export class HistoryStrip {
  // canvas: the strip; note: the line under it; onStep(k): move the cursor.
  constructor(canvas, note, onStep) {
    this.canvas = canvas;
    this.note = note;
    this.onStep = onStep;
    this.h = null;
    this.k = 0;
    canvas.addEventListener('click', (e) => {
      if (!this.h || !this.rowH) return;
      const rect = canvas.getBoundingClientRect();
      const row = Math.min(this.h.rows - 1, Math.max(0, Math.floor((e.clientY - rect.top) / this.rowH)));
      this.onStep(this.h.steps[row]);
    });
    canvas.addEventListener('keydown', (e) => {
      if (!this.h || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
      e.preventDefault();
      e.stopPropagation();
      const row = rowOfStep(this.h.steps, this.k) + (e.key === 'ArrowDown' ? 1 : -1);
      if (row >= 0 && row < this.h.rows) this.onStep(this.h.steps[row]);
    });
  }

  // Shows a run's history (engine 'history' answer) and says when fragmentation starts.
  show(history, run, onJump) {
    this.h = history && history.rows ? history : null;
    this.image = null;
    const start = run.fragStart; // found in the worker, with the run
    const bits = [];
    if (this.h) {
      const every = this.h.rows === run.n ? 'one row per step' : `one row every ${Math.ceil(run.n / this.h.rows)} steps`;
      bits.push(`Top: step ${this.h.steps[0]}; bottom: step ${this.h.steps[this.h.rows - 1]} (${every}). Addresses run left to right as on the map. Blue: allocated; yellow: free; grey: beyond the break.`);
    }
    const jump = start ? el('button', { type: 'button', class: 'link', text: `step ${start}` }) : null;
    if (jump) jump.addEventListener('click', () => onJump(start));
    this.note.replaceChildren(bits.join(' '), ' ',
      start ? el('span', {}, 'Fragmentation starts at ', jump, ': the first step after which the free space lies in two or more pieces.')
        : 'The free space never splits into two pieces in this run.');
    this.draw();
  }

  // Outlines the row of step k; the strip is redrawn only when the outlined row changes (on a long run a
  // row holds many steps, so a step mostly leaves the canvas as it was).
  setCursor(k) {
    this.k = k;
    if (this.h && this.rowShown === this.rowOf(k)) this.label();
    else this.draw();
  }

  // Returns the row outlined at step k (-1: none, at step 0).
  rowOf(k) {
    return k > 0 ? rowOfStep(this.h.steps, k) : -1;
  }

  // Names the strip and the outlined row for screen readers.
  label() {
    this.canvas.setAttribute('aria-label', `The heap over time, ${this.h.rows} rows; the outlined row is step ${this.k}. Click a row, or use the up and down arrows, to go to its step.`);
  }

  // Paints the cells once into an image the size of the grid (scaled up when drawn).
  paint() {
    const { rows, cols, cells } = this.h;
    const cs = getComputedStyle(this.canvas);
    const used = rgbOf(cs.getPropertyValue('--c-payload')), free = rgbOf(cs.getPropertyValue('--c-free')), beyond = rgbOf(cs.getPropertyValue('--c-beyond'));
    const img = new ImageData(cols, rows);
    for (let i = 0; i < rows * cols; i++) {
      const v = cells[i];
      const c = v === 0 ? beyond : mix(used, free, (v - 1) / 254);
      img.data.set([c[0], c[1], c[2], 255], i * 4);
    }
    const off = document.createElement('canvas');
    off.width = cols;
    off.height = rows;
    off.getContext('2d').putImageData(img, 0, 0);
    this.image = off;
  }

  // Redraws the strip and the cursor's row.
  draw() {
    const c = this.canvas;
    c.hidden = !this.h;
    this.rowShown = undefined; // no row outlined until the strip is drawn
    if (!this.h) return;
    if (!this.image) this.paint();
    const width = Math.max(120, c.parentElement.clientWidth - 2);
    this.rowH = Math.max(2, Math.min(8, Math.floor(MAX_H / this.h.rows)));
    const height = this.rowH * this.h.rows;
    const dpr = globalThis.devicePixelRatio || 1;
    if (c.width !== Math.round(width * dpr) || c.height !== Math.round(height * dpr)) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
    }
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.imageSmoothingEnabled = false;
    g.drawImage(this.image, 0, 0, width, height);
    const row = this.rowOf(this.k);
    this.rowShown = row;
    if (row >= 0) {
      g.strokeStyle = getComputedStyle(c).getPropertyValue('--c-touched').trim() || '#d55e00';
      g.fillStyle = g.strokeStyle;
      g.lineWidth = 1.5;
      g.beginPath(); // lines above and below the row, arrowheads at both ends: the row itself stays visible
      g.moveTo(0, row * this.rowH - 1); g.lineTo(width, row * this.rowH - 1);
      g.moveTo(0, (row + 1) * this.rowH + 1); g.lineTo(width, (row + 1) * this.rowH + 1);
      g.stroke();
      const y = (row + 0.5) * this.rowH;
      g.beginPath();
      g.moveTo(0, y - 5); g.lineTo(7, y); g.lineTo(0, y + 5);
      g.moveTo(width, y - 5); g.lineTo(width - 7, y); g.lineTo(width, y + 5);
      g.fill();
    }
    this.label();
  }
}
