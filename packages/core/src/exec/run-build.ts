import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { PlannedAction, BuildPlan } from '../actions/plan.js';
import type { ActionCacheStore, ActionResult, BlobRef } from '../cache/index.js';
import { markTempOwner } from '../cache/local-cache.js';
import type { ActionFinishedEvent, BuildFinishedEvent, CacheSource, EventSink } from '../events.js';
import type { FileHasher } from '../hashing/index.js';
import { mapLimit } from '../hashing/map-limit.js';
import { platformString, type ActionKey, type Sha256, type WorkspacePath } from '../types.js';
import { fromWorkspacePath, resolveLocalPath, toWorkspacePath, workspaceParent } from '../util/fs-paths.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { hashBytes } from '../hashing/hash-bytes.js';
import { SNAPSHOT_DIR } from '../snapshot/format.js';
import { goFlagValue } from '../actions/go-args.js';
import { binaryName, groupIntoBatches, type Batch } from './batches.js';
import { GoBuildJsonReader } from './go-build-json.js';
import { inputGuard, type ObservedInputs } from './input-guard.js';
import { spawnProcess, type SpawnFn } from './spawn.js';

export interface RunBuildOptions {
  readonly plan: BuildPlan;
  readonly workspaceRoot: string;
  readonly cache: ActionCacheStore;
  /** A directory on the cache's filesystem where go writes outputs before they move into the CAS. */
  readonly stagingDir: string;
  readonly hasher: FileHasher;
  /** Compile and link steps go runs at once (`go build -p`). */
  readonly jobs: number;
  readonly keepGoing: boolean;
  /** Do not read the action cache (results are still written). */
  readonly noCache: boolean;
  readonly dryRun: boolean;
  /** One go build per batch of compatible actions (default), or one per action. */
  readonly batching?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onEvent: EventSink;
  readonly spawn?: SpawnFn | undefined;
  readonly now?: (() => number) | undefined;
  /** When the build began (planning included); build.finished's duration counts from here. */
  readonly startedAt?: number | undefined;
  /**
   * Ids of the actions likely to miss (their inputs changed since the last build). They are
   * looked up first, and their misses start building while the other actions are looked up.
   */
  readonly likelyMisses?: ReadonlySet<string> | undefined;
  /**
   * How the plan saw each input file when it took its digest, to tell whether go built from what
   * the keys name (exec/input-guard.ts); without it, every input of a built action is hashed again.
   */
  readonly observedInputs?: ObservedInputs | undefined;
}

export interface RunBuildResult {
  readonly ok: boolean;
  readonly interrupted: boolean;
  readonly finished: BuildFinishedEvent;
  /** Every output now in gob-out (restored, built or found in place), with its digest. */
  readonly placed: ReadonlyMap<WorkspacePath, Sha256>;
}

/** Cache lookups and restores at once: file copies and small reads, not CPU work. */
const LOOKUP_CONCURRENCY = 16;
/** Binaries of one batch stored and placed at once. */
const STORE_CONCURRENCY = 4;

type Outcome = 'ok' | 'failed' | 'skipped';

/**
 * Runs a planned build in two phases:
 *
 * 1. Every action is looked up in the cache (concurrently); a hit is restored into gob-out.
 *    The `likelyMisses` go first, and phase 2 starts on their misses at once; the rest are
 *    looked up while that go process runs (an edit to one service builds it without waiting
 *    for the lookups of all the others). Misses among the rest join the next wave.
 * 2. The misses are built, one go process at a time: compatible actions share one
 *    `go build -o DIR pkg…` (exec/batches.ts), which compiles what they share once and runs its
 *    compile and link steps `jobs` at a time (`-p`) — one go process keeps every core busy, and
 *    two would only compete for them. An action waits until its explicit `deps` are built; one
 *    whose dependency failed is skipped.
 *
 * go reports errors per package (`-json`), so each action gets exactly the errors of the
 * packages it needs. Binaries that go did produce are kept even when others in the same batch
 * failed. An action that produced nothing and got no error of its own (go gave up on the whole
 * batch, e.g. for a module problem of another package) is built again on its own, so every
 * action ends with its own answer.
 *
 * Cache entries and outputs are only ever written by rename, so an interrupted build leaves
 * both consistent. Without `keepGoing`, no new go process starts after a failure; the batch in
 * flight finishes and its results are kept.
 */
export async function runBuild(opts: RunBuildOptions): Promise<RunBuildResult> {
  const now = opts.now ?? Date.now;
  const spawn = opts.spawn ?? spawnProcess;
  const started = opts.startedAt ?? now();
  const counts = { built: 0, cached: 0, failed: 0, skipped: 0, cachedLocal: 0, cachedRemote: 0, wouldBuild: 0 };
  const outputs: string[] = [];
  const outcomes = new Map<string, Outcome>();
  let stopped = false;
  let batchSeq = 0;
  const placed = new Map<WorkspacePath, Sha256>();
  const storedManifests = new Set<Sha256>();

  const refOf = (a: PlannedAction) => ({ id: a.id, label: a.label, platform: platformString(a.platform), key: a.key });
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
    outcomes.set(e.id, e.status === 'failed' ? 'failed' : e.status === 'skipped' ? 'skipped' : 'ok');
    if (e.status === 'failed' && !opts.keepGoing) stopped = true;
    outputs.push(...e.outputs);
    opts.onEvent({ type: 'action.finished', ...e });
  };
  const skip = (a: PlannedAction, error: string): void => {
    finish({ ...refOf(a), status: 'skipped', durationMs: 0, outputs: [], error });
  };
  const stopReason = (): string => (opts.signal?.aborted === true ? 'interrupted' : 'build stopped after a failure');

  for (const a of opts.plan.actions) {
    opts.onEvent({ type: 'action.queued', ...refOf(a), kind: 'go_binary' });
  }
  // Targets the planner could not plan (with keepGoing): their errors, then their end. They
  // have no key. An error in a package several of them import is reported once.
  const unplanned = opts.plan.unplanned ?? [];
  const reported = new Set<string>();
  for (const u of unplanned) {
    const ref = { id: u.id, label: u.label, platform: platformString(u.platform), key: '' as ActionKey };
    opts.onEvent({ type: 'action.queued', ...ref, kind: 'go_binary' });
    for (const d of u.diagnostics) {
      const id = JSON.stringify(d);
      if (reported.has(id)) continue;
      reported.add(id);
      opts.onEvent({ type: 'diagnostic', diagnostic: d });
    }
    const more = u.diagnostics.length - 1;
    const first = u.diagnostics[0]?.message ?? 'its Go packages do not load';
    const error = u.status === 'skipped' ? 'a dependency failed' : more > 0 ? `${first} (and ${String(more)} more)` : first;
    finish({ ...ref, status: u.status, durationMs: 0, outputs: [], error });
  }

  warnUnread(opts.plan.actions, opts.onEvent);

  // Phase 1: the cache. Lookups run concurrently; their events come out in plan order, so the
  // same build always prints the same lines.
  const misses = new Set<PlannedAction>();
  const answers: ((() => void) | null | undefined)[] = opts.plan.actions.map(() => undefined);
  let emitted = 0;
  const lookUp = (which: readonly number[]): Promise<void> =>
    mapLimit(which, LOOKUP_CONCURRENCY, async (i) => {
      const a = opts.plan.actions[i] as PlannedAction;
      if (opts.signal?.aborted === true) {
        answers[i] = () => {
          skip(a, 'interrupted');
        };
      } else {
        const hit = await lookupAndRestore(a);
        if (hit !== undefined) {
          answers[i] = hit;
        } else if (opts.dryRun) {
          answers[i] = () => {
            finish({ ...refOf(a), status: 'would-build', durationMs: 0, outputs: [] });
          };
        } else {
          misses.add(a);
          answers[i] = null;
        }
      }
      for (let next = answers[emitted]; next !== undefined; next = answers[emitted]) {
        next?.();
        emitted++;
      }
    }).then(() => undefined);
  const first: number[] = [];
  const rest: number[] = [];
  for (const [i, a] of opts.plan.actions.entries()) (opts.likelyMisses?.has(a.id) === true ? first : rest).push(i);
  await lookUp(first);
  // The rest are looked up once the first go process runs (or when there is nothing to build yet).
  let restLookups: Promise<void> | undefined;
  const lookUpRest = (): Promise<void> => {
    if (restLookups === undefined) {
      restLookups = lookUp(rest);
      // A failed lookup surfaces where this is awaited, not as an unhandled rejection meanwhile.
      restLookups.catch(() => undefined);
    }
    return restLookups;
  };
  let restTaken = rest.length === 0;

  // Phase 2: builds, in waves of actions whose dependencies are done.
  const inPlan = new Set(opts.plan.actions.map((a) => a.id));
  const missesOf = (which: readonly number[]): PlannedAction[] => which.map((i) => opts.plan.actions[i] as PlannedAction).filter((a) => misses.has(a));
  let pending = missesOf(first);
  for (;;) {
    const ready: PlannedAction[] = [];
    const waiting: PlannedAction[] = [];
    for (const a of pending) {
      const deps = a.deps.filter((d) => inPlan.has(d)).map((d) => outcomes.get(d));
      if (deps.some((o) => o === 'failed' || o === 'skipped')) skip(a, 'a dependency failed');
      else if (deps.every((o) => o === 'ok')) ready.push(a);
      else waiting.push(a);
    }
    if (ready.length === 0) {
      if (restTaken) break; // only a dependency cycle gets here; the planner rejects those
      await lookUpRest();
      restTaken = true;
      pending = [...waiting, ...missesOf(rest)];
      continue;
    }
    for (const batch of groupIntoBatches(ready, { batching: opts.batching !== false })) {
      if (stopped || opts.signal?.aborted === true) {
        for (const a of batch.actions) skip(a, stopReason());
        continue;
      }
      await runBatch(batch);
    }
    pending = waiting;
  }
  for (const a of opts.plan.actions) if (!outcomes.has(a.id)) skip(a, stopReason());

  const interrupted = opts.signal?.aborted === true;
  const ok = !interrupted && unplanned.length === 0 && opts.plan.actions.every((a) => outcomes.get(a.id) === 'ok');
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
  return { ok, interrupted, finished, placed };

  /**
   * When the action is answered from the cache (restored, or cached in a dry run): what to
   * report. Undefined for a miss.
   */
  async function lookupAndRestore(a: PlannedAction): Promise<(() => void) | undefined> {
    if (opts.noCache) return undefined;
    // Its key may lack local packages those modules import: no answer under it can be trusted
    // (said once for all such actions, before the lookups).
    if (a.unreadModules !== undefined) return undefined;
    const t0 = now();
    // The store checks that every blob it names exists; content is verified when restored.
    const result = await opts.cache.getActionResult(a.key);
    if (result === undefined) return undefined;
    const source: CacheSource = 'local';
    if (opts.dryRun) {
      const durationMs = now() - t0;
      return () => {
        finish({ ...refOf(a), status: 'cached', source, durationMs, outputs: [] });
      };
    }
    const bin = result.outputs[0];
    // A result whose blobs vanished or were corrupt is a miss: build it again.
    if (bin === undefined || !(await place(a.output, bin.digest, bin.executable, false))) return undefined;
    const durationMs = now() - t0;
    return () => {
      opts.onEvent({ type: 'action.cached', ...refOf(a), source });
      finish({ ...refOf(a), status: 'cached', source, durationMs, outputs: [a.output] });
    };
  }

  /**
   * Puts a blob at a gob-out path. A restored blob is written only if the file there does not
   * already have its content (a no-op build writes nothing); a just-built one always is (it is
   * new content: reading the old file to compare would cost more than the copy).
   */
  async function place(rel: WorkspacePath, digest: Sha256, executable: boolean, fresh: boolean, verify = true): Promise<boolean> {
    const abs = fromWorkspacePath(opts.workspaceRoot, rel);
    if (!fresh && (await opts.hasher.digestIfExists(rel)) === digest) {
      placed.set(rel, digest);
      return true;
    }
    await fs.mkdir(path.dirname(abs), { recursive: true });
    const ok = await opts.cache.materializeBlob(digest, abs, { executable, verify });
    if (ok) placed.set(rel, digest);
    return ok;
  }

  async function runBatch(batch: Batch): Promise<void> {
    const t0 = now();
    const id = `b${String(++batchSeq)}`;
    const actions = batch.actions;
    const first = actions[0];
    if (first === undefined) return;
    const stage = path.join(opts.stagingDir, `batch-${randomBytes(6).toString('hex')}`);
    const outDir = path.join(stage, 'out');
    await fs.mkdir(outDir, { recursive: true });
    // go may work in it for longer than the cache's other processes wait before they take a
    // directory of tmp/ for a crashed build's and remove it.
    await markTempOwner(stage);
    try {
      const packages = [...new Set(actions.map((a) => a.go.packageArg))];
      const overlay = await writeCIncludeOverlay(actions, opts.workspaceRoot, first.go.cwd);
      const args = [
        'build',
        '-o',
        `${outDir}${path.sep}`,
        '-json',
        '-p',
        String(Math.max(1, opts.jobs)),
        ...first.go.flags,
        ...(overlay === undefined ? [] : [`-overlay=${overlay}`]),
        ...packages,
      ];
      const inherited = Object.keys(first.go.env).filter((k) => !(k in first.go.setEnv)).sort();
      for (const a of actions) {
        opts.onEvent({
          type: 'action.started',
          ...refOf(a),
          command: [first.go.bin, ...args],
          cwd: first.go.cwd,
          env: first.go.setEnv,
          inherited,
          batch: id,
          batchSize: actions.length,
        });
      }

      // Which actions need each workspace package: go's errors for a package go to them.
      const needs = new Map<string, PlannedAction[]>();
      for (const a of actions) {
        for (const p of a.packages.keys()) {
          const list = needs.get(p);
          if (list === undefined) needs.set(p, [a]);
          else list.push(a);
        }
      }
      const own = new Map<string, string>(actions.map((a) => [a.id, '']));
      /** Per action id: the workspace packages whose messages went to it. */
      const ownPackages = new Map<string, Set<string>>();
      const failedPackages = new Set<string>();
      let unattributed = '';
      const reader = new GoBuildJsonReader((m) => {
        if (m.kind === 'text') {
          unattributed += m.text;
          return;
        }
        const pkg = m.importPath.split(' ')[0] ?? m.importPath;
        const to = needs.get(pkg) ?? [];
        if (m.kind === 'fail') {
          failedPackages.add(pkg);
          return;
        }
        for (const a of to) {
          own.set(a.id, (own.get(a.id) ?? '') + m.text);
          const named = ownPackages.get(a.id);
          if (named === undefined) ownPackages.set(a.id, new Set([pkg]));
          else named.add(pkg);
          opts.onEvent({ type: 'action.output', ...refOf(a), stream: 'stderr', text: m.text });
        }
        // A package none of them names (an external module, the standard library): everyone's.
        if (to.length === 0) unattributed += m.text;
      });
      // go build removes its work directory only when it ends by itself: Ctrl-C (SIGINT to its
      // process group) ends it at once and leaves the directory in the temporary directory. In
      // the batch's staging directory it goes with the rest. Unless the environment sets
      // GOTMPDIR: one from `go env -w` is overridden, which is harmless (go build runs nothing
      // from there, and the directory's path is in no output).
      let env = first.go.env;
      if (env.GOTMPDIR === undefined || env.GOTMPDIR === '') {
        const work = path.join(stage, 'go');
        await fs.mkdir(work);
        env = { ...env, GOTMPDIR: work };
      }
      const running = spawn({
        command: first.go.bin,
        args,
        cwd: first.go.cwd,
        env,
        signal: opts.signal,
        onOutput: (stream, text) => {
          if (stream === 'stdout') {
            reader.push(text);
            return;
          }
          // go's own messages (module downloads, setup errors) concern every action of the batch;
          // they are handed out once it is known which actions end here and which are retried.
          unattributed += text;
        },
      });
      void lookUpRest();
      const res = await running;
      reader.end();
      const durationMs = now() - t0;
      if (res.aborted) {
        for (const a of actions) finish({ ...refOf(a), status: 'failed', durationMs, outputs: [], error: 'interrupted' });
        return;
      }

      const produced = new Set(await fs.readdir(outDir));
      const blobs = new Map<string, Promise<BlobRef>>();
      const retry: PlannedAction[] = [];
      const failures: { a: PlannedAction; error: string }[] = [];
      const successes: PlannedAction[] = [];
      // When go stopped before naming a package of theirs, its messages may still name the files
      // whose imports it could not load (a module it cannot download): the actions that compile
      // those files end here with them, and the others are built again together.
      const blamed = new Set(res.exitCode !== 0 && res.signal === null ? packageDirsNamed(unattributed, first.go.cwd, opts.workspaceRoot) : []);
      const isBlamed = (a: PlannedAction): boolean => Object.keys(a.manifest.packages).some((dir) => blamed.has(dir));
      for (const a of actions) {
        if (res.exitCode !== null && produced.has(binaryName(a))) {
          successes.push(a);
          continue;
        }
        const mine = [...a.packages.keys()].some((p) => failedPackages.has(p)) || (own.get(a.id) ?? '') !== '' || isBlamed(a);
        if (!mine && actions.length > 1 && res.signal === null) {
          retry.push(a);
          continue;
        }
        const why =
          res.signal !== null
            ? `go was killed by ${res.signal}`
            : res.exitCode === 0
              ? `go build reported success but wrote no ${binaryName(a)}`
              : `go build exited with code ${String(res.exitCode)}`;
        failures.push({ a, error: why });
      }

      if (unattributed !== '') {
        for (const a of successes) opts.onEvent({ type: 'action.output', ...refOf(a), stream: 'stderr', text: unattributed });
        for (const { a } of failures) {
          // When go's messages name files, each failure gets those of its own packages.
          const text = blamed.size === 0 ? unattributed : messagesFor(unattributed, first.go.cwd, opts.workspaceRoot, new Set(a.packages.values()));
          if (text !== '') opts.onEvent({ type: 'action.output', ...refOf(a), stream: 'stderr', text });
        }
      }
      // An input saved while go ran may be in the binary instead of what the key names.
      const changedInput = inputGuard(opts.workspaceRoot, opts.observedInputs);
      // Stored a few at a time; finished in the batch's order, so the event stream is stable.
      const stored = await mapLimit(successes, STORE_CONCURRENCY, async (a): Promise<Omit<ActionFinishedEvent, 'type'>> => {
        const name = binaryName(a);
        let blob = blobs.get(name);
        if (blob === undefined) {
          // The first action of a package takes go's file into the CAS; others share the blob.
          blob = opts.cache.putBlobFromFile(path.join(outDir, name), { move: true });
          blobs.set(name, blob);
        }
        const ref = await blob;
        const log = (own.get(a.id) ?? '') + unattributed;
        const stderrBlob = log === '' ? undefined : await opts.cache.putBlob(Buffer.from(log));
        const manifestBlob = await opts.cache.putBlob(Buffer.from(JSON.stringify(a.manifest)));
        // The package manifests it names, once per build: what `explain` reads to name files.
        for (const pm of a.packageManifests) {
          if (storedManifests.has(pm.digest)) continue;
          storedManifests.add(pm.digest);
          await opts.cache.putBlob(Buffer.from(pm.text));
        }
        const result: ActionResult = {
          outputs: [{ path: a.outName, digest: ref.digest, size: ref.size, executable: true }],
          exitCode: 0,
          stderrDigest: stderrBlob?.digest,
          manifestDigest: manifestBlob.digest,
          durationMs,
          createdAt: new Date(now()).toISOString(),
        };
        if (a.unreadModules === undefined) {
          const changed = changedInput(a);
          if (changed === undefined) await opts.cache.putActionResult(a.key, result);
          else {
            opts.onEvent({
              type: 'log',
              level: 'warn',
              message: `${a.label} (${platformString(a.platform)}): not cached: ${changed} changed while go was building it; the next build builds it again`,
              data: { label: a.label, platform: platformString(a.platform), file: changed },
            });
          }
        }
        // A blob stored just now from go's file, which was hashed as it went in, needs no check.
        if (!(await place(a.output, ref.digest, true, true, ref.written !== true))) {
          return { ...refOf(a), status: 'failed', durationMs, outputs: [], error: `could not write ${a.output}` };
        }
        return { ...refOf(a), status: 'built', durationMs: now() - t0, outputs: [a.output] };
      });
      if (changedInput.counts.files > 0) {
        const { files, reads, ms } = changedInput.counts;
        opts.onEvent({ type: 'log', level: 'debug', message: 'inputs checked after go', data: { files, reads, ms: Math.round(ms * 10) / 10 } });
      }
      for (const e of stored) finish(e);
      for (const { a, error } of failures) {
        const packageDirs = dirsOf(a, ownPackages.get(a.id), opts.workspaceRoot);
        finish({ ...refOf(a), status: 'failed', durationMs, outputs: [], exitCode: res.exitCode ?? undefined, error, ...(packageDirs === undefined ? {} : { packageDirs }) });
      }
      // The rest: together again when go's messages blamed some of the batch (the others may well
      // build), else each alone, so each gets its own answer. go's cache makes the work the batch
      // did free.
      const again = retry.length > 1 && actions.some(isBlamed) ? [retry] : retry.map((a) => [a]);
      for (const group of again) {
        if (stopped || opts.signal?.aborted === true) for (const a of group) skip(a, stopReason());
        else await runBatch({ actions: group });
      }
    } finally {
      await fs.rm(stage, { recursive: true, force: true });
    }
  }
}

/**
 * The absolute directories of an action's packages that go's messages named (`# importpath`),
 * by import path; undefined when there are none.
 */
function dirsOf(a: PlannedAction, named: ReadonlySet<string> | undefined, root: string): Record<string, string> | undefined {
  if (named === undefined) return undefined;
  const dirs: Record<string, string> = {};
  for (const importPath of [...named].sort()) {
    const dir = a.packages.get(importPath);
    if (dir !== undefined) dirs[importPath] = fromWorkspacePath(root, dir);
  }
  return Object.keys(dirs).length === 0 ? undefined : dirs;
}

/** How many actions a warning names before `and N more`. */
const WARN_NAMES = 3;

/**
 * One warning per set of modules go could not download, naming the actions that import them:
 * they are neither restored from the cache nor stored in it. One refused module in a monorepo
 * of a hundred services is one line, not a hundred.
 */
export function warnUnread(actions: readonly PlannedAction[], onEvent: EventSink): void {
  const bySet = new Map<string, PlannedAction[]>();
  for (const a of actions) {
    if (a.unreadModules === undefined) continue;
    const set = a.unreadModules.join(', ');
    const list = bySet.get(set);
    if (list === undefined) bySet.set(set, [a]);
    else list.push(a);
  }
  for (const [set, list] of bySet) {
    const names = list.slice(0, WARN_NAMES).map((a) => `${a.label} (${platformString(a.platform)})`);
    const more = list.length - names.length;
    const who = more === 0 ? names.join(', ') : `${names.join(', ')} and ${String(more)} more`;
    const modules = list[0]?.unreadModules ?? [];
    onEvent({
      type: 'log',
      level: 'warn',
      message: `${who}: not cached: go could not download ${set}, so gob cannot tell which local packages go compiles through ${modules.length === 1 ? 'it' : 'them'}`,
      data: { actions: list.map((a) => a.id), modules },
    });
  }
}

/** A message of go's that names a Go file by position; group 1 is the file. */
const POSITIONED_GO = /^\s*([^\s:][^:\n]*\.go):\d+(?::\d+)?: /;

/**
 * The workspace directories of the Go files that go's messages name by position
 * (`libs/ids/ids.go:7:2: example.com/x@v1.0.0: …`, relative to go's directory `cwd`, or absolute).
 */
export function packageDirsNamed(text: string, cwd: string, root: string): WorkspacePath[] {
  const from = toWorkspacePath(root, cwd);
  const dirs = new Set<WorkspacePath>();
  for (const m of text.matchAll(new RegExp(POSITIONED_GO.source, 'gm'))) {
    const file = resolveLocalPath(root, from, m[1] ?? '');
    if (file !== undefined) dirs.add(workspaceParent(file));
  }
  return [...dirs];
}

/**
 * go's messages `text` as one action should see them: a message naming a Go file of the
 * workspace by position, with the indented lines under it, only when the file is in one of the
 * action's package directories `mine`; every other line as it is. When go cannot download a
 * module, it names every file of the batch that imports it: in a repository of a hundred
 * services, each failed service would otherwise list the files of all the others.
 */
export function messagesFor(text: string, cwd: string, root: string, mine: ReadonlySet<WorkspacePath>): string {
  const from = toWorkspacePath(root, cwd);
  let out = '';
  let keep = true;
  for (const line of text.split(/(?<=\n)/)) {
    const m = POSITIONED_GO.exec(line);
    if (m !== null) {
      const file = resolveLocalPath(root, from, m[1] ?? '');
      keep = file === undefined || mine.has(workspaceParent(file));
    } else if (!/^\s/.test(line)) {
      keep = true;
    }
    if (keep) out += line;
  }
  return out;
}

/**
 * For the batch's packages whose C code includes files from other directories (which go's
 * build cache does not track: golang/go#24355), an overlay (`go build -overlay`) that adds one
 * Go file to each, holding nothing but a comment with the digest of the package's inputs, the
 * included files among them. When one of those files changes, so does that comment and hence
 * go's own key for the package: go compiles it again instead of reusing what it compiled
 * before. The file holds no code, so the binary is the one a go build with an empty GOCACHE
 * makes. Undefined when no package needs one.
 *
 * The files are named by their content in gob-out/.gob/overlay/ (the newest OVERLAY_FILES_KEPT
 * are kept), so that a go command shown by `gob build -x` can be run again as it is. An overlay
 * of the user's own (`-overlay=FILE` in GOFLAGS, which the command line's would replace) is
 * merged in; when it cannot be read, none is given and go reports the problem.
 */
async function writeCIncludeOverlay(actions: readonly PlannedAction[], root: string, goCwd: string): Promise<string | undefined> {
  if (!actions.some((a) => a.go.cIncludePackages.length > 0)) return undefined;
  const replace: Record<string, string> = {};
  const own = goFlagValue(actions[0]?.manifest.goenv.GOFLAGS ?? '', 'overlay');
  if (own !== undefined && own !== '') {
    try {
      const doc = JSON.parse(await fs.readFile(path.resolve(goCwd, own), 'utf8')) as { Replace?: Record<string, string> };
      Object.assign(replace, doc.Replace);
    } catch {
      return undefined;
    }
  }
  const dir = path.join(root, SNAPSHOT_DIR, 'overlay');
  await fs.mkdir(dir, { recursive: true });
  let n = 0;
  for (const a of actions) {
    for (const p of a.go.cIncludePackages) {
      const target = path.join(fromWorkspacePath(root, p.dir), p.file);
      const digest = a.manifest.packages[p.dir];
      if (target in replace || digest === undefined) continue;
      const text = `package ${p.name}\n\n// Added by gob to go builds: the digest of the package's inputs, among them C files it\n// includes and libraries it links from other directories, so that go recompiles it when they\n// change.\n// ${digest}\n`;
      replace[target] = await keep(dir, `${hashBytes(text).slice(0, 24)}.go`, text);
      n++;
    }
  }
  if (n === 0) return undefined;
  const json = JSON.stringify({ Replace: replace });
  const file = await keep(dir, `${hashBytes(json).slice(0, 24)}.json`, json);
  await pruneOverlays(dir);
  return file;
}

/** Overlay files kept in gob-out/.gob/overlay/ (the least recently used go first). */
const OVERLAY_FILES_KEPT = 256;

/** `dir/name` holding `text`: written (atomically) unless it is there already, then marked as used now. */
async function keep(dir: string, name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  const now = new Date();
  try {
    await fs.utimes(file, now, now);
  } catch {
    await writeFileAtomic(file, text);
  }
  return file;
}

async function pruneOverlays(dir: string): Promise<void> {
  const names = await fs.readdir(dir);
  if (names.length <= OVERLAY_FILES_KEPT) return;
  const aged = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  aged.sort((x, y) => y.t - x.t);
  for (const { n } of aged.slice(OVERLAY_FILES_KEPT)) await fs.rm(path.join(dir, n), { force: true });
}
