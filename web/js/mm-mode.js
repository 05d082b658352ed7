// mm-mode.js: the mm mode, "your allocator's heap": an imported mm log
// (`heaplab mm --log`, c/mm/mm_log.h) shown step by step. Importing a file
// whose first line is the mm log's (the magic, read from C through the
// engine's info) opens it here instead of as a trace; the engine (its worker)
// parses it in C (engine/mm-session.js). The mode owns the log and the
// cursor; a log that does not parse is reported with its line and changes
// nothing. While it is on, the allocator's sections are hidden (body.mode-mm)
// and the App stops writing the URL (an imported file is not part of a link).
import { isShortcut, isSpaceShortcut } from './views/dom.js';
import { MmView } from './views/mm-view.js';
import { mmState, failStep, stepCount, decodedBlocks } from './model/modes/mm-model.js';

export class MmMode {
  // app: the allocator's App; ui: its Ui (errors, busy line, announcer); engine: the page's Engine; info: its info.
  constructor(app, ui, engine, info) {
    this.app = app;
    this.ui = ui;
    this.engine = engine;
    this.magic = info.mmLogMagic || null;
    this.on = false;
    this.log = null;
    this.index = 0;
    this.k = 0;
    this.view = new MmView({
      onGoto: (k) => this.goto(k),
      onTrace: (i) => this.pick(i),
      onLeave: () => this.leave(),
    });
    globalThis.addEventListener('keydown', (e) => this.key(e), true);
    // the header's mode buttons and a scenario picked in the setup leave this mode
    for (const id of ['mode-alloc', 'mode-ostep', 'scenario']) {
      const node = document.getElementById(id);
      if (node) node.addEventListener(id === 'scenario' ? 'change' : 'click', () => this.leave(), true);
    }
    let timer = 0;
    globalThis.addEventListener('resize', () => { clearTimeout(timer); timer = setTimeout(() => this.view.draw(), 100); });
  }

  // True when text is an mm log (its first line is the format's magic).
  accepts(text) {
    return this.magic !== null && typeof text === 'string' && text.startsWith(this.magic);
  }

  // Parses an mm log and shows it at its first failing trace's failing op (else trace 0, step 0);
  // resolves to false, with the error shown and the state kept, when it does not parse.
  async open(text, fileName) {
    this.ui.busy(`Reading ${fileName}…`);
    const r = await this.engine.request({ type: 'mm', text, name: fileName });
    this.ui.busy('');
    if (!r || r.error) {
      this.ui.error(r ? r.error : 'the engine did not answer', r && r.line);
      return false;
    }
    this.log = r.traces;
    this.fileName = fileName;
    const bad = this.log.findIndex((t) => t.status !== 'ok');
    this.show(true);
    this.view.setLog(fileName, this.log, bad < 0 ? 0 : bad);
    this.pick(bad < 0 ? 0 : bad);
    this.ui.announce(`Imported the mm log ${fileName}: ${this.log.length} trace${this.log.length === 1 ? '' : 's'}.`);
    return true;
  }

  // Opens the mm log a page written by `heaplab mm --page` carries (a base64
  // block #heaplab-mm-log); resolves to false when there is none.
  async openEmbedded() {
    const block = document.getElementById('heaplab-mm-log');
    if (!block) return false;
    let text;
    try {
      const bin = atob(block.textContent.trim());
      text = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    } catch {
      this.ui.error('The mm log inside this page is damaged (not base64)');
      return false;
    }
    return this.open(text, block.dataset.name || 'heaplab mm');
  }

  // Shows trace i, at its failing step (or step 0).
  pick(i) {
    this.index = Math.max(0, Math.min(this.log.length - 1, i));
    const t = this.log[this.index];
    const f = failStep(t);
    this.goto(f >= 0 ? f : 0);
  }

  // Moves the cursor to step k (clamped) and draws it.
  goto(k) {
    if (!this.log) return;
    const t = this.log[this.index];
    const last = stepCount(t) - 1;
    this.k = Number.isFinite(k) ? Math.max(0, Math.min(last, Math.trunc(k))) : last;
    this.view.render(t, mmState(t, this.k), failStep(t), decodedBlocks(t, this.k));
  }

  // Arrows / Home / End / space step while the mode is on (before the allocator's keys, which it stops).
  key(e) {
    if (!this.on || !isShortcut(e)) return;
    const moves = { ArrowRight: 1, ArrowLeft: -1 };
    const space = isSpaceShortcut(e);
    if (!space && !(e.key in moves) && e.key !== 'Home' && e.key !== 'End') return;
    e.stopPropagation();
    e.preventDefault();
    if (e.key === 'Home') this.goto(0);
    else if (e.key === 'End') this.goto(Infinity);
    else this.goto(this.k + (space ? 1 : moves[e.key]));
  }

  // Leaves the mode: the allocator's sections come back.
  leave() {
    if (!this.on) return;
    this.show(false);
    this.app.backOnStage('Allocator mode.');
  }

  show(on) {
    this.on = on;
    if (on) { this.app.pause(); this.app.offstage = true; }
    document.body.classList.toggle('mode-mm', on);
    this.view.show(on);
    if (on) requestAnimationFrame(() => this.view.draw());
  }
}
