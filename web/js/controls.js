// controls.js: translates DOM events into App actions, nothing more:
// scenario and settings fields, playback buttons, slider, keyboard
// shortcuts (space plays/pauses, arrows step, Home/End), manual ops,
// import by file input or drag and drop, export, copy link, zoom.
import { byId, download, isShortcut, isSpaceShortcut } from './views/dom.js';
import { scenarioFor, importedScenario } from './model/scenarios.js';
import { countOf } from './model/words.js';

// Returns a whole number ≥ 0 from an input, or null (0 is the allocator's to refuse, not the page's).
function sizeOf(input) {
  const v = input.value.trim() === '' ? NaN : Number(input.value);
  return Number.isInteger(v) && v >= 0 && v <= 4294967295 ? v : null;
}

// Wires every control of the page to `app`.
export function bindControls(app, genNames) {
  const $ = byId;
  const scenarioSel = $('scenario');

  // Loads the scenario named in the select (generators read seed and ops).
  async function loadSelected() {
    const name = scenarioSel.value;
    if (name === 'import') return;
    const seed = Number($('seed').value);
    const ops = Number($('nops').value);
    if (genNames.includes(name) && (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(ops) || ops < 1 || ops > 200000)) {
      app.v.ui.error('Seed must be a whole number ≥ 0 and Ops between 1 and 200,000');
      return;
    }
    const sc = await scenarioFor(name, genNames, seed, ops);
    if (sc && await app.loadScenario(sc, 0)) app.v.ui.linkNote([]);
    syncGenFields();
  }

  // Shows the seed and ops fields only for generated scenarios.
  function syncGenFields() {
    const gen = genNames.includes(scenarioSel.value);
    for (const e of document.querySelectorAll('.gen-only')) e.hidden = !gen;
  }

  scenarioSel.addEventListener('change', loadSelected);
  $('seed').addEventListener('change', loadSelected);
  $('nops').addEventListener('change', loadSelected);

  for (const id of ['policy', 'order', 'align', 'arena']) {
    $(id).addEventListener('change', (e) => app.changeSettings({ [id]: e.target.value }));
  }
  $('coalesce').addEventListener('change', (e) => app.changeSettings({ coalesce: e.target.checked }));

  $('play').addEventListener('click', () => app.toggle());
  $('fwd').addEventListener('click', () => app.step('forward'));
  $('back').addEventListener('click', () => app.step('back'));
  $('reset').addEventListener('click', () => app.step('reset'));
  $('speed').addEventListener('change', (e) => { app.speed = Number(e.target.value) || 10; });
  $('slider').addEventListener('input', (e) => { app.pause(); app.setCursor(Number(e.target.value), { announce: false }); });
  $('slider').addEventListener('change', (e) => app.setCursor(Number(e.target.value)));
  $('zoom').addEventListener('change', (e) => { app.v.heap.setZoom(Number(e.target.value)); app.v.ui.e['heap-scale'].textContent = app.v.heap.scaleText(); app.updateUrl(true); });

  // A select keeps focus after a choice, and ← → ↑ ↓ on a focused select change its value (replaying
  // the run under another policy, say) where the page promises they step: after a choice made in the
  // select's list (pointer, Enter), focus leaves it so the step keys step. A change made by arrow or
  // letter keys on the closed select is a keyboard user browsing its options: focus stays.
  let typedOn = null;
  document.addEventListener('keydown', (e) => { typedOn = e.target.tagName === 'SELECT' && !e.altKey && e.key !== 'Enter' && e.key !== ' ' ? e.target : null; }, true);
  document.addEventListener('pointerdown', () => { typedOn = null; }, true);
  document.addEventListener('change', (e) => {
    const t = e.target;
    if (t.tagName !== 'SELECT' || t === typedOn || t.closest('#ostep')) return;
    setTimeout(() => { if (document.activeElement === t) t.blur(); }, 0);
  });

  document.addEventListener('keydown', (e) => {
    if (!isShortcut(e)) return;
    if (isSpaceShortcut(e)) { e.preventDefault(); app.toggle(); }
    else if (e.key === 'ArrowRight' && e.target.tagName !== 'CANVAS') { e.preventDefault(); app.step('forward'); }
    else if (e.key === 'ArrowLeft' && e.target.tagName !== 'CANVAS') { e.preventDefault(); app.step('back'); }
    else if (e.key === 'Home' && e.target.tagName !== 'CANVAS') { e.preventDefault(); app.step('reset'); }
    else if (e.key === 'End' && e.target.tagName !== 'CANVAS') { e.preventDefault(); app.step('end'); }
  });

  for (const ev of ['focus', 'pointerdown', 'keydown']) $('m-block').addEventListener(ev, () => app.v.ui.refreshBlocks());
  $('m-malloc').addEventListener('click', () => {
    const size = sizeOf($('m-size'));
    if (size === null) { app.v.ui.error('Size must be a whole number of bytes (0 or more)'); return; }
    app.manualOp({ op: 'alloc', size });
  });
  $('m-free').addEventListener('click', () => {
    app.v.ui.refreshBlocks();
    const id = Number($('m-block').value);
    if ($('m-block').value === '' || !Number.isInteger(id)) { app.v.ui.error('There is no live block to free'); return; }
    app.manualOp({ op: 'free', id });
  });
  $('m-realloc').addEventListener('click', () => {
    app.v.ui.refreshBlocks();
    const id = Number($('m-block').value);
    const size = sizeOf($('m-size'));
    if ($('m-block').value === '' || !Number.isInteger(id)) { app.v.ui.error('There is no live block to resize'); return; }
    if (size === null) { app.v.ui.error('Size must be a whole number of bytes (0 or more)'); return; }
    app.manualOp({ op: 'realloc', id, size });
  });

  let imports = 0; // files imported so far: each one's id, by which the worker keeps its text
  // Imports a File; on a malformed file the error names its line and the state stays.
  async function importFile(file) {
    if (!file) return;
    if (file.size > 64 * 1024 * 1024) { app.v.ui.error(`${file.name} is larger than 64 MiB`); return; }
    app.v.ui.busy(`Reading ${file.name}…`, { line: !app.run });
    // an mm log (mm-mode.js) is told by its first bytes; a trace's text is never read on the page:
    // the scenario holds the File (a handle on the bytes) and the engine's worker reads it once
    if (app.mm && app.mm.accepts(await file.slice(0, 4096).text())) { await app.mm.open(await file.text(), file.name); return; }
    // an import lands at its end (the whole trace applied), where its summary holds
    const ok = await app.loadScenario({ ...importedScenario(file.name, undefined), file, fileId: ++imports }, Number.MAX_SAFE_INTEGER);
    if (ok) {
      if (app.mm) app.mm.leave();
      if (app.run.n > 20000 && app.speed < 2000) { $('speed').value = '2000'; app.speed = 2000; }
      app.v.ui.linkNote([]);
      const opt = [...scenarioSel.options].find((o) => o.value === 'import');
      opt.disabled = false;
      opt.textContent = `Imported: ${file.name}`;
      scenarioSel.value = 'import';
      syncGenFields();
    } else scenarioSel.value = app.scenario.kind === 'import' ? 'import' : app.scenario.name;
  }
  $('import').addEventListener('change', (e) => { importFile(e.target.files[0]); e.target.value = ''; });
  const drop = $('drop');
  let depth = 0;
  document.addEventListener('dragenter', (e) => { if (e.dataTransfer && [...e.dataTransfer.types].includes('Files')) { depth++; drop.hidden = false; } });
  document.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) drop.hidden = true; });
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    drop.hidden = true;
    if (e.dataTransfer && e.dataTransfer.files.length) importFile(e.dataTransfer.files[0]);
  });

  $('export').addEventListener('click', async () => {
    const format = $('log-format').value;
    const res = await app.exportLog(format);
    if (res.error) { app.v.ui.error(res.error); return; }
    const base = (app.scenario.fileName || app.scenario.name || 'heaplab').replace(/\.[a-z]+$/i, '');
    download(`${base}-${app.settings.policy}-${format}.csv`, res.text);
    app.v.ui.announce(`Exported the ${format === 'rich' ? 'rich' : 'original-format'} log (${countOf(app.run.n, 'operation')}).`);
  });

  // Copies a link to this view; an imported trace that a link cannot carry is not promised:
  // the page says why and points at Export log instead.
  $('copy-link').addEventListener('click', async () => {
    app.updateUrl(true);
    const out = $('copy-out');
    const limit = app.linkLimit();
    if (limit) {
      out.textContent = `No link copied: a link cannot bring back this imported trace (${limit}). Export the log and import that file again to get back here.`;
      app.v.ui.announce(out.textContent);
      $('export').focus();
      return;
    }
    const url = new URL(app.query(), location.href).href;
    const asOps = app.scenario.kind === 'import' ? ' It rebuilds the imported trace from its operations, written into the link.' : '';
    try {
      await navigator.clipboard.writeText(url);
      out.textContent = `Link copied.${asOps}`;
    } catch {
      out.textContent = `Copy this link: ${url}${asOps}`;
    }
    app.v.ui.announce(out.textContent);
  });

  syncGenFields();
  return { syncGenFields };
}
