/**
 * Planning from scratch: load the workspace and its modules, resolve the patterns, load the Go
 * package graph and hash every input — recording everything read, so that the next identical
 * build can reuse the plan (snapshot/). The engine (engine.ts) comes here when no snapshot holds;
 * this module and what it imports (YAML, the schema, the Go model) are loaded only then.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { planBuild, type BuildPlan } from './actions/plan.js';
import { OUT_DIR } from './actions/outputs.js';
import { pickPassthrough } from './actions/go-env.js';
import { LocalCache } from './cache/local-cache.js';
import type { Diagnostic } from './diagnostics.js';
import { cacheDirFor, runPlanned, type BuildOptions, type BuildOutcome, type LoadedWorkspace, type PlanRequest } from './engine.js';
import { observedByHasher } from './exec/input-guard.js';
import { GO_HEADER_DERIVE, goIOFromHasher } from './golang/hasher-io.js';
import { nodeGoIO } from './golang/io.js';
import { loadModules } from './golang/modules.js';
import { ccIdentity, probeIdentity } from './golang/probe-cache.js';
import { moduleCacheState } from './golang/module-cache.js';
import { FileHasher } from './hashing/file-hasher.js';
import { hashBytes } from './hashing/hash-bytes.js';
import { resolvePatterns } from './labels/resolve.js';
import { ObservationRecorder } from './snapshot/observations.js';
import { createSnapshot } from './snapshot/create.js';
import type { PlanSnapshot, ToolKind } from './snapshot/format.js';
import { runStampCommand } from './workspace/stamp.js';
import { recordingDiscoveryFs, recordingGoIO, recordingModulesIO, recordingWorkspaceFs } from './snapshot/recording-io.js';
import type { Workspace } from './types.js';
import { toWorkspacePath } from './util/fs-paths.js';
import { err, ok, type Result } from './util/result.js';
import { loadWorkspace } from './workspace/load-workspace.js';

export async function openWorkspace(opts: { cwd: string; recorder?: ObservationRecorder | undefined }): Promise<Result<LoadedWorkspace, Diagnostic[]>> {
  const rec = opts.recorder;
  const ws = await loadWorkspace({
    cwd: opts.cwd,
    ...(rec === undefined ? {} : { fs: recordingWorkspaceFs(rec), discoveryFs: recordingDiscoveryFs(rec) }),
  });
  if (!ws.ok) return ws;
  const real = await fs.realpath(opts.cwd).catch(() => opts.cwd);
  const rootReal = await fs.realpath(ws.value.root).catch(() => ws.value.root);
  return ok({ workspace: ws.value, currentDir: toWorkspacePath(rootReal, real) });
}

/** Plans `opts` from scratch and runs it; records a snapshot of the plan when `request` is given. */
export async function buildFresh(opts: BuildOptions, run: { startedAt: number; request: PlanRequest | undefined }): Promise<BuildOutcome> {
  const rec = run.request === undefined ? undefined : new ObservationRecorder(run.request.root);
  const loaded = await openWorkspace({ cwd: opts.cwd, recorder: rec });
  if (!loaded.ok) return { kind: 'invalid', diagnostics: loaded.error };
  const { workspace, currentDir } = loaded.value;
  const resolved = resolvePatterns(workspace, [...opts.patterns], currentDir);
  if (!resolved.ok) return { kind: 'invalid', diagnostics: resolved.error, root: workspace.root };
  const targets = resolved.value.filter((t) => t.kind === 'go_binary');
  if (targets.length === 0) {
    return {
      kind: 'invalid',
      root: workspace.root,
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

  let stamp: Record<string, string> | undefined;
  if (opts.stamp === true) {
    const values = await runStampCommand(workspace, opts.env);
    if (!values.ok) return { kind: 'invalid', diagnostics: [values.error], root: workspace.root };
    stamp = values.value;
  }

  const cacheDir = cacheDirFor(workspace, opts.env);
  const hasher = new FileHasher({
    root: workspace.root,
    statCachePath: path.join(cacheDir, 'stat', `${hashBytes(workspace.root).slice(0, 16)}.json`),
    derive: GO_HEADER_DERIVE,
  });
  // After the configuration loaded: a stream whose gob.yaml or BUILD.yaml is wrong holds only
  // its diagnostics (docs/events.md).
  opts.onEvent({ type: 'plan.progress', step: 'planning' });
  await hasher.load();

  const disk = nodeGoIO(workspace.root);
  const goIO = goIOFromHasher(workspace.root, hasher, rec === undefined ? undefined : recordingGoIO(rec, (p) => disk.readHeader(p)));
  const planned = await planBuild({
    workspace,
    targets,
    profile: opts.profile,
    platforms: opts.platforms,
    modules: (mode) => loadModules(workspace.root, { ...mode, io: rec === undefined ? undefined : recordingModulesIO(rec) }),
    hasher,
    goIO,
    env: opts.env,
    goBin: opts.goBin,
    forceRebuild: opts.force,
    stamp,
    probeCacheDir: cacheDir,
    keepGoing: opts.keepGoing,
    onEvent: opts.onEvent,
  });
  if (!planned.ok) return { kind: 'invalid', diagnostics: planned.error, root: workspace.root };
  const plan = planned.value;

  let snapshot: PlanSnapshot | undefined;
  if (rec !== undefined && run.request !== undefined) {
    const made = await snapshotOf(plan, { opts, request: run.request, workspace, cacheDir, hasher, rec, targets: targets.map((t) => t.label) });
    if (made.ok) snapshot = made.snapshot;
    else opts.onEvent({ type: 'log', level: 'debug', message: 'no plan snapshot', data: { reason: made.reason } });
  }

  const outcome = await runPlanned(opts, {
    startedAt: run.startedAt,
    root: workspace.root,
    cacheDir,
    maxSizeBytes: workspace.config.cache.maxSizeBytes,
    targets: targets.map((t) => t.label),
    plan,
    snapshot,
    dirty: true,
    hasher,
    observedInputs: observedByHasher(hasher),
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
  return outcome;
}

async function snapshotOf(
  plan: BuildPlan,
  c: {
    opts: BuildOptions;
    request: PlanRequest;
    workspace: Workspace;
    cacheDir: string;
    hasher: FileHasher;
    rec: ObservationRecorder;
    targets: PlanSnapshot['targets'];
  },
): Promise<{ ok: true; snapshot: PlanSnapshot } | { ok: false; reason: string }> {
  const prov = plan.provenance;
  if (prov === undefined) return { ok: false, reason: 'the plan has no provenance' };
  // The next build must report them again, and say why: only a new plan does.
  if (plan.unplanned !== undefined) return { ok: false, reason: 'some targets could not be planned' };
  if (prov.compilerVersion) return { ok: false, reason: 'a development toolchain (its compiler version is asked every build)' };
  if (c.workspace.root !== c.request.root) return { ok: false, reason: 'the workspace root moved while planning' };
  const tools: [kind: ToolKind, what: string, identity: string][] = [];
  const goBin = c.opts.goBin ?? 'go';
  for (const env of prov.goProbes) {
    const id = await probeIdentity({ goBin, cwd: c.workspace.root, env });
    if (id === undefined) return { ok: false, reason: `${goBin} is a script: what it runs cannot be checked without running it` };
    tools.push(['go', JSON.stringify(env), id]);
  }
  const pathVar = pickPassthrough(c.opts.env).PATH ?? '';
  for (const cc of prov.ccs) {
    const id = await ccIdentity(cc, pathVar);
    if (id === undefined) return { ok: false, reason: `the C compiler ${cc} is a script` };
    tools.push(['cc', cc, id]);
  }
  if (prov.vcs !== undefined) tools.push(['vcs', prov.vcs.dir, prov.vcs.state]);
  for (const u of prov.unreadModules) tools.push(['modules', JSON.stringify(u), moduleCacheState(u.moduleCache, u.modules)]);
  return createSnapshot({
    request: c.request.fingerprint,
    root: c.workspace.root,
    cacheDir: c.cacheDir,
    maxSizeBytes: c.workspace.config.cache.maxSizeBytes,
    targets: c.targets,
    plan,
    provenance: prov.actions,
    recorder: c.rec,
    hashed: c.hasher.answered(),
    tools,
    outputs: [],
    now: Date.now(),
    wholeListingDirs: prov.wholeListingDirs,
  });
}

/** `gob clean`: removes gob-out, and with `cache` empties the cache too. */
export async function clean(opts: { cwd: string; cache: boolean; env: Readonly<Record<string, string | undefined>> }): Promise<Result<{ removed: string[] }, Diagnostic[]>> {
  const loaded = await openWorkspace({ cwd: opts.cwd });
  if (!loaded.ok) return err(loaded.error);
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
