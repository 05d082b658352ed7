// heap-zoom.js: zooming the heap map into a region. Drag across the map to
// show only the bytes dragged over; Ctrl (or ⌘) + wheel zooms in or out
// around the byte under the pointer (a trackpad pinch sends the same); with
// the map focused, + and − zoom around the selected block and 0 shows the
// whole heap again, as does the "Whole heap" button. Down to a few bytes, so
// a 2 MiB heap can be read to the byte. Only DOM events are handled here;
// the window itself is heap-layout.js geometry, drawn by heap-view.js.
import { byteAtX, zoomView, ROW_H } from '../model/heap-layout.js';

const DRAG_PX = 5; // a shorter drag is a click (it picks a block)

// Wires zooming to HeapView `view`; `whole` is the button that shows the whole heap again.
export function bindHeapZoom(view, whole) {
  const canvas = view.canvas;
  let drag = null;
  const band = document.createElement('div');
  band.className = 'zoom-band';
  band.hidden = true;
  view.scroller.append(band);

  // Returns the byte under a pointer event's x in the row under its y (the link band counts), or -1.
  const byteOf = (e) => {
    const r = canvas.getBoundingClientRect();
    const row = Math.max(0, Math.min(view.L.rows - 1, Math.floor((e.clientY - r.top) / ROW_H)));
    return byteAtX(Math.max(0, Math.min(view.L.width, e.clientX - r.left)), row, view.L);
  };

  canvas.addEventListener('pointerdown', (e) => {
    view.suppressClick = false;
    if (!view.L || e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, from: byteOf(e), moved: false };
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    if (!drag.moved && Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < DRAG_PX) return;
    if (!drag.moved) canvas.setPointerCapture(e.pointerId);
    drag.moved = true;
    const r = canvas.getBoundingClientRect();
    const s = view.scroller.getBoundingClientRect();
    const x0 = Math.min(drag.x, e.clientX), x1 = Math.max(drag.x, e.clientX);
    const y0 = Math.min(drag.y, e.clientY), y1 = Math.max(drag.y, e.clientY);
    Object.assign(band.style, {
      left: `${x0 - s.left + view.scroller.scrollLeft}px`, top: `${Math.max(y0, r.top) - s.top + view.scroller.scrollTop}px`,
      width: `${x1 - x0}px`, height: `${Math.max(8, y1 - Math.max(y0, r.top))}px`,
    });
    band.hidden = false;
  });
  const end = (e, apply) => {
    if (!drag) return;
    const d = drag;
    drag = null;
    band.hidden = true;
    if (!d.moved || !apply) return;
    view.suppressClick = true; // the click that ends a drag does not pick a block
    const to = byteOf(e);
    if (d.from < 0 || to < 0) return;
    view.setView({ lo: Math.min(d.from, to), hi: Math.max(d.from, to) + 1 });
  };
  canvas.addEventListener('pointerup', (e) => end(e, true));
  canvas.addEventListener('pointercancel', (e) => end(e, false));

  canvas.addEventListener('wheel', (e) => {
    if (!view.L || !(e.ctrlKey || e.metaKey)) return; // a plain wheel scrolls the page
    e.preventDefault();
    const at = byteOf(e);
    if (at < 0) return;
    const f = Math.min(4, Math.max(0.25, Math.exp(e.deltaY * 0.004)));
    view.setView(zoomView(view.view, view.snap.span, at, f));
  }, { passive: false });

  canvas.addEventListener('keydown', (e) => {
    if (!view.L || e.ctrlKey || e.metaKey || e.altKey) return;
    const b = view.snap.blocks[view.selected];
    const at = b ? b.offset + b.size / 2 : (view.L.lo + view.L.hi) / 2;
    if (e.key === '+' || e.key === '=') view.setView(zoomView(view.view, view.snap.span, at, 0.5));
    else if (e.key === '-' || e.key === '_') view.setView(zoomView(view.view, view.snap.span, at, 2));
    else if (e.key === '0') view.setView(null);
    else return;
    e.preventDefault();
  });

  whole.addEventListener('click', () => view.setView(null));
}
