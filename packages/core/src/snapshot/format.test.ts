import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flushSnapshots, loadSnapshot, saveSnapshot, saveSnapshotLater, snapshotFile, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type PlanSnapshot } from './format.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

function snapshot(root: string, request: string, savedAt: number): PlanSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    request,
    savedAt,
    root,
    cacheDir: path.join(root, 'cache'),
    targets: [],
    host: ['linux', 'amd64'],
    profile: 'default',
    tools: [],
    files: [],
    dirs: [],
    missing: [],
    types: [],
    packages: [],
    skeletons: [],
    actions: [],
    outputs: [],
  };
}

describe('snapshots in memory (a process that builds more than once)', () => {
  it('hands out what it saved or loaded while the file is unchanged, and reads a changed file again', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-snapfmt-'));
    dirs.push(root);
    const request = 'a'.repeat(64);
    const mine = snapshot(root, request, 1);
    await saveSnapshot(mine);
    expect(loadSnapshot(root, request)).toBe(mine);
    expect(loadSnapshot(root, request)).toBe(mine);

    // Another gob process rewrites the file (atomically, as gob does: a new inode).
    const file = snapshotFile(root, request);
    const theirs = snapshot(root, request, 2);
    await fs.writeFile(`${file}.tmp`, JSON.stringify(theirs));
    await fs.rename(`${file}.tmp`, file);
    const loaded = loadSnapshot(root, request);
    expect(loaded).not.toBe(mine);
    expect(loaded?.savedAt).toBe(2);
    expect(loadSnapshot(root, request)).toBe(loaded);

    // Gone (gob clean): nothing, not the remembered one.
    await fs.rm(file);
    expect(loadSnapshot(root, request)).toBeUndefined();
  });

  it('a snapshot saved later is the answer at once, reaches the disk on flush, and never over another gob\'s', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-snapfmt-'));
    dirs.push(root);
    const request = 'b'.repeat(64);
    const file = snapshotFile(root, request);
    const fail = (e: unknown) => {
      throw e;
    };
    const first = snapshot(root, request, 1);
    saveSnapshotLater(first, fail);
    expect(loadSnapshot(root, request)).toBe(first);
    await expect(fs.access(file)).rejects.toThrow(); // not written yet
    await flushSnapshots();
    expect((JSON.parse(await fs.readFile(file, 'utf8')) as PlanSnapshot).savedAt).toBe(1);

    // Another gob writes the file while this process holds a newer one of its own: theirs stays.
    const mine = snapshot(root, request, 2);
    saveSnapshotLater(mine, fail);
    await fs.writeFile(`${file}.tmp`, JSON.stringify(snapshot(root, request, 3)));
    await fs.rename(`${file}.tmp`, file);
    await flushSnapshots();
    expect((JSON.parse(await fs.readFile(file, 'utf8')) as PlanSnapshot).savedAt).toBe(3);
    expect(loadSnapshot(root, request)?.savedAt).toBe(3);
  });
});

