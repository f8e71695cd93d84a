import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
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
