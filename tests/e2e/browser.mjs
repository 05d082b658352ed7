// browser.mjs: launches Debian's Chromium through playwright-core with the
// flags toolchain.md lists, opens dist/heaplab.html from file://, and
// records console errors, page errors and every network request so tests
// can assert there are none.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
// HEAPLAB_PAGE: another build of the page to test (to show a test fails on an older build)
export const PAGE = pathToFileURL(process.env.HEAPLAB_PAGE || join(ROOT, 'dist', 'heaplab.html')).href;
export const SHOTS = join(here, 'screenshots');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Returns {browser, close}: a fresh Chromium with its own profile directory.
export async function launch() {
  const dir = mkdtempSync(join(tmpdir(), 'heaplab-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() { await context.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

// Returns {page, problems}: the page opened at `query`, ready (the first run shown);
// problems collects console errors, uncaught errors and non-file requests.
export async function openPage(context, query = '', { colorScheme = 'light', reducedMotion = 'no-preference', viewport } = {}) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme, reducedMotion });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:')) problems.push(`network: ${u}`);
  });
  const t0 = Date.now();
  await page.goto(PAGE + query);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && document.getElementById('app').getAttribute('aria-busy') === 'false', null, { timeout: 20000 });
  return { page, problems, loadMs: Date.now() - t0 };
}

// Waits until the heap map shows step k (the engine answered for it).
export async function waitStep(page, k) {
  await page.waitForFunction((step) => globalThis.heaplab && globalThis.heaplab.snap && globalThis.heaplab.snap.k === step && globalThis.heaplab.cursor === step, k, { timeout: 20000 });
}

// Waits until the charts show the cursor (they update a frame or a pause after it moves).
export async function settle(page) {
  await page.waitForFunction(() => {
    const app = globalThis.heaplab;
    const ch = app && app.v.charts;
    return ch && ch.run === app.run && Object.keys(ch.charts).every((n) => ch.shown[n] === app.cursor);
  }, null, { timeout: 20000 });
}

// Saves a screenshot (full page by default) under tests/e2e/screenshots/, once the charts caught up.
export async function shot(page, name, full = true) {
  await settle(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: full });
}
