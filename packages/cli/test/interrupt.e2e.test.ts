import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LocalCache } from '../../core/src/cache/local-cache.js';
import { EXAMPLE, buildFinished, gob, interruptOnceBuilding, tempCopy, tempDir } from './harness.js';

const execFileAsync = promisify(execFile);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  }
  return out;
}

describe('Ctrl-C', () => {
  it('stops every go process, exits 130 and leaves the cache consistent', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    // The temporary directory of gob and go: go build, killed by Ctrl-C, leaves its work directory there.
    const tmp = await tempDir('gob-tmp-');
    try {
      const ctrlC = interruptOnceBuilding();
      const run = await gob(['build', '//...', '--force', '-j', '2', '--ui=json'], { cwd: ws, cacheDir: cache, onSpawn: ctrlC.onSpawn, env: { TMPDIR: tmp } });
      expect(ctrlC.sent()).toBe(true);
      expect(run.code).toBe(130);
      expect(buildFinished(run.events).interrupted).toBe(true);

      // No go process (or compile/link child) of this workspace survives.
      const { stdout: ps } = await execFileAsync('ps', ['-eo', 'pid,args']);
      expect(ps.split('\n').filter((l) => l.includes(ws) || l.includes(cache))).toEqual([]);
      // Nor does its work directory, nor anything of gob's.
      expect(await fs.readdir(tmp)).toEqual([]);
      expect(await fs.readdir(path.join(cache, 'tmp'))).toEqual([]);

      // Every action result in the cache is whole: it parses and its blobs match their names.
      for (const file of await filesUnder(path.join(cache, 'ac'))) {
        const result = JSON.parse(await fs.readFile(file, 'utf8')) as { outputs: { digest: string }[] };
        for (const o of result.outputs) {
          const blob = await fs.readFile(path.join(cache, 'cas', o.digest.slice(0, 2), o.digest));
          expect(createHash('sha256').update(blob).digest('hex')).toBe(o.digest);
        }
      }
      // No half-written output in gob-out: whatever is there runs.
      for (const bin of await filesUnder(path.join(ws, 'gob-out/bin'))) {
        await execFileAsync(bin, ['-version']);
      }
      // And the next build finishes the job.
      const again = await gob(['build', '//...', '--ui=json'], { cwd: ws, cacheDir: cache });
      expect(again.code).toBe(0);
      expect(buildFinished(again.events).counts.failed).toBe(0);
    } finally {
      await fs.rm(ws, { recursive: true, force: true });
      await fs.rm(cache, { recursive: true, force: true });
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});

describe("the cache's tmp/ while a build runs", () => {
  it("marks its staging directory as its own, so that another process's sweep leaves it alone however old it looks", async () => {
    // Other gob processes sharing the cache remove what crashed builds left in tmp/ once it is an
    // hour old; a long build's staging directory keeps the mtime it had when go started.
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    try {
      let pid: number | undefined;
      const run = gob(['build', '//...', '--ui=json'], { cwd: ws, cacheDir: cache, onSpawn: (c) => (pid = c.pid) });
      let done = false;
      void run.finally(() => (done = true));
      let owner: { pid?: unknown } | undefined;
      let removed: number | undefined;
      while (!done && owner === undefined) {
        const tmp = path.join(cache, 'tmp');
        const stage = (await fs.readdir(tmp).catch(() => [])).find((n) => n.startsWith('batch-'));
        const text = stage === undefined ? undefined : await fs.readFile(path.join(tmp, stage, '.owner'), 'utf8').catch(() => undefined);
        // The file may be caught between its creation and its one write.
        if (stage !== undefined && text !== undefined && text !== '') {
          owner = JSON.parse(text) as { pid?: unknown };
          const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
          await fs.utimes(path.join(tmp, stage), twoHoursAgo, twoHoursAgo);
          removed = await new LocalCache({ dir: cache }).removeStaleTemps();
        } else {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      const r = await run;
      expect(owner, 'no marked staging directory seen while gob built').toBeDefined();
      expect(owner?.pid).toBe(pid);
      expect(removed).toBe(0);
      expect(r.code, r.stderr).toBe(0);
      expect(buildFinished(r.events).counts.built).toBeGreaterThan(0);
      expect(await fs.readdir(path.join(cache, 'tmp'))).toEqual([]);
    } finally {
      await fs.rm(ws, { recursive: true, force: true });
      await fs.rm(cache, { recursive: true, force: true });
    }
  });
});
