/**
 * The behaviour every `ActionCacheStore` backend must have, as one vitest suite (STYLE §8):
 * the local cache runs it in `local-cache.test.ts`, and each remote backend's test file calls
 * `describeActionCacheStoreContract` with its own factory. Backend-specific behaviour (layout,
 * eviction, crash safety) is tested beside each backend.
 *
 * This module imports vitest, so only test files may import it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import type { ActionKey, Sha256 } from '../types.js';
import type { ActionCacheStore, ActionResult } from './action-cache-store.js';

export interface StoreUnderTest {
  readonly store: ActionCacheStore;
  /** Everything the store reported through its onWarning callback. */
  readonly warnings: readonly Diagnostic[];
  /** Tears the store (and anything it started) down. */
  close(): Promise<void>;
}

export function digestOf(content: string | Uint8Array): Sha256 {
  return createHash('sha256').update(content).digest('hex') as Sha256;
}

export function keyOf(name: string): ActionKey {
  return digestOf(`action key ${name}`) as string as ActionKey;
}

export function describeActionCacheStoreContract(backend: string, open: () => Promise<StoreUnderTest>): void {
  describe(`ActionCacheStore contract: ${backend}`, () => {
    let sut: StoreUnderTest;
    let store: ActionCacheStore;
    let scratch: string;

    beforeEach(async () => {
      sut = await open();
      store = sut.store;
      scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-contract-'));
    });
    afterEach(async () => {
      await sut.close();
      await fs.rm(scratch, { recursive: true, force: true });
    });

    async function scratchFile(name: string, content: string | Uint8Array): Promise<string> {
      const p = path.join(scratch, name);
      await fs.writeFile(p, content);
      return p;
    }

    it('stores and returns blobs by digest', async () => {
      const bytes = Buffer.from('hello, cache\n');
      expect(await store.hasBlob(digestOf(bytes))).toBe(false);
      const ref = await store.putBlob(bytes);
      expect(ref).toEqual({ digest: digestOf(bytes), size: bytes.length });
      expect(await store.hasBlob(ref.digest)).toBe(true);
      expect(await store.getBlob(ref.digest)).toEqual(bytes);
      expect(sut.warnings).toEqual([]);
    });

    it('stores the empty blob and accepts the same blob twice', async () => {
      const empty = await store.putBlob(new Uint8Array(0));
      expect(empty).toEqual({ digest: digestOf(''), size: 0 });
      expect(await store.getBlob(empty.digest)).toEqual(Buffer.alloc(0));
      const a = await store.putBlob(Buffer.from('twice'));
      const b = await store.putBlob(Buffer.from('twice'));
      expect(b).toEqual(a);
      expect((await store.getBlob(a.digest))?.toString()).toBe('twice');
    });

    it('answers a miss for a blob it never stored', async () => {
      expect(await store.getBlob(digestOf('never stored'))).toBeUndefined();
      expect(await store.hasBlob(digestOf('never stored'))).toBe(false);
    });

    it('stores a file by copying it, hashing while it copies', async () => {
      const big = Buffer.alloc(3 * 1024 * 1024 + 5);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
      const src = await scratchFile('big.bin', big);
      const ref = await store.putBlobFromFile(src);
      expect(ref).toMatchObject({ digest: digestOf(big), size: big.length });
      expect((await fs.readFile(src)).equals(big)).toBe(true); // the source is untouched
      expect((await store.getBlob(ref.digest))?.equals(big)).toBe(true);
    });

    it('stores a disposable file given with move, which is gone afterwards', async () => {
      const src = await scratchFile('out.bin', 'linked binary');
      const ref = await store.putBlobFromFile(src, { move: true });
      expect(ref).toMatchObject({ digest: digestOf('linked binary'), size: 13 });
      await expect(fs.access(src)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await store.getBlob(ref.digest))?.toString()).toBe('linked binary');
      // Moving in a blob the store already has is fine too; the blob is then not the file's bytes.
      const again = await store.putBlobFromFile(await scratchFile('out2.bin', 'linked binary'), { move: true });
      expect(again).toMatchObject({ digest: ref.digest, size: ref.size });
      expect(again.written).not.toBe(true);
    });

    it('stores and returns action results', async () => {
      const bin = await store.putBlob(Buffer.from('\x7fELF binary'));
      const log = await store.putBlob(Buffer.from('warning: something\n'));
      const manifest = await store.putBlob(Buffer.from('{"schema":1}'));
      const result: ActionResult = {
        outputs: [
          { path: 'payment', digest: bin.digest, size: bin.size, executable: true },
          { path: 'docs/notes.txt', digest: log.digest, size: log.size, executable: false },
        ],
        exitCode: 0,
        stderrDigest: log.digest,
        manifestDigest: manifest.digest,
        durationMs: 1234.5,
        createdAt: '2025-11-23T10:00:00.000Z',
      };
      expect(await store.getActionResult(keyOf('a'))).toBeUndefined();
      await store.putActionResult(keyOf('a'), result);
      expect(await store.getActionResult(keyOf('a'))).toEqual(result);
      // Writing the same entry again (another process finishing the same action) is fine.
      await store.putActionResult(keyOf('a'), result);
      expect(await store.getActionResult(keyOf('a'))).toEqual(result);
      expect(await store.getActionResult(keyOf('b'))).toBeUndefined();
      expect(sut.warnings).toEqual([]);
    });

    it('treats an action result as a miss when a blob it names is missing', async () => {
      const bin = await store.putBlob(Buffer.from('present'));
      const absent = digestOf('never stored');
      const base: ActionResult = {
        outputs: [{ path: 'bin', digest: bin.digest, size: bin.size, executable: true }],
        exitCode: 0,
        durationMs: 1,
        createdAt: '2025-11-23T10:00:00.000Z',
      };
      await store.putActionResult(keyOf('output-missing'), {
        ...base,
        outputs: [...base.outputs, { path: 'other', digest: absent, size: 12, executable: false }],
      });
      await store.putActionResult(keyOf('log-missing'), { ...base, stdoutDigest: absent });
      await store.putActionResult(keyOf('manifest-missing'), { ...base, manifestDigest: absent });
      expect(await store.getActionResult(keyOf('output-missing'))).toBeUndefined();
      expect(await store.getActionResult(keyOf('log-missing'))).toBeUndefined();
      expect(await store.getActionResult(keyOf('manifest-missing'))).toBeUndefined();
    });

    it('materializes a blob atomically with the requested mode, creating the directory', async () => {
      const ref = await store.putBlob(Buffer.from('#!/bin/sh\necho hi\n'));
      const exe = path.join(scratch, 'gob-out', 'bin', 'services', 'payment', 'payment');
      expect(await store.materializeBlob(ref.digest, exe, { executable: true })).toBe(true);
      expect(await fs.readFile(exe, 'utf8')).toBe('#!/bin/sh\necho hi\n');
      expect((await fs.stat(exe)).mode & 0o777).toBe(0o755);
      const plain = path.join(scratch, 'notes.txt');
      expect(await store.materializeBlob(ref.digest, plain, { executable: false })).toBe(true);
      expect((await fs.stat(plain)).mode & 0o777).toBe(0o644);
      // No temp files are left beside the outputs.
      expect(await fs.readdir(path.dirname(exe))).toEqual(['payment']);
    });

    it('replaces an existing file when materializing', async () => {
      const dest = await scratchFile('out', 'old content that is longer');
      const ref = await store.putBlob(Buffer.from('new'));
      expect(await store.materializeBlob(ref.digest, dest, { executable: false })).toBe(true);
      expect(await fs.readFile(dest, 'utf8')).toBe('new');
    });

    it('returns false, and writes nothing, when materializing a missing blob', async () => {
      const dest = path.join(scratch, 'never');
      expect(await store.materializeBlob(digestOf('never stored'), dest, { executable: true })).toBe(false);
      await expect(fs.access(dest)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('editing a restored binary cannot change the cache', async () => {
      const original = Buffer.from('original binary content');
      const ref = await store.putBlob(original);
      const dest = path.join(scratch, 'restored');
      expect(await store.materializeBlob(ref.digest, dest, { executable: true })).toBe(true);
      // Every way a user or tool might edit it: overwrite in place, append, truncate.
      await fs.writeFile(dest, 'tampered!!');
      await fs.appendFile(dest, 'more');
      const fh = await fs.open(dest, 'r+');
      await fh.write('XX', 0);
      await fh.close();
      await fs.truncate(dest, 3);
      expect((await store.getBlob(ref.digest))?.equals(original)).toBe(true);
      const again = path.join(scratch, 'restored-again');
      expect(await store.materializeBlob(ref.digest, again, { executable: true })).toBe(true);
      expect((await fs.readFile(again)).equals(original)).toBe(true);
      expect(sut.warnings).toEqual([]);
    });

    it('rejects digests and keys that are not lower-case hex SHA-256', async () => {
      await expect(store.getBlob('../../etc/passwd' as Sha256)).rejects.toThrow();
      await expect(store.getActionResult('ABC' as ActionKey)).rejects.toThrow();
    });
  });
}
