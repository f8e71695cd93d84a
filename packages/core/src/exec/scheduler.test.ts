import { describe, expect, it } from 'vitest';
import { runJobs, type Job } from './scheduler.js';

function job(id: string, deps: string[], outcome: 'ok' | 'failed', log: string[], gate?: Promise<void>): Job {
  return {
    id,
    deps,
    run: async () => {
      log.push(`start ${id}`);
      await gate;
      log.push(`end ${id}`);
      return outcome;
    },
  };
}

describe('runJobs', () => {
  it('runs dependencies first and respects the concurrency bound', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const jobs: Job[] = ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      deps: id === 'd' ? ['a', 'b', 'c'] : [],
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        log.push(id);
        await new Promise((r) => setImmediate(r));
        running--;
        return 'ok' as const;
      },
    }));
    const out = await runJobs(jobs, { concurrency: 2, keepGoing: false });
    expect(peak).toBe(2);
    expect(log.at(-1)).toBe('d');
    expect([...out.values()]).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('skips dependents of a failure and, without keep-going, starts nothing new', async () => {
    const log: string[] = [];
    const skipped: string[] = [];
    const out = await runJobs(
      [job('bad', [], 'failed', log), job('child', ['bad'], 'ok', log), job('later', [], 'ok', log)],
      { concurrency: 1, keepGoing: false, onSkip: (id, why) => skipped.push(`${id}:${why}`) },
    );
    expect(out.get('bad')).toBe('failed');
    expect(out.get('child')).toBe('skipped');
    expect(out.get('later')).toBe('skipped');
    expect(skipped.sort()).toEqual(['child:dependency-failed', 'later:stopped']);
    expect(log).toEqual(['start bad', 'end bad']);
  });

  it('with keep-going runs everything that does not depend on the failure', async () => {
    const log: string[] = [];
    const out = await runJobs([job('bad', [], 'failed', log), job('child', ['bad'], 'ok', log), job('later', [], 'ok', log)], {
      concurrency: 1,
      keepGoing: true,
    });
    expect(out.get('later')).toBe('ok');
    expect(out.get('child')).toBe('skipped');
  });

  it('lets running jobs finish when a sibling fails (no lost work)', async () => {
    const log: string[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow = job('slow', [], 'ok', log, gate);
    const fast: Job = { id: 'fast', deps: [], run: () => { release(); return Promise.resolve('failed'); } };
    const out = await runJobs([slow, fast], { concurrency: 2, keepGoing: false });
    expect(out.get('slow')).toBe('ok');
    expect(log).toContain('end slow');
  });

  it('stops starting jobs once the signal aborts', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const first: Job = { id: 'first', deps: [], run: () => { controller.abort(); return Promise.resolve('ok'); } };
    const out = await runJobs([first, job('second', [], 'ok', log)], { concurrency: 1, keepGoing: true, signal: controller.signal });
    expect(out.get('second')).toBe('skipped');
    expect(log).toEqual([]);
  });

  it('surfaces a job that throws as a bug instead of a build failure', async () => {
    const boom: Job = { id: 'boom', deps: [], run: () => Promise.reject(new Error('bug')) };
    await expect(runJobs([boom], { concurrency: 1, keepGoing: true })).rejects.toThrow('bug');
  });
});
