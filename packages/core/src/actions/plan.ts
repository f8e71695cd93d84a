import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Diagnostic } from '../diagnostics.js';
import type { EventSink } from '../events.js';
import type { FileHasher } from '../hashing/index.js';
import {
  buildContextFromGoEnv,
  goFailureDiagnostic,
  loadGoPackages,
  mainModuleProblems,
  modFlagFromGoFlags,
  probeGoEnvCached,
  standardLibrary,
  type BuildContext,
  type GoEnv,
  type GoIO,
  type GoWorkMode,
  type ModFlag,
  type ModuleSet,
  type GoPackage,
  type PackageGraph,
  type StandardLibrary,
} from '../golang/index.js';
import {
  platformString,
  type ActionKey,
  type GoBinaryTarget,
  type Label,
  type Platform,
  type Profile,
  type Sha256,
  type Target,
  type Workspace,
  type WorkspacePath,
} from '../types.js';
import { err, ok, type Result } from '../util/result.js';
import { fromWorkspacePath, isIgnoredName, joinWorkspacePath, resolveLocalPath, workspaceParent } from '../util/fs-paths.js';
import { moduleCacheSource, type ExternalSource } from '../golang/external.js';
import { downloadDirs, downloadModules, type DownloadRequest } from '../golang/module-download.js';
import { moduleCacheState } from '../golang/module-cache.js';
import { isListedFile } from '../golang/io.js';
import { overlayInputs } from '../golang/overlay.js';
import { vcsState } from '../golang/vcs.js';
import { goBuildFlags, goFlagValue, resolveXDefs, selectionBuildTags } from './go-args.js';
import { CGO_GO_ENV, OUTPUT_AFFECTING_GO_ENV, pickPassthrough } from './go-env.js';
import { actionKey, defined, KEY_SCHEMA_VERSION, packageManifest, type KeyManifest, type PackageManifest } from './key.js';
import { binaryOutputPath } from './outputs.js';
import type { ActionProvenance } from '../snapshot/create.js';

type PackageProvenance = ActionProvenance['packages'][number];

const execFileAsync = promisify(execFile);

/**
 * One unit of work: one binary target in one configuration, with its key. Plain data (no
 * references into the workspace model), so that a plan can be remembered between builds.
 */
export interface PlannedAction {
  /** `<label>@<goos>/<goarch>` */
  readonly id: string;
  readonly label: Label;
  readonly platform: Platform;
  readonly key: ActionKey;
  readonly manifest: KeyManifest;
  /**
   * Everything needed to run go. Actions whose `bin`, `cwd`, `env` and `flags` agree can share
   * one `go build -o DIR pkg…` (see exec/batches.ts); the caller adds `-o` and the packages.
   */
  readonly go: {
    readonly bin: string;
    readonly flags: readonly string[];
    /**
     * Where go runs: the directory of go.work in workspace mode, else the root of the target's
     * main module. Absolute.
     */
    readonly cwd: string;
    /** The main package relative to `cwd`, as go is given it: `./services/payment`, or `.`. */
    readonly packageArg: string;
    readonly importPath: string;
    /** The complete child environment. */
    readonly env: Readonly<Record<string, string>>;
    /** The part of env that gob sets (shown by `-x` and in events). */
    readonly setEnv: Readonly<Record<string, string>>;
    /**
     * The closure's packages whose C code includes files outside their own sources (their
     * `cgoExtraFiles`), with their package names. go's build cache does not see those files, so
     * the build hands go an overlay that makes it recompile these packages when their inputs
     * change (run-build.ts). Empty for most builds.
     */
    readonly cIncludePackages: readonly CIncludePackage[];
  };
  /** Output file name (the target's `out`). */
  readonly outName: string;
  /** Workspace-relative path of the binary in gob-out. */
  readonly output: WorkspacePath;
  /** Labels of the target's explicit `deps` (resolved to action ids by `linkDeps`). */
  readonly depLabels: readonly Label[];
  /** Ids of the actions of explicit `deps`. */
  readonly deps: readonly string[];
  /**
   * The workspace packages in the closure, import path to directory: go reports compile errors
   * per package, and an error in one of these is an error of this action.
   */
  readonly packages: ReadonlyMap<string, WorkspacePath>;
  /** The package manifests `manifest.packages` names, stored with the result for explaining. */
  readonly packageManifests: readonly PackageManifest[];
  /**
   * External modules (`path@version`) of the action's configuration that go could not download
   * while planning (offline, say), so gob could not read what they import: the key may lack
   * local packages they import. Such an action is built, never restored from or stored in the cache.
   */
  readonly unreadModules?: readonly string[] | undefined;
}

/** A package whose C code includes files from elsewhere: go recompiles it through an overlay. */
export interface CIncludePackage {
  readonly dir: WorkspacePath;
  /** Its package name (the overlay's Go file is one more file of the package). */
  readonly name: string;
  /** The overlay file's name in the package directory: one no file of the directory has. */
  readonly file: string;
}

/** The name of the Go file an overlay adds to a package whose C code includes other files. */
const C_INCLUDE_STAMP_FILE = 'gob_c_includes_stamp.go';

export interface BuildPlan {
  readonly actions: readonly PlannedAction[];
  /**
   * With `keepGoing`: the targets that could not be planned because their Go packages do not
   * load (an import no module provides, a syntax error in an import block, an import cycle…),
   * with go's errors, and those whose explicit `deps` include one (skipped). They fail the build;
   * the others build.
   */
  readonly unplanned?: readonly UnplannedAction[] | undefined;
  readonly host: Platform;
  readonly profile: string;
  /** What went into the plan besides files, for a plan snapshot (only from `planBuild`). */
  readonly provenance?: PlanProvenance | undefined;
}

/** A target that `planBuild` with `keepGoing` could not plan (see `BuildPlan.unplanned`). */
export interface UnplannedAction {
  /** `<label>@<goos>/<goarch>`, as a planned action's. */
  readonly id: string;
  readonly label: Label;
  readonly platform: Platform;
  /** `failed`: its packages do not load (`diagnostics` say why); `skipped`: a dependency is unplanned. */
  readonly status: 'failed' | 'skipped';
  readonly diagnostics: readonly Diagnostic[];
}

/** A plan with the workspace, cache and targets it was made for: what a build runs and a snapshot keeps. */
export interface PlanScope {
  readonly root: string;
  readonly cacheDir: string;
  readonly maxSizeBytes?: number | undefined;
  readonly targets: readonly Label[];
  readonly plan: BuildPlan;
}

/** Where each action's inputs came from, and which tools the plan asked. */
export interface PlanProvenance {
  /** By action id: the closure's packages with their input files, and the module state files. */
  readonly actions: ReadonlyMap<string, ActionProvenance>;
  /** The complete environment of every `go env` probe the plan used. */
  readonly goProbes: readonly Readonly<Record<string, string>>[];
  /** `CC` of every configuration with cgo on (its `--version` is in the keys). */
  readonly ccs: readonly string[];
  /** The plan ran `go tool compile -V=full` (a development toolchain). */
  readonly compilerVersion: boolean;
  /** With `go.buildvcs: true`: the directory whose version-control state is in the keys, and that state. */
  readonly vcs?: { readonly dir: string; readonly state: string } | undefined;
  /**
   * External modules (`path@version`) whose imports the plan needed but could not read, by
   * module cache: not in it, and go could not download them (external.ts). A snapshot of the plan
   * holds only while they stay missing.
   */
  readonly unreadModules: readonly { readonly moduleCache: string; readonly modules: readonly string[] }[];
  /** Directories whose every name counts, ignored ones too (`PackageGraph.wholeListingDirs`, a PGO profile with an ignored name). */
  readonly wholeListingDirs: ReadonlySet<WorkspacePath>;
}

export interface PlanRequest {
  readonly workspace: Workspace;
  readonly targets: readonly Target[];
  readonly profile: string;
  /** Overrides every target's platforms (`--platform`). */
  readonly platforms?: readonly Platform[] | undefined;
  /** The workspace's modules as go sees them with the settings the plan finds (`loadModules`). */
  readonly modules: ModuleSource;
  readonly hasher: FileHasher;
  readonly goIO: GoIO & { knownDigest?: (path: WorkspacePath) => Sha256 | undefined };
  /** gob's own environment: only the pass-through allow-list is taken from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly goBin?: string | undefined;
  readonly forceRebuild?: boolean | undefined;
  readonly stamp?: Readonly<Record<string, string>> | undefined;
  /** Where toolchain probe results are remembered (the cache dir); undefined: always probe. */
  readonly probeCacheDir?: string | undefined;
  /**
   * Plan every target whose packages load, and list the others in `unplanned`, instead of
   * failing the whole plan when some target's packages do not load (`gob build -k`).
   */
  readonly keepGoing?: boolean | undefined;
  /** Told when planning waits for go to download modules (`plan.progress`). */
  readonly onEvent?: EventSink | undefined;
}

/**
 * Loads the workspace's modules for go's module settings: `GOWORK=off` (each module on its own,
 * go.work ignored) and GOFLAGS' `-mod` (whether vendor/ is used). Called once per distinct pair.
 */
export type ModuleSource = (mode: { readonly goWork: GoWorkMode; readonly mod: ModFlag; readonly modFile?: string | undefined }) => Promise<Result<ModuleSet, Diagnostic[]>>;

/** The profile used when none is asked for: nothing beyond gob.yaml and the target. */
export const DEFAULT_PROFILE = 'default';

/**
 * Plans a build: resolves each target's configurations, probes the toolchain once per distinct
 * environment, loads the Go package closure with gob's scanner, hashes every input and computes
 * each action's key. Runs no build.
 */
export async function planBuild(req: PlanRequest): Promise<Result<BuildPlan, Diagnostic[]>> {
  const { workspace } = req;
  // The workspace config already holds the built-in debug and release profiles.
  const profile: Profile | undefined =
    workspace.config.profiles[req.profile] ?? (req.profile === DEFAULT_PROFILE ? {} : undefined);
  if (profile === undefined) {
    const known = [DEFAULT_PROFILE, ...Object.keys(workspace.config.profiles)].sort();
    return err([
      {
        severity: 'error',
        code: 'unknown-profile',
        message: `unknown profile "${req.profile}"; known profiles: ${known.join(', ')}`,
      },
    ]);
  }
  const goBin = req.goBin ?? 'go';
  const passthrough = pickPassthrough(req.env);
  const pinned = workspace.config.go.toolchain === 'local' ? undefined : workspace.config.go.toolchain;
  const probes = new Map<string, Promise<Result<GoEnv, Diagnostic>>>();
  const probeEnvs: Record<string, string>[] = [];
  const probe = (setEnv: Record<string, string>): Promise<Result<GoEnv, Diagnostic>> => {
    const id = JSON.stringify(setEnv);
    let p = probes.get(id);
    if (p === undefined) {
      const env = { ...passthrough, ...setEnv };
      probeEnvs.push(env);
      p = probeGoEnvCached({ goBin, cwd: workspace.root, env, cacheDir: req.probeCacheDir }).then((r) => {
        if (!r.ok) return err(goFailureDiagnostic(r.error));
        if (pinned !== undefined && r.value.GOVERSION !== pinned) {
          return err({
            severity: 'error',
            code: 'toolchain-mismatch',
            message: `gob.yaml pins go.toolchain ${pinned}, but ${goBin} is ${r.value.GOVERSION}`,
            location: workspace.configFile === undefined ? undefined : { file: workspace.configFile },
            hint: `install ${pinned}, or change go.toolchain in gob.yaml`,
          });
        }
        return ok(r.value);
      });
      probes.set(id, p);
    }
    return p;
  };

  const baseEnv: Record<string, string> = { GOTOOLCHAIN: 'local' };
  // The module layout depends on the effective GOWORK and GOFLAGS (gob.yaml env, the profile's,
  // the target's, or `go env -w`): loaded once per distinct setting.
  const moduleSets = new Map<string, Promise<Result<ModuleSet, Diagnostic[]>>>();
  const modulesFor = (goenv: GoEnv): Promise<Result<ModuleSet, Diagnostic[]>> => {
    const goWork = goWorkMode(goenv.GOWORK, workspace.root);
    if (!goWork.ok) return Promise.resolve(err([goWork.error]));
    const mod = modFlagFromGoFlags(goenv.raw.GOFLAGS);
    const modFile = goFlagValue(goenv.raw.GOFLAGS ?? '', 'modfile') || undefined;
    const id = JSON.stringify([goWork.value, mod ?? '', modFile ?? '']);
    let p = moduleSets.get(id);
    if (p === undefined) {
      p = req.modules({ goWork: goWork.value, mod, modFile });
      moduleSets.set(id, p);
    }
    return p;
  };

  const hostProbe = await probe(baseEnv);
  if (!hostProbe.ok) return err([hostProbe.error]);
  const host: Platform = { goos: hostProbe.value.GOHOSTOS, goarch: hostProbe.value.GOHOSTARCH };
  const trimpath = profile.trimpath ?? workspace.config.go.trimpath;
  // go stamps the checkout's commit and state into every binary when asked to: so is the key.
  const vcs = workspace.config.go.buildvcs ? await vcsState(workspace.root, passthrough) : undefined;
  const compilerIds = new Map<string, Promise<string | undefined>>();
  const ccIds = new Map<string, Promise<string | undefined>>();
  const overlays = new Map<string, Promise<Record<string, string>>>();
  // The Fortran compiler go would run, by go environment: `go env FC` (the environment, or go's
  // config file), else go's default. Asked only for binaries with Fortran files.
  const fcCommands = new Map<string, Promise<string>>();
  const fcFor = (env: Record<string, string>): Promise<string> =>
    memo(fcCommands, JSON.stringify(env), async () => ((await goEnvValue(goBin, 'FC', workspace.root, env)) ?? '') || DEFAULT_FC);
  const provenance = new Map<string, ActionProvenance>();
  // By `<configuration group>:<directory>`: a package manifest, or its promise while the package's files are hashed.
  const packageManifests = new Map<string, PackageManifest | Promise<PackageManifest>>();
  // The same key: each package's provenance, one object however many actions include it.
  const packageProvenance = new Map<string, PackageProvenance>();
  const groupNumbers = new Map<string, number>();
  const groupNumber = (graphId: string): number => {
    let n = groupNumbers.get(graphId);
    if (n === undefined) {
      n = groupNumbers.size;
      groupNumbers.set(graphId, n);
    }
    return n;
  };

  // One digest lookup per file per plan, however many targets share it; digests already known
  // are answered without a promise each (a large plan asks for hundreds of thousands).
  const known = new Map<WorkspacePath, Sha256>();
  const inflight = new Map<WorkspacePath, Promise<Sha256>>();
  const digestsOf = async (paths: readonly WorkspacePath[]): Promise<Record<WorkspacePath, Sha256>> => {
    const missing: WorkspacePath[] = [];
    const waits: Promise<Sha256>[] = [];
    for (const p of paths) {
      if (known.has(p)) continue;
      // Files whose headers the scanner read were hashed in that same read.
      const fromHeader = req.goIO.knownDigest?.(p);
      if (fromHeader !== undefined) {
        known.set(p, fromHeader);
        continue;
      }
      const wait = inflight.get(p);
      if (wait !== undefined) waits.push(wait);
      else missing.push(p);
    }
    if (missing.length > 0) {
      const batch = req.hasher.digestMany(missing);
      missing.forEach((p, i) => {
        const one = batch.then((ds) => {
          const d = ds[i] as Sha256;
          known.set(p, d);
          return d;
        });
        inflight.set(p, one);
        waits.push(one);
      });
    }
    if (waits.length > 0) await Promise.all(waits);
    // Key order does not matter: the key is the hash of the canonical (sorted) JSON.
    const files: Record<WorkspacePath, Sha256> = {};
    for (const p of paths) files[p] = known.get(p) as Sha256;
    return files;
  };

  // One package graph per configuration (env + tags), holding the roots of every target built
  // with it: shared libraries are scanned once, not once per target. Roots are collected while
  // the configurations are being probed, then each graph loads once all its roots are known.
  const binaries = req.targets.filter((t): t is GoBinaryTarget => t.kind === 'go_binary');
  const pending: { platform: Platform; target: GoBinaryTarget }[] = [];
  for (const target of binaries) for (const platform of req.platforms ?? target.platforms ?? [host]) pending.push({ target, platform });
  type GraphOf = (root: WorkspacePath) => Result<PackageGraph, Diagnostic[]>;
  const groups = new Map<string, { roots: Set<WorkspacePath>; graph?: Promise<GraphOf> }>();
  // Every action reports once, through graphFor or skipGraph; graphs load when all have.
  let unassigned = pending.length;
  let release = (): void => undefined;
  const allAssigned = new Promise<void>((resolve) => (release = resolve));
  const skipGraph = (): void => {
    if (--unassigned === 0) release();
  };
  // What external modules import is read by a reader per graph load (external.ts); those of the
  // final loads say which modules stayed unread, and keep what they read for later processes.
  const externalSources: ExternalSource[] = [];
  const wholeListingDirs = new Set<WorkspacePath>();
  // Graphs of several configurations may load (and download) at once: the progress event counts
  // the modules of every download under way, and says `planning` when none is left.
  let downloading = 0;
  const download = async (d: DownloadRequest): Promise<ReadonlyMap<string, string>> => {
    downloading += d.modules.length;
    req.onEvent?.({ type: 'plan.progress', step: 'downloading-modules', modules: downloading });
    const failures = await downloadModules(d);
    downloading -= d.modules.length;
    req.onEvent?.(downloading === 0 ? { type: 'plan.progress', step: 'planning' } : { type: 'plan.progress', step: 'downloading-modules', modules: downloading });
    return failures;
  };
  // go's reason for each module it could not download, told once per plan: the actions that
  // are not cached because of it say only which modules.
  const toldFailures = new Set<string>();
  const tellFailures = (ids: readonly string[], failures: ReadonlyMap<string, string>): void => {
    for (const id of ids) {
      const reason = failures.get(id);
      if (reason === undefined || toldFailures.has(id)) continue;
      toldFailures.add(id);
      req.onEvent?.({ type: 'log', level: 'warn', message: `go could not download ${reason.startsWith(id) ? reason : `${id}: ${reason}`}`, data: { module: id } });
    }
  };
  const stdLibs = new Map<string, StandardLibrary>();
  const loadGraph = async (roots: WorkspacePath[], ctx: BuildContext, modules: ModuleSet, moduleCache: string, env: Record<string, string>, goroot: string): Promise<Result<PackageGraph, Diagnostic[]>> => {
    let std = stdLibs.get(goroot);
    if (std === undefined) {
      std = standardLibrary(goroot);
      stdLibs.set(goroot, std);
    }
    const memoDir = req.probeCacheDir === undefined ? undefined : path.join(req.probeCacheDir, 'external');
    const locals = new Set(modules.modules.map((m) => m.path));
    let tried = '';
    let failures: ReadonlyMap<string, string> = new Map();
    for (;;) {
      const external = moduleCache === '' ? undefined : moduleCacheSource(moduleCache, locals, memoDir);
      const graph = await loadGoPackages({ roots, ctx, modules, includeTests: false, external, standardLibrary: std }, req.goIO);
      if (graph.ok) for (const d of graph.value.wholeListingDirs) wholeListingDirs.add(d);
      const ids = external === undefined ? [] : [...external.unread].sort();
      // Modules the module cache does not hold yet: go downloads them (their go.mod, then the
      // files of those that can import local packages), and the graph loads again, until all are
      // read or go fetched nothing new (offline, say).
      const unread = ids.length === 0 ? '' : `${ids.join(' ')}\0${moduleCacheState(moduleCache, ids)}`;
      if (external === undefined || unread === '' || unread === tried || !graph.ok) {
        if (external !== undefined) externalSources.push(external);
        tellFailures(ids, failures);
        return graph;
      }
      tried = unread;
      const dirs =
        modules.mode === 'workspace'
          ? new Map([[workspace.root, ids]])
          : downloadDirs(
              ids,
              modules.modules.flatMap((m) => (m.goSumFile === undefined ? [] : [{ dir: fromWorkspacePath(workspace.root, m.dir), sum: fromWorkspacePath(workspace.root, m.goSumFile) }])),
              workspace.root,
            );
      const answers = await Promise.all([...dirs].map(([cwd, some]) => download({ goBin, cwd, env, moduleCache, modules: some })));
      failures = new Map(answers.flatMap((a) => [...a]));
    }
  };
  const graphFor = async (id: string, ctx: BuildContext, modules: ModuleSet, moduleCache: string, goroot: string, env: Record<string, string>, root: WorkspacePath): Promise<Result<PackageGraph, Diagnostic[]>> => {
    const g = groups.get(id) ?? { roots: new Set<WorkspacePath>() };
    groups.set(id, g);
    g.roots.add(root);
    skipGraph();
    await allAssigned;
    // The configuration's env decides the module settings, so all its actions share `modules`.
    g.graph ??= loadParts([...g.roots].sort(), (roots) => loadGraph(roots, ctx, modules, moduleCache, env, goroot));
    return (await g.graph)(root);
  };
  // One graph for all the roots; with keepGoing, when that fails, the roots are split in halves
  // until each graph loads or has a single root: each root gets a graph of its own closure, or
  // the errors of its own closure. Few roots are broken at once, so this loads few graphs.
  const loadParts = async (roots: WorkspacePath[], load: (roots: WorkspacePath[]) => Promise<Result<PackageGraph, Diagnostic[]>>): Promise<GraphOf> => {
    const whole = await load(roots);
    if (whole.ok || req.keepGoing !== true || roots.length === 1) return () => whole;
    const half = roots.length >> 1;
    const first = new Set(roots.slice(0, half));
    const [a, b] = await Promise.all([loadParts(roots.slice(0, half), load), loadParts(roots.slice(half), load)]);
    return (root) => (first.has(root) ? a(root) : b(root));
  };

  const diagnostics: Diagnostic[] = [];
  const actions: PlannedAction[] = [];
  const unplanned: UnplannedAction[] = [];
  const planOne = async (target: GoBinaryTarget, platform: Platform): Promise<PlannedAction | undefined> => {
    const userEnv: Record<string, string> = {
      ...workspace.config.go.env,
      ...(profile.env ?? {}),
      ...target.env,
    };
    const setEnv: Record<string, string> = {
      ...userEnv,
      ...baseEnv,
      GOOS: platform.goos,
      GOARCH: platform.goarch,
    };
    const probed = await probe(setEnv);
    if (!probed.ok) {
      diagnostics.push(probed.error);
      skipGraph();
      return undefined;
    }
    const goenv = probed.value;
    const modules = await modulesFor(goenv);
    if (!modules.ok) {
      diagnostics.push(...modules.error);
      skipGraph();
      return undefined;
    }
    // go would stop before building; say so now, not after downloads go refuses to make.
    const mainProblems = mainModuleProblems(modules.value, modules.value.moduleForDir(target.goPackage), goenv.GOVERSION);
    if (mainProblems.length > 0) {
      if (req.keepGoing === true) unplanned.push({ id: `${target.label}@${platformString(platform)}`, label: target.label, platform, status: 'failed', diagnostics: mainProblems });
      else diagnostics.push(...mainProblems);
      skipGraph();
      return undefined;
    }
    const tags = [...(profile.tags ?? []), ...target.tags];
    // go selects files with GOFLAGS' tags too (gob.yaml env, or `go env -w`): so must the graph.
    const selectionTags = selectionBuildTags(tags, goenv.raw.GOFLAGS ?? '');
    const ctx = buildContextFromGoEnv(goenv, selectionTags);
    const graphId = JSON.stringify([setEnv, selectionTags]);
    const graph = await graphFor(graphId, ctx, modules.value, goenv.GOMODCACHE, goenv.GOROOT, { ...passthrough, ...setEnv }, target.goPackage);
    if (!graph.ok) {
      if (req.keepGoing === true) unplanned.push({ id: `${target.label}@${platformString(platform)}`, label: target.label, platform, status: 'failed', diagnostics: graph.error });
      else diagnostics.push(...graph.error);
      return undefined;
    }
    const closure = rootsOf(graph.value).get(target.goPackage);
    const root = graph.value.packageByDir.get(target.goPackage);
    if (closure === undefined || root === undefined) throw new Error(`no closure for ${target.goPackage} in its graph`);
    if (root.name !== 'main') {
      diagnostics.push({
        severity: 'error',
        code: 'not-main-package',
        message: `${target.label}: ${target.goPackage === '' ? '.' : target.goPackage} is package ${root.name}, not a main package`,
        location: target.packageLocation ?? target.location,
        hint: 'a go_binary target must point at a directory holding package main',
      });
      return undefined;
    }

    // One package manifest per package and configuration, however many actions include it.
    const byDir = graph.value.packageByDir;
    const group = groupNumber(graphId);
    const pkgManifests: PackageManifest[] = [];
    const pkgProvenance: PackageProvenance[] = [];
    const packages: Record<WorkspacePath, Sha256> = {};
    for (const [importPath, dir] of closure.packages) {
      const pkgId = `${group}:${dir}`;
      let prov = packageProvenance.get(pkgId);
      if (prov === undefined) {
        prov = { id: pkgId, importPath, dir, files: byDir.get(dir)?.inputFiles ?? [] };
        packageProvenance.set(pkgId, prov);
      }
      pkgProvenance.push(prov);
      let m = packageManifests.get(pkgId);
      if (m === undefined) {
        m = digestsOf(prov.files).then((d) => {
          const made = packageManifest(d);
          packageManifests.set(pkgId, made);
          return made;
        });
        packageManifests.set(pkgId, m);
      }
      // Most packages are shared and done already: no await (a microtask each) for those.
      if (m instanceof Promise) m = await m;
      packages[dir] = m.digest;
      pkgManifests.push(m);
    }
    const moduleFiles = await digestsOf(closure.moduleStateFiles);
    const goCwd = modules.value.mode === 'workspace' ? '' : closure.mainModule.dir;
    const pgoFile = await pgoProfile(goenv.raw.GOFLAGS ?? '', target.goPackage, goCwd, workspace.root, req.goIO);
    if (pgoFile !== undefined && isIgnoredName(pgoFile)) wholeListingDirs.add(workspaceParent(pgoFile));
    const pgo = pgoFile === undefined ? undefined : await digestsOf([pgoFile]);
    const overlayFile = goFlagValue(goenv.raw.GOFLAGS ?? '', 'overlay');
    const overlay = overlayFile === undefined || overlayFile === '' ? undefined : await memo(overlays, `${goCwd}\0${overlayFile}`, () => overlayInputs(overlayFile, fromWorkspacePath(workspace.root, goCwd), workspace.root));

    // With cgo on, C settings matter even when no workspace package has cgo files: the standard
    // library (net, os/user, runtime/cgo) and external modules use cgo too.
    const anyPackage = (has: (p: GoPackage) => boolean): boolean => [...closure.packages.values()].some((dir) => {
      const p = graph.value.packageByDir.get(dir);
      return p !== undefined && has(p);
    });
    // go compiles C++ files with CXX and hashes its version. gob does not read the packages of
    // external modules (in the module cache), which may have C++ files (a binding of a C++
    // library, say): a binary that imports any external module may compile C++ too.
    const mayCompileCxx = ctx.cgoEnabled && (closure.externalModules.size > 0 || anyPackage((p) => p.cxxFiles.length + p.swigCXXFiles.length > 0));
    const goenvKeyed: Record<string, string> = {};
    for (const name of [...OUTPUT_AFFECTING_GO_ENV, ...(ctx.cgoEnabled ? CGO_GO_ENV : [])]) {
      const v = goenv.raw[name];
      if (v !== undefined && v !== '') goenvKeyed[name] = v;
    }
    // go compiles Fortran files with FC and hashes its name and identity; `go env -json` leaves
    // FC out, so it is asked for on its own.
    const hasFortranFiles = ctx.cgoEnabled && anyPackage((p) => p.fFiles.length > 0);
    const fc = hasFortranFiles ? await fcFor({ ...passthrough, ...setEnv }) : undefined;
    if (fc !== undefined) goenvKeyed.FC = fc;
    const xDefs = resolveXDefs(target.xDefs, req.stamp);
    const flags = goBuildFlags({
      trimpath,
      buildvcs: workspace.config.go.buildvcs,
      tags,
      gcflags: [...(profile.gcflags ?? []), ...target.gcflags],
      ldflags: [...(profile.ldflags ?? []), ...target.ldflags],
      xDefs,
      forceRebuild: req.forceRebuild ?? false,
    });
    const manifest: KeyManifest = defined({
      schema: KEY_SCHEMA_VERSION,
      kind: 'go_binary',
      label: target.label,
      out: target.out,
      package: target.goPackage,
      toolchain: defined({
        goversion: goenv.GOVERSION,
        compiler: goenv.GOVERSION.startsWith('devel') ? await memo(compilerIds, goBin, () => compilerVersion(goBin, passthrough)) : undefined,
        goroot: trimpath ? undefined : goenv.GOROOT,
        cc: ctx.cgoEnabled ? await memo(ccIds, goenv.CC, () => ccVersion(goenv.CC, passthrough)) : undefined,
        cxx: mayCompileCxx ? await memo(ccIds, goenv.CXX, () => ccVersion(goenv.CXX, passthrough)) : undefined,
        fc: fc === undefined ? undefined : await memo(ccIds, fc, () => ccVersion(fc, passthrough)),
      }),
      goenv: goenvKeyed,
      env: userEnv,
      // -a makes go redo its own work but cannot change the result: keep it out of the key.
      args: ['build', ...flags.filter((f) => f !== '-a'), '.'],
      packages,
      moduleFiles,
      pgo,
      overlay,
      vcs,
      modules: Object.fromEntries([...closure.externalModules].map(([m, v]) => [m, v ?? ''])),
      deps: {},
      workspaceRoot: trimpath ? undefined : workspace.root,
      moduleCache: trimpath || closure.externalModules.size === 0 ? undefined : goenv.GOMODCACHE,
    });
    const cIncludePackages: CIncludePackage[] = [];
    for (const dir of closure.packages.values()) {
      const p = byDir.get(dir);
      if (p === undefined || p.cgoExtraFiles.length === 0) continue;
      const taken = new Set([...p.goFiles, ...p.cgoFiles, ...p.ignoredGoFiles, ...p.invalidGoFiles, ...p.testGoFiles, ...p.xTestGoFiles]);
      let file = C_INCLUDE_STAMP_FILE;
      for (let n = 1; taken.has(file); n++) file = C_INCLUDE_STAMP_FILE.replace('.go', `_${String(n)}.go`);
      cIncludePackages.push({ dir, name: p.name, file });
    }
    const id = `${target.label}@${platformString(platform)}`;
    provenance.set(id, { packages: pkgProvenance, moduleFiles: closure.moduleStateFiles, pgo: pgoFile });
    return {
      id,
      label: target.label,
      platform,
      key: actionKey(manifest),
      manifest,
      go: {
        bin: goBin,
        flags,
        cwd: fromWorkspacePath(workspace.root, goCwd),
        packageArg: packageArgument(goCwd, target.goPackage),
        importPath: closure.importPath,
        env: { ...passthrough, ...setEnv },
        setEnv,
        cIncludePackages,
      },
      outName: target.out,
      output: binaryOutputPath(target, platform, host),
      depLabels: target.deps,
      deps: [],
      packages: closure.packages,
      packageManifests: pkgManifests,
      unreadModules: unreadVia(graph.value, closure.externalModules),
    };
  };

  for (const a of await Promise.all(pending.map(({ target, platform }) => planOne(target, platform)))) {
    if (a !== undefined) actions.push(a);
  }
  await Promise.all(externalSources.map((src) => src.save()));
  if (diagnostics.length > 0) return err(dedupe(diagnostics));
  const linked = linkDeps(actions, unplanned);
  return ok({
    actions: linked.actions,
    ...(linked.unplanned.length === 0 ? {} : { unplanned: linked.unplanned }),
    host,
    profile: req.profile,
    provenance: {
      actions: provenance,
      goProbes: probeEnvs,
      ccs: [...ccIds.keys()],
      compilerVersion: compilerIds.size > 0,
      vcs: vcs === undefined ? undefined : { dir: workspace.root, state: vcs },
      unreadModules: unreadModules(externalSources),
      wholeListingDirs,
    },
  });
}

/**
 * Adds the keys of explicit `deps` (same platform) to each action, in dependency order. An
 * action with an unplanned dependency, directly or not, is unplanned too (skipped): its key
 * would lack that dependency's.
 */
function linkDeps(planned: PlannedAction[], failed: readonly UnplannedAction[]): { actions: PlannedAction[]; unplanned: UnplannedAction[] } {
  // In id order: planning finishes them in no particular order.
  const unplanned = [...failed].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const out = new Set(failed.map((u) => u.id));
  let actions = planned;
  for (let grew = out.size > 0; grew; ) {
    grew = false;
    actions = actions.filter((a) => {
      if (!a.depLabels.some((d) => out.has(`${d}@${platformString(a.platform)}`))) return true;
      unplanned.push({ id: a.id, label: a.label, platform: a.platform, status: 'skipped', diagnostics: [] });
      out.add(a.id);
      grew = true;
      return false;
    });
  }
  // A dependency's key is taken once it holds its own dependencies' keys: a change anywhere
  // down a chain of deps reaches every key above it. (The workspace loader rejects cycles.)
  const byId = new Map(actions.map((a) => [a.id, a]));
  const linked = new Map<string, PlannedAction>();
  const link = (a: PlannedAction): PlannedAction => {
    let done = linked.get(a.id);
    if (done !== undefined) return done;
    const deps = a.depLabels
      .map((d) => byId.get(`${d}@${platformString(a.platform)}`))
      .filter((d): d is PlannedAction => d !== undefined)
      .map(link);
    if (deps.length === 0) done = a;
    else {
      const manifest: KeyManifest = { ...a.manifest, deps: Object.fromEntries(deps.map((d) => [d.label, d.key])) };
      done = { ...a, manifest, key: actionKey(manifest), deps: deps.map((d) => d.id) };
    }
    linked.set(a.id, done);
    return done;
  };
  return { actions: actions.map(link), unplanned };
}

/** `dir` relative to `cwd` as a go package argument (`./a/b`, `.`); `dir` is inside `cwd`. */
function packageArgument(cwd: WorkspacePath, dir: WorkspacePath): string {
  if (dir === cwd) return '.';
  return `./${cwd === '' ? dir : dir.slice(cwd.length + 1)}`;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const id = JSON.stringify(d);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const rootIndex = new WeakMap<PackageGraph, Map<WorkspacePath, PackageGraph['roots'][number]>>();

/** A graph's root closures by directory. */
function rootsOf(graph: PackageGraph): Map<WorkspacePath, PackageGraph['roots'][number]> {
  let m = rootIndex.get(graph);
  if (m === undefined) {
    m = new Map(graph.roots.map((r) => [r.dir, r]));
    rootIndex.set(graph, m);
  }
  return m;
}

function memo<T>(m: Map<string, Promise<T>>, id: string, f: () => Promise<T>): Promise<T> {
  let p = m.get(id);
  if (p === undefined) {
    p = f();
    m.set(id, p);
  }
  return p;
}

async function compilerVersion(goBin: string, env: Record<string, string>): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(goBin, ['tool', 'compile', '-V=full'], { env });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** go's Fortran compiler when FC is unset. */
const DEFAULT_FC = 'gfortran';

/** `go env NAME` in go's environment `env`; undefined when go fails. */
async function goEnvValue(goBin: string, name: string, cwd: string, env: Record<string, string>): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(goBin, ['env', name], { cwd, env });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function ccVersion(cc: string, env: Record<string, string>): Promise<string | undefined> {
  if (cc === '') return undefined;
  try {
    const [bin, ...rest] = cc.split(/\s+/);
    const { stdout } = await execFileAsync(bin ?? cc, [...rest, '--version'], { env });
    return stdout.split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}

/**
 * The profile go builds a main package with (profile-guided optimisation): with GOFLAGS' `-pgo`
 * unset or `auto` (go's default), `default.pgo` in the package's directory if it is there; with
 * `-pgo=FILE`, that file (relative to go's directory) if it is in the workspace; none with
 * `-pgo=off`. The listing comes through the planner's IO, so a profile added later is noticed.
 */
async function pgoProfile(goflags: string, mainDir: WorkspacePath, goCwd: WorkspacePath, root: string, io: GoIO): Promise<WorkspacePath | undefined> {
  const value = goFlagValue(goflags, 'pgo') ?? 'auto';
  if (value === 'off' || value === '') return undefined;
  const file = value === 'auto' ? joinWorkspacePath(mainDir, 'default.pgo') : resolveLocalPath(root, goCwd, value);
  return file !== undefined && (await isListedFile((d) => io.readdir(d), file)) ? file : undefined;
}

/** The modules go could not download that a closure's external modules lead to (`PackageGraph.unreadVia`), if any. */
function unreadVia(graph: PackageGraph, external: ReadonlyMap<string, string | undefined>): readonly string[] | undefined {
  if (graph.unreadVia.size === 0) return undefined;
  const ids = new Set<string>();
  for (const m of external.keys()) for (const id of graph.unreadVia.get(m) ?? []) ids.add(id);
  return ids.size === 0 ? undefined : [...ids].sort();
}

/** The modules each source could not read, by module cache (see `PlanProvenance.unreadModules`). */
function unreadModules(sources: readonly ExternalSource[]): PlanProvenance['unreadModules'] {
  const byCache = new Map<string, Set<string>>();
  for (const s of sources) {
    if (s.unread.size === 0) continue;
    const set = byCache.get(s.moduleCache) ?? new Set<string>();
    for (const m of s.unread) set.add(m);
    byCache.set(s.moduleCache, set);
  }
  return [...byCache].map(([moduleCache, set]) => ({ moduleCache, modules: [...set].sort() }));
}

/**
 * How go finds the workspace's go.work, from `go env GOWORK` in the workspace root: off, none, or
 * the root's own go.work. go would also use a go.work in a directory above the root, or one that
 * GOWORK names elsewhere; gob does not read those, so it says so instead of planning another build
 * than go's.
 */
function goWorkMode(goWork: string, root: string): Result<GoWorkMode, Diagnostic> {
  if (goWork === 'off') return ok('off');
  if (goWork === '' || (path.basename(goWork) === 'go.work' && samePath(path.dirname(goWork), root))) return ok('auto');
  return err({
    severity: 'error',
    code: 'go-work-elsewhere',
    message: `go uses the workspace file ${goWork}, but gob reads only a go.work in the workspace root (${root})`,
    hint: 'put gob.yaml next to that go.work, or set GOWORK: "off" in gob.yaml go.env to build each module on its own',
  });
}

function samePath(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}
