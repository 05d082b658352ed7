// pacer.js: keeps playback from filling the main thread. While the app plays,
// each view it updates (the log, the step line, the charts, the heap map) is
// given a turn at most every `gap` ms, and never sooner than three times what
// its last update cost, so at 2,000 ops/s on a 300,000-op trace the page
// paints a few times a second per view instead of every frame, and the
// cursor still moves at full speed. A skipped update is kept and run at the
// next turn, and flush() runs every kept one at once (when playback pauses),
// so every view ends on the cursor. When not playing, run() calls at once.

export class Pacer {
  // gaps: view name -> the least time between two of its updates while playing, in ms.
  constructor(gaps) {
    this.gaps = gaps;
    this.next = {};    // name -> earliest time of its next update
    this.pending = {}; // name -> the update kept for its turn
    this.timers = {};
    this.active = false;
  }

  // Runs fn now when not pacing or when it is name's turn; otherwise keeps it (the latest wins) for its turn.
  run(name, fn) {
    if (!this.active) { fn(); return; }
    const now = performance.now();
    const at = this.next[name] || 0;
    if (now >= at && !this.timers[name]) { this.call(name, fn); return; }
    this.pending[name] = fn;
    if (!this.timers[name]) this.timers[name] = setTimeout(() => this.turn(name), Math.max(0, at - now));
  }

  // Resolves when it is name's turn (at once when not pacing): for updates that ask the engine first.
  wait(name) {
    if (!this.active) return Promise.resolve();
    const delay = (this.next[name] || 0) - performance.now();
    return delay > 0 ? new Promise((res) => setTimeout(res, delay)) : Promise.resolve();
  }

  // Records that name's update cost `ms` (ending now): its next turn is gap or 3 x ms away.
  spent(name, ms) {
    this.next[name] = performance.now() + Math.max(this.gaps[name] || 0, 3 * ms);
  }

  // Runs fn as name's update, timing it.
  call(name, fn) {
    const t0 = performance.now();
    fn();
    this.spent(name, performance.now() - t0);
  }

  // name's turn: runs the update kept for it.
  turn(name) {
    this.timers[name] = 0;
    const fn = this.pending[name];
    this.pending[name] = null;
    if (fn) this.call(name, fn);
  }

  // Starts (true) or stops pacing; stopping runs every kept update now.
  setActive(on) {
    this.active = on;
    if (!on) this.flush();
  }

  // Runs every kept update now.
  flush() {
    for (const name of Object.keys(this.pending)) {
      clearTimeout(this.timers[name]);
      this.timers[name] = 0;
      const fn = this.pending[name];
      this.pending[name] = null;
      if (fn) fn();
    }
  }
}
