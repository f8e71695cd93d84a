import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE, buildFinished, finishedBy, gob, goBuildsRun, tempCopy, tempDir } from './harness.js';

const execFileAsync = promisify(execFile);

/** The example's binary targets, from its BUILD.yaml files (label → binary path in gob-out). */
async function exampleBinaries(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const top of ['services', 'tools']) {
    for (const name of await fs.readdir(path.join(root, top))) {
      const build = path.join(root, top, name, 'BUILD.yaml');
      const text = await fs.readFile(build, 'utf8').catch(() => undefined);
      if (text?.includes('go_binary') === true) out.set(`//${top}/${name}:${name}`, `gob-out/bin/${top}/${name}/${name}`);
    }
  }
  return out;
}

/** Which example binaries import `pkg`, directly or not, according to go list (the oracle). */
async function importers(root: string, binaries: Map<string, string>, pkg: string): Promise<Set<string>> {
  const result = new Set<string>();
  for (const label of binaries.keys()) {
    const dir = label.slice(2, label.indexOf(':'));
    const { stdout } = await execFileAsync('go', ['list', '-deps', '.'], { cwd: path.join(root, dir) });
    if (stdout.split('\n').includes(pkg)) result.add(label);
  }
  return result;
}

describe('gob build on examples/monorepo', () => {
  let ws: string;
  let cache: string;
  beforeAll(async () => {
    ws = await tempCopy(EXAMPLE);
    cache = await tempDir('gob-cache-');
  });
  afterAll(async () => {
    await fs.rm(ws, { recursive: true, force: true });
    await fs.rm(cache, { recursive: true, force: true });
  });

  it('builds one service cold, then restores it without running go', async () => {
    const cold = await gob(['build', '//services/payment', '--ui=json'], { cwd: ws, cacheDir: cache });
    expect(cold.stderr).toBe('');
    expect(cold.code).toBe(0);
    expect(finishedBy(cold.events).get('//services/payment:payment')).toBe('built');
    expect(buildFinished(cold.events).counts).toMatchObject({ built: 1, cached: 0, failed: 0 });
    const bin = path.join(ws, 'gob-out/bin/services/payment/payment');
    const { stdout } = await execFileAsync(bin, ['-version']);
    expect(stdout.length).toBeGreaterThan(0);

    const warm = await gob(['build', '//services/payment'], { cwd: ws, cacheDir: cache });
    expect(warm.code).toBe(0);
    expect(warm.stdout).toContain('0 built, 1 cached, 0 failed');
    expect(warm.stdout).toContain('gob-out/bin/services/payment/payment');
    const warmJson = await gob(['build', '//services/payment', '--ui=json'], { cwd: ws, cacheDir: cache });
    expect(goBuildsRun(warmJson.events)).toBe(0);
    // gob-out is ignored by git from the first build on.
    expect(await fs.readFile(path.join(ws, '.gitignore'), 'utf8')).toMatch(/^gob-out\/$/m);
  });

  it('rebuilds exactly the services that import an edited shared library', async () => {
    const binaries = await exampleBinaries(ws);
    expect(binaries.size).toBeGreaterThanOrEqual(6);
    const all = await gob(['build', '//...', '--ui=json'], { cwd: ws, cacheDir: cache });
    expect(all.code).toBe(0);
    const statuses = finishedBy(all.events);
    expect([...statuses.keys()].sort()).toEqual([...binaries.keys()].sort());
    for (const rel of binaries.values()) await fs.access(path.join(ws, rel));

    const users = await importers(ws, binaries, 'example.com/acme/libs/money');
    expect(users.size).toBeGreaterThan(0);
    expect(users.size).toBeLessThan(binaries.size);
    const moneyDir = path.join(ws, 'libs/money');
    const goFile = (await fs.readdir(moneyDir)).find((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.includes('ignore'));
    expect(goFile).toBeDefined();
    await fs.appendFile(path.join(moneyDir, goFile ?? ''), '\n// An edit that changes the source but not the behaviour.\nconst editMarker = 1\n');

    const after = await gob(['build', '//...', '--ui=json'], { cwd: ws, cacheDir: cache });
    expect(after.code).toBe(0);
    const rebuilt = [...finishedBy(after.events)].filter(([, s]) => s === 'built').map(([l]) => l);
    expect(new Set(rebuilt)).toEqual(users);
    expect(buildFinished(after.events).counts.cached).toBe(binaries.size - users.size);
    // The importers were known from the plan snapshot: go started on them before the other targets were looked up.
    const firstStarted = after.events.findIndex((e) => e.type === 'action.started');
    const firstCached = after.events.findIndex((e) => e.type === 'action.cached');
    expect(firstStarted).toBeGreaterThanOrEqual(0);
    expect(firstCached).toBeGreaterThan(firstStarted);
  });

  it('restores every binary from the cache after gob-out is deleted', async () => {
    await fs.rm(path.join(ws, 'gob-out'), { recursive: true });
    const r = await gob(['build', '//...', '--ui=json'], { cwd: ws, cacheDir: cache });
    expect(r.code).toBe(0);
    const f = buildFinished(r.events);
    expect(f.counts.built).toBe(0);
    expect(f.counts.cached).toBe((await exampleBinaries(ws)).size);
    expect(goBuildsRun(r.events)).toBe(0);
    for (const rel of f.outputs) await fs.access(path.join(ws, rel));
  });

  it('a dry run plans and hashes but runs no go build', async () => {
    await fs.appendFile(path.join(ws, 'services/payment/main.go'), '\n// dry-run edit\n');
    const r = await gob(['build', '//...', '--dry-run', '--ui=json'], { cwd: ws, cacheDir: cache });
    expect(r.code).toBe(0);
    expect(goBuildsRun(r.events)).toBe(0);
    const statuses = finishedBy(r.events);
    expect(statuses.get('//services/payment:payment')).toBe('would-build');
    expect(statuses.get('//services/notify:notify')).toBe('cached');
    expect(buildFinished(r.events).counts.wouldBuild).toBe(1);
  });
});

describe('gob build failures', () => {
  it('shows the compiler output exactly and exits 1', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    try {
      await fs.appendFile(path.join(ws, 'services/payment/main.go'), '\nfunc broken() int { return "nope" }\n');
      const plain = await gob(['build', '//services/payment'], { cwd: ws, cacheDir: cache });
      expect(plain.code).toBe(1);
      expect(plain.stdout).toMatch(/FAILED\s+\/\/services\/payment:payment/);
      expect(plain.stdout).toContain('0 built, 0 cached, 1 failed');
      // Exactly what go prints for it: gob runs go at the root of the go.work (or main module),
      // so file names are relative to it.
      const direct = await execFileAsync('go', ['build', '-o', '/dev/null', './services/payment'], { cwd: ws }).catch(
        (e: unknown) => e as { stderr: string },
      );
      const goLine = direct.stderr.split('\n').find((l) => l.startsWith('services/payment/main.go:'));
      expect(goLine).toBeDefined();
      expect(plain.stderr).toContain(goLine);
    } finally {
      await fs.rm(ws, { recursive: true, force: true });
      await fs.rm(cache, { recursive: true, force: true });
    }
  });

  it('reports a malformed BUILD.yaml at its line and column and exits 2', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    try {
      await fs.writeFile(
        path.join(ws, 'services/payment/BUILD.yaml'),
        'targets:\n  payment:\n    kind: go_binary\n    pakage: ./cmd\n',
      );
      const r = await gob(['build', '//...'], { cwd: ws, cacheDir: cache });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('services/payment/BUILD.yaml:4:5');
      expect(r.stderr).toContain('pakage');
      expect(r.stderr).toContain('^^^^^^');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      await fs.rm(ws, { recursive: true, force: true });
      await fs.rm(cache, { recursive: true, force: true });
    }
  });
});

describe('concurrent gob processes', () => {
  it('two builds of //... at once on one workspace and cache both succeed with identical binaries', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    try {
      const [a, b] = await Promise.all([
        gob(['build', '//...', '--ui=json'], { cwd: ws, cacheDir: cache }),
        gob(['build', '//...', '--ui=json'], { cwd: ws, cacheDir: cache }),
      ]);
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      const outputs = buildFinished(a.events).outputs;
      expect(outputs).toEqual(buildFinished(b.events).outputs);
      // A fresh build into another copy from the same cache gives byte-identical binaries.
      const ws2 = await tempCopy(EXAMPLE);
      try {
        const c = await gob(['build', '//...', '--ui=json'], { cwd: ws2, cacheDir: cache });
        expect(buildFinished(c.events).counts.built).toBe(0);
        for (const rel of outputs) {
          const [x, y] = await Promise.all([fs.readFile(path.join(ws, rel)), fs.readFile(path.join(ws2, rel))]);
          expect(x.equals(y)).toBe(true);
        }
      } finally {
        await fs.rm(ws2, { recursive: true, force: true });
      }
    } finally {
      await fs.rm(ws, { recursive: true, force: true });
      await fs.rm(cache, { recursive: true, force: true });
    }
  });
});
