import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { PlannedAction, BuildPlan } from '../actions/plan.js';
import type { ActionCacheStore, ActionResult } from '../cache/index.js';
import type { ActionFinishedEvent, BuildFinishedEvent, CacheSource, EventSink } from '../events.js';
import type { FileHasher } from '../hashing/index.js';
import { platformString, type Sha256, type WorkspacePath } from '../types.js';
import { fromWorkspacePath } from '../util/fs-paths.js';
import { runJobs } from './scheduler.js';
import { spawnProcess, type SpawnFn } from './spawn.js';

export interface RunBuildOptions {
  readonly plan: BuildPlan;
  readonly workspaceRoot: string;
  readonly cache: ActionCacheStore;
  /** A directory on the cache's filesystem where go writes outputs before they move into the CAS. */
  readonly stagingDir: string;
  readonly hasher: FileHasher;
  readonly jobs: number;
  readonly keepGoing: boolean;
  /** Do not read the action cache (results are still written). */
  readonly noCache: boolean;
  readonly dryRun: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly onEvent: EventSink;
  readonly spawn?: SpawnFn | undefined;
  readonly now?: (() => number) | undefined;
  /** When the build began (planning included); build.finished's duration counts from here. */
  readonly startedAt?: number | undefined;
}

export interface RunBuildResult {
  readonly ok: boolean;
  readonly interrupted: boolean;
  readonly finished: BuildFinishedEvent;
}

/**
 * Runs a planned build: for each action, restore it from the cache or run `go build`, store the
 * result, and place the binary in gob-out. Cache entries and outputs are only ever written by
 * rename, so an interrupted build leaves both consistent.
 */
export async function runBuild(opts: RunBuildOptions): Promise<RunBuildResult> {
  const now = opts.now ?? Date.now;
  const spawn = opts.spawn ?? spawnProcess;
  const started = opts.startedAt ?? now();
  const counts = { built: 0, cached: 0, failed: 0, skipped: 0, cachedLocal: 0, cachedRemote: 0, wouldBuild: 0 };
  const outputs: string[] = [];
  const finish = (e: Omit<ActionFinishedEvent, 'type'>): void => {
    switch (e.status) {
      case 'built':
        counts.built++;
        break;
      case 'cached':
        counts.cached++;
        if (e.source === 'remote') counts.cachedRemote++;
        else counts.cachedLocal++;
        break;
      case 'failed':
        counts.failed++;
        break;
      case 'skipped':
        counts.skipped++;
        break;
      case 'would-build':
        counts.wouldBuild++;
        break;
    }
    outputs.push(...e.outputs);
    opts.onEvent({ type: 'action.finished', ...e });
  };

  for (const a of opts.plan.actions) {
    opts.onEvent({ type: 'action.queued', id: a.id, label: a.label, platform: platformString(a.platform), kind: 'go_binary', key: a.key });
  }

  const byId = new Map(opts.plan.actions.map((a) => [a.id, a]));
  const outcomes = await runJobs(
    opts.plan.actions.map((a) => ({
      id: a.id,
      deps: a.deps,
      run: (signal: AbortSignal) => runAction(a, signal),
    })),
    {
      concurrency: opts.jobs,
      keepGoing: opts.keepGoing,
      signal: opts.signal,
      onSkip: (id, reason) => {
        const a = byId.get(id);
        if (a === undefined) return;
        finish({
          id,
          label: a.label,
          platform: platformString(a.platform),
          status: 'skipped',
          key: a.key,
          durationMs: 0,
          outputs: [],
          error: reason === 'dependency-failed' ? 'a dependency failed' : opts.signal?.aborted === true ? 'interrupted' : 'build stopped after a failure',
        });
      },
    },
  );

  const interrupted = opts.signal?.aborted === true;
  const ok = !interrupted && [...outcomes.values()].every((o) => o === 'ok');
  const finished: BuildFinishedEvent = {
    type: 'build.finished',
    ok,
    dryRun: opts.dryRun,
    interrupted,
    counts,
    durationMs: now() - started,
    outputs: [...outputs].sort(),
  };
  opts.onEvent(finished);
  return { ok, interrupted, finished };

  async function runAction(a: PlannedAction, signal: AbortSignal): Promise<'ok' | 'failed'> {
    const t0 = now();
    const ref = { id: a.id, label: a.label, platform: platformString(a.platform), key: a.key };
    if (!opts.noCache) {
      const hit = await lookup(a);
      if (hit !== undefined) {
        if (opts.dryRun) {
          finish({ ...ref, status: 'cached', source: hit.source, durationMs: now() - t0, outputs: [] });
          return 'ok';
        }
        const restored = await restore(a, hit.result);
        if (restored) {
          opts.onEvent({ type: 'action.cached', ...ref, source: hit.source });
          finish({ ...ref, status: 'cached', source: hit.source, durationMs: now() - t0, outputs: [a.output] });
          return 'ok';
        }
        // A result whose blobs vanished or were corrupt is a miss: build it again.
      }
    }
    if (opts.dryRun) {
      finish({ ...ref, status: 'would-build', durationMs: 0, outputs: [] });
      return 'ok';
    }
    return build(a, signal, t0);
  }

  async function lookup(a: PlannedAction): Promise<{ result: ActionResult; source: CacheSource } | undefined> {
    // The store checks that every blob it names exists; content is verified when restored.
    const result = await opts.cache.getActionResult(a.key);
    return result === undefined ? undefined : { result, source: 'local' };
  }

  async function restore(a: PlannedAction, result: ActionResult): Promise<boolean> {
    const bin = result.outputs[0];
    if (bin === undefined) return false;
    return place(a.output, bin.digest, bin.executable);
  }

  /** Puts a blob at a gob-out path, unless the file there already has that content. */
  async function place(rel: WorkspacePath, digest: Sha256, executable: boolean): Promise<boolean> {
    const abs = fromWorkspacePath(opts.workspaceRoot, rel);
    const current = await opts.hasher.digestIfExists(rel);
    if (current === digest) return true;
    await fs.mkdir(path.dirname(abs), { recursive: true });
    return opts.cache.materializeBlob(digest, abs, { executable });
  }

  async function build(a: PlannedAction, signal: AbortSignal, t0: number): Promise<'ok' | 'failed'> {
    const ref = { id: a.id, label: a.label, platform: platformString(a.platform), key: a.key };
    const stage = path.join(opts.stagingDir, `${a.target.name}-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(stage, { recursive: true });
    try {
      const outFile = path.join(stage, a.target.out);
      const args = ['build', '-o', outFile, ...a.go.flags, '.'];
      opts.onEvent({
        type: 'action.started',
        ...ref,
        command: [a.go.bin, ...args],
        cwd: a.go.cwd,
        env: a.go.setEnv,
        inherited: Object.keys(a.go.env).filter((k) => !(k in a.go.setEnv)).sort(),
      });
      const res = await spawn({
        command: a.go.bin,
        args,
        cwd: a.go.cwd,
        env: a.go.env,
        signal,
        onOutput: (stream, text) => {
          opts.onEvent({ type: 'action.output', ...ref, stream, text });
        },
      });
      const durationMs = now() - t0;
      if (res.aborted) {
        finish({ ...ref, status: 'failed', durationMs, outputs: [], error: 'interrupted' });
        return 'failed';
      }
      if (res.exitCode !== 0) {
        finish({
          ...ref,
          status: 'failed',
          durationMs,
          outputs: [],
          exitCode: res.exitCode ?? undefined,
          error: res.signal !== null ? `go was killed by ${res.signal}` : `go build exited with code ${res.exitCode}`,
        });
        return 'failed';
      }
      const blob = await opts.cache.putBlobFromFile(outFile, { move: true });
      const stderr = res.stderr + res.stdout;
      const stderrBlob = stderr === '' ? undefined : await opts.cache.putBlob(Buffer.from(stderr));
      const manifestBlob = await opts.cache.putBlob(Buffer.from(JSON.stringify(a.manifest)));
      const result: ActionResult = {
        outputs: [{ path: a.target.out, digest: blob.digest, size: blob.size, executable: true }],
        exitCode: 0,
        stderrDigest: stderrBlob?.digest,
        manifestDigest: manifestBlob.digest,
        durationMs,
        createdAt: new Date(now()).toISOString(),
      };
      await opts.cache.putActionResult(a.key, result);
      if (!(await place(a.output, blob.digest, true))) {
        finish({ ...ref, status: 'failed', durationMs, outputs: [], error: `could not write ${a.output}` });
        return 'failed';
      }
      finish({ ...ref, status: 'built', durationMs: now() - t0, outputs: [a.output] });
      return 'ok';
    } finally {
      await fs.rm(stage, { recursive: true, force: true });
    }
  }
}
