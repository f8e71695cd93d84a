import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { errnoCode, isNotFound } from '../hashing/errno.js';
import { hashBytes, hashFileStreaming, isSha256 } from '../hashing/hash-bytes.js';
import { mapLimit } from '../hashing/map-limit.js';
import type { ActionKey, Sha256 } from '../types.js';
import type {
  ActionCacheStore,
  ActionResult,
  BlobRef,
  MaterializeOptions,
  PutBlobFromFileOptions,
} from './action-cache-store.js';
import { decodeActionResult, encodeActionResult } from './action-result-json.js';
import { copyAndHash } from './copy-and-hash.js';

const HOUR_MS = 60 * 60 * 1000;
/**
 * The file in a directory of `tmp/` that names the process using it (`markTempOwner`): such a
 * directory is not stale while that process lives, however long ago it was last modified.
 */
const TEMP_OWNER_FILE = '.owner';
/** Read-only, so nothing that finds a blob's path can edit it by accident. */
const ENTRY_MODE = 0o444;
const STAT_CONCURRENCY = 32;

export interface LocalCacheOptions {
  /** Absolute cache directory (the caller resolves GOB_CACHE_DIR, gob.yaml or `defaultCacheDir`). */
  readonly dir: string;
  /** `trim()` evicts least-recently-used entries until the cache holds at most this many bytes. */
  readonly maxSizeBytes?: number | undefined;
  /** Damage found in the cache (code `cache-corrupt`); the damaged entry is removed and treated as missing. */
  readonly onWarning?: ((diagnostic: Diagnostic) => void) | undefined;
  /** Wall clock in ms since the epoch; defaults to `Date.now`. */
  readonly now?: (() => number) | undefined;
  /**
   * An entry used by a build gets its mtime (the LRU clock) bumped, but only if it is older
   * than this, so a build of cached work does not write to every entry it reads. Default 1 h:
   * eviction order is exact to within an hour.
   */
  readonly touchAfterMs?: number | undefined;
  /**
   * A file in `tmp/` not modified for this long belongs to a writer that crashed or was killed;
   * `trim()` and `clear()` delete it. Younger ones may be another process's write in progress.
   * Default 1 h.
   */
  readonly staleTempAfterMs?: number | undefined;
  /**
   * Fault injection for tests: called when an entry's temp file is complete, just before it is
   * renamed into place. A throw here stands for a crash between write and rename.
   */
  readonly beforeCommit?: ((tempPath: string, finalPath: string) => void | Promise<void>) | undefined;
}

export interface CacheStats {
  readonly actionResults: number;
  readonly blobs: number;
  /** actionResults + blobs. */
  readonly entries: number;
  /** Total size of those files (temp files not included). */
  readonly bytes: number;
}

export interface TrimResult {
  readonly removedEntries: number;
  readonly removedBytes: number;
  /** Stale temp files and directories removed from `tmp/`. */
  readonly removedTemps: number;
  /** Size of the cache after trimming. */
  readonly bytes: number;
}

interface ScannedEntry {
  readonly file: string;
  readonly kind: 'ac' | 'cas';
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The local action cache and content-addressed store (DESIGN §6):
 *
 *     <dir>/cas/ab/ab12…   blobs, named by the SHA-256 of their content, mode 0444
 *     <dir>/ac/cd/cd34…    action results as JSON, named by action key, mode 0444
 *     <dir>/tmp/           staging: every entry is written here and renamed into place
 *
 * Safe to share between many processes without locks: entries appear only by rename within one
 * file system, so a reader sees a whole entry or none, and a crash (even kill -9) leaves at
 * most a file in `tmp/`, which is never read and is removed by `trim()` once stale. Two writers
 * of the same entry write the same bytes; the last rename wins. Deleting an entry (trim, clear,
 * corruption) only ever turns another process's hit into a miss.
 *
 * Writes are not fsynced: after a power loss an entry may exist with damaged content, which the
 * read checks below catch. Every blob read is verified against its name (`getBlob` hashes what
 * it read, `materializeBlob` hashes the copy before renaming it into place); `getActionResult`
 * checks that the result parses and that every blob it names exists with the recorded size
 * (content is verified when the blob is read or restored, not on every lookup).
 *
 * Recency for LRU eviction is the entry's mtime, bumped on use (see `touchAfterMs`).
 */
export class LocalCache implements ActionCacheStore {
  readonly dir: string;
  readonly #tmpDir: string;
  readonly #maxSizeBytes: number | undefined;
  readonly #onWarning: (d: Diagnostic) => void;
  readonly #now: () => number;
  readonly #touchAfterMs: number;
  readonly #staleTempAfterMs: number;
  readonly #beforeCommit: LocalCacheOptions['beforeCommit'];
  /** Entries this process already touched, so each gets at most one utimes per process. */
  readonly #touched = new Set<string>();
  /** Replaced gob-out files still being unlinked (see `materializeBlob`). */
  readonly #unlinking = new Set<Promise<void>>();
  #tempCounter = 0;

  constructor(options: LocalCacheOptions) {
    this.dir = options.dir;
    this.#tmpDir = path.join(options.dir, 'tmp');
    this.#maxSizeBytes = options.maxSizeBytes;
    this.#onWarning =
      options.onWarning ??
      (() => {
        /* ignored */
      });
    this.#now = options.now ?? Date.now;
    this.#touchAfterMs = options.touchAfterMs ?? HOUR_MS;
    this.#staleTempAfterMs = options.staleTempAfterMs ?? HOUR_MS;
    this.#beforeCommit = options.beforeCommit;
  }

  // --- ActionCacheStore ---------------------------------------------------------------------

  async getActionResult(key: ActionKey): Promise<ActionResult | undefined> {
    const file = this.#acPath(key);
    let text: string;
    let mtimeMs: number;
    try {
      // Synchronous: a no-op build looks up every action, and these are small local reads
      // (a promise round trip through the thread pool costs more than the read itself).
      const fd = fs.openSync(file, 'r');
      try {
        mtimeMs = fs.fstatSync(fd).mtimeMs;
        text = fs.readFileSync(fd, 'utf8');
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const result = decodeActionResult(text);
    if (result === undefined) {
      await this.#corrupt(file, `malformed action result for key ${key}`);
      return undefined;
    }
    const refs: [Sha256, number | undefined][] = result.outputs.map((o) => [o.digest, o.size]);
    for (const d of [result.stdoutDigest, result.stderrDigest, result.manifestDigest]) {
      if (d !== undefined) refs.push([d, undefined]);
    }
    const present = await Promise.all(refs.map(([digest, size]) => this.#blobPresent(digest, size)));
    if (!present.every(Boolean)) return undefined;
    await this.#touch(file, mtimeMs);
    return result;
  }

  async putActionResult(key: ActionKey, result: ActionResult): Promise<void> {
    const file = this.#acPath(key);
    const text = encodeActionResult(result);
    if (decodeActionResult(text) === undefined) {
      throw new Error(`refusing to store an invalid action result for key ${key}`);
    }
    await this.#writeEntry(file, text);
  }

  async hasBlob(digest: Sha256): Promise<boolean> {
    return this.#blobPresent(digest, undefined);
  }

  async getBlob(digest: Sha256): Promise<Buffer | undefined> {
    const file = this.#casPath(digest);
    let data: Buffer;
    let mtimeMs: number;
    try {
      const fh = await fsp.open(file, 'r');
      try {
        mtimeMs = (await fh.stat()).mtimeMs;
        data = await fh.readFile();
      } finally {
        await fh.close();
      }
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    if (hashBytes(data) !== digest) {
      await this.#corrupt(file, `blob ${digest} does not match its digest`);
      return undefined;
    }
    await this.#touch(file, mtimeMs);
    return data;
  }

  async putBlob(bytes: Uint8Array): Promise<BlobRef> {
    const ref: BlobRef = { digest: hashBytes(bytes), size: bytes.byteLength };
    const file = this.#casPath(ref.digest);
    if (!(await this.#blobPresent(ref.digest, ref.size))) await this.#writeEntry(file, bytes);
    return ref;
  }

  async putBlobFromFile(absPath: string, options?: PutBlobFromFileOptions): Promise<BlobRef> {
    const move = options?.move === true;
    if (move) {
      const moved = await this.#moveIn(absPath);
      if (moved !== undefined) return moved;
    }
    const ref = await this.#copyIn(absPath);
    if (move) await fsp.rm(absPath, { force: true });
    return ref;
  }

  async materializeBlob(digest: Sha256, destAbs: string, options: MaterializeOptions): Promise<boolean> {
    const src = this.#casPath(digest);
    let mtimeMs: number;
    try {
      mtimeMs = (await fsp.stat(src)).mtimeMs;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
    const destDir = path.dirname(destAbs);
    await fsp.mkdir(destDir, { recursive: true });
    const temp = path.join(destDir, `.${path.basename(destAbs)}.gob-${this.#uniqueSuffix()}.tmp`);
    try {
      try {
        // A reflink where the file system can (btrfs, xfs, APFS), else a plain copy: either
        // way `dest` is a new inode, so editing it can never reach the blob.
        await fsp.copyFile(src, temp, fsConstants.COPYFILE_FICLONE);
      } catch (e) {
        if (isNotFound(e)) return false; // trimmed by another process since the stat
        throw e;
      }
      if (options.verify !== false && (await hashFileStreaming(temp)) !== digest) {
        await this.#corrupt(src, `blob ${digest} does not match its digest`);
        return false;
      }
      await fsp.chmod(temp, options.executable ? 0o755 : 0o644);
      // Renaming over a large file frees its blocks inside the rename (~3 ms for a 5 MB binary
      // on ext4). With a second link to it the rename only drops a name, and the file is
      // unlinked afterwards, outside the build's path (`settle`). `destAbs` is replaced
      // atomically either way.
      const held = `${temp}.old`;
      const holding = await fsp.link(destAbs, held).then(
        () => true,
        () => false,
      );
      try {
        await fsp.rename(temp, destAbs);
      } finally {
        // Renamed or not, the second name goes: on failure it names the file still at destAbs.
        if (holding) this.#unlinkLater(held);
      }
    } finally {
      await fsp.rm(temp, { force: true });
    }
    await this.#touch(src, mtimeMs);
    return true;
  }

  /** Waits until the files `materializeBlob` replaced are unlinked. Never rejects. */
  async settle(): Promise<void> {
    while (this.#unlinking.size > 0) await Promise.all([...this.#unlinking]);
  }

  #unlinkLater(file: string): void {
    const p: Promise<void> = fsp.rm(file, { force: true }).then(
      () => {
        this.#unlinking.delete(p);
      },
      () => {
        // A name left behind in gob-out; the next `gob clean` takes it.
        this.#unlinking.delete(p);
      },
    );
    this.#unlinking.add(p);
  }

  // --- maintenance ----------------------------------------------------------------------------

  /** Counts what the cache holds. Walks the whole cache, so call it when needed, not per action. */
  async stats(): Promise<CacheStats> {
    const entries = await this.#scan();
    const actionResults = entries.filter((e) => e.kind === 'ac').length;
    return {
      actionResults,
      blobs: entries.length - actionResults,
      entries: entries.length,
      bytes: entries.reduce((n, e) => n + e.size, 0),
    };
  }

  /**
   * Removes stale temp files, then, if the cache is over `maxSizeBytes`, least-recently-used
   * entries (action results and blobs alike, oldest mtime first) until it is not. Safe while
   * other processes use the cache: an entry touched since the scan is kept, and deleting one
   * another process is about to read only makes that read a miss. Evicting a blob makes the
   * action results naming it misses; evicting a result leaves its blobs to age out.
   */
  async trim(): Promise<TrimResult> {
    const removedTemps = await this.#removeStaleTemps();
    const entries = await this.#scan();
    let bytes = entries.reduce((n, e) => n + e.size, 0);
    let removedEntries = 0;
    let removedBytes = 0;
    const max = this.#maxSizeBytes;
    if (max !== undefined && bytes > max) {
      entries.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.file < b.file ? -1 : 1));
      for (const e of entries) {
        if (bytes <= max) break;
        let current: { mtimeMs: number } | undefined;
        try {
          current = await fsp.lstat(e.file);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        if (current !== undefined) {
          if (current.mtimeMs > e.mtimeMs) continue; // used since the scan
          await fsp.rm(e.file, { force: true });
          removedEntries++;
          removedBytes += e.size;
        }
        bytes -= e.size;
        this.#touched.delete(e.file);
      }
    }
    return { removedEntries, removedBytes, removedTemps, bytes };
  }

  /**
   * Empties the cache (`gob clean --cache`): `ac/` and `cas/` are renamed into `tmp/` in one step
   * each (other processes then see misses, never half a directory) and deleted. Temp files of
   * writes still in progress elsewhere are left alone; stale ones go.
   */
  async clear(): Promise<void> {
    await fsp.mkdir(this.#tmpDir, { recursive: true });
    for (const kind of ['ac', 'cas'] as const) {
      const doomed = path.join(this.#tmpDir, `clear-${kind}-${this.#uniqueSuffix()}`);
      try {
        await fsp.rename(path.join(this.dir, kind), doomed);
      } catch (e) {
        if (isNotFound(e)) continue;
        throw e;
      }
      await fsp.rm(doomed, { recursive: true, force: true });
    }
    this.#touched.clear();
    await this.#removeStaleTemps();
  }

  // --- internals ------------------------------------------------------------------------------

  #casPath(digest: Sha256): string {
    if (!isSha256(digest)) throw new Error(`not a SHA-256 digest: ${JSON.stringify(digest)}`);
    return path.join(this.dir, 'cas', digest.slice(0, 2), digest);
  }

  #acPath(key: ActionKey): string {
    const name: string = key; // not `key` itself: the guard would narrow an ActionKey to never
    if (!isSha256(name)) throw new Error(`not an action key: ${JSON.stringify(key)}`);
    return path.join(this.dir, 'ac', key.slice(0, 2), key);
  }

  #uniqueSuffix(): string {
    return `${String(process.pid)}-${randomBytes(6).toString('hex')}-${String(this.#tempCounter++)}`;
  }

  async #newTempPath(): Promise<string> {
    // One mkdir per write: cheap next to the write, and it survives someone deleting the cache.
    await fsp.mkdir(this.#tmpDir, { recursive: true });
    return path.join(this.#tmpDir, this.#uniqueSuffix());
  }

  /** Writes a complete entry to a temp file and renames it into place. */
  async #writeEntry(file: string, data: Uint8Array | string): Promise<void> {
    const temp = await this.#newTempPath();
    try {
      await fsp.writeFile(temp, data, { mode: ENTRY_MODE, flag: 'wx' });
    } catch (e) {
      await fsp.rm(temp, { force: true });
      throw e;
    }
    await this.#commit(temp, file);
  }

  /** Renames a finished temp file into place (replacing an identical entry if one appeared), or removes it. */
  async #commit(temp: string, file: string): Promise<void> {
    try {
      await this.#beforeCommit?.(temp, file);
      try {
        await fsp.rename(temp, file);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        await fsp.mkdir(path.dirname(file), { recursive: true }); // first entry in this shard
        await fsp.rename(temp, file);
      }
    } catch (e) {
      await fsp.rm(temp, { force: true });
      throw e;
    }
  }

  async #copyIn(src: string): Promise<BlobRef> {
    const temp = await this.#newTempPath();
    let ref: BlobRef;
    try {
      ref = await copyAndHash(src, temp, ENTRY_MODE);
      if (await this.#blobPresent(ref.digest, ref.size)) {
        await fsp.rm(temp, { force: true });
        return ref;
      }
    } catch (e) {
      await fsp.rm(temp, { force: true });
      throw e;
    }
    await this.#commit(temp, this.#casPath(ref.digest));
    return { ...ref, written: true };
  }

  /**
   * Takes a disposable file into the CAS by renaming it (no copy). Undefined when that is not
   * possible or not safe, and the caller copies instead: another file system (EXDEV), not a
   * regular file, or another hard link to the same inode (a write through that name would
   * change the blob).
   */
  async #moveIn(absPath: string): Promise<BlobRef | undefined> {
    const st = await fsp.lstat(absPath);
    if (!st.isFile() || st.nlink > 1) return undefined;
    const temp = await this.#newTempPath();
    try {
      await fsp.rename(absPath, temp);
    } catch (e) {
      if (errnoCode(e) === 'EXDEV') return undefined;
      throw e;
    }
    try {
      // Checked and hashed after the rename: from here on no other name can reach this inode
      // (unless a link was added in between, and then we copy after all).
      const owned = await fsp.lstat(temp);
      if (owned.nlink > 1) return await this.#copyIn(temp);
      const ref: BlobRef = { digest: await hashFileStreaming(temp), size: owned.size };
      if (await this.#blobPresent(ref.digest, ref.size)) return ref;
      await fsp.chmod(temp, ENTRY_MODE);
      await this.#commit(temp, this.#casPath(ref.digest));
      return { ...ref, written: true };
    } finally {
      await fsp.rm(temp, { force: true });
    }
  }

  /**
   * Whether a blob exists (with `size`, if given); touches it if so. A blob of the wrong size is
   * damaged: it is reported and removed.
   */
  async #blobPresent(digest: Sha256, size: number | undefined): Promise<boolean> {
    const file = this.#casPath(digest);
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    if (st === undefined) return false;
    if (size !== undefined && st.size !== size) {
      await this.#corrupt(file, `blob ${digest} has ${String(st.size)} bytes, expected ${String(size)}`);
      return false;
    }
    await this.#touch(file, st.mtimeMs);
    return true;
  }

  async #corrupt(file: string, what: string): Promise<void> {
    this.#onWarning({
      severity: 'warning',
      code: 'cache-corrupt',
      message: `cache entry is damaged: ${what}; removed it (it will be rebuilt)`,
      location: { file },
    });
    await fsp.rm(file, { force: true });
  }

  /** Marks an entry as recently used for LRU eviction (cheaply: see `touchAfterMs`). */
  async #touch(file: string, mtimeMs: number): Promise<void> {
    const now = this.#now();
    if (now - mtimeMs < this.#touchAfterMs || this.#touched.has(file)) return;
    this.#touched.add(file);
    const t = now / 1000;
    // Failure (the entry was just trimmed, or belongs to another user) only costs LRU accuracy.
    await fsp.utimes(file, t, t).catch(() => undefined);
  }

  async #scan(): Promise<ScannedEntry[]> {
    const files: { file: string; kind: 'ac' | 'cas' }[] = [];
    for (const kind of ['ac', 'cas'] as const) {
      const top = path.join(this.dir, kind);
      for (const shard of await readdirIfExists(top)) {
        if (!/^[0-9a-f]{2}$/.test(shard)) continue;
        for (const name of await readdirIfExists(path.join(top, shard))) {
          if (isSha256(name) && name.startsWith(shard)) files.push({ file: path.join(top, shard, name), kind });
        }
      }
    }
    const stats = await mapLimit(files, STAT_CONCURRENCY, async ({ file, kind }) => {
      try {
        const st = await fsp.lstat(file);
        return { file, kind, size: st.size, mtimeMs: st.mtimeMs };
      } catch (e) {
        if (isNotFound(e)) return undefined; // removed by another process meanwhile
        throw e;
      }
    });
    return stats.filter((s) => s !== undefined);
  }

  /**
   * Removes only what writers that crashed left in `tmp/` (see `staleTempAfterMs`); returns how
   * many. Cheap: it lists `tmp/`, not the cache. `trim()` does this too.
   */
  async removeStaleTemps(): Promise<number> {
    return this.#removeStaleTemps();
  }

  async #removeStaleTemps(): Promise<number> {
    const names = await readdirIfExists(this.#tmpDir);
    const now = this.#now();
    let removed = 0;
    for (const name of names) {
      const p = path.join(this.#tmpDir, name);
      try {
        const st = await fsp.lstat(p);
        if (now - st.mtimeMs < this.#staleTempAfterMs) continue;
        // A build's staging directory keeps the mtime it had when go started: a build that runs
        // for hours is not a crashed one while its process lives.
        if (st.isDirectory() && (await ownerIsAlive(p))) continue;
      } catch (e) {
        if (isNotFound(e)) continue;
        throw e;
      }
      await fsp.rm(p, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }
}

/**
 * Marks `dir`, a directory of the cache's `tmp/` that this process is using for longer than a
 * write (a build's staging directory), as this process's: `trim()` and `removeStaleTemps()` of
 * any process on this host leave it alone while this one lives, however old it is. Best effort:
 * an unmarked directory is judged by its age alone.
 */
export async function markTempOwner(dir: string): Promise<void> {
  await fsp.writeFile(path.join(dir, TEMP_OWNER_FILE), JSON.stringify({ pid: process.pid, host: os.hostname() })).catch(() => undefined);
}

/** Whether the process that marked `dir` (`markTempOwner`) runs on this host still. */
async function ownerIsAlive(dir: string): Promise<boolean> {
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(await fsp.readFile(path.join(dir, TEMP_OWNER_FILE), 'utf8')) as { pid?: unknown; host?: unknown };
  } catch {
    return false;
  }
  if (typeof owner.pid !== 'number' || !Number.isInteger(owner.pid) || owner.pid <= 0 || owner.host !== os.hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    // EPERM: it lives, under another user.
    return errnoCode(e) === 'EPERM';
  }
}

async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}
