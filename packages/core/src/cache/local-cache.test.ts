import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import type { Sha256 } from '../types.js';
import type { ActionResult } from './action-cache-store.js';
import { defaultCacheDir } from './default-cache-dir.js';
import { LocalCache, markTempOwner, type LocalCacheOptions } from './local-cache.js';
import { describeActionCacheStoreContract, digestOf, keyOf } from './store-contract.js';

describeActionCacheStoreContract('LocalCache', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-cache-'));
  const warnings: Diagnostic[] = [];
  return {
    store: new LocalCache({ dir, onWarning: (d) => warnings.push(d) }),
    warnings,
    close: () => fs.rm(dir, { recursive: true, force: true }),
  };
});

const HOUR = 60 * 60 * 1000;

let dir: string;
let scratch: string;
let warnings: Diagnostic[];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-cache-'));
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-scratch-'));
  warnings = [];
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rm(scratch, { recursive: true, force: true });
});

function open(options: Partial<LocalCacheOptions> = {}): LocalCache {
  return new LocalCache({ dir, onWarning: (d) => warnings.push(d), ...options });
}

function casFile(digest: string): string {
  return path.join(dir, 'cas', digest.slice(0, 2), digest);
}

function acFile(key: string): string {
  return path.join(dir, 'ac', key.slice(0, 2), key);
}

async function listTree(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

function resultFor(digest: Sha256, size: number): ActionResult {
  return {
    outputs: [{ path: 'bin', digest, size, executable: true }],
    exitCode: 0,
    durationMs: 10,
    createdAt: '2025-11-23T10:00:00.000Z',
  };
}

/** Flips one byte of a read-only cache file in place, keeping its size. */
async function damage(file: string): Promise<void> {
  await fs.chmod(file, 0o644);
  const data = await fs.readFile(file);
  data[0] = (data[0] ?? 0) ^ 0xff;
  await fs.writeFile(file, data);
}

describe('LocalCache layout', () => {
  it('puts blobs in cas/<2 hex>/<digest> and results in ac/<2 hex>/<key>, read-only, with nothing left in tmp', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('blob'));
    await cache.putActionResult(keyOf('k'), resultFor(ref.digest, ref.size));
    expect(await listTree(dir)).toEqual(
      [path.join('ac', keyOf('k').slice(0, 2), keyOf('k')), path.join('cas', ref.digest.slice(0, 2), ref.digest)].sort(),
    );
    expect((await fs.stat(casFile(ref.digest))).mode & 0o777).toBe(0o444);
    expect((await fs.stat(acFile(keyOf('k')))).mode & 0o777).toBe(0o444);
    expect(JSON.parse(await fs.readFile(acFile(keyOf('k')), 'utf8'))).toEqual(resultFor(ref.digest, ref.size));
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('restores as a new inode, never a hard link into the cache', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('binary'));
    const dest = path.join(scratch, 'bin');
    await cache.materializeBlob(ref.digest, dest, { executable: true });
    const [blob, out] = await Promise.all([fs.stat(casFile(ref.digest)), fs.stat(dest)]);
    expect(out.ino).not.toBe(blob.ino);
    expect(out.nlink).toBe(1);
    expect(blob.nlink).toBe(1);
  });

  it('moves a disposable file into the cache by rename when it can', async () => {
    const cache = open();
    // Staging inside the cache directory, as the executor does: same file system.
    const staged = path.join(dir, 'tmp', 'stage-1', 'payment');
    await fs.mkdir(path.dirname(staged), { recursive: true });
    await fs.writeFile(staged, 'fresh binary');
    const ino = (await fs.stat(staged)).ino;
    const ref = await cache.putBlobFromFile(staged, { move: true });
    const blob = await fs.stat(casFile(ref.digest));
    expect(blob.ino).toBe(ino);
    expect(blob.mode & 0o777).toBe(0o444);
  });

  it('falls back to copying when the disposable file is on another file system', async () => {
    const cache = open();
    // /dev/shm is a tmpfs on Linux; elsewhere this still checks the plain move path.
    const base = await fs.mkdtemp(path.join((await fs.stat('/dev/shm').catch(() => undefined)) ? '/dev/shm' : scratch, 'gob-xdev-'));
    try {
      const staged = path.join(base, 'payment');
      await fs.writeFile(staged, 'binary on another fs');
      const ref = await cache.putBlobFromFile(staged, { move: true });
      await expect(fs.access(staged)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await cache.getBlob(ref.digest))?.toString()).toBe('binary on another fs');
      expect((await fs.stat(casFile(ref.digest))).mode & 0o777).toBe(0o444);
      expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  });

  it('copies instead of moving a file that has another hard link', async () => {
    const cache = open();
    const staged = path.join(scratch, 'payment');
    const other = path.join(scratch, 'other-name');
    await fs.writeFile(staged, 'shared inode');
    await fs.link(staged, other);
    const ref = await cache.putBlobFromFile(staged, { move: true });
    await expect(fs.access(staged)).rejects.toMatchObject({ code: 'ENOENT' });
    await fs.writeFile(other, 'edited through the other link');
    expect((await cache.getBlob(ref.digest))?.toString()).toBe('shared inode');
    expect(warnings).toEqual([]);
  });
});

describe('LocalCache crash safety', () => {
  it('ignores a leftover temp file and lets trim remove it once stale', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('complete'));
    // A writer killed mid-write leaves a partial file in tmp/: one old, one maybe still in progress.
    const stale = path.join(dir, 'tmp', '999-deadbeef-0');
    const fresh = path.join(dir, 'tmp', '998-cafebabe-0');
    await fs.writeFile(stale, 'compl');
    await fs.writeFile(fresh, 'comp');
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
    await fs.utimes(stale, twoHoursAgo, twoHoursAgo);
    const staleDir = path.join(dir, 'tmp', 'stage-abandoned');
    await fs.mkdir(staleDir);
    await fs.writeFile(path.join(staleDir, 'payment'), 'half a binary');
    await fs.utimes(staleDir, twoHoursAgo, twoHoursAgo);

    expect(await cache.stats()).toEqual({ actionResults: 0, blobs: 1, entries: 1, bytes: 8 });
    expect((await cache.getBlob(ref.digest))?.toString()).toBe('complete');
    const trimmed = await cache.trim();
    expect(trimmed.removedTemps).toBe(2);
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([path.basename(fresh)]);
    expect((await cache.getBlob(ref.digest))?.toString()).toBe('complete');
  });

  it('keeps an old staging directory while the process that marked it lives, on this host', async () => {
    const cache = open();
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
    const stage = async (name: string, owner?: object): Promise<void> => {
      const d = path.join(dir, 'tmp', name);
      await fs.mkdir(d, { recursive: true });
      if (owner === undefined) await markTempOwner(d);
      else await fs.writeFile(path.join(d, '.owner'), JSON.stringify(owner));
      await fs.utimes(d, twoHoursAgo, twoHoursAgo);
    };
    // A process that has exited: its pid is free (until reused).
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout);
    await stage('batch-running');
    await stage('batch-crashed', { pid: deadPid, host: os.hostname() });
    await stage('batch-elsewhere', { pid: process.pid, host: `not-${os.hostname()}` });
    await stage('batch-garbled', { pid: 'x' });
    expect(await cache.removeStaleTemps()).toBe(3);
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual(['batch-running']);
  });

  it('leaves no entry when the process dies between write and rename', async () => {
    const crash = (): never => {
      throw new Error('simulated crash before rename');
    };
    const cache = open({ beforeCommit: crash });
    const src = path.join(scratch, 'src.bin');
    await fs.writeFile(src, 'from a file');
    await expect(cache.putBlob(Buffer.from('blob'))).rejects.toThrow(/simulated crash/);
    await expect(cache.putBlobFromFile(src)).rejects.toThrow(/simulated crash/);
    await expect(cache.putBlobFromFile(src, { move: true })).rejects.toThrow(/simulated crash/);
    await expect(cache.putActionResult(keyOf('k'), resultFor(digestOf('blob'), 4))).rejects.toThrow(/simulated crash/);

    const healthy = open();
    expect(await healthy.hasBlob(digestOf('blob'))).toBe(false);
    expect(await healthy.hasBlob(digestOf('from a file'))).toBe(false);
    expect(await healthy.getActionResult(keyOf('k'))).toBeUndefined();
    expect(await listTree(path.join(dir, 'cas'))).toEqual([]);
    expect(await listTree(path.join(dir, 'ac'))).toEqual([]);
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('leaves a complete entry when the fault comes after a finished write (the rename is the commit point)', async () => {
    let seen: { temp: string; final: string } | undefined;
    const cache = open({
      beforeCommit: async (temp, final) => {
        seen = { temp, final };
        // The temp file is complete and read-only before it is renamed.
        expect(await fs.readFile(temp, 'utf8')).toBe('payload');
        expect((await fs.stat(temp)).mode & 0o777).toBe(0o444);
        await expect(fs.access(final)).rejects.toMatchObject({ code: 'ENOENT' });
      },
    });
    const ref = await cache.putBlob(Buffer.from('payload'));
    expect(seen?.final).toBe(casFile(ref.digest));
    expect(path.dirname(seen?.temp ?? '')).toBe(path.join(dir, 'tmp'));
  });
});

describe('LocalCache damage', () => {
  it('never returns a blob whose content does not match its digest', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('good bytes'));
    await damage(casFile(ref.digest));
    expect(await cache.getBlob(ref.digest)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', code: 'cache-corrupt', location: { file: casFile(ref.digest) } });
    // The bad blob is gone: the next lookup is a plain miss and a put repairs it.
    expect(await cache.hasBlob(ref.digest)).toBe(false);
    await cache.putBlob(Buffer.from('good bytes'));
    expect((await cache.getBlob(ref.digest))?.toString()).toBe('good bytes');
  });

  it('replaces an existing file, and once settled leaves no other name beside it', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('new binary'));
    const dest = path.join(scratch, 'out', 'payment');
    await fs.mkdir(path.dirname(dest));
    await fs.writeFile(dest, 'previous build');
    const before = await fs.stat(dest);
    expect(await cache.materializeBlob(ref.digest, dest, { executable: true })).toBe(true);
    expect(await fs.readFile(dest, 'utf8')).toBe('new binary');
    expect((await fs.stat(dest)).ino).not.toBe(before.ino);
    await cache.settle();
    expect(await fs.readdir(path.dirname(dest))).toEqual(['payment']);
  });

  it('refuses to materialize a damaged blob and leaves the destination alone', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('good binary'));
    await damage(casFile(ref.digest));
    const dest = path.join(scratch, 'out', 'payment');
    await fs.mkdir(path.dirname(dest));
    await fs.writeFile(dest, 'previous build');
    expect(await cache.materializeBlob(ref.digest, dest, { executable: true })).toBe(false);
    expect(await fs.readFile(dest, 'utf8')).toBe('previous build');
    expect(await fs.readdir(path.dirname(dest))).toEqual(['payment']);
    expect(warnings.map((w) => w.code)).toEqual(['cache-corrupt']);
    expect(await cache.hasBlob(ref.digest)).toBe(false);
  });

  it('misses an action result whose blob has the wrong size, with a warning', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('binary'));
    await cache.putActionResult(keyOf('k'), resultFor(ref.digest, ref.size));
    await fs.chmod(casFile(ref.digest), 0o644);
    await fs.writeFile(casFile(ref.digest), 'bin'); // truncated, e.g. by a power loss
    expect(await cache.getActionResult(keyOf('k'))).toBeUndefined();
    expect(warnings.map((w) => w.code)).toEqual(['cache-corrupt']);
  });

  it('finds same-size damage when the blob is restored, so the caller rebuilds', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('binary'));
    await cache.putActionResult(keyOf('k'), resultFor(ref.digest, ref.size));
    await damage(casFile(ref.digest));
    const hit = await cache.getActionResult(keyOf('k'));
    expect(hit).toBeDefined(); // existence and size are checked per lookup; content when read
    expect(await cache.materializeBlob(ref.digest, path.join(scratch, 'bin'), { executable: true })).toBe(false);
    expect(warnings.map((w) => w.code)).toEqual(['cache-corrupt']);
    expect(await cache.getActionResult(keyOf('k'))).toBeUndefined();
  });

  it.each([
    ['truncated JSON', '{"outputs":[{"path":"bin"'],
    ['not an object', '[1,2,3]'],
    ['a missing field', JSON.stringify({ outputs: [], exitCode: 0, durationMs: 1 })],
    ['a bad digest', JSON.stringify({ ...resultFor(digestOf('x'), 1), stdoutDigest: 'xyz' })],
    ['an output escaping the output directory', JSON.stringify(resultFor(digestOf('x'), 1)).replace('"bin"', '"../../.bashrc"')],
    ['an absolute output path', JSON.stringify(resultFor(digestOf('x'), 1)).replace('"bin"', '"/etc/passwd"')],
  ])('misses, warns about and removes an action result with %s', async (_what, text) => {
    const cache = open();
    await cache.putBlob(Buffer.from('x'));
    const file = acFile(keyOf('k'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
    expect(await cache.getActionResult(keyOf('k'))).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'cache-corrupt', location: { file } });
    await expect(fs.access(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses to store an action result that could write outside the output directory', async () => {
    const cache = open();
    const bad = { ...resultFor(digestOf('x'), 1), outputs: [{ path: '../x', digest: digestOf('x'), size: 1, executable: false }] };
    await expect(cache.putActionResult(keyOf('k'), bad)).rejects.toThrow(/invalid action result/);
  });
});

describe('LocalCache size bound', () => {
  /** Stores `n` blobs of `size` bytes, blob i last used i hours before the newest. */
  async function fill(cache: LocalCache, n: number, size: number): Promise<Sha256[]> {
    const digests: Sha256[] = [];
    for (let i = 0; i < n; i++) {
      const ref = await cache.putBlob(Buffer.alloc(size, i));
      const when = new Date(Date.now() - (n - i) * HOUR);
      await fs.utimes(casFile(ref.digest), when, when);
      digests.push(ref.digest);
    }
    return digests;
  }

  it('evicts least recently used entries first until the cache fits', async () => {
    const cache = open({ maxSizeBytes: 4500 });
    const digests = await fill(cache, 10, 1000); // 10 000 bytes, oldest first
    const r = await cache.trim();
    expect(r).toMatchObject({ removedEntries: 6, removedBytes: 6000, bytes: 4000 });
    for (const [i, d] of digests.entries()) expect(await cache.hasBlob(d)).toBe(i >= 6);
    expect((await cache.stats()).bytes).toBeLessThanOrEqual(4500);
    // Already under the bound: nothing more goes.
    expect((await cache.trim()).removedEntries).toBe(0);
  });

  it('counts a read as a use: an old entry read since is kept', async () => {
    const cache = open({ maxSizeBytes: 2000 });
    const digests = await fill(cache, 4, 1000);
    const oldest = digests[0] as Sha256;
    expect(await cache.getBlob(oldest)).toBeDefined(); // touches it: now the most recent
    await cache.trim();
    expect(await cache.hasBlob(oldest)).toBe(true);
    expect(await cache.hasBlob(digests[1] as Sha256)).toBe(false);
    expect(await cache.hasBlob(digests[2] as Sha256)).toBe(false);
    expect(await cache.hasBlob(digests[3] as Sha256)).toBe(true);
  });

  it('touches an entry at most once per touchAfterMs, not on every read', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('x'));
    const recent = new Date(Date.now() - 60_000);
    await fs.utimes(casFile(ref.digest), recent, recent);
    await cache.getBlob(ref.digest);
    expect(Math.round((await fs.stat(casFile(ref.digest))).mtimeMs)).toBe(recent.getTime());
    const old = new Date(Date.now() - 2 * HOUR);
    await fs.utimes(casFile(ref.digest), old, old);
    await cache.getBlob(ref.digest);
    expect((await fs.stat(casFile(ref.digest))).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('an action result hit touches the result and every blob it names', async () => {
    const cache = open();
    const ref = await cache.putBlob(Buffer.from('bin'));
    await cache.putActionResult(keyOf('k'), resultFor(ref.digest, ref.size));
    const old = new Date(Date.now() - 2 * HOUR);
    await fs.utimes(casFile(ref.digest), old, old);
    await fs.utimes(acFile(keyOf('k')), old, old);
    expect(await cache.getActionResult(keyOf('k'))).toBeDefined();
    expect((await fs.stat(casFile(ref.digest))).mtimeMs).toBeGreaterThan(old.getTime());
    expect((await fs.stat(acFile(keyOf('k')))).mtimeMs).toBeGreaterThan(old.getTime());
  });

  it('without a bound, trim only removes stale temp files', async () => {
    const cache = open();
    await fill(cache, 3, 1000);
    expect(await cache.trim()).toEqual({ removedEntries: 0, removedBytes: 0, removedTemps: 0, bytes: 3000 });
  });
});

describe('LocalCache stats and clear', () => {
  it('counts entries and bytes, and clear empties the cache', async () => {
    const cache = open();
    const a = await cache.putBlob(Buffer.from('aaaa'));
    await cache.putBlob(Buffer.from('bb'));
    await cache.putActionResult(keyOf('k'), resultFor(a.digest, a.size));
    const acBytes = (await fs.stat(acFile(keyOf('k')))).size;
    expect(await cache.stats()).toEqual({ actionResults: 1, blobs: 2, entries: 3, bytes: 6 + acBytes });
    await cache.clear();
    expect(await cache.stats()).toEqual({ actionResults: 0, blobs: 0, entries: 0, bytes: 0 });
    expect(await cache.getActionResult(keyOf('k'))).toBeUndefined();
    expect(await listTree(dir)).toEqual([]);
    // Usable again right away.
    await cache.putBlob(Buffer.from('aaaa'));
    expect(await cache.hasBlob(a.digest)).toBe(true);
  });

  it('works on a cache directory that does not exist yet', async () => {
    const cache = new LocalCache({ dir: path.join(dir, 'not', 'yet') });
    expect(await cache.stats()).toEqual({ actionResults: 0, blobs: 0, entries: 0, bytes: 0 });
    expect(await cache.getActionResult(keyOf('k'))).toBeUndefined();
    await cache.clear();
    expect((await cache.trim()).bytes).toBe(0);
    expect((await cache.putBlob(Buffer.from('x'))).size).toBe(1);
  });
});

describe('defaultCacheDir', () => {
  const home = '/home/dev';
  it('prefers GOB_CACHE_DIR, then XDG_CACHE_HOME/gob, then ~/.cache/gob', () => {
    expect(defaultCacheDir({ GOB_CACHE_DIR: '/fast/gob', XDG_CACHE_HOME: '/xdg' }, home)).toBe('/fast/gob');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, home)).toBe(path.join('/xdg', 'gob'));
    expect(defaultCacheDir({}, home)).toBe(path.join(home, '.cache', 'gob'));
  });
  it('treats empty variables as unset and ignores a relative XDG_CACHE_HOME', () => {
    expect(defaultCacheDir({ GOB_CACHE_DIR: '', XDG_CACHE_HOME: '' }, home)).toBe(path.join(home, '.cache', 'gob'));
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative/cache' }, home)).toBe(path.join(home, '.cache', 'gob'));
  });
  it('resolves a relative GOB_CACHE_DIR against the working directory', () => {
    expect(defaultCacheDir({ GOB_CACHE_DIR: 'rel/cache' }, home)).toBe(path.resolve('rel/cache'));
  });
});
