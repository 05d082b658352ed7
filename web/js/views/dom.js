// dom.js: small DOM helpers. Elements are built with createElement and
// textContent only (never HTML parsing), so imported text can never become markup.
// textWidth keeps canvas text widths, measured once per font and text.

const widths = new Map(); // `${font}|${text}` -> width in CSS px (textWidth)

// Returns the width of `text` in context g's font. A map draws the same labels step after step,
// and Chromium's measureText costs ~0.3 ms a call (more than the rest of a label): each is measured once.
export function textWidth(g, text) {
  const key = `${g.font}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    if (widths.size > 4000) widths.clear();
    w = g.measureText(text).width;
    widths.set(key, w);
  }
  return w;
}

// Writes `text` into element e unless it already says it (a write that changes nothing still
// replaces the text node: a style, layout and paint of its box on the next frame).
export function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

// Returns element `tag` with properties/attributes and children (strings become text).
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return e;
}

// Returns the element with this id (throws when the page lacks it: a build error, not a user error).
export function byId(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`page element #${id} is missing`);
  return e;
}

// Returns a table element from a header row and body rows of strings.
export function table(head, rows, caption) {
  return el('table', { class: 'data' },
    caption ? el('caption', { text: caption }) : null,
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, rows.map((r) => el('tr', { class: r.className || null }, r.cells.map((c, i) => (i === 0 ? el('th', { scope: 'row', text: c }) : el('td', { text: c })))))));
}

// Saves text as a file download (a blob: link; nothing leaves the machine).
export function download(name, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Calls onChange(visible) whenever `section` comes on or goes off screen (within rootMargin).
// Returns false when it cannot be observed (no section, or no IntersectionObserver).
export function whenVisible(section, onChange, rootMargin = '0px') {
  if (!section || typeof IntersectionObserver !== 'function') return false;
  new IntersectionObserver((entries) => onChange(entries.some((e) => e.isIntersecting)), { rootMargin }).observe(section);
  return true;
}

const TYPING = new Set(['INPUT', 'SELECT', 'TEXTAREA']);

// Returns true when a key event may be a page shortcut: no modifier, and not typed into a field.
export function isShortcut(e) {
  return !(e.altKey || e.ctrlKey || e.metaKey || TYPING.has(e.target.tagName) || e.target.isContentEditable);
}

// Returns true for a space that is not pressing a focused button or link (which it activates itself).
export function isSpaceShortcut(e) {
  return e.key === ' ' && e.target.tagName !== 'BUTTON' && e.target.tagName !== 'A';
}
