/**
 * Using a plan snapshot: checking every observation against the file system and, when it still
 * holds, handing back its plan — with the keys of actions whose inputs changed content only
 * recomputed (see format.ts).
 */
import * as fs from 'node:fs';
import type { BuildPlan } from '../actions/plan.js';
import { DEFAULT_RACY_WINDOW_MS } from '../hashing/file-hasher.js';
import { hashBytes, isSha256 } from '../hashing/hash-bytes.js';
import { statKeyOf } from '../hashing/stat-key.js';
import type { Sha256, WorkspacePath } from '../types.js';
import { PackageDigests, planOf, rebuildKeys } from './keys.js';
import { absPath, entryTypeOf, listingHash, settled, statIdOf, statIfExists } from './observations.js';
import {
  CONFIG,
  F_DIGEST,
  F_FLAGS,
  F_HEADER,
  F_PATH,
  RACY,
  sameStatId,
  VISIBLE_ONLY,
  type DirEntry,
  type FileEntry,
  type OutputEntry,
  type PackageEntry,
  type PlanSnapshot,
  type ToolKind,
} from './format.js';

export interface ReuseContext {
  /** Answers the identity of a tool the plan used, as it is now (undefined: cannot tell). */
  readonly toolIdentity: (kind: ToolKind, what: string) => Promise<string | undefined>;
  /** The pass-through environment, to rebuild each action's complete go environment. */
  readonly passthrough: Readonly<Record<string, string>>;
  readonly now?: (() => number) | undefined;
  readonly racyWindowMs?: number | undefined;
  /**
   * The workspace paths that may have changed since the snapshot was last checked (a file
   * watcher's report): only those files and directories, and the racy ones, are looked at.
   * Undefined: every one is.
   */
  readonly onlyChanged?: ReadonlySet<string> | undefined;
}

/** What checking a snapshot cost, in the terms of `FileHasherStats`. */
export interface ReuseStats {
  /** Observations checked. */
  readonly entries: number;
  readonly statCalls: number;
  /** Files read because their stat changed or was racy. */
  readonly fileReads: number;
  /** Files and directories whose stat alone settled it. */
  readonly cacheHits: number;
}

export type Reuse =
  | {
      readonly ok: true;
      readonly plan: BuildPlan;
      readonly snapshot: PlanSnapshot;
      readonly changed: readonly string[];
      /** Ids of the actions whose keys were recomputed (an input of theirs changed content). */
      readonly touched: ReadonlySet<string>;
      readonly dirty: boolean;
      readonly stats: ReuseStats;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a snapshot against the file system and, if it still holds, gives its plan — with the
 * keys of actions whose inputs changed content (but not their headers) recomputed. `changed`
 * lists those files; `dirty` says the snapshot should be saved again (a stat key moved, a racy
 * entry settled, a key changed).
 */
const TOOL_CHANGES: Readonly<Record<ToolKind, string>> = {
  go: 'the go toolchain changed',
  cc: 'the C compiler {} changed',
  vcs: 'the version-control state changed',
  modules: 'external modules it could not read are in the module cache now',
};

export async function reuseSnapshot(snap: PlanSnapshot, ctx: ReuseContext): Promise<Reuse> {
  const now = ctx.now ?? Date.now;
  const window = ctx.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS;
  const root = snap.root;
  const stale = (reason: string): Reuse => ({ ok: false, reason });
  const only = ctx.onlyChanged;

  for (const [kind, what, id] of snap.tools) {
    if ((await ctx.toolIdentity(kind, what)) !== id) {
      return stale(TOOL_CHANGES[kind].replace('{}', what));
    }
  }
  for (const p of snap.missing) {
    if (statIfExists(absPath(root, p)) !== undefined) return stale(`${p || '.'} appeared`);
  }
  for (const [p, t] of snap.types) {
    if (entryTypeOf(statIfExists(absPath(root, p))) !== t) return stale(`${p || '.'} changed type`);
  }
  let dirty = false;
  let statCalls = snap.missing.length + snap.types.length;
  let fileReads = 0;
  let cacheHits = 0;
  // Entries are replaced, never moved: a copy of the list is made only when one changes.
  let dirs: DirEntry[] | undefined;
  for (const i of toCheck(snap.dirs, only, (d) => (d[6] & RACY) !== 0)) {
    const d = snap.dirs[i] as DirEntry;
    const abs = absPath(root, d[0]);
    const observedAt = now();
    const st = statIfExists(abs);
    statCalls++;
    if (st?.isDirectory() !== true) return stale(`directory ${d[0] || '.'} is gone`);
    if ((d[6] & RACY) === 0 && sameStatId(d, st)) {
      cacheHits++;
      continue;
    }
    const visibleOnly = d[6] & VISIBLE_ONLY;
    const listing = listingHash(d[0], fs.readdirSync(abs, { withFileTypes: true }), visibleOnly !== 0);
    if (listing !== d[5]) return stale(`the entries of ${d[0] || '.'} changed`);
    dirs ??= snap.dirs.slice();
    dirs[i] = [d[0], ...statIdOf(st), listing, (settled(st, observedAt, window) ? 0 : RACY) | visibleOnly];
    dirty = true;
  }

  let files: FileEntry[] | undefined;
  const changed: string[] = [];
  const changedIdx = new Set<number>();
  const all = snap.files;
  for (const i of toCheck(all, only, (f) => (f[F_FLAGS] & RACY) === RACY)) {
    const f = all[i] as FileEntry;
    const abs = absPath(root, f[F_PATH]);
    const observedAt = now();
    const st = statIfExists(abs);
    statCalls++;
    if (st?.isFile() !== true) return stale(`${f[F_PATH]} is gone`);
    const racy = (f[F_FLAGS] & RACY) === RACY;
    const same = sameStatId(f, st);
    if (same && !racy) {
      cacheHits++;
      continue;
    }
    fileReads++;
    const content = fs.readFileSync(abs);
    const digest = hashBytes(content);
    const isSettled = content.length === st.size && settled(st, observedAt, window);
    const flags = (f[F_FLAGS] & CONFIG) | (isSettled ? 0 : RACY);
    const entry: FileEntry = [f[F_PATH], ...statIdOf(st), digest, flags, f[F_HEADER]];
    if (digest === f[F_DIGEST]) {
      if (!same || isSettled) {
        files ??= all.slice();
        files[i] = entry;
        dirty = true;
      }
      continue;
    }
    if ((f[F_FLAGS] & CONFIG) === CONFIG) return stale(`${f[F_PATH]} changed`);
    if (f[F_HEADER] !== '') {
      // Parsed only now: a no-op build never loads the Go header parser.
      const { GO_HEADER_DERIVE } = await import('../golang/hasher-io.js');
      const header = JSON.stringify(GO_HEADER_DERIVE.fn(f[F_PATH], content)) ?? 'null';
      if (hashBytes(header).slice(0, 32) !== f[F_HEADER]) return stale(`the imports, build constraints, embeds or C includes of ${f[F_PATH]} changed`);
    }
    files ??= all.slice();
    files[i] = entry;
    changed.push(f[F_PATH]);
    changedIdx.add(i);
    dirty = true;
  }

  const current = files ?? all;
  const changedPackages = new Set<number>();
  if (changedIdx.size > 0) {
    for (const [p, e] of snap.packages.entries()) if (e[2].some((i) => changedIdx.has(i))) changedPackages.add(p);
  }
  // Answers the current digest of every package: recomputed for the changed ones, recorded for the rest.
  const pd = new PackageDigests(snap, current, changedPackages);
  // Nothing moved: the same snapshot object (the gob server's watcher knows it by identity).
  let updated: PlanSnapshot = dirty ? { ...snap, files: current, dirs: dirs ?? snap.dirs } : snap;
  if (files !== undefined) carryPathIndex(all, files);
  if (dirs !== undefined) carryPathIndex(snap.dirs, dirs);
  const touched = new Set<string>();
  if (changedIdx.size > 0) {
    for (const a of snap.actions) {
      const profileChanged = a.pgo !== undefined && changedIdx.has(a.pgo);
      if (profileChanged || a.extra.some((i) => changedIdx.has(i)) || a.pkgs.some((p) => changedPackages.has(p))) touched.add(a.id);
    }
    const keys = rebuildKeys(snap, pd, current, touched);
    updated = {
      ...updated,
      packages: snap.packages.map((e, p): PackageEntry => (changedPackages.has(p) ? [e[0], e[1], e[2], pd.digest(p)] : e)),
      actions: snap.actions.map((a) => ({ ...a, key: keys.get(a.id) ?? a.key })),
    };
  }
  const stats: ReuseStats = { entries: snap.files.length + snap.dirs.length + snap.missing.length + snap.types.length, statCalls, fileReads, cacheHits };
  return { ok: true, plan: planOf(updated, pd, current, ctx.passthrough), snapshot: updated, changed, touched, dirty, stats };
}

/**
 * Path → index of a snapshot's file or directory entries, made once per list and handed on to
 * the lists derived from it (which keep every path in place), so that a check told what changed
 * looks up those paths instead of going through all 30,000 entries.
 */
const pathIndexes = new WeakMap<readonly (readonly [string, ...unknown[]])[], ReadonlyMap<string, number>>();

function pathIndex(entries: readonly (readonly [string, ...unknown[]])[]): ReadonlyMap<string, number> {
  let idx = pathIndexes.get(entries);
  if (idx === undefined) {
    const m = new Map<string, number>();
    entries.forEach((e, i) => m.set(e[0], i));
    idx = m;
    pathIndexes.set(entries, idx);
  }
  return idx;
}

function carryPathIndex(from: readonly (readonly [string, ...unknown[]])[], to: readonly (readonly [string, ...unknown[]])[]): void {
  const idx = pathIndexes.get(from);
  if (idx !== undefined) pathIndexes.set(to, idx);
}

/**
 * The indices of the entries to look at, in order: all of them, or — told what may have changed —
 * those and every entry that must be looked at anyway (racy ones).
 */
function toCheck<E extends readonly [string, ...unknown[]]>(entries: readonly E[], only: ReadonlySet<string> | undefined, always: (e: E) => boolean): Iterable<number> {
  if (only === undefined) return entries.keys();
  const idx = pathIndex(entries);
  const out: number[] = [];
  for (const p of only) {
    const i = idx.get(p);
    if (i !== undefined) out.push(i);
  }
  entries.forEach((e, i) => {
    if (always(e) && !only.has(e[0])) out.push(i);
  });
  return out.sort((x, y) => x - y);
}

/** The same snapshot with what the build left in gob-out. */
export function withOutputs(snap: PlanSnapshot, outputs: readonly OutputEntry[], now: number): PlanSnapshot {
  return { ...snap, outputs, savedAt: now };
}

/** The stat key and digest of a gob-out file as it is now, for the snapshot; undefined if it is missing. */
export function outputEntry(root: string, rel: WorkspacePath, digest: Sha256): OutputEntry | undefined {
  const st = statIfExists(absPath(root, rel));
  if (st?.isFile() !== true || !isSha256(digest)) return undefined;
  return [rel, statKeyOf(st), digest];
}
