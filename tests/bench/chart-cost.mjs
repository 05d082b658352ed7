// chart-cost.mjs: what drawing a training report's chart costs on the page's
// main thread, with and without the chart made ahead (a measurement, not a
// test: run by hand; the minimum of RUNS tries, robust on a loaded machine).
//   node tests/bench/chart-cost.mjs [RUNS]
// Each try adds a fresh canvas beside the Predictions chart and times, for a
// series shaped to 1,200 columns (5 points each, as C sends them): a chart
// made and filled in one task (what a report's arrival did before), and the
// fill alone of a chart made beforehand (PredictionChart.prepare/create).
import { launch, openPage } from '../e2e/browser.mjs';

const runs = Number(process.argv[2] || 15);
const b = await launch();
const { page } = await openPage(b.context, '?scenario=random');
const r = await page.evaluate(async (n) => {
  const proto = globalThis.heaplab.v.predict.chart;
  const host = proto.canvas.parentElement;
  const cols = 1200, x0 = 1000;
  const series = { n: cols * 40, x0, actual: [], predicted: [] };
  for (let c = 0; c < cols; c++) {
    for (let k = 0; k < 3; k++) series.actual.push({ x: x0 + c * 40 + k * 10, y: 16 + ((c * 7 + k * 13) % 500) });
    for (let k = 0; k < 2; k++) series.predicted.push({ x: x0 + c * 40 + k * 20, y: 20 + ((c * 3 + k) % 300) });
  }
  const fresh = () => { const cv = document.createElement('canvas'); host.append(cv); return new proto.constructor(cv); };
  const oneTask = [], fillOnly = [], made = [];
  for (let i = 0; i < n; i++) {
    let c = fresh();
    let t0 = performance.now();
    c.show(series);
    oneTask.push(performance.now() - t0);
    c.chart.destroy(); c.canvas.remove();
    c = fresh();
    t0 = performance.now();
    c.create();
    made.push(performance.now() - t0);
    await new Promise((res) => setTimeout(res, 50));
    t0 = performance.now();
    c.show(series);
    fillOnly.push(performance.now() - t0);
    c.chart.destroy(); c.canvas.remove();
  }
  const st = (a) => { const s = [...a].sort((x, y) => x - y); return `min ${s[0].toFixed(1)} median ${s[s.length >> 1].toFixed(1)}`; };
  return { oneTask: st(oneTask), made: st(made), fillOnly: st(fillOnly) };
}, runs);
console.log(`report's chart, ${runs} tries (ms): made and filled in one task ${r.oneTask}; made ahead ${r.made}; filled when made ahead ${r.fillOnly}`);
await b.close();
