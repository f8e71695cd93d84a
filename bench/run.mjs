#!/usr/bin/env node
// gob benchmark harness: runs each scenario against its baseline in the same run, alternating
// gob and baseline runs, and prints medians and ratios. See docs/benchmarks.md.
//
//   npm run bench -- --preset S [--runs 5] [--warmup 1] [--scenarios B1,B4] [--json FILE] [--seed N]
//                    [--services N --libs N ...]   (generator overrides, see bench/generate.mjs)
//
// Everything the harness writes lives under bench/out/<preset>-seed<N>/: the generated repo
// (reused while preset, seed and generator version match) and work/, the caches each scenario
// owns. GOCACHE always points into work/: the user's own Go build cache is never used or wiped.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { distFingerprint, snapshotCommit, snapshotGob } from './gob-snapshot.mjs';
import { table } from './report.mjs';
import { generate, GENERATOR_VERSION, overridesFrom, PARAM_FLAGS, parseFlags, readStamp, repoName, resolveParams, stampIdentity } from './generate.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
const LIVE_GOB_MAIN = path.join(ROOT, 'packages/cli/dist/main.js');
/** The gob under test: a frozen copy of the built packages (see gob-snapshot.mjs), or the live dist with --live. */
let GOB_MAIN = LIVE_GOB_MAIN;
const ALL_SCENARIOS = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'];
/** Flags gob passes to every go build with the generated gob.yaml; the baselines use the same. */
const GO_FLAGS = ['-trimpath', '-buildvcs=false'];

const USAGE = `usage: npm run bench -- [--preset S|M|L|tiny] [--seed N] [--runs N] [--warmup N]
                        [--scenarios B1,B2,...] [--json FILE] [--live] [generator overrides]

  --live               run packages/cli/dist/main.js as it is on disk, not a frozen copy of it
  --gob-snapshot HASH  run the frozen copy bench/out/gob-snapshot/HASH made by an earlier run

Scenarios:
  B1  no-op: gob build //... with everything up to date vs go build -o DIR ./services/... (warm)
  B2  cold: empty gob cache and GOCACHE vs go build ./services/... and vs one go build per service
  B3  CI restore: fresh copy at a new path, empty GOCACHE, warm gob cache vs cold go build
  B4  leaf edit: one service's main.go changed vs go build of that service (warm GOCACHE)
  B5  shared-lib edit: libs/core changed vs go build ./services/... (warm GOCACHE)
  B6  planning: gob build //... --dry-run (cold: no stat cache, no plan snapshot; and warm) vs go list -deps -json ./...
Generator overrides: ${Object.keys(PARAM_FLAGS).map((f) => `--${f} N`).join(' ')}`;

// ---------------------------------------------------------------------------------------------
// Processes, timing and peak RSS

const TIME_BIN = detectTimeBin();

/** `/usr/bin/time` if it exists and understands `-f %M`; else undefined (RSS then comes from /proc). */
function detectTimeBin() {
  for (const p of ['/usr/bin/time']) {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      const tmp = path.join(os.tmpdir(), `gob-bench-time-${process.pid}`);
      execFileSync(p, ['-f', '%M', '-o', tmp, 'true'], { stdio: 'ignore' });
      const ok = /^\d+\s*$/.test(fs.readFileSync(tmp, 'utf8'));
      fs.rmSync(tmp, { force: true });
      if (ok) return p;
    } catch {
      // not usable
    }
  }
  return undefined;
}

/**
 * @typedef {object} Cmd
 * @property {string} cmd
 * @property {string[]} args
 * @property {string} cwd
 * @property {Record<string, string|undefined>} env
 * @property {boolean} [keepStdout]   capture stdout (gob's JSON events); otherwise discarded
 */

/**
 * @typedef {object} Ran
 * @property {number|null} code
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} seconds   wall time from spawn to exit
 * @property {number|undefined} rssKB  peak resident set size of the process (and, with
 *   /usr/bin/time, of the largest of its waited-for children)
 */

/** Children running now (each the leader of its own process group). */
const ACTIVE = new Set();

/** Stops every running child's process group (on Ctrl-C or SIGTERM). */
function stopChildren() {
  for (const child of ACTIVE) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** Runs one command, timing it. @param {Cmd} c @returns {Promise<Ran>} */
function runTimed(c) {
  return new Promise((resolve, reject) => {
    const rssFile = TIME_BIN === undefined ? undefined : path.join(os.tmpdir(), `gob-bench-rss-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    const [file, args] = rssFile === undefined ? [c.cmd, c.args] : [TIME_BIN, ['-f', '%M', '-o', rssFile, c.cmd, ...c.args]];
    const t0 = process.hrtime.bigint();
    // Its own process group, so an interrupted benchmark can stop it and everything it started.
    const child = spawn(file, args, { cwd: c.cwd, env: c.env, detached: true, stdio: ['ignore', c.keepStdout === true ? 'pipe' : 'ignore', 'pipe'] });
    ACTIVE.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    // Without /usr/bin/time: poll the child's high-water mark while it runs.
    let hwm = 0;
    const poll =
      rssFile === undefined
        ? setInterval(() => {
            try {
              const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
              if (m !== null) hwm = Math.max(hwm, Number(m[1]));
            } catch {
              // exited
            }
          }, 10)
        : undefined;
    child.on('error', (e) => {
      if (poll !== undefined) clearInterval(poll);
      reject(e);
    });
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      ACTIVE.delete(child);
      if (poll !== undefined) clearInterval(poll);
      let rssKB = hwm > 0 ? hwm : undefined;
      if (rssFile !== undefined) {
        try {
          // time writes "Command exited with non-zero status N" before the value on failure.
          const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
          const v = Number(lines[lines.length - 1]);
          if (Number.isFinite(v)) rssKB = v;
        } catch {
          // no value
        }
        fs.rmSync(rssFile, { force: true });
      }
      resolve({ code, stdout, stderr, seconds, rssKB });
    });
  });
}

/** Runs a command that must succeed (setup steps), untimed. */
async function must(c, what) {
  const r = await runTimed(c);
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const round = (x, d = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);
const load1 = () => round(os.loadavg()[0], 2);
const rmrf = (p) => fs.rmSync(p, { recursive: true, force: true });
const log = (s) => process.stderr.write(`${s}\n`);

function goVersion() {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function gobCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty === '' ? head : `${head}+dirty`;
  } catch {
    return 'unknown';
  }
}

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    mem_gib: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    go: goVersion(),
    node: process.version,
    gob_commit: gobCommit(),
    peak_rss_from: TIME_BIN === undefined ? '/proc/<pid>/status VmHWM (polled)' : `${TIME_BIN} -f %M`,
  };
}

/** Copies a tree without gob-out/ (a fresh checkout). */
function copyRepo(src, dst) {
  rmrf(dst);
  fs.cpSync(src, dst, { recursive: true, filter: (s) => path.basename(s) !== 'gob-out' });
}

/** The build.finished event of a gob --ui=json run. */
function finishedEvent(stdout) {
  let finished;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line);
      if (e.type === 'build.finished') finished = e;
    } catch {
      // not an event
    }
  }
  return finished;
}

// ---------------------------------------------------------------------------------------------
// The repository and its editable files

/** Makes (or reuses) the generated repo for these parameters. */
function prepareRepo(preset, seed, overrides) {
  const params = resolveParams(preset, overrides);
  const base = path.join(BENCH_DIR, 'out', repoName(preset, params, seed));
  const repo = path.join(base, 'repo');
  const want = stampIdentity({ generator: GENERATOR_VERSION, params, seed });
  const have = readStamp(repo);
  if (have !== undefined && stampIdentity(have) === want) {
    log(`reusing ${path.relative(ROOT, repo)}`);
  } else {
    log(`generating ${path.relative(ROOT, repo)} …`);
    generate({ preset, seed, overrides, out: repo });
  }
  const work = path.join(base, 'work');
  fs.mkdirSync(work, { recursive: true });
  restoreEdits(repo, work);
  return { base, repo, work, stamp: readStamp(repo) };
}

/** Files edited by B4/B5 are backed up in work/edit-backup and restored afterwards (or on the next start). */
function backupPath(work, rel) {
  return path.join(work, 'edit-backup', rel);
}

function restoreEdits(repo, work, why = 'from an earlier interrupted run') {
  const dir = path.join(work, 'edit-backup');
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const src = path.join(dir, String(f));
    if (!fs.statSync(src).isFile()) continue;
    fs.copyFileSync(src, path.join(repo, String(f)));
    log(`restored ${String(f)} ${why}`);
  }
  rmrf(dir);
}

/** Edits `const salt = N` in a file to a value never used before; the first call backs the file up. */
function editSalt(repo, work, rel) {
  const abs = path.join(repo, rel);
  const backup = backupPath(work, rel);
  if (!fs.existsSync(backup)) {
    fs.mkdirSync(path.dirname(backup), { recursive: true });
    fs.copyFileSync(abs, backup);
  }
  const text = fs.readFileSync(abs, 'utf8');
  const value = crypto.randomInt(100_000, 2 ** 47);
  const next = text.replace(/^const salt = \d+$/m, `const salt = ${value}`);
  if (next === text) throw new Error(`${rel}: no "const salt = N" line to edit`);
  fs.writeFileSync(abs, next);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/**
 * A side is one contender in a scenario: `gob`, `baseline`, or an extra one (`naive`,
 * `gob_target`, …). `prepare` runs untimed before each run, `cmd` is timed (or `run` for
 * several commands timed together), `check` validates the result and returns notes.
 *
 * @typedef {object} Side
 * @property {string} name
 * @property {(i: number) => void | Promise<void>} [prepare]
 * @property {(i: number) => Cmd} [cmd]
 * @property {(i: number) => Promise<Ran>} [run]
 * @property {(r: Ran, i: number) => string[] | void} [check]  returns anomalies
 * @property {(i: number) => void} [cleanup]
 */

/**
 * @typedef {object} Scenario
 * @property {string} id
 * @property {string} title
 * @property {() => Promise<void>} [setup]
 * @property {Side[]} sides
 * @property {() => void} [teardown]
 * @property {{key: string, gob: string, baseline: string, title: string}[]} report  rows: which sides to compare
 */

function makeContext(repoInfo) {
  const { repo, work, stamp } = repoInfo;
  const services = stamp.services;
  const n = services.length;
  // Keep the user's environment out of the measurement: gob ignores GOFLAGS & co, so must go.
  const dropped = new Set(['GOFLAGS', 'GOOS', 'GOARCH', 'GOEXPERIMENT', 'GOWORK', 'CGO_ENABLED', 'GOB_CACHE_DIR']);
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !dropped.has(k)));
  const dir = (name) => path.join(work, name);

  /** gob build in `cwd` with its own cache and GOCACHE. */
  // gob runs as in CI (no TUI, no gob server), as `node dist/main.js`, unless `server` says how a
  // developer's gob build runs outside CI, in the workspace's gob server (which lives in
  // work/server): 'native' is the installed `gob` (bin/gob: the native client), 'node' the Node
  // client (`node dist/main.js`).
  const serverDir = dir('server');
  const launcher = path.join(path.dirname(GOB_MAIN), '..', 'bin', 'gob');
  if (!fs.existsSync(path.join(path.dirname(GOB_MAIN), 'gob-client'))) {
    log('warning: this gob has no native client (go was not on PATH at npm run build): the served rows go through Node');
  }
  const gobCmd = (args, { cwd = repo, cache, gocache, server = false }) => ({
    cmd: server === 'native' ? launcher : process.execPath,
    args: [...(server === 'native' ? [] : [GOB_MAIN]), 'build', ...args, '--ui=json'],
    cwd,
    env: { ...baseEnv, GOB_CACHE_DIR: cache, GOCACHE: gocache, CI: 'true', GOB_SERVER: server === false ? '0' : '1', GOB_SERVER_DIR: serverDir },
    keepStdout: true,
  });
  /** Stops the scenario's gob server, logging its memory first (the served runs' RSS is the client's). */
  const stopServer = () => {
    const env = { ...baseEnv, GOB_SERVER_DIR: serverDir };
    const status = spawnSync(process.execPath, [GOB_MAIN, 'server', 'status'], { cwd: repo, env, encoding: 'utf8' });
    const memory = /memory\s+(\d+ MB)/.exec(status.stdout ?? '');
    if (memory !== null) log(`  gob server memory at the end: ${memory[1]}`);
    spawnSync(process.execPath, [GOB_MAIN, 'server', 'stop'], { cwd: repo, env, stdio: 'ignore' });
  };
  /** go with the environment and flags gob's go builds get. */
  const goEnv = (gocache) => ({ ...baseEnv, GOCACHE: gocache, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' });
  const goBuildAll = ({ cwd = repo, gocache, out }) => ({
    cmd: 'go',
    args: ['build', ...GO_FLAGS, '-o', `${out}${path.sep}`, './services/...'],
    cwd,
    env: goEnv(gocache),
  });
  const goBuildOne = ({ cwd = repo, gocache, out, svc }) => ({
    cmd: 'go',
    args: ['build', ...GO_FLAGS, '-o', path.join(out, svc.name), `./${svc.dir}`],
    cwd,
    env: goEnv(gocache),
  });

  /** Checks a gob run's exit and counts; returns anomalies (never throws for wrong counts). */
  const expectGob = (r, want) => {
    if (r.code !== 0) throw new Error(`gob exited ${r.code}:\n${r.stderr.slice(-4000)}\n${r.stdout.slice(-4000)}`);
    const f = finishedEvent(r.stdout);
    if (f === undefined) throw new Error(`gob printed no build.finished event:\n${r.stdout.slice(-2000)}`);
    if (!f.ok) throw new Error(`gob reported a failed build: ${JSON.stringify(f.counts)}`);
    const bad = [];
    for (const [k, v] of Object.entries(want)) {
      if (f.counts[k] !== v) bad.push(`expected ${k}=${v}, gob reported ${k}=${f.counts[k]} (${JSON.stringify(f.counts)})`);
    }
    r.counts = f.counts;
    return bad;
  };
  const expectOk = (what) => (r) => {
    if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stderr.slice(-4000)}`);
  };

  // The warm state shared by B1, B3, B4 and B5: a gob cache, gob's GOCACHE, the baseline's GOCACHE
  // and the baseline's output directory.
  const warm = { gobCache: dir('warm-gob-cache'), gobGocache: dir('warm-gob-gocache'), baseGocache: dir('warm-base-gocache'), baseOut: dir('warm-base-bin') };
  // The sides that run gob in its own process work in a copy of the repository (sharing the warm
  // caches): a build in its own process rewrites the plan snapshot, and the served sides would
  // then find a plan their server's file watcher cannot vouch for — as a developer who switched
  // between the two would, but not what either measures.
  const processRepo = dir('process-repo');
  let warmed = false;
  const ensureWarm = async () => {
    if (warmed) return;
    rmrf(processRepo);
    fs.cpSync(repo, processRepo, { recursive: true, filter: (src) => path.basename(src) !== 'gob-out' });
    log('  warming the shared caches (untimed) …');
    const r = await must(gobCmd(['//...'], { cache: warm.gobCache, gocache: warm.gobGocache }), 'warming gob');
    expectGob(r, {});
    await must(goBuildAll({ gocache: warm.baseGocache, out: warm.baseOut }), 'warming go build');
    warmed = true;
  };
  const resetWarm = () => {
    for (const d of [...Object.values(warm), processRepo]) rmrf(d);
    rmrf(path.join(repo, 'gob-out'));
    warmed = false;
  };

  const leaf = stamp.leafEdit;
  const leafSvc = services.find((s) => s.name === leaf.service);
  const shared = stamp.sharedEdit;

  /** @type {Record<string, Scenario>} */
  const scenarios = {
    B1: {
      id: 'B1',
      title: 'no-op build, everything up to date',
      setup: ensureWarm,
      sides: [
        { name: 'gob', cmd: () => gobCmd(['//...'], { cache: warm.gobCache, gocache: warm.gobGocache, server: 'native' }), check: (r) => expectGob(r, { built: 0, cached: n, failed: 0 }) },
        { name: 'gob_node', cmd: () => gobCmd(['//...'], { cache: warm.gobCache, gocache: warm.gobGocache, server: 'node' }), check: (r) => expectGob(r, { built: 0, cached: n, failed: 0 }) },
        { name: 'gob_process', cmd: () => gobCmd(['//...'], { cwd: processRepo, cache: warm.gobCache, gocache: warm.gobGocache }), check: (r) => expectGob(r, { built: 0, cached: n, failed: 0 }) },
        { name: 'baseline', cmd: () => goBuildAll({ gocache: warm.baseGocache, out: warm.baseOut }), check: expectOk('go build') },
      ],
      teardown: stopServer,
      report: [
        { key: 'B1', gob: 'gob', baseline: 'baseline', title: 'B1 no-op: gob build //... (gob server, native client) vs go build ./services/... (warm)' },
        { key: 'B1-node', gob: 'gob_node', baseline: 'baseline', title: 'B1 no-op: gob build //... (gob server, Node client) vs go build ./services/... (warm)' },
        { key: 'B1-process', gob: 'gob_process', baseline: 'baseline', title: 'B1 no-op: gob build //... --no-server vs go build ./services/... (warm)' },
      ],
    },
    B2: (() => {
      const c = { gobCache: dir('b2-gob-cache'), gocache: dir('b2-gocache'), out: dir('b2-bin') };
      return {
        id: 'B2',
        title: 'cold build: empty gob cache, empty GOCACHE',
        sides: [
          {
            name: 'gob',
            prepare: () => {
              rmrf(c.gobCache);
              rmrf(c.gocache);
              rmrf(path.join(repo, 'gob-out'));
            },
            cmd: () => gobCmd(['//...'], { cache: c.gobCache, gocache: c.gocache }),
            check: (r) => expectGob(r, { built: n, cached: 0, failed: 0 }),
          },
          {
            name: 'baseline',
            prepare: () => {
              rmrf(c.gocache);
              rmrf(c.out);
            },
            cmd: () => goBuildAll({ gocache: c.gocache, out: c.out }),
            check: expectOk('go build'),
          },
          {
            name: 'naive',
            prepare: () => {
              rmrf(c.gocache);
              rmrf(c.out);
            },
            // One go build per service, one after the other, sharing one (initially empty) GOCACHE.
            run: async () => {
              let seconds = 0;
              let rssKB = 0;
              for (const svc of services) {
                const r = await runTimed(goBuildOne({ gocache: c.gocache, out: c.out, svc }));
                if (r.code !== 0) throw new Error(`go build ./${svc.dir} exited ${r.code}:\n${r.stderr.slice(-4000)}`);
                seconds += r.seconds;
                rssKB = Math.max(rssKB, r.rssKB ?? 0);
              }
              return { code: 0, stdout: '', stderr: '', seconds, rssKB: rssKB || undefined };
            },
          },
        ],
        teardown: () => {
          rmrf(c.gobCache);
          rmrf(c.gocache);
          rmrf(c.out);
        },
        report: [
          { key: 'B2', gob: 'gob', baseline: 'baseline', title: 'B2 cold: gob vs go build ./services/... (empty GOCACHE)' },
          { key: 'B2-naive', gob: 'gob', baseline: 'naive', title: 'B2 cold: gob vs one go build per service, sequential' },
        ],
      };
    })(),
    B3: (() => {
      const copies = dir('b3-copies');
      const gocache = dir('b3-gocache');
      const copyFor = (side, i) => path.join(copies, `${side}-${i + 10}`);
      const prep = (side) => (i) => {
        rmrf(gocache);
        copyRepo(repo, copyFor(side, i));
      };
      const clean = (side) => (i) => {
        rmrf(copyFor(side, i));
        rmrf(gocache);
      };
      return {
        id: 'B3',
        title: 'CI restore: fresh checkout at a new path, empty GOCACHE, warm gob cache',
        setup: ensureWarm,
        sides: [
          {
            name: 'gob',
            prepare: prep('gob'),
            cmd: (i) => gobCmd(['//...'], { cwd: copyFor('gob', i), cache: warm.gobCache, gocache }),
            check: (r) => expectGob(r, { built: 0, cached: n, failed: 0 }),
            cleanup: clean('gob'),
          },
          {
            name: 'baseline',
            prepare: prep('go'),
            cmd: (i) => goBuildAll({ cwd: copyFor('go', i), gocache, out: path.join(copyFor('go', i), 'bin') }),
            check: expectOk('go build'),
            cleanup: clean('go'),
          },
        ],
        teardown: () => rmrf(copies),
        report: [{ key: 'B3', gob: 'gob', baseline: 'baseline', title: 'B3 CI restore: gob (warm gob cache) vs cold go build' }],
      };
    })(),
    B4: {
      id: 'B4',
      title: `leaf edit: ${leaf.file} changed`,
      setup: ensureWarm,
      sides: [
        {
          name: 'gob',
          prepare: () => editSalt(repo, work, leaf.file),
          cmd: () => gobCmd(['//...'], { cache: warm.gobCache, gocache: warm.gobGocache, server: 'native' }),
          check: (r) => expectGob(r, { built: 1, cached: n - 1, failed: 0 }),
        },
        {
          name: 'gob_node',
          prepare: () => editSalt(repo, work, leaf.file),
          cmd: () => gobCmd(['//...'], { cache: warm.gobCache, gocache: warm.gobGocache, server: 'node' }),
          check: (r) => expectGob(r, { built: 1, cached: n - 1, failed: 0 }),
        },
        {
          name: 'gob_process',
          prepare: () => editSalt(processRepo, work, leaf.file),
          cmd: () => gobCmd(['//...'], { cwd: processRepo, cache: warm.gobCache, gocache: warm.gobGocache }),
          check: (r) => expectGob(r, { built: 1, cached: n - 1, failed: 0 }),
        },
        {
          name: 'baseline',
          prepare: () => editSalt(repo, work, leaf.file),
          cmd: () => goBuildOne({ gocache: warm.baseGocache, out: warm.baseOut, svc: leafSvc }),
          check: expectOk('go build'),
        },
        {
          name: 'gob_target',
          prepare: () => editSalt(repo, work, leaf.file),
          cmd: () => gobCmd([leafSvc.label], { cache: warm.gobCache, gocache: warm.gobGocache, server: 'native' }),
          check: (r) => expectGob(r, { built: 1, cached: 0, failed: 0 }),
        },
        {
          name: 'gob_target_node',
          prepare: () => editSalt(repo, work, leaf.file),
          cmd: () => gobCmd([leafSvc.label], { cache: warm.gobCache, gocache: warm.gobGocache, server: 'node' }),
          check: (r) => expectGob(r, { built: 1, cached: 0, failed: 0 }),
        },
        {
          name: 'gob_target_process',
          prepare: () => editSalt(processRepo, work, leaf.file),
          cmd: () => gobCmd([leafSvc.label], { cwd: processRepo, cache: warm.gobCache, gocache: warm.gobGocache }),
          check: (r) => expectGob(r, { built: 1, cached: 0, failed: 0 }),
        },
      ],
      teardown: () => {
        stopServer();
        restoreEdits(repo, work, '(end of scenario)');
      },
      report: [
        { key: 'B4', gob: 'gob', baseline: 'baseline', title: `B4 leaf edit: gob build //... (gob server, native client) vs go build ./${leafSvc.dir} (warm)` },
        { key: 'B4-target', gob: 'gob_target', baseline: 'baseline', title: `B4 leaf edit: gob build ${leafSvc.label} (gob server, native client) vs go build ./${leafSvc.dir}` },
        { key: 'B4-node', gob: 'gob_node', baseline: 'baseline', title: `B4 leaf edit: gob build //... (gob server, Node client) vs go build ./${leafSvc.dir}` },
        { key: 'B4-target-node', gob: 'gob_target_node', baseline: 'baseline', title: `B4 leaf edit: gob build ${leafSvc.label} (gob server, Node client) vs go build ./${leafSvc.dir}` },
        { key: 'B4-process', gob: 'gob_process', baseline: 'baseline', title: `B4 leaf edit: gob build //... --no-server vs go build ./${leafSvc.dir}` },
        { key: 'B4-target-process', gob: 'gob_target_process', baseline: 'baseline', title: `B4 leaf edit: gob build ${leafSvc.label} --no-server vs go build ./${leafSvc.dir}` },
      ],
    },
    B5: {
      id: 'B5',
      title: `shared-lib edit: ${shared.file} changed (every service imports ${shared.lib})`,
      setup: ensureWarm,
      sides: [
        {
          name: 'gob',
          prepare: () => editSalt(repo, work, shared.file),
          cmd: () => gobCmd(['//...'], { cache: warm.gobCache, gocache: warm.gobGocache }),
          check: (r) => expectGob(r, { built: n, cached: 0, failed: 0 }),
        },
        {
          name: 'baseline',
          prepare: () => editSalt(repo, work, shared.file),
          cmd: () => goBuildAll({ gocache: warm.baseGocache, out: warm.baseOut }),
          check: expectOk('go build'),
        },
      ],
      teardown: () => restoreEdits(repo, work, '(end of scenario)'),
      report: [{ key: 'B5', gob: 'gob', baseline: 'baseline', title: 'B5 shared-lib edit: gob build //... vs go build ./services/... (warm)' }],
    },
    B6: (() => {
      const gobCache = dir('b6-gob-cache');
      const gocache = dir('b6-gocache');
      const dry = () => gobCmd(['//...', '--dry-run'], { cache: gobCache, gocache });
      const checkDry = (r) => expectGob(r, { built: 0, wouldBuild: n, failed: 0 });
      return {
        id: 'B6',
        title: 'planning: gob build //... --dry-run vs go list -deps -json ./...',
        setup: async () => {
          rmrf(gobCache);
          rmrf(gocache);
        },
        sides: [
          // Cold: gob remembers nothing of this checkout — no stat cache, no plan snapshot.
          { name: 'gob_cold', prepare: () => { rmrf(path.join(gobCache, 'stat')); rmrf(path.join(repo, 'gob-out', '.gob')); }, cmd: dry, check: checkDry },
          { name: 'gob_warm', cmd: dry, check: checkDry },
          { name: 'gob_warm_server', cmd: () => gobCmd(['//...', '--dry-run'], { cache: gobCache, gocache, server: 'native' }), check: checkDry },
          // Warm stat cache but no plan snapshot: what planning again costs (after a BUILD.yaml or import edit).
          { name: 'gob_replan', prepare: () => rmrf(path.join(repo, 'gob-out', '.gob')), cmd: dry, check: checkDry },
          {
            name: 'baseline',
            cmd: () => ({ cmd: 'go', args: ['list', '-deps', '-json', './...'], cwd: repo, env: goEnv(gocache) }),
            check: expectOk('go list'),
          },
        ],
        teardown: () => {
          stopServer();
          rmrf(gobCache);
          rmrf(gocache);
        },
        report: [
          { key: 'B6-cold', gob: 'gob_cold', baseline: 'baseline', title: 'B6 planning, cold stat cache: gob --dry-run vs go list -deps -json' },
          { key: 'B6-warm', gob: 'gob_warm', baseline: 'baseline', title: 'B6 planning, warm stat cache: gob --dry-run vs go list -deps -json' },
          { key: 'B6-warm-server', gob: 'gob_warm_server', baseline: 'baseline', title: 'B6 planning, warm, in the gob server (native client): gob --dry-run vs go list -deps -json' },
          { key: 'B6-replan', gob: 'gob_replan', baseline: 'baseline', title: 'B6 planning again, warm stat cache, no plan snapshot: gob --dry-run vs go list -deps -json' },
        ],
      };
    })(),
  };
  return { scenarios, resetWarm };
}

/** Runs one scenario: warm-up rounds, then `runs` counted rounds, rotating the order of sides. */
async function runScenario(sc, { runs, warmup }) {
  log(`\n${sc.id}: ${sc.title}`);
  if (sc.setup !== undefined) await sc.setup();
  /** @type {Record<string, {seconds: number, rssKB?: number, load1: number, counts?: object, anomalies?: string[]}[]>} */
  const results = Object.fromEntries(sc.sides.map((s) => [s.name, []]));
  const anomalies = [];
  const loadStart = load1();
  try {
    for (let i = -warmup; i < runs; i++) {
      const counted = i >= 0;
      // Alternate: each round starts with the next side, so no side always runs right after another's cleanup.
      const k = ((i % sc.sides.length) + sc.sides.length) % sc.sides.length;
      const order = [...sc.sides.slice(k), ...sc.sides.slice(0, k)];
      for (const side of order) {
        const idx = i + warmup;
        if (side.prepare !== undefined) await side.prepare(idx);
        const load = load1();
        const r = side.run !== undefined ? await side.run(idx) : await runTimed(side.cmd(idx));
        const bad = side.check?.(r, idx) ?? [];
        if (side.cleanup !== undefined) side.cleanup(idx);
        const rec = { seconds: round(r.seconds), load1: load };
        if (r.rssKB !== undefined) rec.rss_mb = round(r.rssKB / 1024, 1);
        if (r.counts !== undefined) rec.counts = r.counts;
        if (bad.length > 0) {
          rec.anomalies = bad;
          anomalies.push(...bad.map((b) => `${side.name} run ${counted ? i + 1 : 'warm-up'}: ${b}`));
        }
        if (counted) results[side.name].push(rec);
        log(
          `  ${counted ? `run ${i + 1}/${runs}` : 'warm-up'} ${side.name.padEnd(10)} ${r.seconds.toFixed(3).padStart(8)} s` +
            `${r.rssKB !== undefined ? `  ${(r.rssKB / 1024).toFixed(0).padStart(5)} MB` : ''}  load ${load}${bad.length > 0 ? `  !! ${bad.join('; ')}` : ''}`,
        );
      }
    }
  } finally {
    sc.teardown?.();
  }
  const loadEnd = load1();
  const out = {};
  for (const row of sc.report) {
    const g = results[row.gob];
    const b = results[row.baseline];
    const gm = median(g.map((x) => x.seconds));
    const bm = median(b.map((x) => x.seconds));
    const entry = {
      title: row.title,
      gob_median_s: round(gm),
      baseline_median_s: round(bm),
      ratio: round(gm / bm, 2),
      gob_min_s: round(Math.min(...g.map((x) => x.seconds))),
      gob_max_s: round(Math.max(...g.map((x) => x.seconds))),
      baseline_min_s: round(Math.min(...b.map((x) => x.seconds))),
      baseline_max_s: round(Math.max(...b.map((x) => x.seconds))),
      runs: g.map((x, j) => ({ gob: x, baseline: b[j] })),
      load1_start: loadStart,
      load1_end: loadEnd,
    };
    const gr = g.map((x) => x.rss_mb).filter((x) => x !== undefined);
    const br = b.map((x) => x.rss_mb).filter((x) => x !== undefined);
    if (gr.length > 0) entry.gob_peak_rss_mb_median = round(median(gr), 1);
    if (br.length > 0) entry.baseline_peak_rss_mb_median = round(median(br), 1);
    if (anomalies.length > 0) entry.anomalies = anomalies;
    out[row.key] = entry;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (e) {
    log(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const known = new Set(['preset', 'seed', 'runs', 'warmup', 'scenarios', 'json', 'live', 'gob-snapshot', ...Object.keys(PARAM_FLAGS)]);
  for (const k of flags.keys()) {
    if (!known.has(k)) {
      log(`unknown flag --${k}\n${USAGE}`);
      process.exit(2);
    }
  }
  const preset = flags.get('preset') ?? 'S';
  const seed = Number(flags.get('seed') ?? '1');
  const runs = Number(flags.get('runs') ?? '5');
  const warmup = Number(flags.get('warmup') ?? '1');
  const wanted = (flags.get('scenarios') ?? ALL_SCENARIOS.join(',')).split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  for (const s of wanted) {
    if (!ALL_SCENARIOS.includes(s)) {
      log(`unknown scenario ${s}; known: ${ALL_SCENARIOS.join(', ')}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0 || !Number.isInteger(seed)) {
    log(`--runs must be ≥ 1, --warmup ≥ 0, --seed a whole number\n${USAGE}`);
    process.exit(2);
  }
  if (runs < 5) log(`note: --runs ${runs} is below the 5 counted runs the method asks for; treat medians as rough`);
  if (!fs.existsSync(LIVE_GOB_MAIN)) {
    log(`${LIVE_GOB_MAIN} does not exist: run npm run build first (npm run bench does)`);
    process.exit(2);
  }
  let gobBuild;
  if (flags.has('gob-snapshot')) {
    // Reuse an earlier frozen copy, so runs on different presets measure the same gob.
    const fp = flags.get('gob-snapshot');
    const dir = path.join(BENCH_DIR, 'out', 'gob-snapshot', fp);
    if (!fs.existsSync(path.join(dir, '.complete'))) {
      log(`no complete snapshot ${dir}`);
      process.exit(2);
    }
    GOB_MAIN = path.join(dir, 'packages/cli/dist/main.js');
    gobBuild = { fingerprint: fp, snapshot: true, commit: snapshotCommit(dir) };
  } else if (flags.has('live')) {
    gobBuild = { fingerprint: distFingerprint(ROOT), snapshot: false, commit: gobCommit() };
  } else {
    const snap = snapshotGob(ROOT, path.join(BENCH_DIR, 'out'), gobCommit());
    GOB_MAIN = snap.main;
    gobBuild = { fingerprint: snap.fingerprint, snapshot: true, commit: snap.commit };
  }
  log(`gob under test: ${path.relative(ROOT, GOB_MAIN)} (dist fingerprint ${gobBuild.fingerprint})`);
  const jsonFile = flags.get('json');

  const repoInfo = prepareRepo(preset, seed, overridesFrom(flags));
  const { stamp } = repoInfo;
  log(
    `repo: ${stamp.services.length} services, ${stamp.stats.packages} packages, ${stamp.stats.goFiles} .go files, ` +
      `${stamp.stats.goLines} lines; runs ${runs} (+${warmup} warm-up) per side; peak RSS via ${TIME_BIN ?? '/proc polling'}`,
  );
  const { scenarios, resetWarm } = makeContext(repoInfo);
  // Start each invocation from known state: the shared warm caches are rebuilt by the first scenario needing them.
  resetWarm();

  const machine = { ...machineInfo(), gob_dist: gobBuild.fingerprint, gob_dist_frozen: gobBuild.snapshot, gob_dist_commit: gobBuild.commit, load1_start: load1(), loadavg_start: os.loadavg().map((x) => round(x, 2)), date: new Date().toISOString() };
  const results = {};
  const onSignal = () => {
    stopChildren();
    restoreEdits(repoInfo.repo, repoInfo.work);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const id of ALL_SCENARIOS.filter((s) => wanted.includes(s))) {
      Object.assign(results, await runScenario(scenarios[id], { runs, warmup }));
    }
  } finally {
    restoreEdits(repoInfo.repo, repoInfo.work);
  }
  machine.load1_end = load1();
  machine.loadavg_end = os.loadavg().map((x) => round(x, 2));
  machine.finished = new Date().toISOString();

  const doc = {
    ...results,
    machine,
    bench: {
      preset,
      seed,
      params: stamp.params,
      repo_stats: stamp.stats,
      services: stamp.services.length,
      runs_per_side: runs,
      warmup_rounds: warmup,
      go_flags: GO_FLAGS,
      leaf_edit: stamp.leafEdit.file,
      shared_edit: stamp.sharedEdit.file,
    },
  };
  process.stdout.write(
    `\ngob benchmarks — preset ${preset} (seed ${seed}: ${stamp.services.length} services, ${stamp.stats.packages} packages, ${stamp.stats.goFiles} files), ` +
      `${runs} runs per side, medians\n${machine.date} · ${machine.cpu_model} · ${machine.cores} cores · ${machine.go} · node ${machine.node} · ` +
      `load avg start ${machine.loadavg_start.join(' ')}, end ${machine.loadavg_end.join(' ')}\n\n${table(results)}\n`,
  );
  for (const [k, e] of Object.entries(results)) if (e.anomalies !== undefined) process.stdout.write(`\n${k} anomalies:\n  ${[...new Set(e.anomalies)].join('\n  ')}\n`);
  if (jsonFile !== undefined) {
    fs.mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
    fs.writeFileSync(jsonFile, JSON.stringify(doc, null, 2) + '\n');
    log(`wrote ${jsonFile}`);
  }
}

main().catch((e) => {
  log(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
