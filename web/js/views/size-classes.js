// size-classes.js: the fast policy's size classes beside the map, as the
// AssemblyScript TLSF visualizer draws its bins: the bitmap of non-empty
// classes (one cell per class, C's boundaries), each non-empty class's list
// from its own head, and on the map a label on every list's head. The last
// search's own class and the class its block came from are marked in the
// bitmap. Shown only under `fast`; it draws what it is given.
import { el, textWidth } from './dom.js';
import { anchorOf, LINK_H } from '../model/heap-layout.js';
import { classLists, classRange } from '../model/size-classes.js';

export class SizeClasses {
  // heap: the HeapView to label; box: the element the bitmap and lists go in; minSize: C's class boundaries.
  constructor(heap, box, minSize) {
    this.heap = heap;
    this.box = box;
    this.minSize = minSize;
    this.lists = [];
    heap.overlays.push(this);
  }

  // Shows the classes of a snapshot's blocks under `policy` (hidden unless fast); search: model/search.js.
  show(blocks, policy, search) {
    this.on = policy === 'fast' && this.minSize.length > 0;
    if (this.box.hidden !== !this.on) this.box.hidden = !this.on; // a step that leaves it hidden writes nothing
    if (!this.on) { this.lists = []; return; }
    this.lists = classLists(blocks, this.minSize);
    const nonEmpty = new Map(this.lists.map((l) => [l.cls, l]));
    const want = search && search.requestClass >= 0 ? search.requestClass : -1;
    const from = search && search.fromClass >= 0 ? search.fromClass : -1;
    const top = search && search.topClass >= 0 ? search.topClass : -1;
    const cells = this.minSize.map((_, c) => {
      const l = nonEmpty.get(c);
      const cls = ['bit', l ? 'on' : '', c === want ? 'want' : '', c === from && from !== want ? 'from' : ''].filter(Boolean).join(' ');
      return el('span', { class: cls, title: `class ${c}: ${classRange(c, this.minSize)}, ${l ? `${l.list.length} free` : 'empty'}` });
    });
    const items = this.lists.map((l) => el('li', { dataset: { cls: String(l.cls) } },
      el('b', { text: `class ${l.cls}` }), ` (${classRange(l.cls, this.minSize)}): head → `,
      l.list.map((o) => `@${o}`).join(' → ')));
    const note = want >= 0 ? (from === want ? `The last request's class, ${want} (outlined), had a block that fits.`
      : top >= 0 && from >= 0 ? `The last request's class, ${want} (outlined), had none that fits: the bitmap's next set bit is class ${top}, whose head is the top block (kept for last); the block came from class ${from} (dashed).`
      : from < this.minSize.length && from >= 0 ? `The last request's class, ${want} (outlined), had none that fits: the bitmap's next set bit is class ${from} (dashed), whose head was taken.`
        : `The last request's class, ${want}, had none that fits and no larger class is set: the break moved.`) : '';
    this.box.replaceChildren(
      el('p', { class: 'mk-head', text: `Segregated free lists: ${this.minSize.length} size classes, ${this.lists.length} non-empty` }),
      el('div', { class: 'class-bitmap', role: 'img', 'aria-label': `Bitmap of non-empty classes: ${this.lists.map((l) => l.cls).join(', ') || 'none'}` }, cells),
      el('p', { class: 'hint', text: `One cell per class, class 0 on the left: filled when its list holds a free block. ${note}` }),
      el('ol', { class: 'class-lists' }, items),
    );
  }

  // Labels each list's head on the map with its class (called by HeapView.draw).
  draw(g, L, C) {
    if (!this.on || !this.lists.length) return;
    const blocks = new Map(this.heap.snap.blocks.map((b) => [b.offset, b]));
    g.save();
    g.font = 'bold 10px system-ui, sans-serif';
    g.textBaseline = 'alphabetic';
    for (const l of this.lists) {
      const b = blocks.get(l.head);
      const a = b && anchorOf(b.offset, b.offset + b.size, L);
      if (!a) continue;
      const text = `c${l.cls}`;
      const w = textWidth(g, text) + 6;
      const x = Math.max(0, Math.min(L.width - w, a.x + 14));
      g.fillStyle = C.link;
      g.fillRect(x, a.y - LINK_H + 1, w, 12);
      g.fillStyle = '#fff';
      g.fillText(text, x + 3, a.y - LINK_H + 10);
    }
    g.restore();
  }
}
