/**
 * The plan snapshot: a build's plan remembered with everything the planner read to make it, so
 * that the next identical `gob build` can reuse the plan after checking, with one stat per
 * observation, that nothing it depended on changed — instead of loading the workspace, the
 * modules and the package graph again and hashing every input.
 *
 * A snapshot is reused when:
 * - the request is the same (patterns, profile, platforms, flags that change the plan, the
 *   environment the planner reads, the working directory) and so is gob's own code (build id);
 * - the go toolchain (and the C compiler, with cgo) is the same file it was;
 * - every observation (observations.ts) still holds.
 *
 * One kind of change is absorbed without planning again: a source or input file whose content
 * changed while its parsed Go header (package clause, imports, build constraints, embeds) did
 * not. It cannot change the package graph, only the digests in the keys of the actions whose
 * closures hold it, and those keys are recomputed from the snapshot. Anything else — a config
 * file, a directory listing, a header, the toolchain — means planning from scratch.
 *
 * Snapshots live in `gob-out/.gob/` (they describe this checkout, and gob-out is found without
 * reading gob.yaml, which may say where the cache is). Losing one costs one full plan.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { PlannedAction } from '../actions/plan.js';
import type { KeyManifest } from '../actions/key.js';
import { OUT_DIR } from '../actions/outputs.js';
import { GO_HEADER_DERIVE_VERSION } from '../golang/header-version.js';
import { hashBytes } from '../hashing/hash-bytes.js';
import type { ActionKey, Label, Sha256, WorkspacePath } from '../types.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import type { EntryType } from './observations.js';

export const SNAPSHOT_FORMAT = 'gob-plan-snapshot';
/** Bump whenever the shape or the meaning of a field changes. */
export const SNAPSHOT_VERSION = 5;
/** Where snapshots live, relative to the workspace root. */
export const SNAPSHOT_DIR = `${OUT_DIR}/.gob`;
/** Snapshots kept per checkout (one per distinct request); the least recently used go first. */
const KEEP_SNAPSHOTS = 8;

// --- the file ------------------------------------------------------------------------------------

/** [path, size, mtimeMs, ctimeMs, inode, digest, flags (1: racy, 2: config), header hash or ''] */
export type FileEntry = [WorkspacePath, number, number, number, number, Sha256, number, string];
/** [path, size, mtimeMs, ctimeMs, inode, listing hash, flags (1: racy, 2: the hash leaves out ignored names, `isIgnoredName`)] */
export type DirEntry = [WorkspacePath, number, number, number, number, string, number];
/** [path, FileHasher stat key, digest] of a file in gob-out */
export type OutputEntry = [WorkspacePath, string, Sha256];

export const F_PATH = 0;
export const F_DIGEST = 5;
export const F_FLAGS = 6;
export const F_HEADER = 7;
export const RACY = 1;
export const CONFIG = 2;
/** DirEntry flag: the listing hash is `listingHash(…, visibleOnly)`, without ignored names (`isIgnoredName`). */
export const VISIBLE_ONLY = 2;

export function sameStatId(e: readonly [string, number, number, number, number, ...unknown[]], st: fs.Stats): boolean {
  return e[2] === st.mtimeMs && e[3] === st.ctimeMs && e[1] === st.size && e[4] === st.ino;
}

/** The parts of a key manifest shared by many actions (all but label, out, package, packages, moduleFiles, modules, deps). */
export type Skeleton = Omit<KeyManifest, 'label' | 'out' | 'package' | 'packages' | 'moduleFiles' | 'modules' | 'deps'>;

/** [import path, directory, indices into `files`, package manifest digest] — one per configuration and directory. */
export type PackageEntry = [importPath: string, dir: WorkspacePath, files: number[], digest: Sha256];

export interface SnapAction {
  readonly id: string;
  readonly label: Label;
  readonly platform: readonly [string, string];
  readonly key: ActionKey;
  readonly go: Omit<PlannedAction['go'], 'env'>;
  readonly outName: string;
  readonly output: WorkspacePath;
  readonly depLabels: readonly Label[];
  readonly deps: readonly string[];
  /** Indices into `packages`: the closure, in import path order. */
  readonly pkgs: readonly number[];
  /** Indices into `files`: module state files (go.work, go.mod, go.sum…). */
  readonly extra: readonly number[];
  /** Index into `files` of the PGO profile in the key, if any. */
  readonly pgo?: number | undefined;
  readonly skeleton: number;
  readonly out: string;
  readonly package: WorkspacePath;
  readonly modules: Readonly<Record<string, string>>;
  /** `PlannedAction.unreadModules`. */
  readonly unread?: readonly string[] | undefined;
}

/**
 * What a snapshot's `tools` entries identify: a go toolchain, a C compiler, a checkout's
 * version-control state, or external modules the plan could not read because the module cache
 * did not hold them and go could not download them (`what`: their cache and `path@version`s, see
 * module-cache.ts `moduleCacheState`).
 */
export type ToolKind = 'go' | 'cc' | 'vcs' | 'modules';

export interface PlanSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_VERSION;
  /** `requestFingerprint` of the build that made it. */
  readonly request: string;
  readonly savedAt: number;
  readonly root: string;
  readonly cacheDir: string;
  readonly maxSizeBytes?: number | undefined;
  readonly targets: readonly Label[];
  readonly host: readonly [string, string];
  readonly profile: string;
  /** Identities of the go toolchain probes (`probeIdentity`) and C compilers the plan used. */
  readonly tools: readonly (readonly [kind: ToolKind, what: string, identity: string])[];
  readonly files: readonly FileEntry[];
  readonly dirs: readonly DirEntry[];
  readonly missing: readonly WorkspacePath[];
  readonly types: readonly (readonly [WorkspacePath, EntryType])[];
  readonly packages: readonly PackageEntry[];
  readonly skeletons: readonly Skeleton[];
  readonly actions: readonly SnapAction[];
  readonly outputs: readonly OutputEntry[];
}

/** The file holding the snapshot for a request. */
export function snapshotFile(root: string, request: string): string {
  return path.join(root, ...SNAPSHOT_DIR.split('/'), `plan-${request.slice(0, 24)}.json`);
}

/** The SHA-256 of everything about a build request that decides its plan. */
export function requestFingerprint(request: Readonly<Record<string, unknown>>): string {
  return hashBytes(JSON.stringify({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, header: GO_HEADER_DERIVE_VERSION, ...request }));
}

// --- in memory -------------------------------------------------------------------------------------

/**
 * The snapshots this process loaded or saved, by file, with the identity of the file they came
 * from or went to (`ABSENT` when there was none). A process that builds more than once (the gob
 * server) reads a snapshot again only when its file changed: another gob wrote it, or it is
 * gone. Snapshots are never mutated (reuse makes new ones), so handing out the same object again
 * is safe.
 */
const remembered = new Map<string, { readonly id: string; readonly snapshot: PlanSnapshot }>();
/** The gob server serves one checkout; a few requests (patterns, profiles) are plenty. */
const REMEMBER = 4;
const ABSENT = 'absent';

function fileId(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return ABSENT;
  }
}

function remember(file: string, id: string, snapshot: PlanSnapshot): void {
  remembered.delete(file);
  remembered.set(file, { id, snapshot });
  for (const old of remembered.keys()) {
    if (remembered.size <= REMEMBER) break;
    remembered.delete(old);
  }
}

/** Writes a snapshot atomically and keeps only the newest few of the checkout. */
export async function saveSnapshot(snapshot: PlanSnapshot): Promise<void> {
  const file = snapshotFile(snapshot.root, snapshot.request);
  unsaved.delete(file);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(snapshot));
  remember(file, fileId(file), snapshot);
  const dir = path.dirname(file);
  const names = (await fsp.readdir(dir)).filter((n) => n.startsWith('plan-') && n.endsWith('.json'));
  if (names.length <= KEEP_SNAPSHOTS) return;
  const aged = await Promise.all(names.map(async (n) => ({ n, t: (await fsp.stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  aged.sort((x, y) => y.t - x.t);
  for (const { n } of aged.slice(KEEP_SNAPSHOTS)) await fsp.rm(path.join(dir, n), { force: true });
}

/** Snapshots this process holds newer than their files, by file (see `saveSnapshotLater`). */
const unsaved = new Map<string, { readonly snapshot: PlanSnapshot; readonly over: string }>();
let writer: NodeJS.Timeout | undefined;
/** How long after the last build a long-lived process writes its snapshots. */
const WRITE_DELAY_MS = 2000;

/**
 * For a process that outlives its builds (the gob server): the snapshot is this process's
 * answer for its file at once, and is written to disk once the process has been quiet for
 * WRITE_DELAY_MS (or at `flushSnapshots`), so that back-to-back builds do not each pay for
 * writing it. Until then other gob processes find the older file, which is still right for them:
 * every snapshot is checked before use. If another process replaces the file meanwhile, its
 * snapshot wins for everyone.
 */
export function saveSnapshotLater(snapshot: PlanSnapshot, onError: (e: unknown) => void): void {
  const file = snapshotFile(snapshot.root, snapshot.request);
  const over = fileId(file);
  remember(file, over, snapshot);
  unsaved.set(file, { snapshot, over });
  clearTimeout(writer);
  writer = setTimeout(() => {
    flushSnapshots().catch(onError);
  }, WRITE_DELAY_MS);
  writer.unref();
}

/** Writes every snapshot `saveSnapshotLater` still holds. */
export async function flushSnapshots(): Promise<void> {
  clearTimeout(writer);
  for (const [file, { snapshot, over }] of [...unsaved]) {
    unsaved.delete(file);
    // Another gob wrote the file since: theirs is the newer plan.
    if (fileId(file) !== over) continue;
    await saveSnapshot(snapshot);
  }
}

/** Reads a snapshot; undefined when there is none, or it is damaged, of another version or for another request. */
export function loadSnapshot(root: string, request: string): PlanSnapshot | undefined {
  const file = snapshotFile(root, request);
  const id = fileId(file);
  const known = remembered.get(file);
  if (known !== undefined && known.id === id) return known.snapshot;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const s = doc as Partial<PlanSnapshot> | null;
  if (s?.format !== SNAPSHOT_FORMAT || s.version !== SNAPSHOT_VERSION || s.request !== request || s.root !== root) return undefined;
  if (!Array.isArray(s.files) || !Array.isArray(s.dirs) || !Array.isArray(s.actions) || !Array.isArray(s.packages)) return undefined;
  remember(file, id, s as PlanSnapshot);
  return s as PlanSnapshot;
}
