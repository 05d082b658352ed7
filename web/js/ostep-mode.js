// ostep-mode.js: the OSTEP homework mode: the header's mode switch, the
// flags form, stepping (buttons, slider, keys), reveal controls, the text
// view, and the URL (?ostep=<flags>&step=k). It owns the current session
// and cursor; a failed run (bad flags) leaves both as they were. While the
// mode is on, the allocator's sections are hidden (body.mode-ostep) and its
// App stops writing the URL (app.offstage); switching back restores them.
import { byId, el, isShortcut, isSpaceShortcut } from './views/dom.js';
import { clamp, moveCursor } from './model/state.js';
import { OstepView } from './views/ostep-view.js';
import { parseOstepQuery, formatOstepQuery, DEFAULT_FLAGS, EXAMPLES } from './model/modes/ostep-model.js';
import { errorText, plural } from './model/words.js';

export class OstepMode {
  // app: the allocator's App (its URL writing is paused while this mode is on); ui: its Ui (announcer);
  // engine: the page's Engine (the same worker runs malloc.py's command lines).
  constructor(app, ui, engine) {
    this.app = app;
    this.ui = ui;
    this.engine = engine;
    this.on = false;
    this.session = null;
    this.cursor = 0;
    this.view = new OstepView({ onGoto: (k) => this.setCursor(k) });
    this.selected = -1;
    this.bind();
  }

  // Wires the mode switch, form, step controls, reveal buttons, text view and keys.
  bind() {
    byId('mode-switch').hidden = false;
    byId('mode-alloc').addEventListener('click', () => this.leave());
    byId('mode-ostep').addEventListener('click', () => this.enter(null, 0));
    const ex = byId('ostep-example');
    ex.replaceChildren(el('option', { value: '', text: 'Pick an example…' }), ...EXAMPLES.map((x, i) => el('option', { value: String(i), text: x.label })));
    ex.addEventListener('change', () => {
      const x = EXAMPLES[Number(ex.value)];
      ex.value = '';
      if (x) { byId('ostep-flags').value = x.flags; this.runFlags(x.flags, 0); }
    });
    byId('ostep-form').addEventListener('submit', (e) => { e.preventDefault(); this.runFlags(byId('ostep-flags').value, 0); });
    byId('ostep-fwd').addEventListener('click', () => this.step('forward'));
    byId('ostep-back').addEventListener('click', () => this.step('back'));
    byId('ostep-reset').addEventListener('click', () => this.step('reset'));
    byId('ostep-end').addEventListener('click', () => this.step('end'));
    byId('ostep-slider').addEventListener('input', (e) => this.setCursor(Number(e.target.value), { announce: false }));
    byId('ostep-slider').addEventListener('change', (e) => this.setCursor(Number(e.target.value)));
    byId('ostep-reveal-all').addEventListener('click', () => { this.view.revealAll(true); this.ui.announce('All answers revealed.'); });
    byId('ostep-hide-all').addEventListener('click', () => { this.view.revealAll(false); this.ui.announce('All answers hidden.'); });
    const toggle = byId('ostep-text-toggle');
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? 'Hide the text' : 'Show as text';
      byId('ostep-text').hidden = !open;
    });
    byId('ostep-text-c').addEventListener('change', () => this.view.showText());
    byId('ostep-as-i-step').addEventListener('change', () => this.writeUrl());
    const map = byId('ostep-map');
    map.tabIndex = 0;
    map.addEventListener('focus', () => { if (this.selected < 0) this.select(0); });
    // Capture phase on window: runs before the allocator's document-level keys, and stops them in this mode.
    globalThis.addEventListener('keydown', (e) => this.key(e), true);
  }

  // Selects the i-th block box of the map (clamped) and describes it.
  select(i) {
    const boxes = [...byId('ostep-map').querySelectorAll('.seg-free, .seg-payload')];
    if (!boxes.length) return;
    this.selected = clamp(i, 0, boxes.length - 1);
    boxes.forEach((b, j) => b.classList.toggle('selected', j === this.selected));
    this.view.describe(boxes[this.selected]);
  }

  // Handles this mode's keys before the allocator's document-level ones (and stops those):
  // arrows / Home / End step, space steps forward, arrows on the focused map move between blocks.
  key(e) {
    if (!this.on || !isShortcut(e)) return;
    const actions = { ArrowRight: 'forward', ArrowLeft: 'back', Home: 'reset', End: 'end' };
    const space = isSpaceShortcut(e);
    if (!space && !(e.key in actions)) return;
    e.stopPropagation();
    e.preventDefault();
    if (e.target.id === 'ostep-map' && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) this.select(this.selected + (e.key === 'ArrowRight' ? 1 : -1));
    else this.step(space ? 'forward' : actions[e.key]);
  }

  // Turns the mode on with flags (null: keep the current ones, or the default) at step `step`;
  // answers true switches "Show answers as I step" on (a link's c=1).
  async enter(flags, step, answers = false) {
    this.show(true);
    if (answers) byId('ostep-as-i-step').checked = true;
    const f = flags ?? (this.session ? this.session.flags : DEFAULT_FLAGS);
    if (flags === null && this.session) { this.setCursor(this.cursor, { announce: false }); this.writeUrl(); return true; }
    byId('ostep-flags').value = f;
    const ok = await this.runFlags(f, step);
    if (!ok && !this.session) this.writeUrl(f);
    return ok;
  }

  // Turns the mode off: the allocator's sections come back and its URL is written again.
  leave() {
    if (!this.on) return;
    this.show(false);
    this.app.backOnStage('Allocator mode.');
  }

  // Shows or hides the mode (body class, section, switch state).
  show(on) {
    this.on = on;
    if (on) { this.app.pause(); this.app.offstage = true; }
    document.body.classList.toggle('mode-ostep', on);
    byId('ostep').hidden = !on;
    byId('mode-alloc').setAttribute('aria-pressed', String(!on));
    byId('mode-ostep').setAttribute('aria-pressed', String(on));
  }

  // Runs flags; on success shows the run at `step`, else shows the one-line error and keeps the state.
  // Returns true when the new run was installed.
  async runFlags(flags, step = 0) {
    let res;
    try {
      res = await this.engine.request({ type: 'ostep', flags });
    } catch (err) {
      res = { error: errorText(err) };
    }
    if (!res) res = { error: 'the engine did not answer' };
    if (res.help) { this.view.help(res.help); this.view.error(''); return false; }
    this.view.help('');
    if (res.error) { this.view.error(res.error, this.session !== null); this.ui.announce(`Error: ${res.error}`); return false; }
    this.view.error('');
    this.session = res.session;
    this.selected = -1;
    this.view.setSession(this.session);
    this.setCursor(step ?? 0, { announce: false });
    this.ui.announce(`${plural(this.session.n, 'step')}, ${plural(this.session.questionCount, 'question')}. Step ${this.cursor} of ${this.session.n}. ${this.view.stepText(this.cursor)}`);
    return true;
  }

  // Moves the cursor to step k (clamped); redraws and announces it.
  setCursor(k, { announce = true } = {}) {
    if (!this.session) return;
    this.cursor = clamp(Number.isFinite(k) ? k : 0, 0, this.session.n);
    this.selected = -1;
    this.view.setCursor(this.cursor);
    if (announce) this.ui.announce(`Step ${this.cursor} of ${this.session.n}. ${this.view.stepText(this.cursor)}`);
    this.writeUrl();
  }

  // Applies 'forward' | 'back' | 'reset' | 'end'.
  step(action) {
    if (!this.session) return;
    this.setCursor(moveCursor(this.cursor, this.session.n, action));
  }

  // Returns the query that restores this mode's view.
  query(flags = this.session ? this.session.flags : DEFAULT_FLAGS) {
    return formatOstepQuery(flags, this.session ? this.cursor : 0, byId('ostep-as-i-step').checked) + (this.app.embed ? '&embed=1' : '');
  }

  // Writes the flags and the step into the address bar (file:// may refuse: then the URL stays).
  writeUrl(flags) {
    if (!this.on) return;
    this.ui.showQuery(this.query(flags));
  }
}
