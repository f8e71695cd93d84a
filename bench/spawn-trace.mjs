// Preloaded into gob by bench/profile.mjs (`node --import ./bench/spawn-trace.mjs …`): records
// when each child process (go env, go list, go build) starts and ends, so the profile can say how
// much of gob's wall time is spent waiting for go. Writes JSON to $GOB_BENCH_SPAWN_TRACE at exit.
import childProcess from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const out = process.env.GOB_BENCH_SPAWN_TRACE;
if (out !== undefined && out !== '') {
  const preloadAt = performance.now();
  /** @type {{cmd: string, args: string[], start: number, end?: number}[]} */
  const spawns = [];
  const original = childProcess.spawn;
  childProcess.spawn = function tracedSpawn(...a) {
    const rec = { cmd: String(a[0]), args: Array.isArray(a[1]) ? a[1].map(String) : [], start: performance.now() };
    spawns.push(rec);
    const child = original.apply(this, a);
    child.once('close', () => {
      rec.end = performance.now();
    });
    return child;
  };
  // ESM `import { spawn } from 'node:child_process'` binds to the builtin's ESM view: refresh it.
  syncBuiltinESMExports();
  process.once('exit', () => {
    // CommonJS files loaded (ESM files are not listed anywhere public), grouped by package.
    /** @type {Record<string, {files: number, bytes: number}>} */
    const cjs = {};
    for (const f of Object.keys(createRequire(import.meta.url).cache)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f);
      const k = m === null ? f : m[1];
      const e = (cjs[k] ??= { files: 0, bytes: 0 });
      e.files++;
      try {
        e.bytes += fs.statSync(f).size;
      } catch {
        // gone
      }
    }
    // cpu: gob's own process (µs of user and system time), without its children.
    fs.writeFileSync(out, JSON.stringify({ timeOrigin: performance.timeOrigin, preloadAt, exitAt: performance.now(), cpu: process.cpuUsage(), spawns, cjs }));
  });
}
