/**
 * Keys and plans rebuilt from a plan snapshot: package manifests from the recorded files and their
 * current digests, action manifests from packages and skeletons.
 */
import type { BuildPlan, PlannedAction } from '../actions/plan.js';
import { actionKey, defined, packageManifest, type KeyManifest, type PackageManifest } from '../actions/key.js';
import type { ActionKey, Sha256, WorkspacePath } from '../types.js';
import { F_DIGEST, F_PATH, type FileEntry, type PackageEntry, type PlanSnapshot, type SnapAction } from './format.js';

export function packageManifestOf(files: readonly FileEntry[], e: PackageEntry, digestOf: (i: number) => Sha256): PackageManifest {
  const list: Record<WorkspacePath, Sha256> = {};
  for (const i of e[2]) list[(files[i] as FileEntry)[F_PATH]] = digestOf(i);
  return packageManifest(list);
}

/** Package manifests of a snapshot for the current digests, recomputed only for changed packages. */
export class PackageDigests {
  readonly #snap: PlanSnapshot;
  readonly #files: readonly FileEntry[];
  readonly #changed: ReadonlySet<number>;
  readonly #memo = new Map<number, PackageManifest>();

  /** `files`: the snapshot's file entries with their current digests (the packages' indices point into it). */
  constructor(snap: PlanSnapshot, files: readonly FileEntry[], changedPackages: ReadonlySet<number>) {
    this.#snap = snap;
    this.#files = files;
    this.#changed = changedPackages;
  }

  digest(p: number): Sha256 {
    const e = this.#snap.packages[p] as PackageEntry;
    return this.#changed.has(p) ? this.manifest(p).digest : e[3];
  }

  manifest(p: number): PackageManifest {
    let m = this.#memo.get(p);
    if (m === undefined) {
      const files = this.#files;
      m = packageManifestOf(files, this.#snap.packages[p] as PackageEntry, (i) => (files[i] as FileEntry)[F_DIGEST]);
      this.#memo.set(p, m);
    }
    return m;
  }
}

function manifestOf(snap: PlanSnapshot, a: SnapAction, pd: PackageDigests, files: readonly FileEntry[], deps: Readonly<Record<string, ActionKey>>): KeyManifest {
  const packages: Record<WorkspacePath, Sha256> = {};
  for (const p of a.pkgs) packages[(snap.packages[p] as PackageEntry)[1]] = pd.digest(p);
  const moduleFiles: Record<WorkspacePath, Sha256> = {};
  for (const i of a.extra) {
    const f = files[i] as FileEntry;
    moduleFiles[f[F_PATH]] = f[F_DIGEST];
  }
  const profile = a.pgo === undefined ? undefined : (files[a.pgo] as FileEntry);
  const pgo = profile === undefined ? undefined : { [profile[F_PATH]]: profile[F_DIGEST] };
  const skeleton = snap.skeletons[a.skeleton];
  if (skeleton === undefined) throw new Error(`snapshot action ${a.id} names skeleton ${String(a.skeleton)}, which does not exist`);
  return defined({ ...skeleton, label: a.label, out: a.out, package: a.package, packages, moduleFiles, pgo, modules: a.modules, deps });
}

/** A manifest's `deps`: each explicit dep's label with its key. */
function depKeys(a: SnapAction, byId: ReadonlyMap<string, SnapAction>, keyOf: (dep: SnapAction) => ActionKey): Record<string, ActionKey> {
  const deps: Record<string, ActionKey> = {};
  for (const d of a.deps) {
    const dep = byId.get(d);
    if (dep !== undefined) deps[dep.label] = keyOf(dep);
  }
  return deps;
}

/** Recomputes the keys of `which` (and of everything depending on them), in dependency order. */
export function rebuildKeys(snap: PlanSnapshot, pd: PackageDigests, files: readonly FileEntry[], which: ReadonlySet<string>): Map<string, ActionKey> {
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
    keys.set(a.id, actionKey(manifestOf(snap, a, pd, files, depKeys(a, byId, (d) => keys.get(d.id) as ActionKey))));
    done.add(a.id);
  };
  for (const a of snap.actions) visit(a, new Set());
  return keys;
}

/**
 * The plan a snapshot holds. What only the actions that run need — manifests, the go
 * environment, package lists — is built when something asks for it: a build through the gob
 * server takes this plan after every edit, and most of its actions are cache hits.
 */
export function planOf(snap: PlanSnapshot, pd: PackageDigests, files: readonly FileEntry[], passthrough: Readonly<Record<string, string>>): BuildPlan {
  const byId = new Map(snap.actions.map((a) => [a.id, a]));
  const actions = snap.actions.map((a): PlannedAction => {
    let manifest: KeyManifest | undefined;
    let go: PlannedAction['go'] | undefined;
    let packages: ReadonlyMap<string, WorkspacePath> | undefined;
    return {
      id: a.id,
      label: a.label,
      platform: { goos: a.platform[0], goarch: a.platform[1] },
      key: a.key,
      get manifest(): KeyManifest {
        manifest ??= manifestOf(snap, a, pd, files, depKeys(a, byId, (d) => d.key));
        return manifest;
      },
      get packageManifests(): readonly PackageManifest[] {
        return a.pkgs.map((p) => pd.manifest(p));
      },
      get go(): PlannedAction['go'] {
        go ??= { ...a.go, env: { ...passthrough, ...a.go.setEnv } };
        return go;
      },
      outName: a.outName,
      output: a.output,
      depLabels: a.depLabels,
      deps: a.deps,
      get packages(): ReadonlyMap<string, WorkspacePath> {
        packages ??= new Map(
          a.pkgs.map((p) => {
            const [importPath, dir] = snap.packages[p] as PackageEntry;
            return [importPath, dir];
          }),
        );
        return packages;
      },
      unreadModules: a.unread,
    };
  });
  return { actions, host: { goos: snap.host[0], goarch: snap.host[1] }, profile: snap.profile };
}
