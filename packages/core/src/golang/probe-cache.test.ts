import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeGoEnvCached } from './probe-cache.js';
import { runCommand, type RunCommand } from './toolchain.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function setup(): Promise<{ cacheDir: string; goenvFile: string; calls: () => number; run: RunCommand }> {
  const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-probe-'));
  dirs.push(cacheDir);
  const goenvFile = path.join(cacheDir, 'goenv');
  await fs.writeFile(goenvFile, '');
  let n = 0;
  const run: RunCommand = (file, args, o) => {
    n++;
    return runCommand(file, args, o);
  };
  return { cacheDir, goenvFile, calls: () => n, run };
}

const baseEnv = (goenvFile: string): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: os.homedir(),
  GOENV: goenvFile,
  GOTOOLCHAIN: 'local',
});

describe('probeGoEnvCached', () => {
  it('answers a repeated probe from disk without running go', async () => {
    const { cacheDir, goenvFile, calls, run } = await setup();
    const first = await probeGoEnvCached({ cwd: cacheDir, env: baseEnv(goenvFile), run, cacheDir });
    const ran = calls();
    expect(ran).toBeGreaterThan(0);
    const second = await probeGoEnvCached({ cwd: cacheDir, env: baseEnv(goenvFile), run, cacheDir });
    expect(calls()).toBe(ran);
    expect(second).toEqual(first);
  });

  it('probes again when the environment or go\'s own env file changes', async () => {
    const { cacheDir, goenvFile, calls, run } = await setup();
    await probeGoEnvCached({ cwd: cacheDir, env: baseEnv(goenvFile), run, cacheDir });
    const n1 = calls();
    const arm = await probeGoEnvCached({ cwd: cacheDir, env: { ...baseEnv(goenvFile), GOARCH: 'arm64' }, run, cacheDir });
    expect(calls()).toBeGreaterThan(n1);
    expect(arm.ok && arm.value.GOARCH).toBe('arm64');
    const n2 = calls();
    // `go env -w GOAMD64=v3` writes this file: the cached answer must not survive it.
    await fs.writeFile(goenvFile, 'GOAMD64=v3\n');
    const v3 = await probeGoEnvCached({ cwd: cacheDir, env: baseEnv(goenvFile), run, cacheDir });
    expect(calls()).toBeGreaterThan(n2);
    expect(v3.ok && v3.value.GOAMD64).toBe('v3');
  });

  it('never caches when go is a script (a version manager shim)', async () => {
    const { cacheDir, goenvFile, calls, run } = await setup();
    const realGo = execFileSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).trim();
    const shim = path.join(cacheDir, 'go');
    await fs.writeFile(shim, `#!/bin/sh\nexec "${realGo}" "$@"\n`, { mode: 0o755 });
    await probeGoEnvCached({ goBin: shim, cwd: cacheDir, env: baseEnv(goenvFile), run, cacheDir });
    const n = calls();
    await probeGoEnvCached({ goBin: shim, cwd: cacheDir, env: baseEnv(goenvFile), run, cacheDir });
    expect(calls()).toBe(2 * n);
  });
});
