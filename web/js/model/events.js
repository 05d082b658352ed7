// events.js: a run's event log in flat typed arrays (DOM-free), so a
// 300,000-op run crosses from the worker to the page as a few transferable
// buffers instead of a million objects. Op i's events are start[i] ..
// start[i+1]; `names` are the event kinds' names as C's log gives them
// (heap.logTable() in web/js/lab/log.js builds this shape).

// Returns the transferable buffers of flattened events (for postMessage).
export function eventBuffers(ev) {
  return [ev.start.buffer, ev.kind.buffer, ev.detail.buffer, ev.a.buffer, ev.b.buffer, ev.c.buffer];
}

// Returns op i's events as objects {kind, detail, a, b, c} (empty outside the run).
export function eventsAt(ev, i) {
  if (!ev || i < 0 || i >= ev.n) return [];
  const out = [];
  for (let e = ev.start[i]; e < ev.start[i + 1]; e++) {
    out.push({ kind: ev.names[ev.kind[e]] || 'unknown', detail: ev.detail[e], a: ev.a[e], b: ev.b[e], c: ev.c[e] });
  }
  return out;
}
