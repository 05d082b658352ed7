// boot.js: the page's only inline script. The page script (main.js bundle,
// Chart.js included) is stored gzipped and base64-encoded in the data block
// #heaplab-app to keep the single file small; this inflates it with the
// browser's DecompressionStream (engine/packed.js, bundled into this
// script by web/build.mjs) and runs it as a classic script from a blob:
// URL (allowed by the page's CSP; nothing is fetched from a network).
import { blockText } from './engine/packed.js';

(async () => {
  const say = (text) => { const p = document.getElementById('loading'); if (p) p.textContent = text; };
  try {
    if (typeof DecompressionStream !== 'function') throw new Error('this browser lacks DecompressionStream (Chrome 80+, Firefox 113+, Safari 16.4+)');
    const text = await blockText('heaplab-app', 'the HeapLab page script');
    const s = document.createElement('script');
    s.src = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    s.onerror = () => say('HeapLab could not start its script.');
    document.body.append(s);
  } catch (e) {
    say(`HeapLab could not start: ${e.message}`);
  }
})();
