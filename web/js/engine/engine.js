// engine.js: the page's handle on the engine. The wasm module
// (dist/heaplab.js) sits in the page as a gzip + base64 data block
// (#heaplab-module, written by web/build.mjs); it is inflated once
// (packed.js) and, followed by the worker bundle (WORKER_SOURCE,
// engine-worker.js), becomes the blob a Web Worker runs, so a long trace
// never freezes the page and the OSTEP mode shares the same instance. Every request returns a promise;
// latestOf() drops answers that a newer request of the same kind superseded.
// Snapshots arrive with their block table and are decoded here (snapshot.js).

/* global WORKER_SOURCE */
import { blockText } from './packed.js';
import { withBlocks } from './snapshot.js';

export class Engine {
  // No worker yet: init() starts it.
  constructor() {
    this.pending = new Map();
    this.progress = new Map(); // request id -> onProgress({phase, fraction})
    this.seq = 0;
    this.latest = {};
    this.worker = null;
  }

  // Starts the worker; resolves to {scenarios, policies, canPredict} once the module answers.
  async init() {
    if (typeof Worker !== 'function' || typeof DecompressionStream !== 'function') {
      throw new Error('this browser lacks Web Workers or DecompressionStream');
    }
    const src = await blockText('heaplab-module', 'the HeapLab wasm module');
    const url = URL.createObjectURL(new Blob([src, '\n', WORKER_SOURCE], { type: 'text/javascript' }));
    this.worker = new Worker(url);
    this.worker.onmessage = (e) => {
      if (e.data.progress) { const f = this.progress.get(e.data.id); if (f) f(e.data.progress); return; }
      this.progress.delete(e.data.id);
      const p = this.pending.get(e.data.id);
      this.pending.delete(e.data.id);
      const res = e.data.result;
      if (res && res.end) withBlocks(res.end); // a run's last heap
      if (p) p(withBlocks(res));
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      for (const p of this.pending.values()) p({ error: `the engine stopped: ${e.message || 'unknown error'}` });
      this.pending.clear();
      this.progress.clear();
    };
    const info = await this.request({ type: 'info' });
    URL.revokeObjectURL(url);
    if (info.error) throw new Error(info.error);
    return info;
  }

  // Returns a promise of the engine's result for msg ({error} when the engine failed).
  // onProgress({phase, fraction}) hears a run's progress; the promise's `id` names it for cancel().
  request(msg, { onProgress = null } = {}) {
    const id = ++this.seq;
    if (onProgress) this.progress.set(id, onProgress);
    const p = new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ ...msg, id });
    });
    p.id = id;
    return p;
  }

  // Asks the engine to stop request `id` (a run): it then answers {cancelled: true}.
  cancel(id) {
    if (this.worker) this.worker.postMessage({ type: 'cancel', target: id });
  }

  // Returns the result of a request, or null when a newer request of the same kind was made meanwhile.
  async latestOf(kind, msg, options = {}) {
    const ticket = (this.latest[kind] || 0) + 1;
    this.latest[kind] = ticket;
    const result = await this.request(msg, options);
    return this.latest[kind] === ticket ? result : null;
  }
}
