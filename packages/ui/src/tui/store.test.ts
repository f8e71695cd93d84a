import * as fs from 'node:fs';
import type { GobEvent, Label, StampedEvent } from '@gob/core';
import { describe, expect, it } from 'vitest';
import { foldEvents, initialState, reduce, type TuiState } from './store.js';

function fixture(name: string): StampedEvent[] {
  const text = fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StampedEvent);
}

let clock = Date.parse('2026-01-01T00:00:00.000Z');
function ev(e: GobEvent): StampedEvent {
  clock += 100;
  return { ...e, time: new Date(clock).toISOString(), v: 1 };
}

const ref = (label: string, platform = 'linux/amd64') => ({
  id: `${label}@${platform}`,
  label: label as Label,
  platform,
  key: 'k'.repeat(64) as never,
});

const started = (actions: number) =>
  ev({
    type: 'build.started',
    command: 'build',
    workspace: '/ws',
    patterns: ['//...'],
    targets: [],
    profile: 'default',
    platforms: ['linux/amd64'],
    jobs: 2,
    dryRun: false,
    actions,
  });
const start = (label: string) => ev({ type: 'action.started', ...ref(label), command: ['go', 'build'], cwd: '/ws', env: {}, inherited: [], batch: 'b1', batchSize: 1 });
const finish = (label: string, status: 'built' | 'cached' | 'failed' | 'skipped', source?: 'local' | 'remote') =>
  ev({ type: 'action.finished', ...ref(label), status, durationMs: 1200, source, outputs: [], error: status === 'failed' ? 'go build exited with code 1' : undefined });

describe('reduce', () => {
  it('starts empty and draws nothing before the build starts', () => {
    const s = initialState();
    expect(s.build).toBeUndefined();
    expect(s.items).toEqual([]);
    expect(s.running).toEqual([]);
  });

  it('says what a plan made from scratch is doing, from its first plan.progress until build.started', () => {
    const first = ev({ type: 'plan.progress', step: 'planning' });
    let s = reduce(initialState(), first);
    expect(s.planning).toEqual({ since: Date.parse(first.time), downloading: undefined });
    s = reduce(s, ev({ type: 'plan.progress', step: 'downloading-modules', modules: 12 }));
    expect(s.planning).toEqual({ since: Date.parse(first.time), downloading: 12 });
    s = reduce(s, ev({ type: 'plan.progress', step: 'planning' }));
    expect(s.planning).toEqual({ since: Date.parse(first.time), downloading: undefined });
    expect(s.items).toEqual([]);
    s = reduce(s, started(3));
    expect(s.planning).toBeUndefined();
  });

  it('takes the header from build.started and prints it first', () => {
    const s = reduce(initialState(), started(3));
    expect(s.total).toBe(3);
    expect(s.build).toMatchObject({ workspace: '/ws', patterns: ['//...'], profile: 'default', platforms: ['linux/amd64'], jobs: 2 });
    expect(s.items.map((i) => i.kind)).toEqual(['header']);
  });

  it('tracks running actions oldest first and drops them when they finish', () => {
    let s = foldEvents([started(3), start('//a:a'), start('//b:b'), start('//c:c')]);
    expect(s.running.map((r) => r.label)).toEqual(['//a:a', '//b:b', '//c:c']);
    expect(s.running[0]?.startedAt).toBeLessThan(s.running[1]?.startedAt ?? 0);
    s = reduce(s, finish('//b:b', 'built'));
    expect(s.running.map((r) => r.label)).toEqual(['//a:a', '//c:c']);
    expect(s.done).toBe(1);
    expect(s.items.at(-1)).toMatchObject({ kind: 'action', action: { label: '//b:b', status: 'built', durationMs: 1200 } });
  });

  it('keeps one running entry, with its first start time, for an action started again alone', () => {
    const s = foldEvents([started(2), start('//a:a'), start('//b:b'), start('//a:a')]);
    expect(s.running.map((r) => r.label)).toEqual(['//a:a', '//b:b']);
    const again = reduce(s, finish('//a:a', 'built'));
    expect(again.running.map((r) => r.label)).toEqual(['//b:b']);
  });

  it('counts every status and splits cache hits by source', () => {
    const s = foldEvents([
      started(6),
      finish('//a:a', 'built'),
      finish('//b:b', 'cached', 'local'),
      finish('//c:c', 'cached', 'remote'),
      finish('//d:d', 'cached', 'remote'),
      finish('//e:e', 'failed'),
      finish('//f:f', 'skipped'),
    ]);
    expect(s.counts).toEqual({ built: 1, cached: 3, cachedLocal: 1, cachedRemote: 2, failed: 1, skipped: 1, wouldBuild: 0 });
    expect(s.done).toBe(6);
  });

  it("prints a failed action's whole output right after its line, and forgets successful output", () => {
    const s = foldEvents([
      started(2),
      start('//ok:ok'),
      start('//bad:bad'),
      ev({ type: 'action.output', ...ref('//ok:ok'), stream: 'stderr', text: 'just a warning\n' }),
      ev({ type: 'action.output', ...ref('//bad:bad'), stream: 'stderr', text: '# pkg\n' }),
      ev({ type: 'action.output', ...ref('//bad:bad'), stream: 'stderr', text: './x.go:1:1: undefined: y\n' }),
      finish('//ok:ok', 'built'),
      finish('//bad:bad', 'failed'),
    ]);
    expect(s.items.map((i) => i.kind)).toEqual(['header', 'action', 'action', 'output']);
    expect(s.items[3]).toMatchObject({ kind: 'output', action: { label: '//bad:bad' }, text: '# pkg\n./x.go:1:1: undefined: y\n' });
    expect(s.logs.size).toBe(0);
  });

  it('ends with the summary: live area gone, every result in label order', () => {
    const s = foldEvents([
      started(2),
      start('//z:z'),
      finish('//z:z', 'built'),
      finish('//a:a', 'cached', 'local'),
      ev({
        type: 'build.finished',
        ok: true,
        dryRun: false,
        interrupted: false,
        counts: { built: 1, cached: 1, failed: 0, skipped: 0, cachedLocal: 1, cachedRemote: 0, wouldBuild: 0 },
        durationMs: 2000,
        outputs: ['gob-out/bin/a', 'gob-out/bin/z'],
      }),
    ]);
    expect(s.finished?.outputs).toEqual(['gob-out/bin/a', 'gob-out/bin/z']);
    expect(s.running).toEqual([]);
    const last = s.items.at(-1);
    expect(last?.kind).toBe('summary');
    if (last?.kind === 'summary') expect(last.results.map((r) => r.label)).toEqual(['//a:a', '//z:z']);
  });

  it('prints diagnostics and warnings, not debug logs', () => {
    const s = foldEvents([
      ev({ type: 'diagnostic', diagnostic: { severity: 'warning', code: 'cache-full', message: 'cache is full' } }),
      ev({ type: 'log', level: 'debug', message: 'file hashing' }),
      ev({ type: 'log', level: 'info', message: 'hello' }),
      ev({ type: 'log', level: 'warn', message: 'slow disk' }),
    ]);
    expect(s.items.map((i) => i.kind)).toEqual(['diagnostic', 'log']);
    expect(s.items.map((i) => i.key)).toEqual(['0', '1']);
  });

  it('never modifies the state it is given', () => {
    const before = foldEvents([started(2), start('//a:a')]);
    const snapshot = structuredClone({ ...before, logs: [...before.logs] });
    reduce(before, ev({ type: 'action.output', ...ref('//a:a'), stream: 'stdout', text: 'x' }));
    reduce(before, finish('//a:a', 'built'));
    expect({ ...before, logs: [...before.logs] }).toEqual(snapshot);
  });

  it('widens the label column to the widest label queued', () => {
    const s = foldEvents([started(1), ev({ type: 'action.queued', ...ref('//services/very/long:name'), kind: 'go_binary' })]);
    expect(s.labelWidth).toBe('//services/very/long:name'.length);
  });
});

describe('recorded builds', () => {
  for (const name of ['cold-build.jsonl', 'cache-hits.jsonl', 'cache-hits-remote.jsonl', 'failure.jsonl']) {
    it(`${name}: live counts add up to build.finished's`, () => {
      const events = fixture(name);
      const s: TuiState = foldEvents(events);
      const finished = events.find((e) => e.type === 'build.finished');
      if (finished?.type !== 'build.finished') throw new Error('fixture has no build.finished');
      expect(s.counts).toEqual(finished.counts);
      expect(s.done).toBe(s.total);
      expect(s.running).toEqual([]);
      expect(s.items.filter((i) => i.kind === 'action')).toHaveLength(s.total);
    });
  }
});
