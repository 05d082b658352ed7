// heap-view.js: draws the derived block table on a canvas, to scale, with
// the free list's next links as arcs, the last operation outlined, and
// hover / keyboard focus details. It holds only what it was last given to
// draw; it never changes the heap. Colours and words: heap-words.js. The
// header size comes from the engine's vocabulary (state.js), given at construction.
import { blockTable, blockAt } from '../model/state.js';
import { plural } from '../model/words.js';
import { colours, blockText } from './heap-words.js';
import { makeLayout, rectsOf, eachRect, byteAt, anchorOf, formatBytes, clampView, LINK_H } from '../model/heap-layout.js';
import { fillDensity, linksInView, LINKS_PER_PX, DensityBand } from './heap-density.js';
import { textWidth } from './dom.js';

// The order the kinds of byte range are painted in (see draw).
const PAINT_ORDER = ['pad', 'epilogue', 'header', 'footer', 'payload', 'padding', 'free'];

// Returns the end of the last block (where the space beyond the blocks starts).
function endOf(blocks) {
  const b = blocks[blocks.length - 1];
  return b ? b.offset + b.size : 0;
}

export class HeapView {
  // canvas: the drawing surface; scroller: its scrolling container; detail: where hover text goes;
  // vocab: the engine's vocabulary (its headerBytes).
  // onView(view): told when the part of the heap shown changes (setView).
  constructor(canvas, scroller, detail, { vocab, onSelect, onView } = {}) {
    this.canvas = canvas;
    this.view = null; // the window {lo, hi} of bytes shown; null: the whole heap
    this.onView = onView || (() => {});
    this.vocab = vocab;
    this.scroller = scroller;
    this.detail = detail;
    this.onSelect = onSelect || (() => {});
    this.zoom = 1;
    this.snap = null;
    this.overlays = []; // drawn last, each given (context, layout): search-marks.js, size-classes.js
    this.band = new DensityBand(); // the density band as last drawn: a step redraws only its changed rows
    this.selected = -1;
    this.picked = null; // the selected block's identity: {id} (allocated) or {offset} (free)
    this.hint = detail.textContent;
    this.hover = -1;
    this.idleText = detail.textContent; // what the detail line says when no block is picked
    canvas.addEventListener('mousemove', (e) => this.pointer(e, false));
    canvas.addEventListener('mouseleave', () => { this.hover = -1; this.draw(); });
    canvas.addEventListener('click', (e) => this.pointer(e, true));
    canvas.addEventListener('keydown', (e) => this.key(e));
    canvas.addEventListener('focus', () => { if (this.selected < 0 && this.snap && this.snap.blocks.length) this.select(0); });
    // the scroller's width, kept by a ResizeObserver so a step's draw does not force a layout to read it
    this.width = 0;
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => {
        const w = scroller.clientWidth;
        if (w !== this.width) { this.width = w; this.draw(); }
      }).observe(scroller);
    }
  }

  // Shows a snapshot: {blocks, stats, span, align, touched:{blocks:Set, extend}, freeHead, rover,
  // siteOf(id) (optional: a block's call site or null)}.
  show(snap) {
    this.snap = snap;
    this.table = blockTable(snap.blocks, snap.stats.heapSize, snap.align, this.vocab, this.table); // the last one's objects reused
    this.hover = -1;
    this.follow();
    this.draw();
    const s = snap.stats;
    this.canvas.setAttribute('aria-label', `Heap layout: ${plural(snap.blocks.length, 'block')} (${s.allocBlocks} allocated, ${s.freeBlocks} free), break at ${s.heapSize} bytes. Focus and use the arrow keys to read each block.`);
  }

  // Finds the selected block again in a new snapshot (by id when allocated, by offset when free)
  // and describes it as it is now; clears the selection and the line when it no longer exists.
  follow() {
    const p = this.picked;
    if (!p) {
      this.selected = -1;
      if (this.detail.textContent !== this.hint) this.detail.textContent = this.hint;
      return;
    }
    const blocks = this.snap.blocks;
    this.selected = blocks.findIndex((b) => (p.id !== undefined ? !b.free && b.id === p.id : b.free && b.offset === p.offset));
    if (this.selected >= 0) this.detail.textContent = this.describe(blocks[this.selected]);
    else {
      this.picked = null;
      this.detail.textContent = p.id !== undefined ? `Block ${p.id} is not allocated at this step. ${this.hint}` : this.hint;
    }
  }

  // Forgets the picked and hovered block (the detail line says what it said at first) and redraws.
  clearSelection() {
    this.selected = -1;
    this.hover = -1;
    this.detail.textContent = this.idleText;
    this.draw();
  }

  // Forgets the cached colours (after a colour-scheme change) and redraws.
  refreshColours() {
    this.C = null;
    this.draw();
  }

  // Sets the zoom factor (rows multiply) and redraws.
  setZoom(z) {
    this.zoom = Math.max(1, z | 0);
    this.draw();
  }

  // Shows only bytes [view.lo, view.hi) of the heap (null: all of it) and redraws.
  setView(view) {
    const span = this.snap ? this.snap.span : Infinity;
    const v = view ? clampView(view, span) : null;
    this.view = v && !v.whole ? { lo: v.lo, hi: v.hi } : null;
    this.draw();
    this.onView(this.view);
  }

  // Returns the current layout (depends on the container width and the window shown).
  layout() {
    if (!this.width) this.width = this.scroller.clientWidth;
    const width = Math.max(200, this.width - 2);
    return makeLayout(this.snap.span, width, this.zoom, this.snap.align, this.view);
  }

  // Redraws everything from the last snapshot.
  draw() {
    if (!this.snap) return;
    const L = this.layout();
    this.L = L;
    const dpr = globalThis.devicePixelRatio || 1;
    const c = this.canvas;
    if (c.width !== Math.round(L.width * dpr) || c.height !== Math.round(L.height * dpr)) {
      c.width = Math.round(L.width * dpr);
      c.height = Math.round(L.height * dpr);
      c.style.width = `${L.width}px`;
      c.style.height = `${L.height}px`;
    }
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!this.C) this.C = colours(c);
    const C = this.C;
    g.clearRect(0, 0, L.width, L.height);
    const heapSize = this.snap.stats.heapSize;
    // The part of the drawn span above the current break.
    if (heapSize < L.span) for (const r of rectsOf(heapSize, L.span, L)) this.hatch(g, r, C.beyond);
    if (L.pxPerByte < 1) fillDensity(g, L, C, dpr, this.table, this.band);
    else this.fillExact(g, L, C);
    this.separators(g, L, C);
    this.labels(g, L, C);
    this.badge = this.badgeBox(g, L);
    // past one arc per 12 px the free list is a blanket over the blocks: it is left out (scaleText says so)
    this.linksShown = linksInView(this.snap.blocks, L);
    this.linksHidden = this.linksShown > L.width * LINKS_PER_PX;
    if (!this.linksHidden) this.links(g, L, C);
    this.outline(g, L, C);
    for (const o of this.overlays) o.draw(g, L, C);
  }

  // Fills every byte range at its exact position: one path per kind, filled once. Where ranges
  // share a pixel the later kinds win: contents over headers, free space over payload.
  fillExact(g, L, C) {
    const paths = new Map(PAINT_ORDER.map((k) => [k, new Path2D()]));
    for (const range of this.table) {
      const p = paths.get(range.kind);
      eachRect(range.start, range.end, L, (x, y, w, h) => p.rect(x, y, Math.max(w, 0.75), h));
    }
    for (const [kind, p] of paths) {
      g.fillStyle = C[kind];
      g.fill(p);
    }
  }

  // Draws diagonal hatching in a rectangle (the arena beyond the break).
  hatch(g, r, colour) {
    g.save();
    g.beginPath();
    g.rect(r.x, r.y, r.w, r.h);
    g.clip();
    g.strokeStyle = colour;
    g.lineWidth = 1;
    for (let x = r.x - r.h; x < r.x + r.w; x += 8) { g.moveTo(x, r.y + r.h); g.lineTo(x + r.h, r.y); }
    g.stroke();
    g.restore();
  }

  // Draws a thin line at each block start when blocks are wide enough to tell apart.
  separators(g, L, C) {
    g.fillStyle = C.bg;
    for (const b of this.snap.blocks) {
      if (b.size * L.pxPerByte < 4) continue;
      eachRect(b.offset, b.offset + 1, L, (x, y, w, h) => g.fillRect(x, y, 1, h));
    }
  }

  // Writes sizes (and ids) on blocks wide enough to hold the text.
  labels(g, L, C) {
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    for (const b of this.snap.blocks) {
      if (b.size * L.pxPerByte < 22) continue;
      for (const r of rectsOf(b.offset, b.offset + b.size, L)) {
        if (r.w < 22) continue;
        const text = b.free ? `${b.size}` : `#${b.id} ${b.payloadSize}`;
        if (textWidth(g, text) + 6 > r.w) continue;
        g.fillStyle = b.free ? '#000' : C.text;
        g.fillText(text, r.x + 4, r.y + r.h / 2);
        break;
      }
    }
  }

  // Draws the free list: an arc from each free block to its next (faint when the two
  // sit in different rows, so long jumps do not hide the blocks), the head marked.
  links(g, L, C) {
    const byOff = new Map();
    for (const b of this.snap.blocks) if (b.free) byOff.set(b.offset, b);
    const head = this.snap.freeHead;
    // four paths, each stroked or filled once: links within a row and their arrowheads, links
    // across rows and theirs (faint, so long jumps do not hide the blocks)
    const near = new Path2D(), far = new Path2D(), nearHeads = new Path2D(), farHeads = new Path2D();
    for (const b of byOff.values()) {
      const n = b.nextFree ? byOff.get(b.nextFree) : null;
      if (!n) continue;
      const a = anchorOf(b.offset, b.offset + b.size, L);
      const z = anchorOf(n.offset, n.offset + n.size, L);
      if (!a || !z) continue;
      const same = a.row === z.row;
      const lift = same ? Math.min(LINK_H - 3, 6 + Math.abs(z.x - a.x) / 8) : LINK_H - 3;
      const p = same ? near : far;
      p.moveTo(a.x, a.y);
      p.bezierCurveTo(a.x, a.y - lift, z.x, z.y - lift, z.x, z.y - 1);
      const h = same ? nearHeads : farHeads;
      h.moveTo(z.x, z.y);
      h.lineTo(z.x - 3.5, z.y - 6);
      h.lineTo(z.x + 3.5, z.y - 6);
      h.closePath();
    }
    g.strokeStyle = C.link;
    g.fillStyle = C.link;
    g.globalAlpha = 0.3;
    g.lineWidth = 1;
    g.stroke(far);
    g.fill(farHeads);
    g.globalAlpha = 1;
    g.lineWidth = 1.5;
    g.stroke(near);
    g.fill(nearHeads);
    g.globalAlpha = 1;
    this.headBox = null;
    if (head && byOff.has(head)) {
      const h = byOff.get(head);
      const a = anchorOf(h.offset, h.offset + h.size, L);
      g.font = 'bold 10px system-ui, sans-serif';
      g.textBaseline = 'alphabetic';
      const w = Math.ceil(textWidth(g, 'head')) + 2;
      if (a) {
        let x = Math.max(0, Math.min(L.width - w, a.x - w / 2));
        const y = a.y - LINK_H + 1;
        const bx = this.badge;
        // beside the operation's badge when they would share pixels (right of it, else left)
        if (bx && bx.y < y + 11 && y < bx.y + bx.h && bx.x < x + w && x < bx.x + bx.w) x = bx.x + bx.w + 3 + w <= L.width ? bx.x + bx.w + 3 : Math.max(0, bx.x - w - 3);
        g.fillText('head', x + 1, y + 9);
        this.headBox = { x, y, w, h: 11 };
      }
    }
  }

  // Outlines the blocks the last operation touched, the extended break, and the selected block.
  outline(g, L, C) {
    const t = this.snap.touched || { blocks: new Set(), extend: null };
    g.lineWidth = 3;
    g.strokeStyle = C.touched;
    g.setLineDash([]);
    for (const b of this.touchedBlocks()) {
      for (const r of rectsOf(b.offset, b.offset + b.size, L)) g.strokeRect(r.x + 1.5, r.y + 1.5, Math.max(r.w - 3, 1), r.h - 3);
    }
    if (t.extend) {
      g.setLineDash([4, 3]);
      for (const r of rectsOf(t.extend[0] - 4, t.extend[1], L)) g.strokeRect(r.x + 1, r.y - 2, Math.max(r.w - 2, 1), r.h + 4);
      g.setLineDash([]);
    }
    const bx = this.badge;
    if (bx) {
      g.font = 'bold 11px system-ui, sans-serif';
      g.textBaseline = 'alphabetic';
      g.fillStyle = C.touched;
      g.fillRect(bx.x, bx.y, bx.w, bx.h);
      g.fillStyle = '#fff';
      g.fillText(t.label, bx.x + 4, bx.y + 11);
    }
    for (const i of [this.hover, this.selected]) {
      const b = this.snap.blocks[i];
      if (!b) continue;
      g.lineWidth = 2;
      g.strokeStyle = C.fg;
      g.setLineDash(i === this.selected ? [] : [2, 2]);
      for (const r of rectsOf(b.offset, b.offset + b.size, L)) g.strokeRect(r.x + 0.5, r.y - 3, Math.max(r.w - 1, 1), r.h + 6);
      g.setLineDash([]);
    }
  }

  // Returns the blocks the last operation touched, in address order (found by offset: a step
  // looks up its few blocks instead of walking thousands).
  touchedBlocks() {
    const t = this.snap.touched;
    if (!t || !t.blocks.size) return [];
    const blocks = this.snap.blocks;
    return [...t.blocks].sort((a, b) => a - b).map((off) => blocks[blockAt(blocks, off)]).filter((b) => b && t.blocks.has(b.offset));
  }

  // Returns where the last operation's badge goes ({x, y, w, h} above its first touched block
  // or the extended break), or null when there is none.
  badgeBox(g, L) {
    const t = this.snap.touched || { blocks: new Set(), extend: null };
    if (!t.label) return null;
    const first = this.touchedBlocks()[0];
    const at = first ? anchorOf(first.offset, first.offset + first.size, L) : t.extend ? anchorOf(t.extend[0] - 4, t.extend[1], L) : null;
    if (!at) return null;
    g.font = 'bold 11px system-ui, sans-serif';
    const w = textWidth(g, t.label) + 8;
    return { x: Math.max(0, Math.min(L.width - w, at.x - w / 2)), y: at.y - LINK_H + 2, w, h: 15 };
  }

  // Handles hover (describe) and click (select) at the pointer.
  pointer(e, click) {
    if (!this.snap || !this.L) return;
    const rect = this.canvas.getBoundingClientRect();
    const off = byteAt(e.clientX - rect.left, e.clientY - rect.top, this.L);
    const i = off < 0 ? -1 : blockAt(this.snap.blocks, off);
    if (click) {
      if (this.suppressClick) { this.suppressClick = false; return; } // the end of a zoom drag
      if (i >= 0) this.select(i, true);
      else if (off >= 0 && off >= endOf(this.snap.blocks)) this.onSelect(null, true);
      return;
    }
    if (i !== this.hover) {
      this.hover = i;
      this.detail.textContent = i >= 0 ? this.describe(this.snap.blocks[i]) : (this.selected >= 0 ? this.describe(this.snap.blocks[this.selected]) : '');
      this.draw();
    }
  }

  // Moves the keyboard selection with the arrow keys while the map has focus.
  key(e) {
    if (!this.snap || !this.snap.blocks.length) return;
    const n = this.snap.blocks.length;
    let i = this.selected;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') i = Math.min(n - 1, i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') i = Math.max(0, i - 1);
    else if (e.key === 'Home') i = 0;
    else if (e.key === 'End') i = n - 1;
    else return;
    e.preventDefault();
    e.stopPropagation();
    this.select(i);
  }

  // Selects block i: outlines it, describes it, tells the page (manual free/realloc target;
  // byPointer: it was clicked, not reached with the keys). A click on no block tells the page null.
  select(i, byPointer = false) {
    this.selected = i;
    const b = this.snap.blocks[i];
    this.picked = !b ? null : b.free ? { offset: b.offset } : { id: b.id };
    this.detail.textContent = this.describe(b);
    this.draw();
    if (b) this.onSelect(b, byPointer);
  }

  // Returns blockText for block b of the snapshot on show, with its call site when the snapshot knows it.
  describe(b) {
    const site = b && !b.free && this.snap && this.snap.siteOf ? this.snap.siteOf(b.id) : null;
    return blockText(b, this.vocab.headerBytes, site);
  }

  // Returns the scale line shown under the map.
  scaleText() {
    if (!this.L || !this.snap) return '';
    const s = this.snap.stats;
    const L = this.L;
    const p = L.pxPerByte;
    const density = p >= 1 ? `${+p.toFixed(p >= 10 ? 0 : 1)} px per byte` : `${+(1 / p).toFixed(1 / p >= 10 ? 0 : 1)} bytes per pixel`;
    const part = L.lo > 0 || L.hi < L.span ? `bytes ${L.lo.toLocaleString('en')}–${L.hi.toLocaleString('en')} of 0–${formatBytes(L.span)}` : `0–${formatBytes(L.span)}`;
    const dense = p < 1 ? ' Where blocks are smaller than a pixel, each pixel column is stacked by what its bytes are (payload at the bottom, free on top).' : '';
    const links = this.linksHidden ? ` Free-list links hidden (${this.linksShown.toLocaleString('en')} in view): zoom in to see them.` : '';
    return `Drawn to scale: ${part} in ${plural(L.rows, 'row')} of ${formatBytes(L.bytesPerRow)} (${density}). Break at ${formatBytes(s.heapSize)} of a ${formatBytes(s.arenaSize || 0)} arena.${dense}${links}`;
  }
}
