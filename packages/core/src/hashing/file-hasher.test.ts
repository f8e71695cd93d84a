import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspacePath } from '../types.js';
import { FileHasher, HashFileError, type FileHasherOptions } from './file-hasher.js';
import { nodeHasherFs, type HasherFs, type HasherStat } from './hasher-fs.js';
import { STAT_CACHE_FORMAT, STAT_CACHE_VERSION } from './stat-cache-file.js';

/** A fixed moment well in the past, for files whose timestamps must not be racy. */
const PAST = new Date('2024-01-02T03:04:05Z');
/** "The build runs a minute after the test wrote its files": nothing written by the test is racy. */
const aMinuteLater = (): number => Date.now() + 60_000;

let root: string;
let cacheFile: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-hasher-'));
  cacheFile = path.join(root, '.cache', 'stat.json');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function sha(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

async function write(rel: WorkspacePath, content: string, mtime: Date = PAST): Promise<void> {
  const abs = path.join(root, rel);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  await fs.writeFile(abs, content);
  await fs.utimes(abs, mtime, mtime);
}

/** The real file system, counting what the hasher asks of it. */
function countingFs(inner: HasherFs = nodeHasherFs): HasherFs & { reads: Map<string, number>; stats: number; totalReads(): number } {
  const c = {
    reads: new Map<string, number>(),
    stats: 0,
    totalReads: () => [...c.reads.values()].reduce((a, b) => a + b, 0),
    stat(p: string) {
      c.stats++;
      return inner.stat(p);
    },
    readFile(p: string) {
      c.reads.set(path.relative(root, p), (c.reads.get(path.relative(root, p)) ?? 0) + 1);
      return inner.readFile(p);
    },
  };
  return c;
}

function hasher<D = unknown>(opts: Partial<FileHasherOptions<D>> = {}): FileHasher<D> {
  return new FileHasher<D>({ root, statCachePath: cacheFile, now: aMinuteLater, ...opts });
}

describe('FileHasher digests', () => {
  it('is the SHA-256 of the file content', async () => {
    await write('a.go', 'package a\n');
    await write('dir/sub/b.txt', '');
    const h = hasher();
    expect(await h.digest('a.go')).toBe(sha('package a\n'));
    expect(await h.digest('dir/sub/b.txt')).toBe(sha(''));
    expect(await h.digestMany(['dir/sub/b.txt', 'a.go'])).toEqual([sha(''), sha('package a\n')]);
  });

  it('hashes files larger than the read buffer it reuses, and small ones read after them', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 'abcdefghij');
    await fs.writeFile(path.join(root, 'big.bin'), big);
    await write('small.go', 'package small\n');
    const h = hasher();
    expect(await h.digestMany(['small.go', 'big.bin', 'small.go', 'big.bin'])).toEqual([
      sha('package small\n'),
      sha(big),
      sha('package small\n'),
      sha(big),
    ]);
    const fresh = hasher();
    expect(await fresh.digest('big.bin')).toBe(sha(big));
    expect(await fresh.digest('small.go')).toBe(sha('package small\n'));
  });

  it('reports a missing file as a typed failure', async () => {
    const h = hasher();
    await expect(h.digest('nope.go')).rejects.toBeInstanceOf(HashFileError);
    await expect(h.digest('nope.go')).rejects.toMatchObject({ failure: { reason: 'missing', path: 'nope.go' } });
    expect(await h.tryDigest('nope.go')).toEqual({ ok: false, error: { reason: 'missing', path: 'nope.go' } });
    expect(await h.tryDigest('nope/deeper.go')).toMatchObject({ ok: false, error: { reason: 'missing' } });
    expect(await h.digestIfExists('nope.go')).toBeUndefined();
    await fs.mkdir(path.join(root, 'adir'));
    expect(await h.tryDigest('adir')).toEqual({ ok: false, error: { reason: 'not-a-file', path: 'adir' } });
    await expect(h.digestMany(['nope.go'])).rejects.toMatchObject({ failure: { reason: 'missing' } });
  });

  it('forgets a file that disappears after it was cached', async () => {
    await write('gone.go', 'x');
    const h = hasher();
    expect(await h.digest('gone.go')).toBe(sha('x'));
    await fs.rm(path.join(root, 'gone.go'));
    expect(await h.tryDigest('gone.go')).toMatchObject({ ok: false, error: { reason: 'missing' } });
    expect((await h.save()).ok).toBe(true);
    const again = hasher();
    await again.load();
    expect(again.stats().entries).toBe(0);
  });

  it('reports an unreadable file without throwing from tryDigest', async () => {
    const failing: HasherFs = {
      stat: (p) => nodeHasherFs.stat(p),
      readFile: () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    };
    await write('secret.go', 'x');
    const r = await hasher({ fs: failing }).tryDigest('secret.go');
    expect(r).toEqual({ ok: false, error: { reason: 'unreadable', path: 'secret.go', message: 'EACCES: permission denied' } });
  });

  it('keeps digestMany results in order', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `f${String(i).padStart(2, '0')}.go`);
    for (const n of names) await write(n, `content of ${n}`);
    const reversed = [...names].reverse();
    expect(await hasher().digestMany(reversed)).toEqual(reversed.map((n) => sha(`content of ${n}`)));
  });

  it('reads a path once however often one build asks, by digest or derived value', async () => {
    await write('shared.go', 'package shared\n');
    const counting = countingFs();
    const h = hasher({ fs: counting, derive: { version: '1', fn: (_p, c) => c.length } });
    const [a, b, d, many] = await Promise.all([
      h.digest('shared.go'),
      h.digest('shared.go'),
      h.derived('shared.go'),
      h.digestMany(['shared.go', 'shared.go']),
    ]);
    const sync = h.tryDerivedSync('shared.go');
    expect(new Set([a, b, d.digest, ...many, sync.ok ? sync.value.digest : 'failed'])).toEqual(new Set([sha('package shared\n')]));
    expect(d.value).toBe(15);
    expect(counting.totalReads()).toBe(1);
  });
});

describe('FileHasher stat cache', () => {
  const files: Record<string, string> = {
    'go.mod': 'module example.com/m\n',
    'services/payment/main.go': 'package main\n',
    'services/payment/handler.go': 'package main\n\nfunc handle() {}\n',
    'libs/money/money.go': 'package money\n',
    'libs/money/testdata/big.json': '{"a": 1}',
  };
  const paths = Object.keys(files).sort();

  beforeEach(async () => {
    for (const [p, c] of Object.entries(files)) await write(p, c);
  });

  it('a no-op build re-reads no unchanged file, across a save/load round trip', async () => {
    const first = countingFs();
    const h1 = hasher({ fs: first });
    await h1.load();
    const digests = await h1.digestMany(paths);
    expect(first.totalReads()).toBe(paths.length);
    expect(await h1.save()).toEqual({ ok: true, value: true });

    const second = countingFs();
    const h2 = hasher({ fs: second });
    await h2.load();
    expect(await h2.digestMany(paths)).toEqual(digests);
    for (const p of paths) expect(await h2.digest(p)).toBe(sha(files[p] ?? ''));
    expect(second.totalReads()).toBe(0);
    expect(second.stats).toBeGreaterThan(0);
    expect(h2.stats()).toMatchObject({ fileReads: 0, cacheHits: paths.length * 2 });
    // Nothing changed, so nothing is written.
    expect(await h2.save()).toEqual({ ok: true, value: false });
  });

  it('reads only the file that changed', async () => {
    const h1 = hasher();
    await h1.digestMany(paths);
    await h1.save();
    await write('libs/money/money.go', 'package money // edited\n', new Date(PAST.getTime() + 1000));
    const counting = countingFs();
    const h2 = hasher({ fs: counting });
    await h2.load();
    await h2.digestMany(paths);
    expect([...counting.reads.keys()]).toEqual([path.join('libs', 'money', 'money.go')]);
    expect(await h2.digest('libs/money/money.go')).toBe(sha('package money // edited\n'));
  });

  /** Hashes `p`, saves, applies `change`, and returns what a fresh hasher then reads and answers. */
  async function afterChange(p: string, change: () => Promise<void>): Promise<{ reads: number; digest: string }> {
    const h1 = hasher();
    await h1.digest(p);
    await h1.save();
    await change();
    const counting = countingFs();
    const h2 = hasher({ fs: counting });
    await h2.load();
    const digest = await h2.digest(p);
    return { reads: counting.totalReads(), digest };
  }

  it('detects a change of size', async () => {
    const r = await afterChange('go.mod', () => write('go.mod', 'module example.com/m\n\ngo 1.26\n'));
    expect(r).toEqual({ reads: 1, digest: sha('module example.com/m\n\ngo 1.26\n') });
  });

  it('detects a same-size change by mtime', async () => {
    const r = await afterChange('go.mod', () => write('go.mod', 'module example.com/n\n', new Date(PAST.getTime() + 5)));
    expect(r).toEqual({ reads: 1, digest: sha('module example.com/n\n') });
  });

  it('detects a same-size, same-mtime rewrite that replaced the file (new inode)', async () => {
    const abs = path.join(root, 'go.mod');
    const before = await fs.stat(abs, { bigint: true });
    const r = await afterChange('go.mod', async () => {
      // Like an editor's "write temp file, rename over": same size, mtime forced back.
      const temp = `${abs}.new`;
      await fs.writeFile(temp, 'module example.com/x\n');
      await fs.utimes(temp, PAST, PAST);
      await fs.rename(temp, abs);
      const after = await fs.stat(abs, { bigint: true });
      expect(after.size).toBe(before.size);
      expect(after.mtimeNs).toBe(before.mtimeNs);
      expect(after.ino).not.toBe(before.ino);
    });
    expect(r).toEqual({ reads: 1, digest: sha('module example.com/x\n') });
  });

  it('detects a same-size, same-mtime rewrite in place (same inode, new ctime)', async () => {
    const abs = path.join(root, 'go.mod');
    const before = await fs.stat(abs, { bigint: true });
    const r = await afterChange('go.mod', async () => {
      await new Promise((res) => setTimeout(res, 30)); // let the kernel's timestamp tick move on
      await fs.writeFile(abs, 'module example.com/y\n');
      await fs.utimes(abs, PAST, PAST);
      const after = await fs.stat(abs, { bigint: true });
      expect(after.size).toBe(before.size);
      expect(after.mtimeNs).toBe(before.mtimeNs);
      expect(after.ino).toBe(before.ino);
      expect(after.ctimeNs).not.toBe(before.ctimeNs);
    });
    expect(r).toEqual({ reads: 1, digest: sha('module example.com/y\n') });
  });

  it('starts empty from a corrupt, foreign or other-version cache file, and replaces it', async () => {
    const bad = [
      '{"format":"gob-stat-cache","version":1,"derive":null,"savedAt":1,"entries":[["a","k","notahash"]]}',
      `{"format":"${STAT_CACHE_FORMAT}","version":${String(STAT_CACHE_VERSION + 1)},"derive":null,"savedAt":1,"entries":[]}`,
      '{"format":"something-else","version":1}',
      '{truncated',
      '',
      '[]',
    ];
    for (const text of bad) {
      await fs.mkdir(path.dirname(cacheFile), { recursive: true });
      await fs.writeFile(cacheFile, text);
      const counting = countingFs();
      const h = hasher({ fs: counting });
      await expect(h.load()).resolves.toBeUndefined();
      expect(h.stats().entries).toBe(0);
      expect(await h.digest('go.mod')).toBe(sha(files['go.mod'] ?? ''));
      expect(counting.totalReads()).toBe(1);
      expect(await h.save()).toEqual({ ok: true, value: true });
      const reloaded = hasher();
      await reloaded.load();
      expect(reloaded.stats().entries).toBe(1);
    }
  });

  it('loads nothing, and does not fail, when the cache file is missing or is a directory', async () => {
    const h = hasher();
    await expect(h.load()).resolves.toBeUndefined();
    await fs.mkdir(cacheFile, { recursive: true });
    await expect(hasher().load()).resolves.toBeUndefined();
  });

  it('writes the cache atomically and leaves no temp files', async () => {
    const h = hasher();
    await h.digestMany(paths);
    await h.save();
    expect(await fs.readdir(path.dirname(cacheFile))).toEqual([path.basename(cacheFile)]);
    const doc = JSON.parse(await fs.readFile(cacheFile, 'utf8')) as { format: string; version: number; entries: unknown[] };
    expect(doc.format).toBe(STAT_CACHE_FORMAT);
    expect(doc.version).toBe(STAT_CACHE_VERSION);
    expect(doc.entries).toHaveLength(paths.length);
  });

  it('returns a save failure instead of throwing', async () => {
    await fs.writeFile(path.join(root, 'plainfile'), 'x');
    const h = hasher({ statCachePath: path.join(root, 'plainfile', 'stat.json') });
    await h.digest('go.mod');
    const r = await h.save();
    expect(r.ok).toBe(false);
    expect(r.ok ? undefined : r.error.reason).toBe('write-failed');
  });

  it('keeps everything in memory without a statCachePath', async () => {
    const counting = countingFs();
    const h = hasher({ fs: counting, statCachePath: undefined });
    await h.load();
    await h.digestMany(paths);
    await h.digestMany(paths);
    expect(counting.totalReads()).toBe(paths.length);
    expect(await h.save()).toEqual({ ok: true, value: false });
  });
});

describe('FileHasher racy timestamps', () => {
  it('re-reads a file modified within the racy window of the previous read, and does not persist it', async () => {
    await write('fresh.go', 'package fresh\n', new Date()); // just written: racy under the real clock
    const c1 = countingFs();
    const h1 = hasher({ fs: c1, now: Date.now });
    await h1.digest('fresh.go');
    await h1.digest('fresh.go'); // same build: one read serves every lookup
    expect(c1.totalReads()).toBe(1);
    await h1.save();

    const c2 = countingFs();
    const h2 = hasher({ fs: c2, now: Date.now });
    await h2.load();
    expect(h2.stats().entries).toBe(0);
    await h2.digest('fresh.go');
    expect(c2.totalReads()).toBe(1);

    // Once the read happens after the window, the entry is trusted and persisted.
    const h3 = hasher({ fs: countingFs(), now: aMinuteLater });
    await h3.digest('fresh.go');
    await h3.save();
    const c4 = countingFs();
    const h4 = hasher({ fs: c4, now: aMinuteLater });
    await h4.load();
    await h4.digest('fresh.go');
    expect(c4.totalReads()).toBe(0);
  });

  it('catches an edit that leaves size and all timestamps unchanged (coarse-timestamp file system)', async () => {
    // A file system with 2 s timestamps: two writes in the same 2 s look identical to stat.
    const T = PAST.getTime();
    const frozen: HasherStat = { size: 4, mtimeMs: T, ctimeMs: T, ino: 7, isFile: true };
    let content = 'aaaa';
    let reads = 0;
    const coarse: HasherFs = {
      stat: () => frozen,
      readFile: () => {
        reads++;
        return Buffer.from(content);
      },
    };
    let now = T + 500; // we read half a second after the write
    const h1 = hasher({ fs: coarse, now: () => now });
    expect(await h1.digest('x.go')).toBe(sha('aaaa'));
    await h1.save();
    content = 'bbbb'; // edited in the same timestamp tick: stat is unchanged

    const h2 = hasher({ fs: coarse, now: () => now });
    await h2.load();
    expect(await h2.digest('x.go')).toBe(sha('bbbb'));
    expect(reads).toBe(2);

    // Within one build the racy read is reused, not repeated.
    expect(await h2.digest('x.go')).toBe(sha('bbbb'));
    expect(reads).toBe(2);
    await h2.save();

    now = T + 5000; // the next build reads it again, well after the last write: now trusted
    const h3 = hasher({ fs: coarse, now: () => now });
    await h3.load();
    expect(await h3.digest('x.go')).toBe(sha('bbbb'));
    expect(reads).toBe(3);
    await h3.save();
    const h4 = hasher({ fs: coarse, now: () => now });
    await h4.load();
    expect(await h4.digest('x.go')).toBe(sha('bbbb'));
    expect(reads).toBe(3);
  });

  it('does not trust a read whose content length disagrees with the stat (file changed while reading)', async () => {
    await write('moving.go', 'abc');
    let reads = 0;
    const racing: HasherFs = {
      stat: (p) => nodeHasherFs.stat(p),
      readFile: () => {
        reads++;
        return Buffer.from('abcdef');
      },
    };
    const h = hasher({ fs: racing });
    await h.digest('moving.go');
    await h.digest('moving.go');
    expect(reads).toBe(2);
  });
});

describe('FileHasher derived values', () => {
  interface Header {
    readonly pkg: string;
    readonly lines: number;
  }
  let calls = 0;
  const parse = (version: string) => ({
    version,
    fn(_p: WorkspacePath, content: Buffer): Header {
      calls++;
      const text = content.toString('utf8');
      return { pkg: /^package (\w+)/m.exec(text)?.[1] ?? '', lines: text.split('\n').length };
    },
  });

  beforeEach(async () => {
    calls = 0;
    await write('a.go', 'package alpha\n\nimport "fmt"\n');
    await write('b.go', 'package beta\n');
  });

  it('computes the value from the same read as the digest, and caches both', async () => {
    const c1 = countingFs();
    const h1 = hasher({ fs: c1, derive: parse('v1') });
    const a = await h1.derived('a.go');
    expect(a).toEqual({ digest: sha('package alpha\n\nimport "fmt"\n'), value: { pkg: 'alpha', lines: 4 } });
    expect(await h1.digest('a.go')).toBe(a.digest);
    expect(await h1.derived('a.go')).toEqual(a);
    expect(c1.totalReads()).toBe(1);
    expect(calls).toBe(1);
    await h1.digest('b.go'); // a plain digest computes the derived value too: one read serves both
    await h1.save();

    const c2 = countingFs();
    const h2 = hasher({ fs: c2, derive: parse('v1') });
    await h2.load();
    expect(await h2.derived('a.go')).toEqual(a);
    expect((await h2.derived('b.go')).value).toEqual({ pkg: 'beta', lines: 2 });
    expect(c2.totalReads()).toBe(0);
    expect(calls).toBe(2);
  });

  it('recomputes cached values when derive.version changes', async () => {
    const h1 = hasher({ derive: parse('v1') });
    await h1.digestMany(['a.go', 'b.go']);
    await h1.save();
    calls = 0;

    const c2 = countingFs();
    const h2 = hasher({ fs: c2, derive: parse('v2') });
    await h2.load();
    expect((await h2.derived('a.go')).value).toEqual({ pkg: 'alpha', lines: 4 });
    expect(c2.totalReads()).toBe(1);
    expect(calls).toBe(1);
    await h2.digest('b.go');
    expect(await h2.save()).toEqual({ ok: true, value: true });

    const c3 = countingFs();
    const h3 = hasher({ fs: c3, derive: parse('v2') });
    await h3.load();
    await h3.derived('a.go');
    await h3.derived('b.go');
    expect(c3.totalReads()).toBe(0);
  });

  it('keeps digests (not derived values) usable by a hasher without derive, and back', async () => {
    const h1 = hasher({ derive: parse('v1') });
    await h1.digestMany(['a.go', 'b.go']);
    await h1.save();
    const c2 = countingFs();
    const plain = hasher({ fs: c2 });
    await plain.load();
    await plain.digestMany(['a.go', 'b.go']);
    expect(c2.totalReads()).toBe(0);
    await expect(plain.derived('a.go')).rejects.toThrow(/derive option/);
  });

  it('hands back JSON data, the same whether fresh or cached', async () => {
    const odd = { version: 'odd', fn: () => ({ when: new Date(0), gone: undefined, list: [undefined] }) };
    const h1 = hasher({ derive: odd });
    const fresh = await h1.derived('a.go');
    await h1.save();
    const h2 = hasher({ derive: odd });
    await h2.load();
    const cached = await h2.derived('a.go');
    expect(fresh.value).toEqual({ when: '1970-01-01T00:00:00.000Z', list: [null] });
    expect(cached.value).toEqual(fresh.value);
    const nothing = hasher({ derive: { version: 'u', fn: () => undefined }, statCachePath: undefined });
    expect((await nothing.derived('b.go')).value).toBeNull();
  });
});
