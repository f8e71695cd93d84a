/**
 * Making a plan snapshot from a plan just made and what planning read (see format.ts for what a
 * snapshot is and observations.ts for how reads are recorded).
 */
import type { PlanScope } from '../actions/plan.js';
import { defined, type KeyManifest } from '../actions/key.js';
import type { AnsweredFile } from '../hashing/file-hasher.js';
import { hashBytes } from '../hashing/hash-bytes.js';
import type { WorkspacePath } from '../types.js';
import { statIdFromKey, type ObservationRecorder } from './observations.js';
import {
  CONFIG,
  F_DIGEST,
  F_FLAGS,
  F_PATH,
  RACY,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  VISIBLE_ONLY,
  type DirEntry,
  type FileEntry,
  type OutputEntry,
  type PackageEntry,
  type PlanSnapshot,
  type Skeleton,
  type SnapAction,
} from './format.js';

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
  pgo: true,
  overlay: true,
  vcs: true,
  modules: true,
  deps: true,
  workspaceRoot: true,
  moduleCache: true,
};
const MANIFEST_FIELDS = new Set(Object.keys(FIELDS));

/** Which files an action's key covers, package by package (from the planner's package graph). */
export interface ActionProvenance {
  /** Each workspace package of the closure: `id` is unique per configuration and directory. */
  readonly packages: readonly { readonly id: string; readonly importPath: string; readonly dir: WorkspacePath; readonly files: readonly WorkspacePath[] }[];
  readonly moduleFiles: readonly WorkspacePath[];
  /** The PGO profile in the key, if any (`KeyManifest.pgo`). */
  readonly pgo?: WorkspacePath | undefined;
}

export interface SnapshotInputs extends PlanScope {
  readonly request: string;
  readonly provenance: ReadonlyMap<string, ActionProvenance>;
  readonly recorder: ObservationRecorder;
  /** What the hasher answered while planning (digests and headers of every source and input). */
  readonly hashed: readonly AnsweredFile[];
  readonly tools: PlanSnapshot['tools'];
  readonly outputs: readonly OutputEntry[];
  readonly now: number;
  /**
   * Directories whose every name planning looked at (embed patterns, C includes, a PGO profile:
   * `PlanProvenance.wholeListingDirs`). The others are recorded without their ignored names
   * (`isIgnoredName`), so an editor's swap or backup file does not make the next build plan again.
   */
  readonly wholeListingDirs: ReadonlySet<WorkspacePath>;
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
    const id = h.stat === undefined ? statIdFromKey(h.statKey) : ([h.stat.size, h.stat.mtimeMs, h.stat.ctimeMs, h.stat.ino] as const);
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
    for (let j = 0; j < prov.packages.length; j++) {
      const p = prov.packages[j] as ActionProvenance['packages'][number];
      let i = packageIndex.get(p.id);
      if (i === undefined) {
        const digest = a.manifest.packages[p.dir];
        if (digest === undefined) return { ok: false, reason: `${a.id}'s manifest has no package ${p.dir}` };
        // The package manifest the planner made (in the same order as the provenance): the files
        // recorded here must be exactly the ones it listed, with the same digests, so that the
        // manifest rebuilt from them (packageManifestOf) is the same text and digest.
        const planned = a.packageManifests[j];
        if (planned?.digest !== digest) return { ok: false, reason: `${a.id} has no package manifest for ${p.dir}` };
        const idx: number[] = [];
        const seen = new Set<WorkspacePath>();
        for (const f of p.files) {
          const fi = fileIndex.get(f);
          if (fi === undefined) return { ok: false, reason: `${f} is an input of ${a.id} but was not hashed` };
          if (seen.has(f) || planned.files[f] !== (files[fi] as FileEntry)[F_DIGEST]) {
            return { ok: false, reason: `the snapshot does not rebuild the manifest of package ${p.dir}` };
          }
          seen.add(f);
          idx.push(fi);
        }
        if (Object.keys(planned.files).length !== idx.length) return { ok: false, reason: `the snapshot does not rebuild the manifest of package ${p.dir}` };
        i = packages.length;
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
    const pgo = prov.pgo === undefined ? undefined : fileIndex.get(prov.pgo);
    if (prov.pgo !== undefined && pgo === undefined) return { ok: false, reason: `${prov.pgo} is an input of ${a.id} but was not hashed` };
    const m = a.manifest;
    const skeleton: Skeleton = defined({
      schema: m.schema,
      kind: m.kind,
      toolchain: m.toolchain,
      goenv: m.goenv,
      env: m.env,
      args: m.args,
      vcs: m.vcs,
      workspaceRoot: m.workspaceRoot,
      moduleCache: m.moduleCache,
    });
    const sk = JSON.stringify(skeleton);
    let si = skeletonIndex.get(sk);
    if (si === undefined) {
      si = skeletons.length;
      skeletons.push(skeleton);
      skeletonIndex.set(sk, si);
    }
    // The environment is rebuilt from the pass-through variables (in the request) when reused.
    const go = {
      bin: a.go.bin,
      flags: a.go.flags,
      cwd: a.go.cwd,
      packageArg: a.go.packageArg,
      importPath: a.go.importPath,
      setEnv: a.go.setEnv,
      cIncludePackages: a.go.cIncludePackages,
    };
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
      ...(pgo === undefined ? {} : { pgo }),
      skeleton: si,
      out: m.out,
      package: m.package,
      modules: m.modules,
      ...(a.unreadModules === undefined ? {} : { unread: a.unreadModules }),
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
    dirs: [...inp.recorder.dirs.values()].map((d): DirEntry =>
      inp.wholeListingDirs.has(d.path) ? [d.path, ...d.stat, d.listing, d.racy ? RACY : 0] : [d.path, ...d.stat, d.visibleListing, (d.racy ? RACY : 0) | VISIBLE_ONLY],
    ),
    missing: [...inp.recorder.missing],
    types: [...inp.recorder.types],
    packages,
    skeletons,
    actions,
    outputs: inp.outputs,
  };
  // The snapshot must give back every manifest exactly, or it must not exist. Everything but the
  // files is copied from the manifest above; the files are rebuilt from packages (whose file
  // lists were checked against the planner's package manifests above): check the rest.
  const byId = new Map(actions.map((a) => [a.id, a]));
  for (const [n, a] of actions.entries()) {
    const m = inp.plan.actions[n]?.manifest;
    if (m === undefined) return { ok: false, reason: `no manifest for ${a.id}` };
    // An overlay's replacements are files a snapshot has no record of (often outside the workspace).
    if (m.overlay !== undefined) return { ok: false, reason: 'an overlay (-overlay in GOFLAGS) is read at every build' };
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
    const profile = a.pgo === undefined ? undefined : (files[a.pgo] as FileEntry);
    const pgo = profile === undefined ? undefined : { [profile[F_PATH]]: profile[F_DIGEST] };
    if (JSON.stringify(pgo) !== JSON.stringify(m.pgo)) return { ok: false, reason: `the snapshot does not rebuild the PGO profile of ${a.id}` };
  }
  return { ok: true, snapshot };
}
