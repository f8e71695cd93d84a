import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PlanScope } from './actions/plan.js';
import { OUT_DIR } from './actions/outputs.js';
import { PASSTHROUGH_ENV, pickPassthrough } from './actions/go-env.js';
import { defaultCacheDir } from './cache/default-cache-dir.js';
import { LocalCache } from './cache/local-cache.js';
import type { Diagnostic } from './diagnostics.js';
import type { EventSink } from './events.js';
import { observedInSnapshot, type ObservedInputs } from './exec/input-guard.js';
import { runBuild } from './exec/run-build.js';
import { ccIdentity, probeIdentity } from './golang/probe-cache.js';
import { moduleCacheState } from './golang/module-cache.js';
import { vcsState } from './golang/vcs.js';
import { FileHasher } from './hashing/file-hasher.js';
import { engineBuildId } from './snapshot/build-id.js';
import { loadSnapshot, requestFingerprint, saveSnapshot, saveSnapshotLater, type PlanSnapshot, type ToolKind } from './snapshot/format.js';
import { outputEntry, reuseSnapshot, withOutputs } from './snapshot/reuse.js';
import { platformString, type Platform, type Workspace } from './types.js';
import type { Result } from './util/result.js';
import { findWorkspaceRoot } from './workspace/root.js';

/**
 * The engine's entry points, composed for the CLI: load the workspace, resolve patterns, plan,
 * run. Each returns values (never prints, never exits) and reports progress through `onEvent`.
 *
 * `build` first tries the plan snapshot of an identical earlier build (snapshot/): when nothing
 * the plan depended on changed, it runs that plan without loading the workspace, the modules or
 * the package graph, and the modules that do that (YAML, the schema, the Go model)
 * are never loaded. Otherwise it plans from scratch (build-fresh.ts) and records a new snapshot.
 */

export interface EngineOptions {
  readonly cwd: string;
  /** gob's environment (GOB_CACHE_DIR, XDG_CACHE_HOME, the go pass-through list). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onEvent: EventSink;
  readonly goBin?: string | undefined;
}

export interface LoadedWorkspace {
  readonly workspace: Workspace;
  /** The cwd as a workspace path, for relative labels. */
  readonly currentDir: string;
}

export interface BuildOptions extends EngineOptions {
  readonly patterns: readonly string[];
  readonly profile: string;
  readonly platforms?: readonly Platform[] | undefined;
  readonly jobs: number;
  readonly keepGoing: boolean;
  /** One go build per batch of compatible actions (default true); false: one per action. */
  readonly batching?: boolean | undefined;
  /** Do not read the action cache or a plan snapshot (both are still written). */
  readonly noCache: boolean;
  readonly force: boolean;
  readonly dryRun: boolean;
  /**
   * Fill the `{VARS}` of x_defs from gob.yaml's `stamp.command` (run for every build; a stamped
   * build is planned from scratch and leaves no plan snapshot, its values being no file's).
   */
  readonly stamp?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Takes the housekeeping a build does after its outcome is known (trimming the cache) instead
   * of awaiting it, for a caller that outlives the build and can answer first (the gob server
   * runs it before its next command); the plan snapshot is then written once the process is
   * quiet (`saveSnapshotLater`; `flushSnapshots` before such a caller exits). Without it, `build`
   * awaits all of that before it returns.
   */
  readonly defer?: ((work: () => Promise<void>) => void) | undefined;
  /** Says which files may have changed since a snapshot was last checked (the gob server's file watcher). */
  readonly changeHints?: ChangeHints | undefined;
}

/**
 * A file watcher's account of the workspace, so that checking a plan snapshot does not have to
 * stat every file. It must never leave out a change: when it cannot vouch for every file and
 * directory the snapshot records (it just started watching, events were lost), it says so.
 */
export interface ChangeHints {
  /**
   * The workspace paths that may have changed since `snap` was last checked, or undefined:
   * check every entry (and, when `checked` follows, vouch for it from then on).
   */
  changedSince(snap: PlanSnapshot): Promise<ReadonlySet<string> | undefined>;
  /** `after`, the result of checking `before`, is the workspace as it is now. */
  checked(before: PlanSnapshot, after: PlanSnapshot): void;
}

export type BuildOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[]; readonly root?: string | undefined }
  | { readonly kind: 'done'; readonly ok: boolean; readonly interrupted: boolean; readonly root: string };

/** Everything about a build request that decides its plan, besides the files it reads. */
export interface PlanRequest {
  readonly fingerprint: string;
  readonly root: string;
}

export function cacheDirFor(workspace: Workspace, env: Readonly<Record<string, string | undefined>>): string {
  if (env.GOB_CACHE_DIR !== undefined && env.GOB_CACHE_DIR !== '') return path.resolve(env.GOB_CACHE_DIR);
  const configured = workspace.config.cache.dir;
  if (configured !== undefined) {
    const expanded = configured.startsWith('~/') ? path.join(os.homedir(), configured.slice(2)) : configured;
    return path.resolve(workspace.root, expanded);
  }
  return defaultCacheDir(env);
}

/** `gob build`: plan every matching binary target and build or restore it. */
export async function build(opts: BuildOptions): Promise<BuildOutcome> {
  const startedAt = Date.now();
  const root = await findWorkspaceRoot(opts.cwd);
  // Before planning, so that the plan (and its snapshot) sees the workspace as builds leave it.
  if (root !== undefined && !opts.dryRun) await ensureGitignore(root);
  const request = root === undefined || opts.stamp === true ? undefined : await planRequest(opts, root);
  if (request !== undefined && !opts.noCache) {
    const snap = loadSnapshot(request.root, request.fingerprint);
    if (snap !== undefined) {
      const onlyChanged = await opts.changeHints?.changedSince(snap);
      const reused = await reuseSnapshot(snap, {
        onlyChanged,
        passthrough: pickPassthrough(opts.env),
        toolIdentity: (kind, what) => toolIdentityNow(kind, what, snap.root, opts),
      });
      if (reused.ok) {
        opts.changeHints?.checked(snap, reused.snapshot);
        opts.onEvent({ type: 'log', level: 'debug', message: 'plan reused', data: { changed: reused.changed, watched: onlyChanged !== undefined } });
        // The same counters a fresh plan reports (tests read them: a no-op build reads no file).
        opts.onEvent({ type: 'log', level: 'debug', message: 'file hashing', data: { ...reused.stats } });
        const snapshot = reused.snapshot;
        return runPlanned(opts, {
          startedAt,
          root: snapshot.root,
          cacheDir: snapshot.cacheDir,
          maxSizeBytes: snapshot.maxSizeBytes,
          targets: snapshot.targets,
          plan: reused.plan,
          snapshot,
          dirty: reused.dirty,
          likelyMisses: reused.touched,
          observedInputs: observedInSnapshot(snapshot.files),
        });
      }
      opts.onEvent({ type: 'log', level: 'debug', message: 'planning again', data: { reason: reused.reason } });
    }
  }
  const { buildFresh } = await import('./build-fresh.js');
  return buildFresh(opts, { startedAt, request });
}

/**
 * The request's fingerprint, or undefined when no snapshot can be used (this gob does not know
 * its own build id).
 */
async function planRequest(opts: BuildOptions, root: string): Promise<PlanRequest | undefined> {
  const build = engineBuildId();
  if (build === undefined) return undefined;
  const [cwdReal, rootReal] = await Promise.all([fs.realpath(opts.cwd).catch(() => opts.cwd), fs.realpath(root).catch(() => root)]);
  const env: Record<string, string | undefined> = {};
  for (const name of [...PASSTHROUGH_ENV, 'GOB_CACHE_DIR', 'XDG_CACHE_HOME']) env[name] = opts.env[name];
  const fingerprint = requestFingerprint({
    build,
    root,
    rootReal,
    cwd: path.resolve(opts.cwd),
    cwdReal,
    patterns: opts.patterns,
    profile: opts.profile,
    platforms: opts.platforms?.map(platformString) ?? null,
    force: opts.force,
    goBin: opts.goBin ?? 'go',
    env,
  });
  return { fingerprint, root };
}

export interface PlannedRun extends PlanScope {
  readonly startedAt: number;
  /** The plan's snapshot, saved again (with what the build left in gob-out) when it changed. */
  readonly snapshot?: PlanSnapshot | undefined;
  /** The snapshot is new or changed: save it whatever the build does. */
  readonly dirty: boolean;
  /** Knows gob-out's files; default: one seeded from the snapshot's record of them. */
  readonly hasher?: FileHasher | undefined;
  /** Actions whose inputs changed since the snapshot: looked up first, built while the rest are (exec/run-build.ts). */
  readonly likelyMisses?: ReadonlySet<string> | undefined;
  /** How the plan saw its input files (exec/input-guard.ts). */
  readonly observedInputs?: ObservedInputs | undefined;
}

/** Runs a plan (from a snapshot or just made), then records what the build left in gob-out. */
export async function runPlanned(opts: BuildOptions, run: PlannedRun): Promise<BuildOutcome> {
  const { root, snapshot: snap } = run;
  const cache = new LocalCache({
    dir: run.cacheDir,
    maxSizeBytes: run.maxSizeBytes,
    onWarning: (d) => {
      opts.onEvent({ type: 'diagnostic', diagnostic: d });
    },
  });
  let hasher = run.hasher;
  if (hasher === undefined) {
    // gob-out files are checked against what the snapshot says was placed there.
    hasher = new FileHasher({ root });
    hasher.seed((snap?.outputs ?? []).map(([p, statKey, digest]) => ({ path: p, statKey, digest })));
  }
  opts.onEvent({
    type: 'build.started',
    command: 'build',
    workspace: root,
    patterns: [...opts.patterns],
    targets: [...run.targets],
    profile: opts.profile,
    platforms: [...new Set(run.plan.actions.map((a) => platformString(a.platform)))].sort(),
    jobs: opts.jobs,
    dryRun: opts.dryRun,
    actions: run.plan.actions.length,
  });
  const result = await runBuild({
    plan: run.plan,
    workspaceRoot: root,
    cache,
    stagingDir: path.join(run.cacheDir, 'tmp'),
    hasher,
    jobs: opts.jobs,
    keepGoing: opts.keepGoing,
    batching: opts.batching,
    noCache: opts.noCache,
    dryRun: opts.dryRun,
    signal: opts.signal,
    onEvent: opts.onEvent,
    startedAt: run.startedAt,
    likelyMisses: run.likelyMisses,
    observedInputs: run.observedInputs,
  });
  const housekeeping = async (): Promise<void> => {
    if (snap !== undefined) {
      const outputs = opts.dryRun
        ? snap.outputs
        : [...result.placed]
            .map(([rel, digest]) => outputEntry(root, rel, digest))
            .filter((e) => e !== undefined)
            .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      if (run.dirty || JSON.stringify(outputs) !== JSON.stringify(snap.outputs)) {
        const next = withOutputs(snap, outputs, Date.now());
        // Losing a snapshot costs the next build a full plan; the build itself is done.
        const lost = (e: unknown): void => {
          opts.onEvent({ type: 'log', level: 'warn', message: `could not save the plan snapshot: ${e instanceof Error ? e.message : String(e)}` });
        };
        if (opts.defer !== undefined) saveSnapshotLater(next, lost);
        else await saveSnapshot(next).catch(lost);
      }
    }
    await cache.settle();
    if (!opts.dryRun && result.finished.counts.built > 0) {
      // Evicting means scanning the whole cache: only worth it when it has a bound to keep.
      if (run.maxSizeBytes !== undefined) await cache.trim();
      else await cache.removeStaleTemps();
    }
  };
  if (opts.defer === undefined) await housekeeping();
  else opts.defer(housekeeping);
  return { kind: 'done', ok: result.ok, interrupted: result.interrupted, root };
}

/** Adds `gob-out/` to the workspace's .gitignore (creating it) unless it is already ignored. */
export async function ensureGitignore(root: string): Promise<void> {
  const file = path.join(root, '.gitignore');
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  const lines = (text ?? '').split(/\r?\n/).map((l) => l.trim());
  if (lines.some((l) => l === `${OUT_DIR}/` || l === OUT_DIR || l === `/${OUT_DIR}/` || l === `/${OUT_DIR}`)) return;
  const prefix = text === undefined || text === '' || text.endsWith('\n') ? '' : '\n';
  await fs.appendFile(file, `${prefix}${OUT_DIR}/\n`);
}

/** Loads the workspace at or above `cwd` (the YAML loader is loaded on first use). */
export async function openWorkspace(opts: { cwd: string }): Promise<Result<LoadedWorkspace, Diagnostic[]>> {
  const { openWorkspace: open } = await import('./build-fresh.js');
  return open(opts);
}

/** `gob clean`: removes gob-out, and with `cache` empties the cache too. */
export async function clean(opts: { cwd: string; cache: boolean; env: Readonly<Record<string, string | undefined>> }): Promise<Result<{ removed: string[] }, Diagnostic[]>> {
  const { clean: run } = await import('./build-fresh.js');
  return run(opts);
}

/** What a snapshot's tool entry (`PlanSnapshot.tools`) identifies, as it is now. */
async function toolIdentityNow(kind: ToolKind, what: string, root: string, opts: BuildOptions): Promise<string | undefined> {
  switch (kind) {
    case 'go':
      return probeIdentity({ goBin: opts.goBin ?? 'go', cwd: root, env: JSON.parse(what) as Record<string, string> });
    case 'cc':
      return ccIdentity(what, opts.env.PATH ?? '');
    case 'vcs':
      return vcsState(what, pickPassthrough(opts.env));
    case 'modules': {
      // The modules a plan could not read: which of their files the module cache holds now.
      const u = JSON.parse(what) as { moduleCache: string; modules: string[] };
      return moduleCacheState(u.moduleCache, u.modules);
    }
  }
}
