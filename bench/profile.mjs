#!/usr/bin/env node
// Profiles one no-op `gob build //...` on a generated repo with `node --cpu-prof` and prints where
// gob's time goes: self time by function, time by gob source file, time by top-level phase, and
// the time spent waiting for go processes (recorded by bench/spawn-trace.mjs).
//
//   npm run build && node bench/profile.mjs --preset M [--seed N] [--interval-us 200] [--args "//... --dry-run"] [--cold | --replan]
//                                           [--gob-snapshot HASH]   (a frozen gob made by bench/run.mjs)
//   node bench/profile.mjs --analyze FILE.cpuprofile [--trace FILE.json]
//
// Uses the warm caches `npm run bench` leaves in bench/out/<preset>-seed<N>/work/ (or warms them,
// which on a cold machine is a full build). The profile is kept next to them, in prof/, for
// Chrome DevTools or speedscope.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { generate, GENERATOR_VERSION, overridesFrom, parseFlags, readStamp, repoName, resolveParams, stampIdentity } from './generate.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
// The unbundled build (tsc's output, which the bundle dist/main.js is made of): the profile then
// names gob's modules instead of bundle chunks. Module loading costs more this way than in the
// bundle that users run.
let GOB_MAIN = path.join(ROOT, 'packages/cli/dist/entry.js');

/** Functions whose inclusive time and first/last sample are shown as phases. */
const PHASES = [
  'loadWorkspace',
  'resolvePatterns',
  'load', // FileHasher.load: the stat cache
  'loadModules',
  'planBuild',
  'probeGoEnv',
  'loadGoPackages',
  'digestMany',
  'actionKey',
  'runBuild',
  'getActionResult',
  'digestIfExists',
  'save', // FileHasher.save
  'trim',
];

// ---------------------------------------------------------------------------------------------
// Analysis

/** A readable name for a profile URL: packages/core/dist/x/y.js, node_modules/<pkg>, node:… */
function shortUrl(url) {
  if (url === '') return '(native)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + '/node_modules/'.length).split('/');
    return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const pk = u.indexOf('/packages/');
  if (pk >= 0) return u.slice(pk + 1);
  return u;
}

const isGob = (url) => /\/packages\/(core|cli|ui)\/dist\//.test(url);

/**
 * A coarse category for a stack, from the leaf up: the first frame that names one wins, so time in
 * the module loader under gob's own top-level code counts as module loading.
 */
function category(frames) {
  for (const f of frames) {
    const u = f.url;
    if (u === '' && f.functionName.startsWith('(')) return f.functionName;
    if (u.startsWith('node:internal/modules')) return 'module loading (resolve, read, compile, evaluate)';
    if (/\/node_modules\/(pino|sonic-boom|thread-stream|pino-std-serializers|fast-redact|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify)\//.test(u)) return 'build log (pino)';
    const m = /\/packages\/(core|cli|ui)\/dist\/(.*)$/.exec(u);
    if (m !== null) {
      const [, pkg, rest] = m;
      if (pkg === 'ui') return 'reporters (ui)';
      if (pkg === 'cli') return rest.startsWith('logging') ? 'build log (pino)' : 'cli';
      if (rest.startsWith('golang/toolchain')) return 'go env probes (toolchain.js)';
      const area = rest.split('/')[0].replace(/\.js$/, '');
      return {
        workspace: 'workspace loading (discover, YAML, schema)',
        golang: 'Go package graph (modules, scanner, headers, embed)',
        hashing: 'file hashing and stat cache',
        cache: 'action cache',
        actions: 'planning and keys (actions/)',
        exec: 'running actions (exec/)',
        labels: 'labels and patterns',
      }[area] ?? `core/${area}`;
    }
  }
  return 'other (node internals, libraries)';
}

/**
 * @param {any} prof a .cpuprofile document
 * @param {any} [trace] bench/spawn-trace.mjs output
 */
export function analyze(prof, trace) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Duration of sample i: the time until the next sample (the last one gets the mean).
  const deltas = prof.timeDeltas;
  const dur = prof.samples.map((_, i) => (i + 1 < deltas.length ? deltas[i + 1] : 0));
  const total = prof.endTime - prof.startTime;
  const startTimes = [];
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += deltas[i];
    startTimes.push(t);
  }

  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  const selfByFn = new Map();
  const byFile = new Map();
  const inclusiveFn = new Map();
  const phaseWindow = new Map();
  const byCategory = new Map();
  // Timeline: the categories of each twentieth of the profile.
  const slices = Array.from({ length: 20 }, () => new Map());
  for (let i = 0; i < prof.samples.length; i++) {
    const d = dur[i];
    const leaf = byId.get(prof.samples[i]);
    const cf = leaf.callFrame;
    const name = cf.functionName || '(anonymous)';
    add(selfByFn, `${name}  ${shortUrl(cf.url)}:${cf.lineNumber + 1}`, d);
    const frames = [];
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) frames.push(byId.get(id).callFrame);
    const cat = category(frames);
    add(byCategory, cat, d);
    add(slices[Math.min(19, Math.floor(((startTimes[i] - prof.startTime) / total) * 20))], cat, d);
    // Attribute the sample to the deepest gob frame, else to the leaf's module.
    const seen = new Set();
    let fileKey;
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame;
      if (fileKey === undefined && isGob(f.url)) fileKey = shortUrl(f.url);
      if (isGob(f.url) && f.functionName !== '' && !seen.has(f.functionName)) {
        seen.add(f.functionName);
        add(inclusiveFn, `${f.functionName}  ${shortUrl(f.url)}`, d);
        if (PHASES.includes(f.functionName)) {
          const w = phaseWindow.get(f.functionName) ?? { first: Infinity, last: -Infinity, time: 0 };
          w.first = Math.min(w.first, startTimes[i] - prof.startTime);
          w.last = Math.max(w.last, startTimes[i] - prof.startTime);
          w.time += d;
          phaseWindow.set(f.functionName, w);
        }
      }
    }
    add(byFile, fileKey ?? (name.startsWith('(') && cf.url === '' ? name : `${shortUrl(cf.url)} (no gob frame)`), d);
  }
  const top = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);

  let spawnInfo;
  if (trace !== undefined) {
    // Spawn times are ms since the process started (performance.now()), not profile time.
    const spans = trace.spawns.filter((s) => s.end !== undefined).map((s) => [s.start, s.end]).sort((a, b) => a[0] - b[0]);
    let busy = 0;
    let cur;
    for (const [s, e] of spans) {
      if (cur === undefined || s > cur[1]) {
        if (cur !== undefined) busy += cur[1] - cur[0];
        cur = [s, e];
      } else cur[1] = Math.max(cur[1], e);
    }
    if (cur !== undefined) busy += cur[1] - cur[0];
    spawnInfo = {
      processMs: trace.exitAt,
      preloadAtMs: trace.preloadAt,
      goWaitMs: busy,
      cjs: trace.cjs,
      spawns: trace.spawns.map((s) => ({
        cmd: `${path.basename(s.cmd)} ${s.args.join(' ')}`.slice(0, 110),
        startMs: s.start,
        ms: s.end === undefined ? undefined : s.end - s.start,
      })),
    };
  }
  return {
    totalMs: total / 1000,
    categories: top(byCategory, 40).map(([k, v]) => [k, v / 1000]),
    timeline: slices.map((m, i) => ({
      fromMs: (i * total) / 20 / 1000,
      toMs: ((i + 1) * total) / 20 / 1000,
      top: top(m, 3).map(([k, v]) => [k, v / 1000]),
    })),
    selfTop: top(selfByFn, 30).map(([k, v]) => [k, v / 1000]),
    fileTop: top(byFile, 25).map(([k, v]) => [k, v / 1000]),
    inclusiveTop: top(inclusiveFn, 30).map(([k, v]) => [k, v / 1000]),
    phases: [...phaseWindow.entries()]
      .sort((a, b) => a[1].first - b[1].first)
      .map(([k, w]) => ({ fn: k, cpuMs: w.time / 1000, firstMs: w.first / 1000, lastMs: w.last / 1000 })),
    spawn: spawnInfo,
  };
}

function print(a) {
  const ms = (x) => `${x.toFixed(1).padStart(8)} ms`;
  const pct = (x) => `${((100 * x) / a.totalMs).toFixed(1).padStart(5)}%`;
  const out = [];
  out.push(`profiled wall time ${a.totalMs.toFixed(0)} ms (from the profiler's start; node start-up before it is not included)`);
  if (a.spawn !== undefined) {
    out.push(`process: preload at ${a.spawn.preloadAtMs.toFixed(0)} ms, exit at ${a.spawn.processMs.toFixed(0)} ms; waiting for go child processes (union of spans): ${a.spawn.goWaitMs.toFixed(0)} ms`);
    for (const s of a.spawn.spawns) out.push(`  ${s.startMs.toFixed(0).padStart(6)} ms +${(s.ms ?? NaN).toFixed(0).padStart(5)} ms  ${s.cmd}`);
    if (a.spawn.cjs !== undefined) {
      const pk = Object.entries(a.spawn.cjs).sort((x, y) => y[1].bytes - x[1].bytes);
      out.push(`CommonJS modules loaded (ESM not listed): ${pk.map(([k, v]) => `${k} ${v.files} files ${(v.bytes / 1024).toFixed(0)} KiB`).join(', ')}`);
    }
  }
  out.push('', 'by category (each sample once, leaf-most frame that names a category):');
  for (const [k, v] of a.categories) out.push(`  ${ms(v)} ${pct(v)}  ${k}`);
  out.push('', 'timeline (profile split in 20 equal slices; the top 3 categories of each):');
  for (const sl of a.timeline) {
    out.push(`  ${sl.fromMs.toFixed(0).padStart(6)}–${sl.toMs.toFixed(0).padEnd(6)} ${sl.top.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · ')}`);
  }
  out.push('', 'phases (first and last sample with the function on the stack, ms from profile start; CPU is only');
  out.push('the synchronous part: work in promise continuations does not have the caller on its stack):');
  for (const p of a.phases) out.push(`  ${ms(p.cpuMs)} ${pct(p.cpuMs)}  ${p.fn.padEnd(16)} ${p.firstMs.toFixed(0).padStart(6)} – ${p.lastMs.toFixed(0).padStart(6)}`);
  out.push('', 'top self time by function:');
  for (const [k, v] of a.selfTop) out.push(`  ${ms(v)} ${pct(v)}  ${k}`);
  out.push('', 'time by gob source file (deepest gob frame on the stack) or, without one, by module:');
  for (const [k, v] of a.fileTop) out.push(`  ${ms(v)} ${pct(v)}  ${k}`);
  out.push('', 'top inclusive time by gob function:');
  for (const [k, v] of a.inclusiveTop) out.push(`  ${ms(v)} ${pct(v)}  ${k}`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Running

function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.has('analyze')) {
    const prof = JSON.parse(fs.readFileSync(flags.get('analyze'), 'utf8'));
    const trace = flags.has('trace') ? JSON.parse(fs.readFileSync(flags.get('trace'), 'utf8')) : undefined;
    process.stdout.write(`${print(analyze(prof, trace))}\n`);
    return;
  }
  if (flags.has('gob-snapshot')) {
    const dist = path.join(BENCH_DIR, 'out', 'gob-snapshot', flags.get('gob-snapshot'), 'packages/cli/dist');
    // A gob from before the bundle has no entry.js: its main.js is tsc's.
    GOB_MAIN = fs.existsSync(path.join(dist, 'entry.js')) ? path.join(dist, 'entry.js') : path.join(dist, 'main.js');
  }
  const preset = flags.get('preset') ?? 'M';
  const seed = Number(flags.get('seed') ?? '1');
  const interval = flags.get('interval-us') ?? '200';
  const gobArgs = (flags.get('args') ?? '//...').split(/\s+/).filter((s) => s !== '');
  const overrides = overridesFrom(flags);
  const params = resolveParams(preset, overrides);
  const base = path.join(BENCH_DIR, 'out', repoName(preset, params, seed));
  const repo = path.join(base, 'repo');
  const have = readStamp(repo);
  if (have === undefined || stampIdentity(have) !== stampIdentity({ generator: GENERATOR_VERSION, params, seed })) {
    process.stderr.write(`generating ${repo} …\n`);
    generate({ preset, seed, overrides, out: repo });
  }
  const work = path.join(base, 'work');
  const env = {
    ...process.env,
    GOB_CACHE_DIR: path.join(work, 'warm-gob-cache'),
    GOCACHE: path.join(work, 'warm-gob-gocache'),
    CI: 'true',
  };
  // Bring everything up to date (and the stat cache warm), untimed.
  for (let i = 0; i < 2; i++) {
    process.stderr.write(`${i === 0 ? 'bringing the repo up to date' : 'second build for a warm stat cache'} (untimed) …\n`);
    const r = spawnSync(process.execPath, [GOB_MAIN, 'build', ...gobArgs, '--ui=plain'], { cwd: repo, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gob build failed:\n${r.stderr}\n${r.stdout.slice(-3000)}`);
  }
  if (flags.has('cold')) {
    // B6-cold's state: no stat cache and no plan snapshot, so gob reads, hashes and plans everything.
    fs.rmSync(path.join(env.GOB_CACHE_DIR, 'stat'), { recursive: true, force: true });
    fs.rmSync(path.join(repo, 'gob-out', '.gob'), { recursive: true, force: true });
  } else if (flags.has('replan')) {
    // B6-replan's state: a warm stat cache but no plan snapshot, so gob plans everything again.
    fs.rmSync(path.join(repo, 'gob-out', '.gob'), { recursive: true, force: true });
  }
  const profDir = path.join(base, 'prof');
  fs.mkdirSync(profDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profName = `noop-${stamp}.cpuprofile`;
  const traceFile = path.join(profDir, `noop-${stamp}.spawns.json`);
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [`--cpu-prof`, `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${profName}`, `--cpu-prof-interval=${interval}`, '--import', path.join(BENCH_DIR, 'spawn-trace.mjs'), GOB_MAIN, 'build', ...gobArgs, '--ui=json'],
    { cwd: repo, env: { ...env, GOB_BENCH_SPAWN_TRACE: traceFile }, encoding: 'utf8' },
  );
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`profiled gob build failed:\n${r.stderr}`);
  const finished = r.stdout.split('\n').filter((l) => l.includes('"build.finished"')).map((l) => JSON.parse(l))[0];
  const hashing = r.stdout.split('\n').filter((l) => l.includes('"file hashing"')).map((l) => JSON.parse(l))[0];
  const prof = JSON.parse(fs.readFileSync(path.join(profDir, profName), 'utf8'));
  const trace = JSON.parse(fs.readFileSync(traceFile, 'utf8'));
  let goVersion = 'unknown';
  try {
    goVersion = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    // keep unknown
  }
  process.stdout.write(
    `gob ${path.relative(ROOT, GOB_MAIN)}\n` +
      `gob build ${gobArgs.join(' ')} on ${path.relative(ROOT, repo)} — wall ${wall.toFixed(0)} ms (with profiler), load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ${goVersion}\n` +
      `counts ${JSON.stringify(finished?.counts)}; hashing ${JSON.stringify(hashing?.data)}\n` +
      `profile: ${path.relative(ROOT, path.join(profDir, profName))}\n\n${print(analyze(prof, trace))}\n`,
  );
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
