// wasm-run.cjs: the wasm half of the benchmark. Run as
//   node --no-liftoff --no-wasm-lazy-compilation --single-threaded --expose-gc \
//        tests/bench/wasm-run.cjs BUILD_DIR RUNS LIST.json
// (TurboFan only, compiled up front; no V8 background threads, so the
// process CPU time read around each replay is the replay's own, and the GC
// forced before each run does all its work there, outside the timing.)
// LIST.json: [{ "trace": label, "prog": path }]. Prints one JSON document:
//   { "policies": [...], "samples": [{ trace, allocator, us, ops, failures, skipped,
//     peak_payload?, heap_peak? }], "util": [{ trace, allocator, utilization, footprint }] }
// Each build (bench-heaplab / bench-emmalloc / bench-dlmalloc) is compiled
// once; every measurement instantiates it afresh (new memory, new allocator
// state), copies the program into harness memory below the allocator's heap
// (bench_alloc: sbrk before the allocator's first call), and calls the timed
// replay. Runs are interleaved across allocators so drift spreads evenly,
// after one untimed warm-up replay per allocator on the smallest trace.
'use strict';
const fs = require('fs');
const path = require('path');

const [buildDir, runsArg, listPath, modeArg] = process.argv.slice(2);
const RUNS = Number(runsArg);
const WARM = modeArg === 'warm' ? 1 : 0; // bench_prog.h: the second replay on the same heap
if (!buildDir || !(RUNS >= 1) || !listPath || (modeArg && modeArg !== 'warm' && modeArg !== 'cold')) {
    process.stderr.write('usage: node --no-liftoff --no-wasm-lazy-compilation --single-threaded --expose-gc wasm-run.cjs BUILD_DIR RUNS LIST.json [cold|warm]\n');
    process.exit(2);
}

// Returns { factory, module } for one harness build, compiled once.
function loadBuild(name) {
    const js = path.resolve(buildDir, `bench-${name}.js`);
    const module = new WebAssembly.Module(fs.readFileSync(path.resolve(buildDir, `bench-${name}.wasm`)));
    return { name, factory: require(js), module };
}

// Returns a fresh instance of a build (its own memory and allocator).
async function instantiate(build) {
    return build.factory({
        instantiateWasm(imports, receive) {
            const instance = new WebAssembly.Instance(build.module, imports);
            receive(instance, build.module);
            return instance.exports;
        },
    });
}

// Returns the C string at ptr.
function cString(M, ptr) {
    const heap = M.HEAPU8;
    let end = ptr;
    while (heap[end]) end++;
    return Buffer.from(heap.subarray(ptr, end)).toString('utf8');
}

// Returns a fresh instance holding the program (and the sizes table when sampling).
async function prepare(build, prog, sampling) {
    if (global.gc) global.gc(); // collect dead instances now, not inside a timed loop
    const M = await instantiate(build);
    const ptr = M._bench_alloc(prog.length);
    if (!ptr) throw new Error(`${build.name}: no memory for the program`);
    M.HEAPU8.set(prog, ptr);
    const rc = M._bench_load(ptr, prog.length, sampling ? 1 : 0);
    if (rc !== 0) throw new Error(`${build.name}: bench_load failed (${rc})`);
    return M;
}

function sample(M, trace, allocator, us, heaplab) {
    const s = { trace, allocator, us, wall_us: M._bench_wall_us(), ops: M._bench_ops(), failures: M._bench_failures(), skipped: M._bench_skipped() };
    if (heaplab) Object.assign(s, { peak_payload: M._bench_peak_payload(), heap_peak: M._bench_heap_peak(),
                                    side_bytes: M._bench_side_bytes() });
    return s;
}

async function main() {
    const list = JSON.parse(fs.readFileSync(listPath, 'utf8'));
    const heaplab = loadBuild('heaplab');
    const libcs = [loadBuild('emmalloc'), loadBuild('dlmalloc')];
    const probe = await instantiate(heaplab);
    const policies = [];
    for (let p = 0; p < probe._bench_policy_count(); p++) policies.push(cString(probe, probe._bench_policy_name(p)));
    const out = { policies, samples: [], util: [] };
    if (list.length) { // warm-up: every code path runs once before anything is timed
        const sizes = list.map((t) => fs.statSync(t.prog).size);
        const prog = fs.readFileSync(list[sizes.indexOf(Math.min(...sizes))].prog);
        for (let p = 0; p < policies.length; p++) (await prepare(heaplab, prog, false))._bench_run_heaplab(p, WARM);
        (await prepare(libcs[0], prog, false))._bench_run_bump(WARM);
        for (const b of libcs) {
            (await prepare(b, prog, false))._bench_run_libc(WARM);
            (await prepare(b, prog, true))._bench_util_libc();
        }
    }
    for (const { trace, prog: progPath } of list) {
        const prog = fs.readFileSync(progPath);
        process.stderr.write(`  wasm   ${trace}\n`);
        for (let r = 0; r < RUNS; r++) {
            for (let p = 0; p < policies.length; p++) {
                const M = await prepare(heaplab, prog, false);
                const us = M._bench_run_heaplab(p, WARM);
                if (us < 0) throw new Error(`heaplab-${policies[p]}: heap_create failed (${us})`);
                out.samples.push(sample(M, trace, `heaplab-${policies[p]}`, us, true));
            }
            for (const b of libcs) {
                const M = await prepare(b, prog, false);
                out.samples.push(sample(M, trace, b.name, M._bench_run_libc(WARM), false));
            }
            const B = await prepare(libcs[0], prog, false); // the bump allocator never calls malloc
            out.samples.push(sample(B, trace, 'bump', B._bench_run_bump(WARM), true));
        }
        for (const b of libcs) {
            const M = await prepare(b, prog, true);
            const utilization = M._bench_util_libc();
            out.util.push({ trace, allocator: b.name, utilization: utilization > 0 ? utilization : null, footprint: M._bench_footprint(),
                            failures: M._bench_failures() });
        }
    }
    process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
    process.stderr.write(`wasm-run: ${e && e.message ? e.message : e}\n`);
    process.exit(1);
});
