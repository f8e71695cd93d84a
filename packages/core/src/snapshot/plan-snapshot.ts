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
import type { BuildPlan, PlannedAction } from '../actions/plan.js';
import { actionKey, defined, packageManifest, type KeyManifest, type PackageManifest } from '../actions/key.js';
import { OUT_DIR } from '../actions/outputs.js';
import { GO_HEADER_DERIVE_VERSION } from '../golang/header-version.js';
import { hashBytes, isSha256 } from '../hashing/hash-bytes.js';
import { statKeyOf } from '../hashing/stat-key.js';
import { DEFAULT_RACY_WINDOW_MS, type AnsweredFile } from '../hashing/file-hasher.js';
import type { ActionKey, Label, Sha256, WorkspacePath } from '../types.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { absPath, entryTypeOf, listingHash, settled, statIdFromKey, statIdOf, statIfExists, type EntryType, type ObservationRecorder } from './observations.js';

export const SNAPSHOT_FORMAT = 'gob-plan-snapshot';
/** Bump whenever the shape or the meaning of a field changes. */
export const SNAPSHOT_VERSION = 2;
/** Where snapshots live, relative to the workspace root. */
export const SNAPSHOT_DIR = `${OUT_DIR}/.gob`;
/** Snapshots kept per checkout (one per distinct request); the least recently used go first. */
const KEEP_SNAPSHOTS = 8;

// --- the file ------------------------------------------------------------------------------------

/** [path, size, mtimeMs, ctimeMs, inode, digest, flags (1: racy, 2: config), header hash or ''] */
type FileEntry = [WorkspacePath, number, number, number, number, Sha256, number, string];
/** [path, size, mtimeMs, ctimeMs, inode, listing hash, racy (1) or 0] */
type DirEntry = [WorkspacePath, number, number, number, number, string, number];
/** [path, FileHasher stat key, digest] of a file in gob-out */
type OutputEntry = [WorkspacePath, string, Sha256];

const F_PATH = 0;
const F_DIGEST = 5;
const F_FLAGS = 6;
const F_HEADER = 7;
const RACY = 1;
const CONFIG = 2;

function sameStatId(e: readonly [string, number, number, number, number, ...unknown[]], st: fs.Stats): boolean {
  return e[2] === st.mtimeMs && e[3] === st.ctimeMs && e[1] === st.size && e[4] === st.ino;
}

/** Every field a KeyManifest has: a snapshot that met another could not rebuild its key. */
const FIELDS: Record<keyof KeyManifest, true> = {
  schema: true,
  kind: true,
  label: true,
  out: true,
  package: true,
  toolchain: true,
  goenv: true,
  env: true,
  args: true,
  packages: true,
  moduleFiles: true,
  modules: true,
  deps: true,
  workspaceRoot: true,
};
const MANIFEST_FIELDS = new Set(Object.keys(FIELDS));

/** The parts of a key manifest shared by many actions (all but label, out, package, packages, moduleFiles, modules, deps). */
type Skeleton = Omit<KeyManifest, 'label' | 'out' | 'package' | 'packages' | 'moduleFiles' | 'modules' | 'deps'>;

/** [import path, directory, indices into `files`, package manifest digest] — one per configuration and directory. */
type PackageEntry = [importPath: string, dir: WorkspacePath, files: number[], digest: Sha256];

interface SnapAction {
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
  readonly skeleton: number;
  readonly out: string;
  readonly package: WorkspacePath;
  readonly modules: Readonly<Record<string, string>>;
}

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
  readonly tools: readonly (readonly [kind: 'go' | 'cc', what: string, identity: string])[];
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

// --- making one ------------------------------------------------------------------------------------

/** Which files an action's key covers, package by package (from the planner's package graph). */
export interface ActionProvenance {
  /** Each workspace package of the closure: `id` is unique per configuration and directory. */
  readonly packages: readonly { readonly id: string; readonly importPath: string; readonly dir: WorkspacePath; readonly files: readonly WorkspacePath[] }[];
  readonly moduleFiles: readonly WorkspacePath[];
}

export interface SnapshotInputs {
  readonly request: string;
  readonly root: string;
  readonly cacheDir: string;
  readonly maxSizeBytes?: number | undefined;
  readonly targets: readonly Label[];
  readonly plan: BuildPlan;
  readonly provenance: ReadonlyMap<string, ActionProvenance>;
  readonly recorder: ObservationRecorder;
  /** What the hasher answered while planning (digests and headers of every source and input). */
  readonly hashed: readonly AnsweredFile[];
  readonly tools: PlanSnapshot['tools'];
  readonly outputs: readonly OutputEntry[];
  readonly now: number;
}

/**
 * Builds the snapshot of a plan just made, or says why it cannot: the snapshot must rebuild
 * every action's key exactly, and that is checked here, action by action.
 */
export function createSnapshot(inp: SnapshotInputs): { ok: true; snapshot: PlanSnapshot } | { ok: false; reason: string } {
  if (inp.recorder.incomplete !== undefined) return { ok: false, reason: inp.recorder.incomplete };
  const fileIndex = new Map<WorkspacePath, number>();
  const files: FileEntry[] = [];
  const addFile = (e: FileEntry): void => {
    fileIndex.set(e[0], files.length);
    files.push(e);
  };
  for (const f of inp.recorder.files.values()) addFile([f.path, ...f.stat, f.digest, (f.racy ? RACY : 0) | CONFIG, '']);
  for (const h of inp.hashed) {
    const header = h.derivedJson === undefined || h.derivedJson === 'null' ? '' : hashBytes(h.derivedJson).slice(0, 32);
    const id = statIdFromKey(h.statKey);
    if (id === undefined) return { ok: false, reason: `unexpected stat key for ${h.path}` };
    const i = fileIndex.get(h.path);
    if (i === undefined) {
      addFile([h.path, ...id, h.digest, h.trusted ? 0 : RACY, header]);
      continue;
    }
    const known = files[i] as FileEntry;
    // Read both as a config file and by the hasher: both reads must have seen the same file.
    if (known[F_DIGEST] !== h.digest) return { ok: false, reason: `${h.path} changed while it was being planned` };
    files[i] = [known[0], known[1], known[2], known[3], known[4], known[5], known[F_FLAGS] | (h.trusted ? 0 : RACY), header];
  }

  const packages: PackageEntry[] = [];
  const packageIndex = new Map<string, number>();
  const skeletons: Skeleton[] = [];
  const skeletonIndex = new Map<string, number>();
  const actions: SnapAction[] = [];
  for (const a of inp.plan.actions) {
    const prov = inp.provenance.get(a.id);
    if (prov === undefined) return { ok: false, reason: `no provenance for ${a.id}` };
    const pkgs: number[] = [];
    for (const p of prov.packages) {
      let i = packageIndex.get(p.id);
      if (i === undefined) {
        const idx: number[] = [];
        for (const f of p.files) {
          const fi = fileIndex.get(f);
          if (fi === undefined) return { ok: false, reason: `${f} is an input of ${a.id} but was not hashed` };
          idx.push(fi);
        }
        i = packages.length;
        const digest = a.manifest.packages[p.dir];
        if (digest === undefined) return { ok: false, reason: `${a.id}'s manifest has no package ${p.dir}` };
        packages.push([p.importPath, p.dir, idx, digest]);
        packageIndex.set(p.id, i);
      }
      pkgs.push(i);
    }
    const extra: number[] = [];
    for (const f of prov.moduleFiles) {
      const fi = fileIndex.get(f);
      if (fi === undefined) return { ok: false, reason: `${f} is an input of ${a.id} but was not hashed` };
      extra.push(fi);
    }
    const m = a.manifest;
    const skeleton: Skeleton = defined({
      schema: m.schema,
      kind: m.kind,
      toolchain: m.toolchain,
      goenv: m.goenv,
      env: m.env,
      args: m.args,
      workspaceRoot: m.workspaceRoot,
    });
    const sk = JSON.stringify(skeleton);
    let si = skeletonIndex.get(sk);
    if (si === undefined) {
      si = skeletons.length;
      skeletons.push(skeleton);
      skeletonIndex.set(sk, si);
    }
    // The environment is rebuilt from the pass-through variables (in the request) when reused.
    const go = { bin: a.go.bin, flags: a.go.flags, cwd: a.go.cwd, packageArg: a.go.packageArg, importPath: a.go.importPath, setEnv: a.go.setEnv };
    actions.push({
      id: a.id,
      label: a.label,
      platform: [a.platform.goos, a.platform.goarch],
      key: a.key,
      go,
      outName: a.outName,
      output: a.output,
      depLabels: a.depLabels,
      deps: a.deps,
      pkgs,
      extra,
      skeleton: si,
      out: m.out,
      package: m.package,
      modules: m.modules,
    });
  }
  const snapshot: PlanSnapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    request: inp.request,
    savedAt: inp.now,
    root: inp.root,
    cacheDir: inp.cacheDir,
    maxSizeBytes: inp.maxSizeBytes,
    targets: inp.targets,
    host: [inp.plan.host.goos, inp.plan.host.goarch],
    profile: inp.plan.profile,
    tools: inp.tools,
    files,
    dirs: [...inp.recorder.dirs.values()].map((d): DirEntry => [d.path, ...d.stat, d.listing, d.racy ? 1 : 0]),
    missing: [...inp.recorder.missing],
    types: [...inp.recorder.types],
    packages,
    skeletons,
    actions,
    outputs: inp.outputs,
  };
  // The snapshot must give back every manifest exactly, or it must not exist. Everything but the
  // files is copied from the manifest above; the files are rebuilt from packages: check them.
  const byId = new Map(actions.map((a) => [a.id, a]));
  for (const [n, a] of actions.entries()) {
    const m = inp.plan.actions[n]?.manifest;
    if (m === undefined) return { ok: false, reason: `no manifest for ${a.id}` };
    const unknown = Object.keys(m).filter((k) => !MANIFEST_FIELDS.has(k));
    if (unknown.length > 0) return { ok: false, reason: `the snapshot cannot hold manifest fields ${unknown.join(', ')}` };
    const deps = Object.fromEntries(a.deps.map((d) => [byId.get(d)?.label ?? '', byId.get(d)?.key ?? '']));
    if (JSON.stringify(Object.entries(deps).sort()) !== JSON.stringify(Object.entries(m.deps).sort())) {
      return { ok: false, reason: `the snapshot does not rebuild the deps of ${a.id}` };
    }
    // The packages and module files, rebuilt from the snapshot's own records.
    const pkgs = Object.keys(m.packages);
    if (pkgs.length !== a.pkgs.length) return { ok: false, reason: `the snapshot does not rebuild the packages of ${a.id}` };
    for (const p of a.pkgs) {
      const e = packages[p] as PackageEntry;
      if (m.packages[e[1]] !== e[3]) return { ok: false, reason: `the snapshot does not rebuild package ${e[1]} of ${a.id}` };
    }
    if (Object.keys(m.moduleFiles).length !== a.extra.length) return { ok: false, reason: `the snapshot does not rebuild the module files of ${a.id}` };
    for (const i of a.extra) {
      const f = files[i] as FileEntry;
      if (m.moduleFiles[f[F_PATH]] !== f[F_DIGEST]) return { ok: false, reason: `the snapshot does not rebuild ${f[F_PATH]} for ${a.id}` };
    }
  }
  // Each package's digest must be what its files give.
  for (const e of packages) {
    if (packageManifestOf(files, e, (i) => (files[i] as FileEntry)[F_DIGEST]).digest !== e[3]) {
      return { ok: false, reason: `the snapshot does not rebuild the manifest of package ${e[1]}` };
    }
  }
  return { ok: true, snapshot };
}

/** Writes a snapshot atomically and keeps only the newest few of the checkout. */
export async function saveSnapshot(snapshot: PlanSnapshot): Promise<void> {
  const file = snapshotFile(snapshot.root, snapshot.request);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(snapshot));
  const dir = path.dirname(file);
  const names = (await fsp.readdir(dir)).filter((n) => n.startsWith('plan-') && n.endsWith('.json'));
  if (names.length <= KEEP_SNAPSHOTS) return;
  const aged = await Promise.all(names.map(async (n) => ({ n, t: (await fsp.stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  aged.sort((x, y) => y.t - x.t);
  for (const { n } of aged.slice(KEEP_SNAPSHOTS)) await fsp.rm(path.join(dir, n), { force: true });
}

/** Reads a snapshot; undefined when there is none, or it is damaged, of another version or for another request. */
export function loadSnapshot(root: string, request: string): PlanSnapshot | undefined {
  let text: string;
  try {
    text = fs.readFileSync(snapshotFile(root, request), 'utf8');
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
  return s as PlanSnapshot;
}

// --- using one ---------------------------------------------------------------------------------------

export interface ReuseContext {
  /** Answers the identity of a tool the plan used, as it is now (undefined: cannot tell). */
  readonly toolIdentity: (kind: 'go' | 'cc', what: string) => Promise<string | undefined>;
  /** The pass-through environment, to rebuild each action's complete go environment. */
  readonly passthrough: Readonly<Record<string, string>>;
  readonly now?: (() => number) | undefined;
  readonly racyWindowMs?: number | undefined;
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
export async function reuseSnapshot(snap: PlanSnapshot, ctx: ReuseContext): Promise<Reuse> {
  const now = ctx.now ?? Date.now;
  const window = ctx.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS;
  const root = snap.root;
  const stale = (reason: string): Reuse => ({ ok: false, reason });

  for (const [kind, what, id] of snap.tools) {
    if ((await ctx.toolIdentity(kind, what)) !== id) return stale(`the ${kind === 'go' ? 'go toolchain' : `C compiler ${what}`} changed`);
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
  const dirs: DirEntry[] = [];
  for (const d of snap.dirs) {
    const abs = absPath(root, d[0]);
    const observedAt = now();
    const st = statIfExists(abs);
    statCalls++;
    if (st?.isDirectory() !== true) return stale(`directory ${d[0] || '.'} is gone`);
    if (d[6] === 0 && sameStatId(d, st)) {
      cacheHits++;
      dirs.push(d);
      continue;
    }
    const listing = listingHash(d[0], fs.readdirSync(abs, { withFileTypes: true }));
    if (listing !== d[5]) return stale(`the entries of ${d[0] || '.'} changed`);
    dirs.push([d[0], ...statIdOf(st), listing, settled(st, observedAt, window) ? 0 : 1]);
    dirty = true;
  }

  const files: FileEntry[] = [];
  const changed: string[] = [];
  const changedIdx = new Set<number>();
  const all = snap.files;
  for (let i = 0; i < all.length; i++) {
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
      files.push(f);
      continue;
    }
    fileReads++;
    const content = fs.readFileSync(abs);
    const digest = hashBytes(content);
    const isSettled = content.length === st.size && settled(st, observedAt, window);
    const flags = (f[F_FLAGS] & CONFIG) | (isSettled ? 0 : RACY);
    const entry: FileEntry = [f[F_PATH], ...statIdOf(st), digest, flags, f[F_HEADER]];
    if (digest === f[F_DIGEST]) {
      files.push(entry);
      if (!same || isSettled) dirty = true;
      continue;
    }
    if ((f[F_FLAGS] & CONFIG) === CONFIG) return stale(`${f[F_PATH]} changed`);
    if (f[F_HEADER] !== '') {
      // Parsed only now: a no-op build never loads the Go header parser.
      const { GO_HEADER_DERIVE } = await import('../golang/hasher-io.js');
      const header = JSON.stringify(GO_HEADER_DERIVE.fn(f[F_PATH], content)) ?? 'null';
      if (hashBytes(header).slice(0, 32) !== f[F_HEADER]) return stale(`the imports, build constraints or embeds of ${f[F_PATH]} changed`);
    }
    files.push(entry);
    changed.push(f[F_PATH]);
    changedIdx.add(i);
    dirty = true;
  }

  const digests = files.map((f) => f[F_DIGEST]);
  const changedPackages = new Set<number>();
  if (changedIdx.size > 0) {
    for (const [p, e] of snap.packages.entries()) if (e[2].some((i) => changedIdx.has(i))) changedPackages.add(p);
  }
  const pd = new PackageDigests(snap, digests, changedPackages);
  let keys = new Map(snap.actions.map((a) => [a.id, a.key]));
  let packages = snap.packages;
  if (changedIdx.size > 0) {
    const touched = new Set<string>();
    for (const a of snap.actions) {
      if (a.extra.some((i) => changedIdx.has(i)) || a.pkgs.some((p) => changedPackages.has(p))) touched.add(a.id);
    }
    keys = rebuildKeys(snap, pd, digests, touched);
    packages = snap.packages.map((e, p): PackageEntry => (changedPackages.has(p) ? [e[0], e[1], e[2], pd.digest(p)] : e));
  }
  const updated: PlanSnapshot = { ...snap, files, dirs, packages, actions: snap.actions.map((a) => ({ ...a, key: keys.get(a.id) ?? a.key })) };
  const stats: ReuseStats = { entries: snap.files.length + snap.dirs.length + snap.missing.length + snap.types.length, statCalls, fileReads, cacheHits };
  return { ok: true, plan: planOf(updated, new PackageDigests(updated, digests, new Set()), digests, ctx.passthrough), snapshot: updated, changed, dirty, stats };
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

// --- keys and plans from a snapshot ---------------------------------------------------------------

function packageManifestOf(files: readonly FileEntry[], e: PackageEntry, digestOf: (i: number) => Sha256): PackageManifest {
  const list: Record<WorkspacePath, Sha256> = {};
  for (const i of e[2]) list[(files[i] as FileEntry)[F_PATH]] = digestOf(i);
  return packageManifest(list);
}

/** Package manifests of a snapshot for the current digests, recomputed only for changed packages. */
class PackageDigests {
  readonly #snap: PlanSnapshot;
  readonly #digests: readonly Sha256[];
  readonly #changed: ReadonlySet<number>;
  readonly #memo = new Map<number, PackageManifest>();

  constructor(snap: PlanSnapshot, digests: readonly Sha256[], changedPackages: ReadonlySet<number>) {
    this.#snap = snap;
    this.#digests = digests;
    this.#changed = changedPackages;
  }

  digest(p: number): Sha256 {
    const e = this.#snap.packages[p] as PackageEntry;
    return this.#changed.has(p) ? this.manifest(p).digest : e[3];
  }

  manifest(p: number): PackageManifest {
    let m = this.#memo.get(p);
    if (m === undefined) {
      m = packageManifestOf(this.#snap.files, this.#snap.packages[p] as PackageEntry, (i) => this.#digests[i] as Sha256);
      this.#memo.set(p, m);
    }
    return m;
  }
}

function manifestOf(snap: PlanSnapshot, a: SnapAction, pd: PackageDigests, digests: readonly Sha256[], deps: Readonly<Record<string, ActionKey>>): KeyManifest {
  const packages: Record<WorkspacePath, Sha256> = {};
  for (const p of a.pkgs) packages[(snap.packages[p] as PackageEntry)[1]] = pd.digest(p);
  const moduleFiles: Record<WorkspacePath, Sha256> = {};
  for (const i of a.extra) moduleFiles[(snap.files[i] as FileEntry)[F_PATH]] = digests[i] as Sha256;
  const skeleton = snap.skeletons[a.skeleton];
  if (skeleton === undefined) throw new Error(`snapshot action ${a.id} names skeleton ${String(a.skeleton)}, which does not exist`);
  return defined({ ...skeleton, label: a.label, out: a.out, package: a.package, packages, moduleFiles, modules: a.modules, deps });
}

/** Recomputes the keys of `which` (and of everything depending on them), in dependency order. */
function rebuildKeys(snap: PlanSnapshot, pd: PackageDigests, digests: readonly Sha256[], which: ReadonlySet<string>): Map<string, ActionKey> {
  const keys = new Map<string, ActionKey>(snap.actions.map((a) => [a.id, a.key]));
  const byId = new Map(snap.actions.map((a) => [a.id, a]));
  const redo = new Set(which);
  // Dependents of a recomputed action are recomputed too (their manifests hold its key).
  let grew = true;
  while (grew) {
    grew = false;
    for (const a of snap.actions) {
      if (!redo.has(a.id) && a.deps.some((d) => redo.has(d))) {
        redo.add(a.id);
        grew = true;
      }
    }
  }
  const done = new Set<string>();
  const visit = (a: SnapAction, stack: Set<string>): void => {
    if (done.has(a.id) || !redo.has(a.id)) return;
    if (stack.has(a.id)) throw new Error(`dependency cycle through ${a.id} in a plan snapshot`);
    stack.add(a.id);
    for (const d of a.deps) {
      const dep = byId.get(d);
      if (dep !== undefined) visit(dep, stack);
    }
    stack.delete(a.id);
    const deps: Record<string, ActionKey> = {};
    for (const d of a.deps) {
      const dep = byId.get(d);
      if (dep !== undefined) deps[dep.label] = keys.get(d) as ActionKey;
    }
    keys.set(a.id, actionKey(manifestOf(snap, a, pd, digests, deps)));
    done.add(a.id);
  };
  for (const a of snap.actions) visit(a, new Set());
  return keys;
}

/** The plan a snapshot holds; manifests are built only when something asks for them. */
function planOf(snap: PlanSnapshot, pd: PackageDigests, digests: readonly Sha256[], passthrough: Readonly<Record<string, string>>): BuildPlan {
  const byId = new Map(snap.actions.map((a) => [a.id, a]));
  const actions = snap.actions.map((a): PlannedAction => {
    let manifest: KeyManifest | undefined;
    const deps: Record<string, ActionKey> = {};
    for (const d of a.deps) {
      const dep = byId.get(d);
      if (dep !== undefined) deps[dep.label] = dep.key;
    }
    return {
      id: a.id,
      label: a.label,
      platform: { goos: a.platform[0], goarch: a.platform[1] },
      key: a.key,
      get manifest(): KeyManifest {
        manifest ??= manifestOf(snap, a, pd, digests, deps);
        return manifest;
      },
      get packageManifests(): readonly PackageManifest[] {
        return a.pkgs.map((p) => pd.manifest(p));
      },
      go: { ...a.go, env: { ...passthrough, ...a.go.setEnv } },
      outName: a.outName,
      output: a.output,
      depLabels: a.depLabels,
      deps: a.deps,
      packages: a.pkgs.map((p) => (snap.packages[p] as PackageEntry)[0]),
    };
  });
  return { actions, host: { goos: snap.host[0], goarch: snap.host[1] }, profile: snap.profile };
}
