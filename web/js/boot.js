// boot.js: the page's only inline script. The page script (main.js bundle,
// Chart.js included) is stored gzipped and base64-encoded in the data block
// #heaplab-app to keep the single file small; this inflates it with the
// browser's DecompressionStream and runs it as a classic script from a
// blob: URL (allowed by the page's CSP; nothing is fetched from a network).
(async () => {
  const say = (text) => { const p = document.getElementById('loading'); if (p) p.textContent = text; };
  try {
    if (typeof DecompressionStream !== 'function') throw new Error('this browser lacks DecompressionStream (Chrome 80+, Firefox 113+, Safari 16.4+)');
    const b64 = document.getElementById('heaplab-app').textContent.trim();
    const bin = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const text = await new Response(new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
    const s = document.createElement('script');
    s.src = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    s.onerror = () => say('HeapLab could not start its script.');
    document.body.append(s);
  } catch (e) {
    say(`HeapLab could not start: ${e.message}`);
  }
})();
