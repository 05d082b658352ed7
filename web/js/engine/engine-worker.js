// engine-worker.js: the Web Worker around engine-core.js. The page builds
// this worker from a blob made of the wasm module's script text (which
// defines global HeapLab) followed by this bundle, so the module is not
// duplicated in the file. Each message {id, type, ...} gets one reply
// {id, result} (a run also sends progress messages, below); typed arrays of a run are
// transferred, not copied.
import { EngineCore } from './engine-core.js';
import { eventBuffers } from '../model/events.js';
import { snapshotBuffers } from './snapshot.js';
import { errorText } from '../model/words.js';

let core = null;
const ready = globalThis.HeapLab.load().then((lab) => { core = new EngineCore(lab); });

// Returns the buffers of a result that can be transferred instead of copied.
function transferables(result) {
  if (result && (result.blockTable || result.heaps)) return snapshotBuffers(result);
  if (!result || !result.run) return [];
  const r = result.run;
  const bufs = [r.op.buffer, r.id.buffer, ...(r.events ? eventBuffers(r.events) : []), ...(result.end ? snapshotBuffers(result.end) : [])];
  for (const c of Object.values(r.cols)) bufs.push(c.buffer);
  for (const v of Object.values(r.series || {})) if (ArrayBuffer.isView(v)) bufs.push(v.buffer); // the charts' points
  return bufs;
}

// The run, compare or training in progress ({id, cancelled}) is done in slices (core.runSteps,
// core.compareSteps, core.predictSteps), with a
// progress message {id, progress} at most every PROGRESS_MS and a turn of the event loop
// between slices, so a {type: 'cancel', target} message (or a newer run) can stop it; a
// stopped run answers {cancelled: true} and the engine keeps the previous run.
const PROGRESS_MS = 50;
const running = { run: null, compare: null, predict: null }; // the request of each kind in progress

// Returns the result of a run or compare request, driving its steps (see above). A newer
// request of the same kind stops the one in progress.
async function drive(msg) {
  const kind = msg.type;
  if (running[kind]) running[kind].cancelled = true;
  const job = { id: msg.id, cancelled: false };
  running[kind] = job;
  const steps = kind === 'run' ? core.runSteps(msg) : kind === 'compare' ? core.compareSteps(msg.k) : core.predictSteps(msg);
  let last = Date.now();
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      const now = Date.now();
      if (now - last >= PROGRESS_MS) {
        last = now;
        globalThis.postMessage({ id: msg.id, progress: r.value });
        await new Promise((res) => setTimeout(res, 0));
      }
      if (job.cancelled) {
        steps.return();
        return { cancelled: true };
      }
    }
  } finally {
    if (running[kind] === job) running[kind] = null;
  }
}

// The text of the last imported file ({id, text}): the page sends an import's File (a handle)
// with each run and keeps no text itself; it is read here once per import (its fileId).
let imported = null;
let runs = 0; // run requests so far: a run still reading its file when a newer one came is cancelled
let reading = null; // the run reading its file ({id, cancelled}): a cancel can reach it before its steps start

// Returns scenario sc with its text, read from sc.file unless it is the last import's.
async function withText(sc) {
  if (!imported || imported.id !== sc.fileId) {
    imported = null;
    imported = { id: sc.fileId, text: await sc.file.text() };
  }
  const { file, ...rest } = sc;
  return { ...rest, text: imported.text };
}

globalThis.onmessage = async (e) => {
  const msg = e.data;
  if (msg.type === 'run' && msg.scenario && msg.scenario.file) {
    const seq = ++runs;
    const job = { id: msg.id, cancelled: false };
    reading = job;
    try {
      msg.scenario = await withText(msg.scenario);
    } catch (err) {
      globalThis.postMessage({ id: msg.id, result: { error: `${msg.scenario.fileName}: ${errorText(err)}`, line: 0 } });
      return;
    } finally {
      if (reading === job) reading = null;
    }
    if (seq !== runs || job.cancelled) { globalThis.postMessage({ id: msg.id, result: { cancelled: true } }); return; }
  } else if (msg.type === 'run') runs++;
  if (msg.type === 'cancel') {
    for (const job of [...Object.values(running), reading]) if (job && job.id === msg.target) job.cancelled = true;
    return;
  }
  let result;
  try {
    await ready;
    result = Object.hasOwn(running, msg.type) ? await drive(msg) : core.handle(msg);
  } catch (err) {
    result = { error: errorText(err), line: 0 };
  }
  globalThis.postMessage({ id: msg.id, result }, transferables(result));
  if (msg.type === 'run' && result && result.run) setTimeout(() => { try { core.warm(); } catch { /* the next snapshot says why */ } }, 0);
};
