// ostep.test.mjs: the page's OSTEP homework mode in headless Chromium, from
// file://, used by role and accessible name: malloc.py's questions and
// answers, the text view compared byte for byte with the native
// `build/heaplab ostep`, stepping by buttons and keys, the URL, errors that
// keep the previous run, the mode switch. Screenshots: tests/e2e/screenshots/.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, SHOTS, ROOT } from './browser.mjs';

const NATIVE = join(ROOT, 'build', 'heaplab');
const EX1 = '-S 100 -b 1000 -H 4 -a 4 -l ADDRSORT -p BEST -n 5';
const EX1_QUERY = '?ostep=-S+100+-b+1000+-H+4+-a+4+-l+ADDRSORT+-p+BEST+-n+5';

let b;
before(async () => { mkdirSync(SHOTS, { recursive: true }); b = await launch(); });
after(async () => { await b.close(); });

// Returns {stdout, stderr, status} of build/heaplab ostep (flags split on spaces).
function native(flags) {
  const r = spawnSync(NATIVE, ['ostep', ...flags.split(' ').filter(Boolean)], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

// Opens the page at query and waits until the OSTEP mode shows a run at step k.
async function openOstep(query, k = 0, opts = {}) {
  const r = await openPage(b.context, query, opts);
  await waitOstep(r.page, k);
  return r;
}

// Waits until the OSTEP mode shows step k of a run.
const waitOstep = (page, k) => page.waitForFunction((step) => {
  const o = globalThis.heaplabOstep;
  return o && o.on && o.session && o.cursor === step && document.getElementById('ostep-stepinfo').textContent.startsWith(`step ${step} /`);
}, k, { timeout: 20000 });
const flagsOf = (page) => page.evaluate(() => globalThis.heaplabOstep.session.flags);
const textOf = (page) => page.locator('#ostep-text').evaluate((e) => e.textContent);
const mapOf = (page) => page.locator('#ostep-map .seg').evaluateAll((s) => s.map((e) => `${e.className}:${e.dataset.addr}+${e.dataset.size}`));

// Types flags into the form and submits with Enter; waits for that run (or for an error).
async function typeFlags(page, flags) {
  const input = page.getByRole('textbox', { name: 'malloc.py flags' });
  await input.fill(flags);
  await input.press('Enter');
}

test('questions exactly as malloc.py asks them; each answer revealed on demand; no console error, no request', async () => {
  const { page, problems } = await openOstep(`${EX1_QUERY}&step=0`);
  assert.ok(await page.locator('#setup').isHidden(), 'the allocator is hidden');
  assert.equal(await page.getByRole('heading', { name: 'OSTEP free-space homework', exact: true }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'OSTEP homework', exact: true }).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByRole('button', { name: 'Allocator', exact: true }).getAttribute('aria-pressed'), 'false');
  for (const name of ['Run', 'First step', 'Previous step', 'Next step', 'Last step', 'Reveal all answers', 'Hide all answers', 'Show as text', 'Reveal answer 1', 'Go to step 5']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `button ${name}`);
  }
  assert.equal(await page.getByRole('slider', { name: 'OSTEP step', exact: true }).count(), 1);
  assert.equal(await page.getByRole('combobox', { name: 'Examples', exact: true }).count(), 1);
  assert.equal(await page.getByRole('checkbox', { name: 'With the answers (-c)', exact: true }).count(), 1);
  const qs = await page.locator('#ostep-questions .q-text').evaluateAll((e) => e.map((x) => x.textContent));
  assert.deepEqual(qs, ['ptr[0] = Alloc(3) returned ?\nList? ', 'Free(ptr[0])\nreturned ?\nList? ', 'ptr[1] = Alloc(5) returned ?\nList? ', 'Free(ptr[1])\nreturned ?\nList? ', 'ptr[2] = Alloc(8) returned ?\nList? ']);
  assert.equal(await page.locator('.q-answer:visible').count(), 0, 'answers start hidden');
  await page.getByRole('button', { name: 'Reveal answer 3', exact: true }).click();
  assert.equal(await page.locator('.q-answer:visible').textContent(), 'ptr[1] = Alloc(5) returned 1012 (searched 2 elements)\nFree List [ Size 2 ]: [ addr:1000 sz:8 ][ addr:1020 sz:80 ]');
  assert.equal(await page.getByRole('button', { name: 'Hide answer 3', exact: true }).getAttribute('aria-expanded'), 'true');
  await page.getByRole('button', { name: 'Reveal all answers', exact: true }).click();
  assert.equal(await page.locator('.q-answer:visible').count(), 5);
  await page.getByRole('button', { name: 'Hide all answers', exact: true }).click();
  assert.equal(await page.locator('.q-answer:visible').count(), 0);
  // at step 0 the map is the whole heap, free
  assert.deepEqual(await mapOf(page), ['seg seg-free end:1000+100']);
  assert.deepEqual(await page.locator('#ostep-list li').allTextContents(), ['#0[ addr:1000 sz:100 ]']);
  await page.getByRole('button', { name: 'Reveal answer 1', exact: true }).click();
  await page.locator('#ostep-fwd').click();
  await waitOstep(page, 1);
  await page.locator('#ostep-fwd').click();
  await waitOstep(page, 2);
  await page.screenshot({ path: join(SHOTS, '20-ostep-questions.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('"Show as text" is byte-identical to build/heaplab ostep, with and without -c; errors keep the run', async () => {
  const { page, problems } = await openOstep(`${EX1_QUERY}&step=0`);
  await page.getByRole('button', { name: 'Show as text', exact: true }).click();
  assert.equal(await page.getByRole('button', { name: 'Hide the text', exact: true }).getAttribute('aria-expanded'), 'true');
  const sets = [EX1, '-p FIRST -l SIZESORT+ -n 30 -s 3', '-p WORST -l SIZESORT- -C -n 40 -s 11 -r 20', '-s 42 -n 12 -l INSERT-FRONT -H 8 -a 8 -S 256 -b 0',
    '-l INSERT-BACK -n 50 -s 1 -P 70', '-H 4 -a 4 -p BEST -l ADDRSORT -A +10,+20,-0,+5', '-S 32 -A +5,+100,+5,-0,-0,-2', '-C -A +10,+20,+30,-1,-0,-2,+55'];
  const cBox = page.getByRole('checkbox', { name: 'With the answers (-c)', exact: true });
  for (const flags of sets) {
    await typeFlags(page, flags);
    await page.waitForFunction((f) => globalThis.heaplabOstep.session.flags === f, flags);
    const withC = native(`${flags} -c`);
    assert.equal(withC.status, 0);
    assert.equal(await textOf(page), withC.stdout, `text of ${flags} -c`);
    await cBox.uncheck();
    assert.equal(await textOf(page), native(flags).stdout, `text of ${flags}`);
    await cBox.check();
    assert.equal(await page.locator('#ostep-questions > li').count(), (await page.evaluate(() => globalThis.heaplabOstep.session.n)));
  }
  await page.screenshot({ path: join(SHOTS, '21-ostep-text.png'), fullPage: true });
  // errors: the one-line message (the same as the native tool's), the previous run kept
  const kept = await textOf(page);
  const keptUrl = page.url();
  for (const bad of ['-p FOO', '-l SIDEWAYS', '-A +5,x3', '-S 32 -A +5,+100,+5,-1', '-P 0', '-x']) {
    const n = native(bad);
    assert.equal(n.status, 2, bad);
    const msg = n.stderr.replace(/^heaplab ostep: error: /, '').trim();
    await typeFlags(page, bad);
    // the engine answers asynchronously: wait for this error, not the previous one
    await page.waitForFunction(([f, m]) => document.getElementById('ostep-error').textContent.includes(m) && document.getElementById('ostep-flags').value === f, [bad, msg]);
    assert.equal(await page.getByRole('alert').filter({ hasText: msg }).count(), 1, `${bad}: ${msg}`);
    assert.match(await page.locator('#ostep-error').textContent(), /Nothing was changed/);
    assert.equal(await textOf(page), kept, `${bad}: the text of the previous run stays`);
    assert.equal(page.url(), keptUrl, `${bad}: the URL stays`);
  }
  await page.screenshot({ path: join(SHOTS, '22-ostep-error.png'), fullPage: false });
  await typeFlags(page, '-n 3 -s 9');
  await page.waitForFunction(() => globalThis.heaplabOstep.session.flags === '-n 3 -s 9');
  assert.ok(await page.locator('#ostep-error').isHidden(), 'a good run clears the error');
  await typeFlags(page, '-h');
  await page.waitForFunction(() => !document.getElementById('ostep-help').hidden);
  assert.match(await page.locator('#ostep-help').textContent(), /-A OPSLIST, --allocList=OPSLIST/);
  assert.equal(await flagsOf(page), '-n 3 -s 9');
  assert.deepEqual(problems, []);
  await page.close();
});

test('stepping by buttons, keys and slider draws the free list; the URL keeps flags and step', async () => {
  const { page, problems } = await openOstep(`${EX1_QUERY}&step=0`);
  const allocCursor = await page.evaluate(() => globalThis.heaplab.cursor);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await waitOstep(page, 1);
  assert.match(await page.locator('#announcer').textContent(), /^Step 1 of 5\. ptr\[0\] = Alloc\(3\) needs 8 bytes/);
  assert.deepEqual(await mapOf(page), ['seg seg-header:1000+4', 'seg seg-payload:1004+3', 'seg seg-padding end:1007+1', 'seg seg-free end:1008+92']);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await waitOstep(page, 4);
  assert.deepEqual(await page.locator('#ostep-list li code').allTextContents(), ['[ addr:1000 sz:8 ]', '[ addr:1008 sz:12 ]', '[ addr:1020 sz:80 ]']);
  assert.deepEqual(await page.locator('#ostep-list li.touched code').allTextContents(), ['[ addr:1008 sz:12 ]'], 'the freed entry is marked');
  assert.equal(await page.locator('#ostep-questions li.current .q-go').textContent(), '4');
  assert.equal(await page.locator('#ostep-questions li[aria-current="step"]').count(), 1);
  await page.waitForFunction(() => location.search.endsWith('step=4'));
  assert.equal(await page.evaluate(() => globalThis.heaplab.cursor), allocCursor, 'the hidden allocator did not move');
  const at4 = await mapOf(page);
  await page.keyboard.press('End');
  await waitOstep(page, 5);
  await page.keyboard.press('Home');
  await waitOstep(page, 0);
  await page.getByRole('slider', { name: 'OSTEP step' }).fill('4');
  await waitOstep(page, 4);
  assert.deepEqual(await mapOf(page), at4, 'step 4 by the slider == step 4 by the keys');
  await page.getByRole('button', { name: 'Previous step', exact: true }).click();
  await waitOstep(page, 3);
  await page.getByRole('button', { name: 'Go to step 4', exact: true }).click();
  await waitOstep(page, 4);
  // keyboard on the map reads the blocks
  await page.locator('#ostep-map').focus();
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('#ostep-detail').textContent(), /^free entry 1 of the list: \[ addr:1008 sz:12 \], 1008–1020$/);
  assert.equal(await page.evaluate(() => globalThis.heaplabOstep.cursor), 4, 'arrows on the map move between blocks, not steps');
  // the link restores the same state
  await page.waitForFunction(() => location.search === '?ostep=-S+100+-b+1000+-H+4+-a+4+-l+ADDRSORT+-p+BEST+-n+5&step=4');
  const other = await openOstep(new URL(page.url()).search, 4);
  assert.deepEqual(await mapOf(other.page), at4);
  assert.deepEqual(other.problems, []);
  await other.page.close();
  // a -A list with + signs travels in the link too
  await typeFlags(page, '-C -A +10,+20,+30,-1,-0,-2,+55');
  await page.waitForFunction(() => globalThis.heaplabOstep.session && globalThis.heaplabOstep.session.n === 7);
  await page.getByRole('button', { name: 'Last step', exact: true }).focus();
  await page.keyboard.press('End');
  await waitOstep(page, 7);
  await page.waitForFunction(() => location.search.endsWith('step=7'));
  const link = await openOstep(new URL(page.url()).search, 7);
  assert.equal(await flagsOf(link.page), '-C -A +10,+20,+30,-1,-0,-2,+55');
  assert.deepEqual(await mapOf(link.page), await mapOf(page));
  await link.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('the mode switch keeps both modes; examples; dark mode and a narrow window render', async () => {
  const { page, problems } = await openPage(b.context, '?scenario=random&seed=1&ops=300&step=40');
  assert.equal(await page.getByRole('group', { name: 'Mode' }).isVisible(), true);
  await page.getByRole('button', { name: 'OSTEP homework', exact: true }).click();
  await waitOstep(page, 0);
  assert.equal(await flagsOf(page), EX1, 'the default flags are worked example 1');
  assert.ok(await page.locator('#heap').isHidden());
  await page.getByRole('combobox', { name: 'Examples' }).selectOption({ index: 2 });
  await page.waitForFunction(() => globalThis.heaplabOstep.session.flags !== '-S 100 -b 1000 -H 4 -a 4 -l ADDRSORT -p BEST -n 5');
  const exFlags = await flagsOf(page);
  assert.equal(await page.getByRole('textbox', { name: 'malloc.py flags' }).inputValue(), exFlags);
  await page.keyboard.press('End');
  const n = await page.evaluate(() => globalThis.heaplabOstep.session.n);
  await waitOstep(page, n);
  await page.getByRole('button', { name: 'Allocator', exact: true }).click();
  await page.waitForFunction(() => location.search.includes('scenario=random') && location.search.includes('step=40'));
  assert.ok(await page.locator('#ostep').isHidden());
  assert.ok(await page.locator('#heap-canvas').isVisible());
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => globalThis.heaplab.cursor === 41 && globalThis.heaplab.snap.k === 41);
  assert.equal(await page.evaluate(() => globalThis.heaplabOstep.cursor), n, 'keys drive the allocator again, not the OSTEP mode');
  await page.getByRole('button', { name: 'OSTEP homework', exact: true }).click();
  await waitOstep(page, n);
  assert.equal(await flagsOf(page), exFlags, 'the OSTEP run is kept across switches');
  await page.waitForFunction((s) => location.search.endsWith(`step=${s}`) && location.search.startsWith('?ostep='), n);
  assert.deepEqual(problems, []);
  await page.close();
  // a link with bad flags says why and offers the form; nothing breaks
  const bad = await openPage(b.context, '?ostep=-p+NEXT+-n+3&step=2');
  await bad.page.waitForFunction(() => !document.getElementById('ostep-error').hidden);
  assert.match(await bad.page.getByRole('alert').filter({ hasText: 'NEXT' }).textContent(), /^unknown policy 'NEXT' for -p \(use BEST, WORST or FIRST\)\. There is no run to show yet/);
  assert.equal(await bad.page.getByRole('textbox', { name: 'malloc.py flags' }).inputValue(), '-p NEXT -n 3');
  await bad.page.keyboard.press('ArrowRight');
  await typeFlags(bad.page, '-p FIRST -n 3');
  await waitOstep(bad.page, 0);
  assert.ok(await bad.page.locator('#ostep-error').isHidden());
  assert.deepEqual(bad.problems, []);
  await bad.page.close();
  const dark = await openOstep('?ostep=-p+WORST+-l+INSERT-FRONT+-C+-n+10+-s+5&step=6', 6, { colorScheme: 'dark' });
  await dark.page.getByRole('button', { name: 'Reveal all answers', exact: true }).click();
  await dark.page.screenshot({ path: join(SHOTS, '23-ostep-dark.png'), fullPage: true });
  assert.deepEqual(dark.problems, []);
  await dark.page.close();
  const narrow = await openOstep('?ostep=-S+200+-n+40+-r+20+-s+7&step=25', 25, { viewport: { width: 420, height: 900 } });
  const overflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 420 px (${overflow} px)`);
  await narrow.page.screenshot({ path: join(SHOTS, '24-ostep-narrow.png'), fullPage: true });
  assert.deepEqual(narrow.problems, []);
  await narrow.page.close();
});
