/**
 * What a plan depended on in the file system, recorded while planning so that the next build can
 * tell — with one stat per entry — whether planning again would give the same plan.
 *
 * Four kinds of observation, each with how it is checked again:
 *
 * - a **file** whose content was read (gob.yaml, BUILD.yaml, go.mod, every Go source and input):
 *   its stat key and digest. Same stat key (outside the racy window) → same content; otherwise the
 *   file is read and its digest compared.
 * - a **directory** that was listed: its stat key and a hash of its entries (names and types).
 *   Same stat key → same entries; otherwise it is listed again and the hashes compared. Creating,
 *   deleting or renaming an entry changes a directory's mtime and ctime.
 * - a path found **missing**: it must still be missing.
 * - a path whose **type** alone was looked at (is gob.yaml here? is this symlink a directory?).
 *
 * Directories and files are stat'ed *before* they are read, so a change made while planning
 * shows up as a changed stat key next time, never as a stale one.
 */
import * as fs from 'node:fs';
import type { Dirent } from 'node:fs';
import * as nodePath from 'node:path';
import type { Sha256, WorkspacePath } from '../types.js';
import { DEFAULT_RACY_WINDOW_MS } from '../hashing/file-hasher.js';
import { hashBytes } from '../hashing/hash-bytes.js';
import { OUT_DIR } from '../actions/outputs.js';
import { isIgnoredName } from '../util/fs-paths.js';

export type EntryType = 'file' | 'dir' | 'other';

/**
 * A file version's identity as numbers — size, mtime and ctime in ms (as Node gives them, with
 * sub-microsecond fractions), inode — from a plain (not bigint) stat, which is the cheapest
 * thing to take and compare 25,000 times in a no-op build.
 */
export type StatId = readonly [size: number, mtimeMs: number, ctimeMs: number, ino: number];

export function statIdOf(st: fs.Stats): StatId {
  return [st.size, st.mtimeMs, st.ctimeMs, st.ino];
}

export function sameStat(id: StatId, st: fs.Stats): boolean {
  return id[1] === st.mtimeMs && id[2] === st.ctimeMs && id[0] === st.size && id[3] === st.ino;
}

/** The StatId of a FileHasher stat key (`size:mtimeMs:ctimeMs:inode`, see stat-key.ts). */
export function statIdFromKey(key: string): StatId | undefined {
  const parts = key.split(':').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return undefined;
  return parts as unknown as StatId;
}

/** True when mtime and ctime are both more than `windowMs` before `observedAtMs` (read before the stat). */
export function settled(st: { readonly mtimeMs: number; readonly ctimeMs: number }, observedAtMs: number, windowMs: number): boolean {
  const limit = observedAtMs - windowMs;
  return st.mtimeMs < limit && st.ctimeMs < limit;
}

/** A workspace path as an absolute one (workspace paths are clean and use `/`). */
export function absPath(root: string, rel: WorkspacePath): string {
  if (rel === '') return root;
  if (nodePath.sep !== '/') return nodePath.join(root, ...rel.split('/'));
  return root.endsWith('/') ? root + rel : `${root}/${rel}`;
}

export interface FileObservation {
  readonly path: WorkspacePath;
  readonly stat: StatId;
  readonly digest: Sha256;
  /** Timestamps within the racy window when observed: the content is compared every time. */
  readonly racy: boolean;
  /**
   * Read by the workspace or module loader (gob.yaml, BUILD.yaml, go.work, go.mod…): any change
   * means planning again. Other files (Go sources, embedded files) only feed action keys and
   * Go file headers, so a change that leaves the header alone only changes keys.
   */
  readonly config: boolean;
  /** Hash of the parsed Go header, when planning used it. */
  readonly header?: string | undefined;
}

export interface DirObservation {
  readonly path: WorkspacePath;
  readonly stat: StatId;
  readonly listing: string;
  /** The listing's hash without ignored names (`listingHash`'s `visibleOnly`). */
  readonly visibleListing: string;
  readonly racy: boolean;
}

/**
 * The hash of a directory's listing: names and entry types, order-independent. `gob-out/` at the
 * root is left out: gob creates it (the snapshot itself lives there), and nothing gob plans reads
 * it — discovery, the go.mod search and the Go model all skip it.
 *
 * With `visibleOnly`, ignored names (`isIgnoredName`: starting with ".", and files ending in "~"
 * or between "#"s) are left out too: go ignores such files in a package and gob never looks inside
 * such directories, so an editor's swap, lock, backup or autosave file (`.main.go.swp`,
 * `.#main.go`, `main.go~`, `#main.go#`) changes nothing a plan read — unless an embed pattern or
 * a C include looked at the directory's every name, and the plan then records the whole listing.
 */
export function listingHash(dir: WorkspacePath, entries: readonly Dirent[], visibleOnly = false): string {
  const lines: string[] = [];
  for (const e of entries) {
    if ((dir === '' && e.name === OUT_DIR) || (visibleOnly && isIgnoredName(e.name, !e.isFile()))) continue;
    lines.push(`${e.name}\0${direntType(e)}`);
  }
  return hashBytes(lines.sort().join('\n')).slice(0, 32);
}

/** A dirent's type as a listing records it. */
export function direntType(d: Dirent): string {
  return d.isDirectory() ? 'd' : d.isFile() ? 'f' : d.isSymbolicLink() ? 'l' : 'o';
}

export function entryTypeOf(st: fs.Stats | undefined): EntryType | undefined {
  if (st === undefined) return undefined;
  return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
}

/** `fs.statSync` following symlinks, undefined when nothing is there (ENOENT or ENOTDIR). */
export function statIfExists(abs: string): fs.Stats | undefined {
  try {
    return fs.statSync(abs, { throwIfNoEntry: false });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * Collects observations during one plan. Recording is best effort in one direction only: when
 * something cannot be recorded faithfully (a stat fails, a path is outside the workspace), the
 * recorder is marked incomplete and no snapshot is saved, so the next build plans from scratch.
 */
export class ObservationRecorder {
  readonly root: string;
  readonly #racyWindowMs: number;
  readonly #now: () => number;
  readonly files = new Map<WorkspacePath, FileObservation>();
  readonly dirs = new Map<WorkspacePath, DirObservation>();
  readonly missing = new Set<WorkspacePath>();
  readonly types = new Map<WorkspacePath, EntryType>();
  readonly #listings = new Map<WorkspacePath, Dirent[]>();
  #incomplete: string | undefined;

  constructor(root: string, opts: { racyWindowMs?: number; now?: () => number } = {}) {
    this.root = root;
    this.#racyWindowMs = opts.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** Why the observations are not complete, if they are not. */
  get incomplete(): string | undefined {
    return this.#incomplete;
  }

  markIncomplete(why: string): void {
    this.#incomplete ??= why;
  }

  /**
   * Stats a path that should be a `want`: when it is, its stat (taken after the clock read that
   * decides raciness); when it is not, undefined, with what is there recorded instead.
   */
  #expect(path: WorkspacePath, want: 'file' | 'dir'): { abs: string; st: fs.Stats; observedAt: number } | undefined {
    const abs = absPath(this.root, path);
    const observedAt = this.#now();
    const st = statIfExists(abs);
    const type = entryTypeOf(st);
    if (type === undefined) this.missing.add(path);
    else if (type !== want) this.types.set(path, type);
    return st !== undefined && type === want ? { abs, st, observedAt } : undefined;
  }

  /** Reads a config file (UTF-8) and records it; undefined when it does not exist. */
  readConfigFile(path: WorkspacePath): string | undefined {
    const found = this.#expect(path, 'file');
    if (found === undefined) return undefined;
    const { abs, st, observedAt } = found;
    const content = fs.readFileSync(abs);
    this.files.set(path, {
      path,
      stat: statIdOf(st),
      digest: hashBytes(content),
      racy: st.size !== content.length || !settled(st, observedAt, this.#racyWindowMs),
      config: true,
    });
    return content.toString('utf8');
  }

  /** Records what is at a path, by type only (following symlinks). */
  typeOf(path: WorkspacePath): EntryType | undefined {
    const st = statIfExists(absPath(this.root, path));
    const t = entryTypeOf(st);
    if (t === undefined) this.missing.add(path);
    else this.types.set(path, t);
    return t;
  }

  /**
   * Lists a directory and records it; undefined when it is missing or not a directory. Symlinked
   * entries are recorded by type too, since what they point at can change without the listing.
   */
  listDir(path: WorkspacePath): Dirent[] | undefined {
    // One listing per directory per plan: discovery, the go.mod search and the package graph
    // all walk the tree, and they must see the same entries anyway.
    const known = this.#listings.get(path);
    if (known !== undefined) return known;
    // Known not to be a directory (a symlink to one is recorded by type 'dir': list it).
    if (this.missing.has(path)) return undefined;
    const type = this.types.get(path);
    if (type !== undefined && type !== 'dir') return undefined;
    const found = this.#expect(path, 'dir');
    if (found === undefined) return undefined;
    const { abs, st, observedAt } = found;
    const entries = fs.readdirSync(abs, { withFileTypes: true });
    this.#dirListed(path, st, observedAt, entries);
    return entries;
  }

  /** Records a listing, given the stat taken before it. */
  #dirListed(path: WorkspacePath, st: fs.Stats, observedAt: number, entries: Dirent[]): void {
    this.#listings.set(path, entries);
    const listing = listingHash(path, entries);
    this.dirs.set(path, {
      path,
      stat: statIdOf(st),
      listing,
      // Most directories hold no ignored name: then both hashes are one.
      visibleListing: entries.some((e) => isIgnoredName(e.name, !e.isFile())) ? listingHash(path, entries, true) : listing,
      racy: !settled(st, observedAt, this.#racyWindowMs),
    });
    for (const d of entries) {
      if (d.isSymbolicLink()) this.typeOf(path === '' ? d.name : `${path}/${d.name}`);
    }
  }

  /** The clock the recorder uses for the racy window (read it before a stat). */
  now(): number {
    return this.#now();
  }
}
