// engine-worker.js: the Web Worker around engine-core.js. The page builds
// this worker from a blob made of the wasm module's script text (which
// defines global HeapLab) followed by this bundle, so the module is not
// duplicated in the file. Each message {id, type, ...} gets one reply
// {id, result}; typed arrays of a run are transferred, not copied.
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
  const bufs = [r.op.buffer, r.id.buffer, ...eventBuffers(r.events)];
  for (const c of Object.values(r.cols)) bufs.push(c.buffer);
  return bufs;
}

globalThis.onmessage = async (e) => {
  const msg = e.data;
  let result;
  try {
    await ready;
    result = core.handle(msg);
  } catch (err) {
    result = { error: errorText(err), line: 0 };
  }
  globalThis.postMessage({ id: msg.id, result }, transferables(result));
};
