// ostep-engine.js: runs malloc.py command lines for the OSTEP mode.
//
// The allocator's engine lives in a Web Worker whose request types belong
// to engine-core.js; the OSTEP simulator is small and quick (the page caps
// a run at MAX_OPS operations), so this mode runs its own instance of the
// same wasm module on the page's thread, started on first use: the module
// text is inflated from the page's #heaplab-module data block and run as a
// blob: script (which defines global HeapLab), as the CSP allows. Node
// tests pass a loaded lab instead (new OstepEngine(lab)).
import { makeSession, MAX_OPS } from '../model/ostep-model.js';

// Resolves to a lab loaded from the page's module block.
async function pageLab() {
  if (!globalThis.HeapLab) {
    const block = document.getElementById('heaplab-module');
    if (!block) throw new Error('the HeapLab wasm module is not in this page');
    const bin = Uint8Array.from(atob(block.textContent.trim()), (ch) => ch.charCodeAt(0));
    const text = await new Response(new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
    const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    await new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = url;
      s.onload = resolve;
      s.onerror = () => reject(new Error('the wasm module script did not run'));
      document.head.append(s);
    });
    URL.revokeObjectURL(url);
  }
  // Emscripten first tries to fetch its inlined data: URL, which the page's CSP
  // (connect-src 'none') refuses with a console error before it falls back to
  // decoding the data itself; without a fetch it decodes at once. The factory
  // looks for fetch synchronously, so it is hidden only for that call.
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  let loading;
  try {
    globalThis.fetch = undefined;
    loading = globalThis.HeapLab.load();
  } finally {
    if (saved) Object.defineProperty(globalThis, 'fetch', saved); else delete globalThis.fetch;
  }
  return loading;
}

export class OstepEngine {
  // lab: a loaded HeapLab lab, or null to load the page's module on first use.
  constructor(lab = null) {
    this.lab = lab;
    this.loading = null;
  }

  // Resolves to the lab (loading it once).
  async ready() {
    if (this.lab) return this.lab;
    if (!this.loading) this.loading = pageLab().then((lab) => { this.lab = lab; return lab; });
    return this.loading;
  }

  // Resolves to {session} for malloc.py flags, {help} for -h, or {error, status} (one line).
  async run(flags) {
    const lab = await this.ready();
    if (typeof lab.ostep !== 'function') return { error: 'this build has no OSTEP simulator (lab.ostep)', status: -1 };
    const answers = lab.ostep(flags, { compute: true, maxOps: MAX_OPS });
    if (answers.status === 1) return { help: answers.help };
    if (answers.status === -12) return { error: `more than ${MAX_OPS} operations: the page shows at most ${MAX_OPS} (build/heaplab ostep prints any number)`, status: answers.status };
    if (answers.status < 0) return { error: answers.error, status: answers.status };
    const questions = lab.ostep(flags, { compute: false, maxOps: MAX_OPS });
    const session = makeSession(flags, questions, answers);
    if (session.error) return { error: session.error, status: -1 };
    return { session };
  }
}
