import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { planBuild, type BuildPlan } from './actions/plan.js';
import { OUT_DIR } from './actions/outputs.js';
import { defaultCacheDir, LocalCache } from './cache/index.js';
import type { Diagnostic } from './diagnostics.js';
import type { EventSink } from './events.js';
import { runBuild } from './exec/run-build.js';
import { GO_HEADER_DERIVE, goIOFromHasher, loadModules } from './golang/index.js';
import { FileHasher, hashBytes } from './hashing/index.js';
import { resolvePatterns } from './labels/index.js';
import { platformString, type Platform, type Target, type Workspace } from './types.js';
import { toWorkspacePath } from './util/fs-paths.js';
import { err, ok, type Result } from './util/result.js';
import { loadWorkspace } from './workspace/index.js';

/**
 * The engine's entry points, composed for the CLI: load the workspace, resolve patterns, plan,
 * run. Each returns values (never prints, never exits) and reports progress through `onEvent`.
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

export async function openWorkspace(opts: { cwd: string }): Promise<Result<LoadedWorkspace, Diagnostic[]>> {
  const ws = await loadWorkspace({ cwd: opts.cwd });
  if (!ws.ok) return ws;
  const real = await fs.realpath(opts.cwd).catch(() => opts.cwd);
  const rootReal = await fs.realpath(ws.value.root).catch(() => ws.value.root);
  return ok({ workspace: ws.value, currentDir: toWorkspacePath(rootReal, real) });
}

export interface BuildOptions extends EngineOptions {
  readonly patterns: readonly string[];
  readonly profile: string;
  readonly platforms?: readonly Platform[] | undefined;
  readonly jobs: number;
  readonly keepGoing: boolean;
  /** One go build per batch of compatible actions (default true); false: one per action. */
  readonly batching?: boolean | undefined;
  readonly noCache: boolean;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly signal?: AbortSignal | undefined;
}

export type BuildOutcome =
  | { readonly kind: 'invalid'; readonly diagnostics: readonly Diagnostic[]; readonly workspace?: Workspace | undefined }
  | { readonly kind: 'done'; readonly ok: boolean; readonly interrupted: boolean; readonly workspace: Workspace };

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
  const loaded = await openWorkspace({ cwd: opts.cwd });
  if (!loaded.ok) return { kind: 'invalid', diagnostics: loaded.error };
  const { workspace, currentDir } = loaded.value;
  const resolved = resolvePatterns(workspace, [...opts.patterns], currentDir);
  if (!resolved.ok) return { kind: 'invalid', diagnostics: resolved.error, workspace };
  const targets = resolved.value.filter((t) => t.kind === 'go_binary');
  if (targets.length === 0) {
    return {
      kind: 'invalid',
      workspace,
      diagnostics: [
        {
          severity: 'error',
          code: 'no-binary-targets',
          message: `no go_binary targets match ${opts.patterns.join(' ')}`,
          hint: 'gob build builds go_binary targets; the patterns matched only other kinds',
        },
      ],
    };
  }

  const cacheDir = cacheDirFor(workspace, opts.env);
  const cache = new LocalCache({
    dir: cacheDir,
    maxSizeBytes: workspace.config.cache.maxSizeBytes,
    onWarning: (d) => {
      opts.onEvent({ type: 'diagnostic', diagnostic: d });
    },
  });
  const hasher = new FileHasher({
    root: workspace.root,
    statCachePath: path.join(cacheDir, 'stat', `${hashBytes(workspace.root).slice(0, 16)}.json`),
    derive: GO_HEADER_DERIVE,
  });
  await hasher.load();

  const planned = await plan(workspace, targets, hasher, cacheDir, opts);
  if (!planned.ok) return { kind: 'invalid', diagnostics: planned.error, workspace };

  opts.onEvent({
    type: 'build.started',
    command: 'build',
    workspace: workspace.root,
    patterns: [...opts.patterns],
    targets: targets.map((t) => t.label),
    profile: opts.profile,
    platforms: [...new Set(planned.value.actions.map((a) => platformString(a.platform)))].sort(),
    jobs: opts.jobs,
    dryRun: opts.dryRun,
    actions: planned.value.actions.length,
  });
  if (!opts.dryRun) await ensureGitignore(workspace.root);
  const result = await runBuild({
    plan: planned.value,
    workspaceRoot: workspace.root,
    cache,
    stagingDir: path.join(cacheDir, 'tmp'),
    hasher,
    jobs: opts.jobs,
    keepGoing: opts.keepGoing,
    batching: opts.batching,
    noCache: opts.noCache,
    dryRun: opts.dryRun,
    signal: opts.signal,
    onEvent: opts.onEvent,
    startedAt,
  });
  // How much file I/O hashing took: a no-op build should read no file (tests rely on this).
  opts.onEvent({ type: 'log', level: 'debug', message: 'file hashing', data: { ...hasher.stats() } });
  const saved = await hasher.save();
  if (!saved.ok) {
    // Losing the stat cache only costs re-reading files next time; say so and go on.
    opts.onEvent({
      type: 'diagnostic',
      diagnostic: { severity: 'warning', code: 'stat-cache-save', message: `could not save the file stat cache: ${saved.error.message}` },
    });
  }
  if (!opts.dryRun) await cache.trim();
  return { kind: 'done', ok: result.ok, interrupted: result.interrupted, workspace };
}

async function plan(
  workspace: Workspace,
  targets: readonly Target[],
  hasher: FileHasher,
  cacheDir: string,
  opts: BuildOptions,
): Promise<Result<BuildPlan, Diagnostic[]>> {
  const modules = await loadModules(workspace.root);
  if (!modules.ok) return err(modules.error);
  return planBuild({
    workspace,
    targets,
    profile: opts.profile,
    platforms: opts.platforms,
    modules: modules.value,
    hasher,
    goIO: goIOFromHasher(workspace.root, hasher),
    env: opts.env,
    goBin: opts.goBin,
    forceRebuild: opts.force,
    probeCacheDir: cacheDir,
  });
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

/** `gob clean`: removes gob-out, and with `cache` empties the cache too. */
export async function clean(opts: { cwd: string; cache: boolean; env: Readonly<Record<string, string | undefined>> }): Promise<Result<{ removed: string[] }, Diagnostic[]>> {
  const loaded = await openWorkspace({ cwd: opts.cwd });
  if (!loaded.ok) return loaded;
  const { workspace } = loaded.value;
  const removed: string[] = [];
  const out = path.join(workspace.root, OUT_DIR);
  await fs.rm(out, { recursive: true, force: true });
  removed.push(out);
  if (opts.cache) {
    const dir = cacheDirFor(workspace, opts.env);
    await new LocalCache({ dir }).clear();
    removed.push(dir);
  }
  return ok({ removed });
}
