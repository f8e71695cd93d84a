import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { StampedEvent } from '@gob/core';
import { writeTree } from '../../core/src/golang/testing/generate-layouts.js';
import { EXAMPLE, buildFinished, finishedBy, gob, tempCopy, tempDir } from './harness.js';

const execFileAsync = promisify(execFile);
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function exampleCopy(): Promise<{ ws: string; cache: string }> {
  const ws = await tempCopy(EXAMPLE);
  const cache = await tempDir('gob-cache-');
  dirs.push(ws, cache);
  return { ws, cache };
}

/** action.started events grouped by the go process (batch) that built them. */
function batches(events: readonly StampedEvent[]): Map<string, { labels: string[]; command: readonly string[]; size: number }> {
  const out = new Map<string, { labels: string[]; command: readonly string[]; size: number }>();
  for (const e of events) {
    if (e.type !== 'action.started') continue;
    const b = out.get(e.batch) ?? { labels: [], command: e.command, size: e.batchSize };
    b.labels.push(e.label);
    out.set(e.batch, b);
  }
  return out;
}

async function readOutputs(ws: string, outputs: readonly string[]): Promise<Map<string, Buffer>> {
  return new Map(await Promise.all(outputs.map(async (o) => [o, await fs.readFile(path.join(ws, o))] as const)));
}

/** Which example binaries import `pkg`, directly or not, according to go list (the oracle). */
async function importersOf(ws: string, labels: readonly string[], pkg: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const label of labels) {
    const dir = label.slice(2, label.indexOf(':'));
    const { stdout } = await execFileAsync('go', ['list', '-deps', `./${dir}`], { cwd: ws });
    if (stdout.split('\n').includes(pkg)) out.add(label);
  }
  return out;
}

describe('batched go builds', () => {
  it('builds every cache-miss target with one go process, byte-identical to one go build per target', async () => {
    const a = await exampleCopy();
    const batched = await gob(['build', '//...', '--ui=json'], { cwd: a.ws, cacheDir: a.cache });
    expect(batched.code, batched.stderr).toBe(0);
    const finished = buildFinished(batched.events);
    expect(finished.counts.built).toBe(7);
    const procs = batches(batched.events);
    expect(procs.size).toBe(1);
    const only = [...procs.values()][0];
    expect(only?.size).toBe(7);
    expect(only?.labels).toHaveLength(7);
    for (const pkg of ['./services/payment', './services/orders', './tools/acmectl']) expect(only?.command).toContain(pkg);
    // Each output is its cache blob, executable, and nothing is left in the cache's staging
    // directory (where go wrote the binaries).
    for (const o of finished.outputs) {
      const bytes = await fs.readFile(path.join(a.ws, o));
      const digest = createHash('sha256').update(bytes).digest('hex');
      expect((await fs.readFile(path.join(a.cache, 'cas', digest.slice(0, 2), digest))).equals(bytes), o).toBe(true);
      expect((await fs.stat(path.join(a.ws, o))).mode & 0o777, o).toBe(0o755);
    }
    expect(await fs.readdir(path.join(a.cache, 'tmp'))).toEqual([]);

    const b = await exampleCopy();
    const single = await gob(['build', '//...', '--no-batch', '--ui=json'], { cwd: b.ws, cacheDir: b.cache });
    expect(single.code, single.stderr).toBe(0);
    expect(batches(single.events).size).toBe(7);
    expect(buildFinished(single.events).outputs).toEqual(finished.outputs);
    const [x, y] = await Promise.all([readOutputs(a.ws, finished.outputs), readOutputs(b.ws, finished.outputs)]);
    for (const o of finished.outputs) expect(x.get(o)?.equals(y.get(o) ?? Buffer.alloc(0)), o).toBe(true);
  });

  it('gives the same binaries with trimpath off (debug profile), where paths are embedded', async () => {
    const { ws, cache } = await exampleCopy();
    const batched = await gob(['build', '//services/...', '-c', 'debug', '--ui=json'], { cwd: ws, cacheDir: cache });
    expect(batched.code, batched.stderr).toBe(0);
    expect(batches(batched.events).size).toBe(1);
    const outputs = buildFinished(batched.events).outputs;
    const first = await readOutputs(ws, outputs);
    await fs.rm(path.join(ws, 'gob-out'), { recursive: true });
    const other = await tempDir('gob-cache-');
    dirs.push(other);
    const single = await gob(['build', '//services/...', '-c', 'debug', '--no-batch', '--ui=json'], { cwd: ws, cacheDir: other });
    expect(single.code, single.stderr).toBe(0);
    expect(buildFinished(single.events).counts.built).toBe(outputs.length);
    const second = await readOutputs(ws, outputs);
    for (const o of outputs) expect(first.get(o)?.equals(second.get(o) ?? Buffer.alloc(0)), o).toBe(true);
  });

  it('a compile error fails exactly the targets that import the broken package, with its error; the rest are built', async () => {
    const { ws, cache } = await exampleCopy();
    await fs.appendFile(path.join(ws, 'libs/money/money.go'), '\nfunc broken() int { return "nope" }\n');
    const r = await gob(['build', '//...', '--ui=json'], { cwd: ws, cacheDir: cache });
    expect(r.code).toBe(1);
    const status = finishedBy(r.events);
    const broken = await importersOf(ws, [...status.keys()], 'example.com/acme/libs/money');
    expect(broken.size).toBeGreaterThan(0);
    expect(broken.size).toBeLessThan(status.size);
    for (const [label, s] of status) expect(s, label).toBe(broken.has(label) ? 'failed' : 'built');
    // One go process built them all, and each failed action carries the compiler's error.
    expect(batches(r.events).size).toBe(1);
    const output = new Map<string, string>();
    for (const e of r.events) if (e.type === 'action.output') output.set(e.label, (output.get(e.label) ?? '') + e.text);
    for (const label of status.keys()) {
      if (broken.has(label)) expect(output.get(label)).toMatch(/^libs\/money\/money\.go:\d+:\d+: cannot use "nope"/m);
      else expect(output.get(label)).toBeUndefined();
    }
  });

  it('puts packages whose binaries would have the same name into separate go processes', async () => {
    const root = await tempDir('gob-batch-');
    const cache = await tempDir('gob-cache-');
    dirs.push(root, cache);
    const main = (word: string) => `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("${word}") }\n`;
    const target = (out: string) => `targets:\n  server:\n    kind: go_binary\n    out: ${out}\n`;
    await writeTree(root, {
      'gob.yaml': 'version: 1\n',
      'go.mod': 'module example.com/names\n\ngo 1.26\n',
      'billing/cmd/server/main.go': main('billing'),
      'billing/cmd/server/BUILD.yaml': target('billing-server'),
      'search/cmd/server/main.go': main('search'),
      'search/cmd/server/BUILD.yaml': target('search-server'),
      'tools/lint/main.go': main('lint'),
      'tools/lint/BUILD.yaml': 'targets:\n  lint:\n    kind: go_binary\n',
    });
    const r = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(r.code, r.stderr).toBe(0);
    expect([...batches(r.events).values()].map((b) => b.labels.sort())).toEqual([
      ['//billing/cmd/server:server', '//tools/lint:lint'],
      ['//search/cmd/server:server'],
    ]);
    for (const [bin, word] of [
      ['gob-out/bin/billing/cmd/server/billing-server', 'billing'],
      ['gob-out/bin/search/cmd/server/search-server', 'search'],
      ['gob-out/bin/tools/lint/lint', 'lint'],
    ] as const) {
      expect((await execFileAsync(path.join(root, bin))).stdout).toBe(`${word}\n`);
    }
  });

  it('when go gives up on a whole batch, fails the targets that compile the files it names and builds the others together', async () => {
    const { ws, cache } = await exampleCopy();
    const planned = await gob(['build', '//...', '--dry-run', '--ui=json'], { cwd: ws, cacheDir: cache });
    const labels = [...finishedBy(planned.events).keys()];
    const broken = await importersOf(ws, labels, 'example.com/acme/libs/ids');
    expect(broken.size).toBeGreaterThan(0);
    expect(broken.size).toBeLessThan(labels.length);
    // A module go cannot fetch (GOPROXY=off): go fails while loading, before it builds anything.
    const mod = path.join(ws, 'libs/go.mod');
    await fs.writeFile(mod, (await fs.readFile(mod, 'utf8')).replace(/^require .*$/m, (l) => `${l}\nrequire example.invalid/nope v1.0.0`));
    const ids = path.join(ws, 'libs/ids/ids.go');
    await fs.writeFile(ids, (await fs.readFile(ids, 'utf8')).replace('"github.com/google/uuid"', '"github.com/google/uuid"\n\t_ "example.invalid/nope"'));

    const r = await gob(['build', '//...', '-k', '--ui=json'], { cwd: ws, cacheDir: cache, env: { GOPROXY: 'off' } });
    expect(r.code).toBe(1);
    const status = finishedBy(r.events);
    for (const label of labels) expect(status.get(label), label).toBe(broken.has(label) ? 'failed' : 'built');
    // The first go process had all of them. go's message names libs/ids/ids.go: the targets
    // that compile it failed with it, and a second go process built all the others.
    const procs = [...batches(r.events).values()];
    expect(procs[0]?.size).toBe(labels.length);
    expect(procs.slice(1).map((b) => [...b.labels].sort())).toEqual([labels.filter((l) => !broken.has(l)).sort()]);
    const output = new Map<string, string>();
    for (const e of r.events) if (e.type === 'action.output') output.set(e.label, (output.get(e.label) ?? '') + e.text);
    for (const label of labels) {
      if (broken.has(label)) expect(output.get(label)).toContain('example.invalid/nope');
      else expect(output.get(label) ?? '').not.toContain('example.invalid/nope');
    }
  });

  it('builds explicit deps first, skips what depends on a failed target, and keys include the deps, down a chain', async () => {
    const root = await tempDir('gob-deps-');
    const cache = await tempDir('gob-cache-');
    dirs.push(root, cache);
    const main = (word: string) => `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("${word}") }\n`;
    await writeTree(root, {
      'gob.yaml': 'version: 1\n',
      'go.mod': 'module example.com/deps\n\ngo 1.26\n',
      'gen/main.go': main('gen'),
      'gen/BUILD.yaml': 'targets:\n  gen:\n    kind: go_binary\n',
      'app/main.go': main('app'),
      'app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n    deps: ["//gen"]\n',
      'other/main.go': main('other'),
      'other/BUILD.yaml': 'targets:\n  other:\n    kind: go_binary\n',
      'top/main.go': main('top'),
      'top/BUILD.yaml': 'targets:\n  top:\n    kind: go_binary\n    deps: ["//app"]\n',
    });
    const first = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(first.code, first.stderr).toBe(0);
    // gen (and other, which nothing orders) go first; app waits for gen's batch, top for app's.
    const order = [...batches(first.events).values()].map((b) => b.labels.sort());
    expect(order).toEqual([['//gen:gen', '//other:other'], ['//app:app'], ['//top:top']]);

    // A change in gen alone changes app's key, and so top's: all three are built again, other
    // is cached. The plan is reused, and it gives the keys a new plan gives.
    await fs.writeFile(path.join(root, 'gen/main.go'), main('gen 2'));
    const again = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(again.code, again.stderr).toBe(0);
    expect(again.events.some((e) => e.type === 'log' && e.message === 'plan reused')).toBe(true);
    expect(Object.fromEntries(finishedBy(again.events))).toEqual({ '//gen:gen': 'built', '//app:app': 'built', '//top:top': 'built', '//other:other': 'cached' });
    const keys = (events: readonly StampedEvent[]) => Object.fromEntries(events.flatMap((e) => (e.type === 'action.finished' ? [[e.label, e.key]] : [])));
    const fresh = await gob(['build', '//...', '--no-cache', '--dry-run', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(keys(fresh.events)).toEqual(keys(again.events));

    // gen broken: what depends on it is skipped, other still stands (-k).
    await fs.writeFile(path.join(root, 'gen/main.go'), 'package main\n\nfunc main() { undefined() }\n');
    const broken = await gob(['build', '//...', '-k', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(broken.code).toBe(1);
    expect(Object.fromEntries(finishedBy(broken.events))).toEqual({ '//gen:gen': 'failed', '//app:app': 'skipped', '//top:top': 'skipped', '//other:other': 'cached' });
    const skipped = broken.events.find((e) => e.type === 'action.finished' && e.label === '//app:app');
    expect(skipped?.type === 'action.finished' ? skipped.error : undefined).toBe('a dependency failed');
  });

  it('with -k, a target whose packages do not load fails with its errors and the others build; without, nothing builds (exit 2)', async () => {
    const root = await tempDir('gob-k-');
    const cache = await tempDir('gob-cache-');
    dirs.push(root, cache);
    const main = (imports: string) => `package main\n\nimport ${imports}\n\nfunc main() {}\n`;
    await writeTree(root, {
      'gob.yaml': 'version: 1\n',
      'go.mod': 'module example.com/k\n\ngo 1.26\n',
      'lib/lib.go': 'package lib\n',
      // Two broken targets among working ones: a package that does not exist, and a module
      // that go.mod does not require.
      'a/main.go': main('_ "example.com/k/missing"'),
      'a/BUILD.yaml': 'targets:\n  a:\n    kind: go_binary\n',
      'b/main.go': main('_ "example.com/k/lib"'),
      'b/BUILD.yaml': 'targets:\n  b:\n    kind: go_binary\n',
      'c/main.go': main('_ "example.com/k/lib"'),
      'c/BUILD.yaml': 'targets:\n  c:\n    kind: go_binary\n    deps: ["//a"]\n',
      'd/main.go': main('_ "example.invalid/x"'),
      'd/BUILD.yaml': 'targets:\n  d:\n    kind: go_binary\n',
      'e/main.go': main('_ "example.com/k/lib"'),
      'e/BUILD.yaml': 'targets:\n  e:\n    kind: go_binary\n',
      // Two targets that import one broken package: its error is told once.
      'broken/broken.go': 'package broken\n\nimport _ "example.com/k/gone"\n',
      'f/main.go': main('_ "example.com/k/broken"'),
      'f/BUILD.yaml': 'targets:\n  f:\n    kind: go_binary\n',
      'g/main.go': main('_ "example.com/k/broken"'),
      'g/BUILD.yaml': 'targets:\n  g:\n    kind: go_binary\n',
    });
    const stopped = await gob(['build', '//...'], { cwd: root, cacheDir: cache });
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain('a/main.go:3:10');
    await expect(fs.stat(path.join(root, 'gob-out/bin/b/b'))).rejects.toThrow();

    const kept = await gob(['build', '//...', '-k', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(kept.code).toBe(1);
    expect(Object.fromEntries(finishedBy(kept.events))).toEqual({ '//a:a': 'failed', '//b:b': 'built', '//c:c': 'skipped', '//d:d': 'failed', '//e:e': 'built', '//f:f': 'failed', '//g:g': 'failed' });
    // Each failure comes with its own errors, where go would put them.
    const errors = kept.events.flatMap((e) => (e.type === 'diagnostic' ? [`${e.diagnostic.location?.file ?? ''}:${e.diagnostic.code}`] : []));
    expect(errors.sort()).toEqual(['a/main.go:import-not-found', 'broken/broken.go:import-not-found', 'd/main.go:no-required-module']);
    const reason = (label: string) => kept.events.flatMap((e) => (e.type === 'action.finished' && e.label === label ? [e.error] : []));
    expect(reason('//a:a')).toEqual(['package example.com/k/a imports example.com/k/missing: no directory missing for package example.com/k/missing in module example.com/k']);
    expect(reason('//c:c')).toEqual(['a dependency failed']);
    // Plain output: go's errors at file:line:col, and the summary counts the failures.
    const plain = await gob(['build', '//...', '-k'], { cwd: root, cacheDir: cache });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('a/main.go:3:10: error: package example.com/k/a imports example.com/k/missing');
    expect(plain.stdout).toMatch(/0 built, 2 cached, 4 failed/);
  });

  it('builds each platform with its own go process, into its own directory', async () => {
    const root = await tempDir('gob-plat-');
    const cache = await tempDir('gob-cache-');
    dirs.push(root, cache);
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { CGO_ENABLED: "0" }\n',
      'go.mod': 'module example.com/plat\n\ngo 1.26\n',
      'hello/main.go': 'package main\n\nfunc main() { println("hello") }\n',
      'hello/BUILD.yaml': 'targets:\n  hello:\n    kind: go_binary\n',
      'bye/main.go': 'package main\n\nfunc main() { println("bye") }\n',
      'bye/BUILD.yaml': 'targets:\n  bye:\n    kind: go_binary\n',
    });
    // The host and one other linux platform: the host's binaries in bin/, the other's beside.
    const [hostOs, hostArch] = (await execFileAsync('go', ['env', 'GOHOSTOS', 'GOHOSTARCH'])).stdout.trim().split('\n');
    if (hostOs !== 'linux') return; // cross-compiling to linux from elsewhere is not what this checks
    const foreign = hostArch === 'arm64' ? 'amd64' : 'arm64';
    const r = await gob(['build', '//...', '--platform', `linux/${hostArch ?? ''},linux/${foreign}`, '--ui=json'], { cwd: root, cacheDir: cache });
    expect(r.code, r.stderr).toBe(0);
    expect([...batches(r.events).values()].map((p) => p.size)).toEqual([2, 2]);
    const other = `gob-out/linux_${foreign}`;
    expect([...buildFinished(r.events).outputs].sort()).toEqual(['gob-out/bin/bye/bye', 'gob-out/bin/hello/hello', `${other}/bye/bye`, `${other}/hello/hello`].sort());
    // ELF e_machine: 0x3e x86-64, 0xb7 AArch64.
    const machine: Record<string, number> = { amd64: 0x3e, arm64: 0xb7 };
    expect((await fs.readFile(path.join(root, other, 'hello/hello'))).readUInt16LE(18)).toBe(machine[foreign]);
    expect((await fs.readFile(path.join(root, 'gob-out/bin/hello/hello'))).readUInt16LE(18)).toBe(machine[hostArch ?? '']);
  });
});
