// bench.cjs: the benchmark driver (run by run-bench.sh after the harness is
// built). Gathers the traces, has the engine parse each one into a replay
// program (bench-native compile), measures every allocator on every trace
// natively (one fresh process per run) and in wasm (wasm-run.cjs under
// node --no-liftoff), then prints the tables and writes the JSON.
// Usage: see USAGE below. Exit status: 0 ok, 1 a measurement failed, 2 bad input.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { aggregate, summarize, formatReport } = require('./report.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'build', 'bench');
const BENCH = path.join(OUT, 'bench-native');
const HEAPLAB = path.join(ROOT, 'build', 'heaplab');
const NODE_FLAGS = ['--no-liftoff', '--no-wasm-lazy-compilation', '--single-threaded', '--expose-gc'];
const NOTRIM = 'glibc.malloc.trim_threshold=1099511627776:glibc.malloc.mmap_threshold=33554432';
const SCENARIOS = ['random', 'stack', 'queue', 'phases', 'fragment', 'realloc'];
const UNGRADED = new Set(['short1-bal', 'short2-bal']);
const USAGE = `usage: run-bench.sh [--quick] [--warm] [--runs N] [--json FILE] [--gen-ops N] [--no-native] [--no-wasm]
                    [--no-gen] [--no-real] [--no-malloclab] [--only] [--instructions]
                    [--real DIR] [--malloclab DIR] [PATH...]
  PATH: a directory replaces the malloclab directory (its *.rep but short1/short2 are the graded set);
        a file is one more trace (.rep, rich or seed CSV). --only: measure just the PATH files.
  --quick: 3 runs, 2000-op generated traces, no real traces.
  --warm: time the second replay on the same heap (the first replay untimed, then every block it
        left live freed), not the first replay on a fresh heap: the allocator's own work, without
        first-touch page faults or growth.
  --instructions: also count the instructions per op of the replay loop natively (valgrind
        callgrind: exact and repeatable) for heaplab-fast (else every policy), glibc, glibc-notrim.
  defaults: 5 runs, 20000-op generated traces, ../shared/traces/real/*.rep, ../shared/traces/malloclab/*.rep`;

class UsageError extends Error {}

// Returns the options parsed from argv (throws UsageError on bad input).
function parseArgs(argv) {
    const o = { runs: 5, genOps: 20000, json: null, native: true, wasm: true, gen: true, real: true, malloclab: true,
                only: false, quick: false, realDir: path.resolve(ROOT, '..', 'shared', 'traces', 'real'),
                malloclabDir: path.resolve(ROOT, '..', 'shared', 'traces', 'malloclab'), files: [], runsSet: false };
    const num = (v, flag) => {
        if (!/^[1-9][0-9]*$/.test(v || '')) throw new UsageError(`${flag} takes a positive integer`);
        return Number(v);
    };
    const value = (i, flag) => {
        if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
        return argv[i + 1];
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--quick') o.quick = true;
        else if (a === '--warm') o.warm = true;
        else if (a === '--runs') { o.runs = num(value(i, a), a); o.runsSet = true; i++; }
        else if (a === '--gen-ops') { o.genOps = num(value(i, a), a); o.genOpsSet = true; i++; }
        else if (a === '--json') { o.json = path.resolve(value(i, a)); i++; }
        else if (a === '--real') { o.realDir = path.resolve(value(i, a)); i++; }
        else if (a === '--malloclab') { o.malloclabDir = path.resolve(value(i, a)); o.malloclabSet = true; i++; }
        else if (a === '--no-native') o.native = false;
        else if (a === '--no-wasm') o.wasm = false;
        else if (a === '--no-gen') o.gen = false;
        else if (a === '--no-real') o.real = false;
        else if (a === '--no-malloclab') o.malloclab = false;
        else if (a === '--only') o.only = true;
        else if (a === '--instructions') o.instructions = true;
        else if (a === '--help' || a === '-h') throw new UsageError('');
        else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        else {
            const p = path.resolve(a);
            if (!fs.existsSync(p)) throw new UsageError(`${a}: no such file or directory`);
            if (fs.statSync(p).isDirectory()) { o.malloclabDir = p; o.malloclabSet = true; }
            else o.files.push(p);
        }
    }
    if (o.quick) {
        if (!o.runsSet) o.runs = 3;
        if (!o.genOpsSet) o.genOps = 2000;
        o.real = false;
    }
    if (o.only) { o.gen = o.real = false; o.malloclab = !!o.malloclabSet; }
    if (!o.native && !o.wasm) throw new UsageError('--no-native and --no-wasm leave nothing to measure');
    if (o.instructions && !o.native) throw new UsageError('--instructions counts native runs: drop --no-native');
    return o;
}

// Returns the *.rep files of a directory, sorted (none when it is missing).
function reps(dir) {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => f.endsWith('.rep')).sort().map((f) => path.join(dir, f));
}

// Runs a program; returns its stdout, or throws with its stderr.
function run(cmd, args, env) {
    const r = spawnSync(cmd, args, { env: env || process.env, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) {
        const e = new Error((r.stderr || '').trim() || `${path.basename(cmd)} ${args.join(' ')} failed (${r.status})`);
        e.status = r.status;
        throw e;
    }
    return r.stdout;
}

// Returns [{ label, file, group }]: the traces to measure, generated ones written to OUT/traces.
function gatherTraces(o) {
    const traces = [];
    if (o.gen) {
        fs.mkdirSync(path.join(OUT, 'traces'), { recursive: true });
        for (const s of SCENARIOS) {
            const file = path.join(OUT, 'traces', `gen-${s}.rep`);
            fs.writeFileSync(file, run(HEAPLAB, ['gen', s, '--seed', '1', '--ops', String(o.genOps), '--format', 'rep']));
            traces.push({ label: `gen/${s}`, file, group: 'gen' });
        }
    }
    if (o.real) for (const f of reps(o.realDir)) traces.push({ label: `real/${path.basename(f, '.rep')}`, file: f, group: 'real' });
    if (o.malloclab) {
        const ml = reps(o.malloclabDir);
        if (!ml.length) process.stderr.write(`bench: no malloclab traces in ${o.malloclabDir}: skipped\n`);
        for (const f of ml) traces.push({ label: `malloclab/${path.basename(f, '.rep')}`, file: f, group: 'malloclab' });
    }
    for (const f of o.files) {
        const base = path.basename(f).replace(/\.(rep|csv)$/, '');
        traces.push({ label: `${path.basename(path.dirname(f))}/${base}`, file: f, group: 'extra' });
    }
    const seen = new Map();
    for (const t of traces) { // labels name results: keep them unique
        const n = seen.get(t.label) || 0;
        seen.set(t.label, n + 1);
        if (n) t.label += `#${n + 1}`;
    }
    if (!traces.length) throw new UsageError('no traces to measure');
    return traces;
}

// Parses every trace with the engine into a program file; fills t.prog, t.ops.
function compileTraces(traces) {
    fs.mkdirSync(path.join(OUT, 'progs'), { recursive: true });
    for (const t of traces) {
        t.prog = path.join(OUT, 'progs', t.label.replace(/[^A-Za-z0-9._-]/g, '_') + '.prog');
        try {
            Object.assign(t, JSON.parse(run(BENCH, ['compile', t.file, t.prog])));
        } catch (e) {
            e.status = 2;
            throw e;
        }
    }
}

// Returns process.env without any malloc tuning, plus `extra`.
function cleanEnv(extra) {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) if (k !== 'GLIBC_TUNABLES' && !k.startsWith('MALLOC_')) env[k] = v;
    return Object.assign(env, extra || {});
}

// Returns the native samples and utilization runs (one fresh process each).
function measureNative(traces, policies, o) {
    const envs = { glibc: cleanEnv(), 'glibc-notrim': cleanEnv({ GLIBC_TUNABLES: NOTRIM }) };
    const allocs = policies.map((p) => `heaplab-${p}`).concat(Object.keys(envs), ['bump']);
    const samples = [], utils = [];
    for (const t of traces) {
        process.stderr.write(`  native ${t.label}\n`);
        for (let r = 0; r < o.runs; r++)
            for (const a of allocs) {
                const args = ['run', envs[a] ? 'glibc' : a, t.prog].concat(o.warm ? ['--warm'] : []);
                const s = JSON.parse(run(BENCH, args, envs[a] || cleanEnv()));
                samples.push(Object.assign(s, { env: 'native', trace: t.label, allocator: a }));
            }
        for (const [a, env] of Object.entries(envs)) {
            const u = JSON.parse(run(BENCH, ['util', t.prog], env));
            utils.push(Object.assign(u, { env: 'native', trace: t.label, allocator: a }));
        }
    }
    return { samples, utils };
}

// Returns [{ env, trace, allocator, instructions }]: the instructions executed
// by the replay loop alone (callgrind collecting only bench_loop_*), for the
// HeapLab subjects and both glibc settings.
function measureInstructions(traces, policies) {
    const envs = { glibc: cleanEnv(), 'glibc-notrim': cleanEnv({ GLIBC_TUNABLES: NOTRIM }) };
    const subjects = policies.includes('fast') ? ['heaplab-fast'] : policies.map((p) => `heaplab-${p}`);
    const out = [], file = path.join(OUT, 'callgrind.out');
    for (const t of traces) {
        process.stderr.write(`  instr  ${t.label}\n`);
        for (const a of subjects.concat(Object.keys(envs))) {
            run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${file}`, '--toggle-collect=bench_loop_*',
                             BENCH, 'run', envs[a] ? 'glibc' : a, t.prog], envs[a] || cleanEnv());
            const m = /^totals:\s*(\d+)/m.exec(fs.readFileSync(file, 'utf8'));
            if (!m || m[1] === '0') throw new Error(`callgrind counted nothing for ${a} on ${t.label}`);
            out.push({ env: 'native', trace: t.label, allocator: a, instructions: Number(m[1]) });
        }
    }
    return out;
}

// Returns the wasm samples and utilization runs, and the engine's policy list in wasm.
function measureWasm(traces, o) {
    const list = path.join(OUT, 'wasm-list.json');
    fs.writeFileSync(list, JSON.stringify(traces.map((t) => ({ trace: t.label, prog: t.prog }))));
    const r = spawnSync(process.execPath, [...NODE_FLAGS, path.join(__dirname, 'wasm-run.cjs'), OUT, String(o.runs), list,
                                           o.warm ? 'warm' : 'cold'],
                        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`wasm measurement failed (exit ${r.status})`);
    const w = JSON.parse(r.stdout);
    const tag = (x) => Object.assign(x, { env: 'wasm' });
    return { policies: w.policies, samples: w.samples.map(tag), utils: w.util.map(tag) };
}

// Returns the settings that shape the numbers, for the report and the JSON.
function describe(o, policies, probe, traces) {
    const gcc = (spawnSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).stdout || '').trim();
    const glibc = (spawnSync('ldd', ['--version'], { encoding: 'utf8' }).stdout || '').split('\n')[0].replace(/^ldd\s*/, '');
    const emcc = (spawnSync('emcc', ['--version'], { encoding: 'utf8', env: process.env }).stdout || '')
        .match(/\d+\.\d+\.\d+/);
    return {
        runs: o.runs, mode: o.warm ? 'warm' : 'cold', policies, date: new Date().toISOString(), host: `${os.cpus().length} x ${os.cpus()[0].model}`,
        native: `gcc ${gcc} -O2, ${glibc}, one process per run`,
        wasm: `emcc ${emcc ? emcc[0] : '?'} -O3 -sALLOW_MEMORY_GROWTH=1 -sABORTING_MALLOC=0, node ${process.version} ${NODE_FLAGS.join(' ')}, fresh instance per run`,
        lb: Object.fromEntries(traces.map((t) => [t.label, t.lb])),
        glibc_notrim: `GLIBC_TUNABLES=${NOTRIM}`,
        glibc_probe: probe,
    };
}

function main() {
    let o;
    try {
        o = parseArgs(process.argv.slice(2));
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        if (e.message) process.stderr.write(`bench: ${e.message}\n`);
        process.stderr.write(USAGE + '\n');
        return e.message ? 2 : 0;
    }
    try {
        const traces = gatherTraces(o);
        compileTraces(traces);
        let policies = JSON.parse(run(BENCH, ['policies']));
        const samples = [], utils = [];
        let probe = null, instr = [];
        if (o.native) {
            probe = { glibc: JSON.parse(run(BENCH, ['probe'], cleanEnv())),
                      'glibc-notrim': JSON.parse(run(BENCH, ['probe'], cleanEnv({ GLIBC_TUNABLES: NOTRIM }))) };
            if (probe['glibc-notrim'].mmapped_1mib || probe['glibc-notrim'].trims)
                process.stderr.write('bench: warning: GLIBC_TUNABLES was not honoured; glibc-notrim is not what it says\n');
            const n = measureNative(traces, policies, o);
            samples.push(...n.samples);
            utils.push(...n.utils);
            if (o.instructions) instr = measureInstructions(traces, policies);
        }
        if (o.wasm) {
            const w = measureWasm(traces, o);
            policies = w.policies;
            samples.push(...w.samples);
            utils.push(...w.utils);
        }
        const results = aggregate(samples, utils, instr);
        const graded = traces.filter((t) => t.group === 'malloclab' && !UNGRADED.has(path.basename(t.file, '.rep')))
            .map((t) => t.label);
        const summary = summarize(results, graded, traces.filter((t) => t.group === 'real').map((t) => t.label));
        const meta = describe(o, policies, probe, traces);
        process.stdout.write(formatReport(results, summary, meta));
        if (o.json) {
            fs.writeFileSync(o.json, JSON.stringify({ results, summary, meta }, null, 1) + '\n');
            process.stdout.write(`wrote ${o.json}\n`);
        }
        return 0;
    } catch (e) {
        process.stderr.write(`bench: ${e.message}\n`);
        return e.status === 2 || e instanceof UsageError ? 2 : 1;
    }
}

process.exitCode = main();
