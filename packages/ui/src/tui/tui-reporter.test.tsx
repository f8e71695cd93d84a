import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import type { StampedEvent } from '@gob/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createTuiReporter } from './index.js';

/**
 * The reporter on a fake terminal, Ink in its real (non-debug) mode: what reaches the terminal
 * and when it is drawn.
 *
 * Ink decides once, when it is loaded, whether it runs in CI (then it prints no live frames, only
 * the log and the last frame). These tests are about an interactive terminal, so the CI markers
 * are hidden from it even when the suite runs in CI — before the imports above are evaluated.
 */
const ciEnv = vi.hoisted(() => {
  const saved = { CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION'] };
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  return saved;
});
afterAll(() => {
  for (const [k, v] of Object.entries(ciEnv)) if (v !== undefined) process.env[k] = v;
});

function fixture(name: string): StampedEvent[] {
  const text = fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StampedEvent);
}

const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const NEVER = 1e9;

function fakeTerminal() {
  const writes: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns: 100,
    rows: 30,
    write: (s: string) => {
      writes.push(s);
      return true;
    },
  });
  return {
    stdout: stdout as unknown as NodeJS.WriteStream,
    writes,
    raw: () => writes.join(''),
    text: () => stripVTControlCharacters(writes.join('')),
  };
}

const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

describe('createTuiReporter', () => {
  it('touches the terminal only once there is something to show', async () => {
    const term = fakeTerminal();
    const r = createTuiReporter({ stdout: term.stdout, showOutputs: true });
    await r.close();
    expect(term.writes).toEqual([]);
  });

  it('draws on its clock, not on every event: a burst of events costs no frames', async () => {
    const term = fakeTerminal();
    const events = fixture('cache-hits-remote.jsonl');
    const r = createTuiReporter({ stdout: term.stdout, showOutputs: true, frameMs: NEVER });
    r.onEvent(events[0] as StampedEvent);
    const mounted = term.writes.length;
    for (const e of events.slice(1)) r.onEvent(e);
    expect(term.writes).toHaveLength(mounted);
    expect(term.text()).toContain('0/14');
    await r.close();
    expect(term.text()).toContain('9 built, 5 cached (3 local, 2 remote), 0 failed in 1m27s');
  });

  it('ticks the clocks of running actions', async () => {
    const term = fakeTerminal();
    const events = fixture('cold-build.jsonl');
    const started = events.findIndex((e) => e.type === 'action.started');
    const t0 = Date.parse(events[started]?.time ?? '');
    let now = t0;
    const r = createTuiReporter({ stdout: term.stdout, showOutputs: true, frameMs: 10, now: () => now });
    for (const e of events.slice(0, started + 1)) r.onEvent(e);
    now = t0 + 1500;
    await vi.waitFor(() => {
      expect(term.text()).toMatch(/\/\/services\/gateway:gateway +linux\/amd64 {2}1\.5s/);
    });
    await r.close();
  });

  it('ticks the planning clock while a plan is made, before anything runs', async () => {
    const term = fakeTerminal();
    const t0 = Date.parse('2026-01-01T00:00:00.000Z');
    let now = t0;
    const r = createTuiReporter({ stdout: term.stdout, showOutputs: true, frameMs: 10, now: () => now });
    r.onEvent({ type: 'plan.progress', step: 'downloading-modules', modules: 3, time: new Date(t0).toISOString(), v: 1 });
    now = t0 + 2300;
    await vi.waitFor(() => {
      expect(term.text()).toContain('planning: go is downloading 3 modules into the module cache  2.3s');
    });
    await r.close();
    // A plan that never reached build.started (a crash) leaves no planning line behind.
    const raw = term.raw();
    if (raw.includes(HIDE_CURSOR)) expect(raw.slice(raw.lastIndexOf('\x1b[2K'))).not.toMatch(SPINNER);
  });

  it('prints each finished line and the failure output once, then the summary, and restores the cursor', async () => {
    const term = fakeTerminal();
    const r = createTuiReporter({ stdout: term.stdout, showOutputs: true, frameMs: 5 });
    for (const e of fixture('failure.jsonl')) r.onEvent(e);
    await r.close();
    const text = term.text();
    expect(count(text, '✗ FAILED  //services/orders:orders')).toBe(1);
    expect(count(text, './orders.go:139:9: undefined: undefinedThing')).toBe(1);
    expect(count(text, '0 built, 6 cached, 1 failed in 242ms')).toBe(1);
    const afterSummary = text.slice(text.indexOf('0 built, 6 cached, 1 failed'));
    expect(afterSummary).not.toMatch(SPINNER);
    expect(afterSummary.trimEnd().endsWith('gob-out/bin/tools/acmectl/acmectl')).toBe(true);
    // Ink hides the cursor while it draws (not when it runs in CI mode); it must come back.
    const raw = term.raw();
    if (raw.includes(HIDE_CURSOR)) expect(raw.trimEnd().endsWith(SHOW_CURSOR)).toBe(true);
  });

  it('on a narrow terminal cuts long labels at the start, keeping statuses and times, and lines up a dry run', async () => {
    const term = fakeTerminal();
    Object.assign(term.stdout, { columns: 80 });
    const long = '//tests/antithesis/test-template/robustness/traffic:traffic';
    const short = '//etcdctl:etcdctl';
    const t = (ms: number): string => new Date(Date.UTC(2026, 11, 8, 4, 0, 0, ms)).toISOString();
    const base = { platform: 'linux/amd64', key: 'k', v: 1 } as const;
    const events = [
      { type: 'build.started', command: 'build', workspace: '/w', patterns: ['//...'], targets: [long, short], profile: 'default', platforms: ['linux/amd64'], jobs: 2, dryRun: true, actions: 2, time: t(0), v: 1 },
      { type: 'action.queued', id: `${long}@linux/amd64`, label: long, kind: 'go_binary', ...base, time: t(1) },
      { type: 'action.queued', id: `${short}@linux/amd64`, label: short, kind: 'go_binary', ...base, time: t(1) },
      { type: 'action.finished', id: `${long}@linux/amd64`, label: long, status: 'cached', source: 'local', durationMs: 3, outputs: [], ...base, time: t(5) },
      { type: 'action.finished', id: `${short}@linux/amd64`, label: short, status: 'would-build', durationMs: 0, outputs: [], ...base, time: t(6) },
      { type: 'build.finished', ok: true, dryRun: true, interrupted: false, counts: { built: 0, cached: 1, failed: 0, skipped: 0, cachedLocal: 1, cachedRemote: 0, wouldBuild: 1 }, durationMs: 6, outputs: [], time: t(7), v: 1 },
    ] as unknown as StampedEvent[];
    const r = createTuiReporter({ stdout: term.stdout, showOutputs: true, frameMs: NEVER });
    for (const e of events) r.onEvent(e);
    await r.close();
    const lines = term.text().split('\n').map((l) => l.trimEnd());
    const end = 'robustness/traffic:traffic';
    const cached = lines.find((l) => l.startsWith('✓ cached') && l.includes(`…`) && l.includes(end));
    const would = lines.find((l) => l.startsWith('○ would build'));
    expect(cached, lines.join('\n')).toMatch(/linux\/amd64 {2}local cache, 3ms$/);
    // The label column starts at the same place whatever the status word.
    expect(would?.indexOf(short)).toBe(cached?.indexOf('…'));
    const row = lines.find((l) => l.startsWith('…') && l.includes(end));
    expect(row, lines.join('\n')).toMatch(/linux\/amd64 {2}cached +3ms {2}local$/);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
  });

  it('erases the live area of a build closed before it finished (an engine crash)', async () => {
    const term = fakeTerminal();
    const events = fixture('cold-build.jsonl');
    const upTo = events.slice(0, events.findIndex((e) => e.type === 'action.started') + 1);
    const now = Date.parse(upTo.at(-1)?.time ?? '');
    const r = createTuiReporter({ stdout: term.stdout, showOutputs: true, frameMs: 5, now: () => now });
    for (const e of upTo) r.onEvent(e);
    await vi.waitFor(() => {
      expect(term.text()).toMatch(SPINNER);
    });
    await r.close();
    const raw = term.raw();
    if (raw.includes(HIDE_CURSOR)) {
      // The last thing drawn is an empty live area: erase codes after the last spinner.
      const last = raw.slice(raw.lastIndexOf('\x1b[2K'));
      expect(last).not.toMatch(SPINNER);
      expect(raw.trimEnd().endsWith(SHOW_CURSOR)).toBe(true);
    }
  });

  it('ignores events after close', async () => {
    const term = fakeTerminal();
    const events = fixture('cold-build.jsonl');
    const r = createTuiReporter({ stdout: term.stdout, showOutputs: true });
    r.onEvent(events[0] as StampedEvent);
    await r.close();
    const written = term.writes.length;
    r.onEvent(events[1] as StampedEvent);
    await r.close();
    expect(term.writes).toHaveLength(written);
  });
});
