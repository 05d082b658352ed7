// heap-words.js: what the heap map says besides its picture: the legend's
// kinds, the canvas colours (read from CSS variables, so dark mode applies:
// the Okabe-Ito palette, colour-blind safe) and a block's one-line
// description for hover, focus and the detail line.
import { plural } from '../model/words.js';

// The legend: each kind of byte range (or mark) the map draws, and its name.
export const KINDS = [
  ['payload', 'allocated payload'],
  ['padding', 'padding (internal fragmentation)'],
  ['header', 'header / footer'],
  ['free', 'free'],
  ['pad', 'alignment pad / epilogue'],
  ['beyond', 'beyond the break'],
  ['link', 'free-list next link'],
  ['touched', 'last operation'],
];

// Returns the canvas colours from CSS variables (--c-payload, ...).
export function colours(el) {
  const cs = getComputedStyle(el);
  const v = (n) => cs.getPropertyValue(`--c-${n}`).trim();
  return {
    payload: v('payload'), padding: v('padding'), header: v('header'), footer: v('header'), free: v('free'),
    pad: v('pad'), epilogue: v('pad'), beyond: v('beyond'), link: v('link'), touched: v('touched'),
    text: v('text-on-bar'), fg: cs.getPropertyValue('--fg').trim(), bg: cs.getPropertyValue('--panel').trim(),
  };
}

// Returns a one-line description of block b with headers of `hdr` bytes (for hover, focus and the aria label);
// `site`: where the recorded program asked for it (a recorded trace's call site), or null.
export function blockText(b, hdr, site = null) {
  if (!b) return '';
  const end = b.offset + b.size;
  if (b.free) return `Free block at offset ${b.offset}–${end}: ${b.size} bytes (${hdr}-byte header and footer); next free block: ${b.nextFree ? `@${b.nextFree}` : 'none (end of list)'}.`;
  const pad = b.size - hdr - b.payloadSize;
  const at = site ? ` The program asked for it at ${site}.` : '';
  return `Block ${b.id} at offset ${b.offset}–${end}: ${b.size} bytes, allocated; payload @${b.payloadOffset}, ${plural(b.payloadSize, 'byte')} requested, ${hdr}-byte header, ${plural(pad, 'byte')} padding.${at}`;
}
