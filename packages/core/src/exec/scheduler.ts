import PQueue from 'p-queue';

/**
 * Runs a DAG of jobs with bounded parallelism. A job starts when all its dependencies
 * succeeded; a job whose dependency failed (or was skipped) is skipped. Without `keepGoing`, the
 * first failure stops new jobs from starting, but jobs already running finish, so their results
 * are kept (no lost work). Cancellation through `signal` also stops new jobs; running jobs see
 * the same signal and stop themselves.
 *
 * It knows nothing about Go or caching: a job is a function that reports ok or failed.
 */
export type JobOutcome = 'ok' | 'failed' | 'skipped';

export interface Job {
  readonly id: string;
  readonly deps: readonly string[];
  run(signal: AbortSignal): Promise<'ok' | 'failed'>;
}

export interface ScheduleOptions {
  readonly concurrency: number;
  readonly keepGoing: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Called once for each job that will not run, with why. */
  readonly onSkip?: ((id: string, reason: 'dependency-failed' | 'stopped') => void) | undefined;
}

export async function runJobs(jobs: readonly Job[], opts: ScheduleOptions): Promise<Map<string, JobOutcome>> {
  const outcomes = new Map<string, JobOutcome>();
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const job of jobs) {
    const deps = job.deps.filter((d) => byId.has(d));
    waiting.set(job.id, deps.length);
    for (const d of deps) {
      const list = dependents.get(d) ?? [];
      list.push(job.id);
      dependents.set(d, list);
    }
  }

  const internal = new AbortController();
  const signal = opts.signal === undefined ? internal.signal : AbortSignal.any([opts.signal, internal.signal]);
  const queue = new PQueue({ concurrency: Math.max(1, opts.concurrency) });
  let stopped = false;
  let bug: unknown;

  const skip = (id: string, reason: 'dependency-failed' | 'stopped'): void => {
    if (outcomes.has(id)) return;
    outcomes.set(id, 'skipped');
    opts.onSkip?.(id, reason);
    for (const next of dependents.get(id) ?? []) skip(next, 'dependency-failed');
  };

  const settle = (id: string, outcome: 'ok' | 'failed'): void => {
    outcomes.set(id, outcome);
    if (outcome === 'failed') {
      for (const next of dependents.get(id) ?? []) skip(next, 'dependency-failed');
      if (!opts.keepGoing) stopped = true;
      return;
    }
    for (const next of dependents.get(id) ?? []) {
      const left = (waiting.get(next) ?? 1) - 1;
      waiting.set(next, left);
      if (left === 0) enqueue(next);
    }
  };

  const enqueue = (id: string): void => {
    const job = byId.get(id);
    if (job === undefined || outcomes.has(id)) return;
    void queue.add(async () => {
      if (stopped || opts.signal?.aborted === true) {
        skip(id, 'stopped');
        return;
      }
      let outcome: 'ok' | 'failed';
      try {
        outcome = await job.run(signal);
      } catch (e) {
        // A throwing job is a bug, not a build failure: stop everything and surface it.
        bug ??= e;
        outcome = 'failed';
        stopped = true;
        internal.abort(e);
      }
      settle(id, outcome);
    });
  };

  for (const job of jobs) if (waiting.get(job.id) === 0) enqueue(job.id);
  await queue.onIdle();
  // Anything never reached (stopped early, or a dependency cycle) is skipped.
  for (const job of jobs) if (!outcomes.has(job.id)) skip(job.id, 'stopped');
  if (bug !== undefined) throw bug instanceof Error ? bug : new Error('a job threw a non-Error value', { cause: bug });
  return outcomes;
}
