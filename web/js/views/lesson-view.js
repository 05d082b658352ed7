// lesson-view.js: draws the lesson panel from what it is given: the lesson
// and step, the text, the question and its choices, and after the answer
// which choice was right and the explanation. It holds no lesson state; the
// controller (lesson-mode.js) decides and calls render(). Choices are
// buttons (Tab, Enter); the map's blocks are the other way to answer.
import { el, byId } from './dom.js';

export class LessonView {
  // handlers: {onPick(value), onReveal(), onNext(), onBack(), onStart(), onLesson(i), onDashboard()}.
  constructor(handlers) {
    this.h = handlers;
    this.e = {};
    for (const id of ['lesson', 'lesson-h', 'lesson-count', 'lesson-pick', 'lesson-text', 'lesson-ask', 'lesson-prompt', 'lesson-choices', 'lesson-hint',
      'lesson-result', 'lesson-reveal', 'lesson-back', 'lesson-show', 'lesson-next', 'lesson-start', 'lesson-stepinfo', 'lesson-dashboard', 'lesson-intro', 'lesson-error']) this.e[id] = byId(id);
    this.e['lesson-back'].addEventListener('click', () => this.h.onBack());
    this.e['lesson-next'].addEventListener('click', () => this.h.onNext());
    this.e['lesson-show'].addEventListener('click', () => this.h.onReveal());
    this.e['lesson-start'].addEventListener('click', () => this.h.onStart());
    this.e['lesson-dashboard'].addEventListener('click', () => this.h.onDashboard());
    this.e['lesson-pick'].addEventListener('change', (ev) => this.h.onLesson(Number(ev.target.value)));
  }

  // Fills the lesson picker with the lessons' titles.
  setLessons(lessons) {
    this.e['lesson-pick'].replaceChildren(...lessons.map((L, i) => el('option', { value: String(i), text: `${i + 1}. ${L.title}` })));
  }

  // Shows the first-visit welcome over the rendered step (on), or the step alone (the question
  // and its answer stay as render() left them).
  intro(on) {
    this.e['lesson-intro'].hidden = !on;
    this.e['lesson-start'].hidden = !on;
    document.body.classList.toggle('lesson-intro', on);
    for (const id of ['lesson-back', 'lesson-next', 'lesson-stepinfo']) this.e[id].hidden = on;
    if (on) for (const id of ['lesson-text', 'lesson-ask', 'lesson-show', 'lesson-result', 'lesson-reveal']) this.e[id].hidden = true;
  }

  // Shows an error line (or hides it for '').
  error(text) {
    this.e['lesson-error'].hidden = !text;
    this.e['lesson-error'].textContent = text || '';
  }

  // Renders a step. v = {n, count, title, stepNo, steps, text, ask: {prompt, choices, map} | null,
  // revealed, answer: {value, label} | null, picked, pickedLabel, right, reveal, last, lastLesson}.
  render(v) {
    const e = this.e;
    e['lesson-count'].textContent = `Lesson ${v.n + 1} of ${v.count}`;
    e['lesson-pick'].value = String(v.n);
    e['lesson-h'].textContent = v.title;
    e['lesson-stepinfo'].textContent = `step ${v.stepNo + 1} / ${v.steps}`;
    e['lesson-text'].textContent = v.text;
    e['lesson-text'].hidden = false;
    e['lesson-ask'].hidden = !v.ask;
    e['lesson-back'].disabled = v.n === 0 && v.stepNo === 0;
    e['lesson-next'].textContent = v.last ? (v.lastLesson ? 'Open the dashboard ▶' : 'Next lesson ▶') : 'Next ▶';
    e['lesson-show'].hidden = !v.ask || v.revealed;
    if (v.ask) {
      e['lesson-prompt'].textContent = v.ask.prompt;
      e['lesson-hint'].textContent = v.ask.map && !v.revealed ? 'Or click a block on the map (Tab to it, arrows to choose, Enter to pick).' : '';
      e['lesson-choices'].replaceChildren(...v.ask.choices.map((c) => {
        const right = v.revealed && String(c.value) === String(v.answer.value);
        const wrong = v.revealed && !right && v.picked !== null && String(c.value) === String(v.picked);
        const b = el('button', { type: 'button', class: `choice${right ? ' right' : ''}${wrong ? ' wrong' : ''}`, text: c.label, dataset: { value: String(c.value) }, disabled: v.revealed, 'aria-pressed': v.revealed && String(c.value) === String(v.picked) ? 'true' : 'false' });
        b.addEventListener('click', () => this.h.onPick(c.value));
        return b;
      }));
    }
    e['lesson-result'].hidden = !(v.ask && v.revealed);
    e['lesson-reveal'].hidden = !(v.ask && v.revealed);
    e['lesson-result'].className = `lesson-result${v.right === true ? ' right' : v.right === false ? ' wrong' : ''}`;
    if (v.ask && v.revealed) {
      e['lesson-result'].textContent = v.picked === null ? `The answer: ${v.answer.label}.`
        : v.right ? `Right: ${v.answer.label}.` : `Not quite: you picked ${v.pickedLabel}. The answer: ${v.answer.label}.`;
      e['lesson-reveal'].textContent = v.reveal;
    }
  }

  // Moves the keyboard focus to the step's first control (the first choice, or Next).
  focusStep() {
    const first = this.e['lesson-ask'].hidden ? null : this.e['lesson-choices'].querySelector('button:not([disabled])');
    (first || this.e['lesson-next']).focus({ preventScroll: true });
  }
}
