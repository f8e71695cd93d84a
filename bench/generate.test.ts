import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StampedEvent } from '@gob/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The benchmark generator's output must be a valid Go monorepo that gob builds completely:
 * generate the tiny preset, go vet it, build it with the real gob (the built dist) and run the
 * binaries. Also checks that generation is deterministic.
 */

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const GOB_MAIN = path.join(ROOT, 'packages/cli/dist/main.js');
const GENERATE = path.join(ROOT, 'bench/generate.mjs');

interface Stamp {
  readonly services: readonly { readonly name: string; readonly dir: string; readonly label: string }[];
  readonly stats: { readonly packages: number; readonly goFiles: number };
}

async function generate(out: string, extra: readonly string[] = []): Promise<Stamp> {
  await execFileAsync(process.execPath, [GENERATE, '--preset', 'tiny', '--out', out, ...extra]);
  return JSON.parse(await fs.readFile(path.join(out, '.gob-bench.json'), 'utf8')) as Stamp;
}

/** Every file under dir (relative path → content). */
async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, abs), await fs.readFile(abs, 'utf8'));
  }
  return out;
}

describe('bench/generate.mjs', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-bench-gen-'));
  });
  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('generates a repo that passes go vet and that gob builds completely', async () => {
    const repo = path.join(tmp, 'repo');
    const stamp = await generate(repo);
    expect(stamp.services.length).toBe(3);
    for (const s of stamp.services) await fs.access(path.join(repo, s.dir, 'BUILD.yaml'));

    // go vet exits non-zero (and execFile rejects) on any problem, unused imports included.
    await execFileAsync('go', ['vet', './...'], { cwd: repo, env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '' } });

    const { stdout } = await execFileAsync(process.execPath, [GOB_MAIN, 'build', '//...', '--ui=json'], {
      cwd: repo,
      env: { ...process.env, GOB_CACHE_DIR: path.join(tmp, 'gob-cache'), CI: 'true' },
    });
    const events = stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as StampedEvent);
    const status = new Map<string, string>();
    for (const e of events) if (e.type === 'action.finished') status.set(e.label, e.status);
    expect(status).toEqual(new Map(stamp.services.map((s) => [s.label, 'built'])));
    const finished = events.find((e) => e.type === 'build.finished');
    expect(finished?.type === 'build.finished' ? finished.counts : undefined).toMatchObject({ built: 3, cached: 0, failed: 0 });

    for (const s of stamp.services) {
      const bin = path.join(repo, 'gob-out/bin', s.dir, s.name);
      const run = await execFileAsync(bin, []);
      expect(run.stdout).toMatch(/^dev [\d,]+ score=\d+\n$/);
    }
  });

  it('is deterministic for a preset and seed, and the seed changes it', async () => {
    const a = await tree((await generate(path.join(tmp, 'a')), path.join(tmp, 'a')));
    const b = await tree((await generate(path.join(tmp, 'b')), path.join(tmp, 'b')));
    expect(b).toEqual(a);
    const c = await tree((await generate(path.join(tmp, 'c'), ['--seed', '2']), path.join(tmp, 'c')));
    expect(c).not.toEqual(a);
  });

  it('refuses to overwrite a directory it did not generate', async () => {
    const dir = path.join(tmp, 'precious');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'keep.txt'), 'x');
    await expect(generate(dir)).rejects.toThrow(/refusing to overwrite/);
    expect(await fs.readFile(path.join(dir, 'keep.txt'), 'utf8')).toBe('x');
  });
});
