// hygiene.test.mjs: the page's rules checked on its sources and on the built
// file: no markup from strings or code from strings anywhere in the page's
// JavaScript, nothing fetched, a CSP that names no network source, every
// web/js file headed by a design comment and under ~400 lines.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const ROOT = new URL('../../', import.meta.url).pathname;
const FORBIDDEN = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|new Function|eval\s*\()|\bfetch\s*\(|XMLHttpRequest|WebSocket|importScripts/;
const OWN = readdirSync(`${ROOT}web/js`).filter((f) => f.endsWith('.js') && !/^(lab|lab-.*|api-ml)\.js$/.test(f));

test('page sources: no markup or code from strings, no network, a design comment, small files', () => {
  assert.ok(OWN.length >= 20);
  for (const f of OWN) {
    const text = readFileSync(`${ROOT}web/js/${f}`, 'utf8');
    const code = text.replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(code, FORBIDDEN, f);
    assert.match(text, /^\/\/ [a-z-]+\.js: /, `${f} opens with a design comment`);
    assert.ok(text.split('\n').length <= 420, `${f} has ${text.split('\n').length} lines`);
  }
});

test('built page: packed scripts inflate to code without the forbidden calls; the CSP allows no network', (t) => {
  const path = `${ROOT}dist/heaplab.html`;
  if (!existsSync(path)) { t.skip('dist/heaplab.html not built'); return; }
  const html = readFileSync(path, 'utf8');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp[1], /default-src 'none'/);
  assert.match(csp[1], /connect-src 'none'/);
  assert.doesNotMatch(csp[1], /https?:|'unsafe-inline'|'unsafe-eval'|\*/);
  for (const id of ['heaplab-app', 'heaplab-module']) {
    const m = new RegExp(`<script type="application/x-heaplab-gzip-base64" id="${id}">([^<]+)</script>`).exec(html);
    assert.ok(m, `${id} block`);
    const code = gunzipSync(Buffer.from(m[1], 'base64')).toString('utf8');
    assert.doesNotMatch(code, /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b|new Function\(|\beval\(/, id);
  }
  assert.equal((html.match(/<script>/g) || []).length, 1, 'one inline script (the boot script)');
  assert.doesNotMatch(html, /<(link|img|iframe)[^>]+(href|src)="https?:/);
});
