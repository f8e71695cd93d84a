import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Sha256, WorkspacePath } from '../types.js';
import { fromWorkspacePath } from '../util/fs-paths.js';
import { err, ok, type Result } from '../util/result.js';
import { errnoCode, errorMessage, isNotFound } from './errno.js';
import { hashBytes } from './hash-bytes.js';
import { nodeHasherFs, type HasherFs, type HasherStat } from './hasher-fs.js';
import { decodeStatCache, encodeStatCache, type StoredEntry } from './stat-cache-file.js';
import { olderThanRacyWindow, statKeyOf } from './stat-key.js';

/**
 * How far back from the moment a file is read its timestamps must lie for the read to be
 * trusted later. 2 s is the coarsest mtime granularity gob is likely to meet: FAT/exFAT store
 * 2 s, and ext3, HFS+, many NFS/SMB mounts and Docker Desktop bind mounts store 1 s. Within that
 * window a second write can leave size, mtime and ctime exactly as we recorded them (git's
 * "racy clean" problem). ext4/xfs/btrfs/APFS keep nanoseconds but advance them by a kernel tick
 * (1–10 ms), far inside the window. The only cost of a wide window is that a file saved less
 * than 2 s before a build is read once more by the next build.
 */
export const DEFAULT_RACY_WINDOW_MS = 2000;

/**
 * A value computed from a file's content in the same read that hashes it, cached next to the
 * digest (gob caches each Go file's parsed header this way, so the scanner reads nothing on a
 * no-op build either).
 */
export interface DeriveSpec<D> {
  /** Change it whenever `fn` could return something different for the same content. */
  readonly version: string;
  /**
   * Called once per read of every file the hasher reads (return `null` quickly for files you do
   * not care about). The result must be JSON data: it is stored with `JSON.stringify` and
   * `derived()` returns it as `JSON.parse` gives it back, also in the build that computed it,
   * so a cached build sees exactly what a clean one sees (`undefined` becomes `null`).
   * A throw is a bug and rejects the `digest`/`derived` call. `content` is only valid during
   * the call (the hasher reads into a buffer it reuses): keep none of it.
   */
  fn(path: WorkspacePath, content: Buffer): D;
  /**
   * `fn` returns plain JSON data only — values that `JSON.parse(JSON.stringify(v))` gives back
   * unchanged (no `undefined` in arrays, no Dates or class instances). Then a value computed in
   * this build is handed out as it is, without the round trip through JSON text (which costs as
   * much as computing it). Callers must treat values as read-only either way.
   */
  readonly plainData?: boolean | undefined;
}

export interface FileHasherOptions<D = unknown> {
  /** Absolute workspace root; every path given to the hasher is relative to it. */
  readonly root: string;
  /** Absolute path of the persistent stat cache file; undefined keeps the cache in memory only. */
  readonly statCachePath?: string | undefined;
  /** Defaults to the real file system. Only workspace files go through it, not the cache file. */
  readonly fs?: HasherFs | undefined;
  readonly derive?: DeriveSpec<D> | undefined;
  /** Wall clock in ms since the epoch; defaults to `Date.now`. */
  readonly now?: (() => number) | undefined;
  /** See `DEFAULT_RACY_WINDOW_MS`. */
  readonly racyWindowMs?: number | undefined;
}

/** Why a file could not be hashed. The caller usually turns it into a diagnostic. */
export type HashFailure =
  | { readonly reason: 'missing'; readonly path: WorkspacePath }
  | { readonly reason: 'not-a-file'; readonly path: WorkspacePath }
  | { readonly reason: 'unreadable'; readonly path: WorkspacePath; readonly message: string };

/** Thrown by `digest`, `derived` and `digestMany`; `tryDigest`/`tryDerived` return the failure instead. */
export class HashFileError extends Error {
  override readonly name = 'HashFileError';
  constructor(readonly failure: HashFailure) {
    super(describeHashFailure(failure));
  }
}

export function describeHashFailure(f: HashFailure): string {
  switch (f.reason) {
    case 'missing':
      return `${f.path}: file does not exist (deleted during the build?)`;
    case 'not-a-file':
      return `${f.path}: not a regular file`;
    case 'unreadable':
      return `${f.path}: cannot read: ${f.message}`;
  }
}

/** One answer of a hasher (see `FileHasher.answered`). */
export interface AnsweredFile {
  readonly path: WorkspacePath;
  readonly statKey: string;
  /** The stat behind `statKey` as numbers, when this instance took it (else parse `statKey`). */
  readonly stat?: HasherStat | undefined;
  readonly digest: Sha256;
  readonly trusted: boolean;
  readonly derivedJson: string | undefined;
}

export interface Derived<D> {
  readonly digest: Sha256;
  readonly value: D;
}

export interface StatCacheSaveFailure {
  readonly reason: 'write-failed';
  readonly path: string;
  readonly message: string;
}

/** Counters since construction, for logs and `gob explain`. */
export interface FileHasherStats {
  /** Entries in the stat cache. */
  readonly entries: number;
  readonly statCalls: number;
  /** Workspace files read (each read hashes the file and computes its derived value). */
  readonly fileReads: number;
  /** Lookups answered from the stat cache without reading the file. */
  readonly cacheHits: number;
}

interface Entry {
  /** `size:mtimeMs:ctimeMs:inode` (stat-key.ts); the entry holds only while the file's stat gives the same. */
  readonly statKey: string;
  readonly digest: Sha256;
  /**
   * False when the file's mtime or ctime was within the racy window of the moment we started
   * reading it (or its size changed under us): a later write could then leave the stat unchanged,
   * so the entry is re-read on its next use and never saved.
   */
  readonly trusted: boolean;
  /** Read by this instance (not loaded from disk): reusable for the same stat key even if racy. */
  readonly readHere: boolean;
  /** `derive.fn`'s value for the content that gave `digest`, as JSON text; absent if it did not run. */
  readonly derivedJson: string | undefined;
  /** The value itself, when computed here from plain data (`DeriveSpec.plainData`). */
  readonly derivedValue?: unknown;
  /** The stat the entry was read after, when read here. */
  readonly stat?: HasherStat;
}

/**
 * Content digests of workspace files, remembered by (size, mtime, ctime, inode) across builds
 * in a persistent stat cache, so a no-op build stats every input but reads none it has read
 * before. Each read also feeds `derive.fn`, whose value is cached with the digest.
 *
 * Racy timestamps: a read is trusted later only if the file's mtime and ctime are more than
 * `racyWindowMs` older than the moment the lookup began (clock read before the stat). Otherwise
 * a second write in the same timestamp tick could leave the stat unchanged, so the entry is
 * re-read by the next build and not saved. This is per entry rather than git's one timestamp for
 * the whole index: an entry read in an earlier build and not looked at since stays trusted.
 *
 * One instance is one build's snapshot: within it a file is read at most once per stat key, even
 * when its timestamps are racy (several targets share library files). Create a new instance for
 * the next build (watch mode included), so racy entries are re-read then.
 *
 * Failures: a file that is missing, not a regular file or unreadable is an expected outcome
 * (the user deleted it mid-build), so `tryDigest`/`tryDerived` return it as a `HashFailure`;
 * `digest`, `derived` and `digestMany` throw it as a `HashFileError` carrying the same value,
 * and `digestIfExists` answers undefined for a missing file.
 *
 * Lookups are synchronous inside (the promise methods answer from them): see HasherFs. The
 * hasher does not watch files: every lookup stats the file again, so a long-lived hasher (watch
 * mode) sees edits.
 *
 * Call `load()` once before the first lookup and `save()` at the end of a build. It does not
 * prune entries of files nobody asks about any more (a deleted file's entry goes when it is next
 * looked up); an entry is about 180 bytes plus its derived value.
 */
export class FileHasher<D = unknown> {
  readonly #root: string;
  readonly #statCachePath: string | undefined;
  readonly #fs: HasherFs;
  readonly #derive: DeriveSpec<D> | undefined;
  readonly #now: () => number;
  readonly #racyWindowMs: number;

  readonly #entries = new Map<WorkspacePath, Entry>();
  /** Paths this instance answered for (not those only loaded from disk), in first-answer order. */
  readonly #answered = new Set<WorkspacePath>();
  /** The derive version stored with derived values when this hasher has no `derive` of its own. */
  #storedDeriveVersion: string | null = null;
  #dirty = false;
  #saving: Promise<unknown> = Promise.resolve();
  #statCalls = 0;
  #fileReads = 0;
  #cacheHits = 0;

  constructor(options: FileHasherOptions<D>) {
    this.#root = options.root;
    this.#statCachePath = options.statCachePath;
    this.#fs = options.fs ?? nodeHasherFs;
    this.#derive = options.derive;
    this.#now = options.now ?? Date.now;
    this.#racyWindowMs = options.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS;
    this.#storedDeriveVersion = options.derive?.version ?? null;
  }

  /**
   * Reads the persistent stat cache. A missing, unreadable, corrupt or other-version file means
   * starting empty; this never rejects. Entries already looked up in this process win.
   */
  async load(): Promise<void> {
    if (this.#statCachePath === undefined) return;
    let text: string;
    try {
      text = await fsp.readFile(this.#statCachePath, 'utf8');
    } catch {
      return;
    }
    const file = decodeStatCache(text);
    if (file === undefined) {
      this.#dirty = true; // replace the damaged file at the next save
      return;
    }
    let keepDerived = true;
    if (this.#derive === undefined) this.#storedDeriveVersion = file.deriveVersion;
    else if (file.deriveVersion !== this.#derive.version) keepDerived = false;
    for (const e of file.entries) {
      if (this.#entries.has(e[0])) continue;
      const derivedJson = e.length === 4 && keepDerived ? e[3] : undefined;
      if (e.length === 4 && !keepDerived) this.#dirty = true;
      this.#entries.set(e[0], { statKey: e[1], digest: e[2], trusted: true, readHere: false, derivedJson });
    }
  }

  /**
   * Writes the stat cache atomically (temp file beside it, then rename) if anything changed
   * since it was loaded or last saved. Entries that are not trusted yet are left out. Resolves to
   * whether it wrote; a write failure is returned, not thrown: a build that cannot save its stat
   * cache is still correct, only the next one is slower.
   */
  async save(): Promise<Result<boolean, StatCacheSaveFailure>> {
    const run = this.#saving.then(() => this.#writeCacheFile());
    this.#saving = run;
    return run;
  }

  /** The file's SHA-256. Rejects with `HashFileError` if it is missing, not a file or unreadable. */
  async digest(path: WorkspacePath): Promise<Sha256> {
    return unwrap(await this.tryDigest(path));
  }

  // The promise methods answer from the synchronous lookup: the file system calls are
  // synchronous (see HasherFs); they stay promises for their callers' sake.
  // eslint-disable-next-line @typescript-eslint/require-await
  async tryDigest(path: WorkspacePath): Promise<Result<Sha256, HashFailure>> {
    const r = this.#lookup(path);
    return r.ok ? ok(r.value.digest) : r;
  }

  /** The digest, or undefined if the file does not exist; other failures reject with `HashFileError`. */
  // eslint-disable-next-line @typescript-eslint/require-await
  async digestIfExists(path: WorkspacePath): Promise<Sha256 | undefined> {
    const r = this.#lookup(path);
    if (r.ok) return r.value.digest;
    if (r.error.reason === 'missing') return undefined;
    throw new HashFileError(r.error);
  }

  /** The digests of `paths`, in order. Rejects like `digest`. */
  // eslint-disable-next-line @typescript-eslint/require-await
  async digestMany(paths: readonly WorkspacePath[]): Promise<Sha256[]> {
    return paths.map((p) => unwrap(this.#lookup(p)).digest);
  }

  /**
   * The file's digest and `derive.fn`'s value for the same content, from the stat cache when
   * possible. Calling it on a hasher built without `derive` is a bug (throws).
   */
  async derived(path: WorkspacePath): Promise<Derived<D>> {
    return unwrap(await this.tryDerived(path));
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async tryDerived(path: WorkspacePath): Promise<Result<Derived<D>, HashFailure>> {
    return this.tryDerivedSync(path);
  }

  /**
   * `tryDerived` without a promise. The planner asks it for each of tens of thousands of files,
   * where a chain of promises per file costs more than the stat and the read.
   */
  tryDerivedSync(path: WorkspacePath): Result<Derived<D>, HashFailure> {
    if (this.#derive === undefined) throw new Error('FileHasher.derived() needs the derive option');
    const r = this.#lookup(path);
    if (!r.ok) return r;
    const { digest, derivedJson } = r.value;
    // #lookup only answers with entries carrying a derived value when derive is configured.
    if (derivedJson === undefined) throw new Error(`no derived value for ${path}`);
    if ('derivedValue' in r.value) return ok({ digest, value: r.value.derivedValue as D });
    // Parsed per call: every caller gets its own copy, so none can alter the cached value.
    return ok({ digest, value: JSON.parse(derivedJson) as D });
  }

  /**
   * What this instance answered for `paths` (or for every path it answered for, in the order it
   * first did): the stat key and digest it used, whether the stat was trusted (outside the racy
   * window), and the derived value's JSON text. Paths it was not asked about, or that failed,
   * are left out. gob's plan snapshot records these as the files a plan depends on.
   */
  answered(paths?: Iterable<WorkspacePath>): AnsweredFile[] {
    const out: AnsweredFile[] = [];
    for (const path of paths ?? this.#answered) {
      const e = this.#answered.has(path) ? this.#entries.get(path) : undefined;
      if (e !== undefined) out.push({ path, statKey: e.statKey, stat: e.stat, digest: e.digest, trusted: e.trusted, derivedJson: e.derivedJson });
    }
    return out;
  }

  /**
   * Adds entries known from elsewhere (a plan snapshot) as if loaded from the stat cache: used
   * while a stat still gives `statKey`. Entries this instance already has win.
   */
  seed(entries: Iterable<{ readonly path: WorkspacePath; readonly statKey: string; readonly digest: Sha256 }>): void {
    for (const e of entries) {
      if (this.#entries.has(e.path)) continue;
      this.#entries.set(e.path, { statKey: e.statKey, digest: e.digest, trusted: true, readHere: false, derivedJson: undefined });
    }
  }

  stats(): FileHasherStats {
    return {
      entries: this.#entries.size,
      statCalls: this.#statCalls,
      fileReads: this.#fileReads,
      cacheHits: this.#cacheHits,
    };
  }

  #lookup(path: WorkspacePath): Result<Entry, HashFailure> {
    const abs = fromWorkspacePath(this.#root, path);
    // Taken before the stat: every write we could miss happens after this moment.
    const startedAt = this.#now();
    let st: HasherStat;
    try {
      this.#statCalls++;
      st = this.#fs.stat(abs);
    } catch (e) {
      return this.#fail(path, e);
    }
    if (!st.isFile) return this.#fail(path, undefined);
    const statKey = statKeyOf(st);
    const hit = this.#cachedFor(path, statKey);
    if (hit !== undefined) return ok(hit);
    let content: Buffer;
    try {
      this.#fileReads++;
      content = this.#fs.readFile(abs);
    } catch (e) {
      return this.#fail(path, e);
    }
    return ok(this.#store(path, st, statKey, startedAt, content));
  }

  /** The entry for a file whose stat gave `statKey`, when it holds. */
  #cachedFor(path: WorkspacePath, statKey: string): Entry | undefined {
    const cached = this.#entries.get(path);
    if (
      cached !== undefined &&
      (cached.trusted || cached.readHere) &&
      cached.statKey === statKey &&
      (this.#derive === undefined || cached.derivedJson !== undefined)
    ) {
      this.#cacheHits++;
      this.#answered.add(path);
      return cached;
    }
    return undefined;
  }

  /** Hashes `content`, read after a stat gave `st`, and remembers it. */
  #store(path: WorkspacePath, st: HasherStat, statKey: string, startedAt: number, content: Buffer): Entry {
    const value = this.#derive?.fn(path, content);
    const entry: Entry = {
      statKey,
      stat: st,
      digest: hashBytes(content),
      trusted: content.length === st.size && this.#olderThanRacyWindow(st, startedAt),
      readHere: content.length === st.size,
      derivedJson: this.#derive === undefined ? undefined : toJsonText(value),
      ...(this.#derive?.plainData === true ? { derivedValue: value ?? null } : {}),
    };
    this.#entries.set(path, entry);
    this.#answered.add(path);
    this.#dirty = true;
    return entry;
  }

  #olderThanRacyWindow(st: HasherStat, startedAtMs: number): boolean {
    return olderThanRacyWindow(st, startedAtMs, this.#racyWindowMs);
  }

  #fail(path: WorkspacePath, e: unknown): Result<Entry, HashFailure> {
    if (this.#entries.delete(path)) this.#dirty = true;
    if (e === undefined || errnoCode(e) === 'EISDIR') return err({ reason: 'not-a-file', path });
    if (isNotFound(e)) return err({ reason: 'missing', path });
    return err({ reason: 'unreadable', path, message: errorMessage(e) });
  }

  async #writeCacheFile(): Promise<Result<boolean, StatCacheSaveFailure>> {
    const target = this.#statCachePath;
    if (target === undefined || !this.#dirty) return ok(false);
    this.#dirty = false;
    const entries: StoredEntry[] = [];
    for (const [p, e] of this.#entries) {
      if (!e.trusted) continue;
      entries.push(e.derivedJson === undefined ? [p, e.statKey, e.digest] : [p, e.statKey, e.digest, e.derivedJson]);
    }
    const text = encodeStatCache({ deriveVersion: this.#storedDeriveVersion, savedAt: this.#now(), entries });
    const temp = `${target}.${String(process.pid)}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.writeFile(temp, text);
      await fsp.rename(temp, target);
      return ok(true);
    } catch (e) {
      this.#dirty = true;
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      return err({ reason: 'write-failed', path: target, message: errorMessage(e) });
    }
  }
}

function unwrap<T>(r: Result<T, HashFailure>): T {
  if (!r.ok) throw new HashFileError(r.error);
  return r.value;
}

/** A derived value's JSON text; `derived()` parses it, so fresh and cached values look the same. */
function toJsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
