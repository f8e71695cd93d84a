import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import type { GobEvent, Label, StampedEvent } from '@gob/core';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './app.js';
import { MAX_RUNNING_SHOWN } from './live-area.js';
import { foldEvents } from './store.js';

/**
 * The TUI drawn from recorded event streams (fixtures/*.jsonl, recorded from real gob runs) at
 * chosen points of the build. Frames are compared as text: colours are stripped.
 */

function fixture(name: string): StampedEvent[] {
  const text = fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StampedEvent);
}

/** The events up to and including the first one matching `until`. */
function prefix(events: readonly StampedEvent[], until: (e: StampedEvent) => boolean): StampedEvent[] {
  const i = events.findIndex(until);
  if (i < 0) throw new Error('no such event in the fixture');
  return events.slice(0, i + 1);
}

const at = (e: StampedEvent | undefined, plusMs = 0): number => Date.parse(e?.time ?? '') + plusMs;

const unmounts: (() => void)[] = [];
afterEach(() => {
  for (const u of unmounts.splice(0)) u();
});

function frame(events: readonly StampedEvent[], now: number, showOutputs = true): string {
  const r = render(<App state={foldEvents(events)} now={now} showOutputs={showOutputs} />);
  unmounts.push(r.unmount);
  return stripVTControlCharacters(r.lastFrame() ?? '');
}

/** A frame's lines without trailing blanks. */
const lines = (f: string): string[] => f.trimEnd().split('\n').map((l) => l.trimEnd());
const SPINNER = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /;

describe('TUI frames from recorded builds', () => {
  it('at the start: the header and an empty progress bar', () => {
    const events = fixture('cold-build.jsonl');
    const f = frame(prefix(events, (e) => e.type === 'action.queued' && e.label.includes('acmectl')), at(events[0]));
    expect(lines(f)).toEqual([
      'gob build //... · profile default · linux/amd64 · 2 jobs · 7 actions',
      'workspace /home/dev/acme',
      '',
      '░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  0/7  built 0 · cached 0 (local 0, remote 0) · failed 0  0.0s',
    ]);
  });

  it('mid-build: finished lines above, running actions with clocks, cache hits split local/remote', () => {
    // cache-hits-remote.jsonl is a real two-platform build with two of its local hits
    // rewritten as remote ones (see fixtures/README.md).
    const events = fixture('cache-hits-remote.jsonl');
    const upTo = prefix(events, (e) => e.type === 'action.started' && e.id === '//services/inventory:inventory@darwin/arm64');
    const f = frame(upTo, at(upTo.at(-1), 2500));
    expect(lines(f)).toEqual([
      'gob build //... · profile default · darwin/arm64, linux/amd64 · 2 jobs · 14 actions',
      'workspace /home/dev/acme',
      '',
      '✓ cached  //services/gateway:gateway      linux/amd64   remote cache, 371ms',
      '✓ cached  //services/inventory:inventory  linux/amd64   local cache, 225ms',
      expect.stringMatching(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \/\/services\/gateway:gateway {6}darwin\/arm64 {2}3\.1s$/),
      expect.stringMatching(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \/\/services\/inventory:inventory {2}darwin\/arm64 {2}2\.5s$/),
      '████░░░░░░░░░░░░░░░░░░░░░░░░░░  2/14  built 0 · cached 2 (local 1, remote 1) · failed 0  3.1s',
    ]);
  });

  it('a failure: the FAILED line and the compiler output in full, while the build goes on', () => {
    const events = fixture('failure.jsonl');
    const upTo = prefix(events, (e) => e.type === 'action.finished' && e.status === 'failed');
    const f = frame(upTo, at(upTo.at(-1)));
    expect(f).toContain('✗ FAILED  //services/orders:orders        linux/amd64  231ms: go build exited with code 1');
    expect(f).toContain('┃ # example.com/acme/services/orders');
    expect(f).toContain('┃ ./orders.go:139:9: undefined: undefinedThing');
    // The long line wraps inside the border rather than being cut.
    expect(f.replace(/\n┃ /g, ' ')).toContain('./orders.go:138:28: cannot use "not an int" (untyped string constant) as int value in return statement');
    expect(lines(f).at(-1)).toContain('7/7  built 0 · cached 6 (local 6, remote 0) · failed 1');
  });

  it('at the end: the summary table, the summary line and the outputs; no live area', () => {
    const events = fixture('cache-hits-remote.jsonl');
    const f = frame(events, at(events.at(-1)));
    const l = lines(f);
    const table = l.indexOf('TARGET                          PLATFORM      STATUS   TIME  CACHE');
    expect(table).toBeGreaterThan(0);
    expect(l.slice(table + 1, table + 5)).toEqual([
      '//services/gateway:gateway      darwin/arm64  built   1m20s  -',
      '//services/gateway:gateway      linux/amd64   cached  371ms  remote',
      '//services/inventory:inventory  darwin/arm64  built   1m19s  -',
      '//services/inventory:inventory  linux/amd64   cached  225ms  local',
    ]);
    expect(l).toContain('9 built, 5 cached (3 local, 2 remote), 0 failed in 1m27s');
    const summary = l.indexOf('9 built, 5 cached (3 local, 2 remote), 0 failed in 1m27s');
    expect(l.slice(summary + 1, summary + 3)).toEqual(['gob-out/bin/services/gateway/gateway', 'gob-out/bin/services/inventory/inventory']);
    expect(l.filter((x) => x.startsWith('gob-out/'))).toHaveLength(14);
    expect(l.some((x) => SPINNER.test(x) || x.includes('░'))).toBe(false);
  });

  it('at the end of a failed build: the failed row, the summary line, only the outputs produced', () => {
    const events = fixture('failure.jsonl');
    const f = frame(events, at(events.at(-1)));
    expect(lines(f)).toContain('//services/orders:orders        linux/amd64  failed  231ms  -');
    expect(lines(f)).toContain('0 built, 6 cached, 1 failed in 242ms');
    expect(f).not.toContain('gob-out/bin/services/orders/orders');
    expect(f).toContain('gob-out/bin/services/payment/payment');
  });

  it('leaves the output paths out when asked to', () => {
    const events = fixture('cold-build.jsonl');
    const f = frame(events, at(events.at(-1)), false);
    expect(lines(f)).toContain('7 built, 0 cached, 0 failed in 14.5s');
    expect(f).not.toContain('gob-out/');
  });

  it('at the end of a big build: the table lists what was built, and counts the cache hits', () => {
    const events: StampedEvent[] = [];
    for (let i = 0; i < 150; i++) {
      const label = `//svc/s${String(i).padStart(3, '0')}:s` as Label;
      const built = i < 3;
      events.push(
        stamp({
          type: 'action.finished',
          id: `${label}@linux/amd64`,
          label,
          platform: 'linux/amd64',
          key: '' as never,
          status: built ? 'built' : 'cached',
          source: built ? undefined : i % 10 === 0 ? 'remote' : 'local',
          durationMs: 1000,
          outputs: [],
        }),
      );
    }
    events.push(
      stamp({
        type: 'build.finished',
        ok: true,
        dryRun: false,
        interrupted: false,
        counts: { built: 3, cached: 147, failed: 0, skipped: 0, cachedLocal: 133, cachedRemote: 14, wouldBuild: 0 },
        durationMs: 4000,
        outputs: [],
      }),
    );
    const l = lines(frame(events, 0));
    const table = l.findIndex((x) => x.startsWith('TARGET'));
    expect(l.slice(table + 1, table + 6)).toEqual([
      '//svc/s000:s  linux/amd64  built   1.0s  -',
      '//svc/s001:s  linux/amd64  built   1.0s  -',
      '//svc/s002:s  linux/amd64  built   1.0s  -',
      '… and 147 cache hits (133 local, 14 remote), listed above',
      '',
    ]);
    expect(l.at(-1)).toBe('3 built, 147 cached (133 local, 14 remote), 0 failed in 4.0s');
  });

  it('before the build starts: a planning line with its clock, and what go is downloading', () => {
    const since = Date.parse('2026-01-01T00:00:00.000Z');
    const planning = stamp({ type: 'plan.progress', step: 'planning' });
    const downloading = stamp({ type: 'plan.progress', step: 'downloading-modules', modules: 12 });
    const one = stamp({ type: 'plan.progress', step: 'downloading-modules', modules: 1 });
    const only = (f: string): string => {
      const l = lines(f);
      expect(l).toHaveLength(1);
      expect(l[0]).toMatch(SPINNER);
      return (l[0] ?? '').replace(SPINNER, '');
    };
    expect(only(frame([planning], since + 300))).toBe('planning  0.3s');
    expect(only(frame([planning, downloading], since + 2500))).toBe('planning: go is downloading 12 modules into the module cache  2.5s');
    expect(only(frame([planning, one], since + 2500))).toBe('planning: go is downloading 1 module into the module cache  2.5s');
    // Once the build starts, the header and the progress bar replace it.
    const f = frame([planning, downloading, stamp({ type: 'build.started', command: 'build', workspace: '/ws', patterns: ['//...'], targets: [], profile: 'default', platforms: ['linux/amd64'], jobs: 2, dryRun: false, actions: 3 })], since + 3000);
    expect(f).not.toContain('planning');
    expect(f).toContain('0/3');
  });

  it('prints diagnostics as the compiler-style text of formatDiagnostic', () => {
    const diag = stamp({
      type: 'diagnostic',
      diagnostic: { severity: 'warning', code: 'cache-trim', message: 'could not trim the cache', hint: 'check the permissions of ~/.cache/gob' },
    });
    const f = frame([diag], 0);
    expect(lines(f)).toEqual(['warning: could not trim the cache', '    hint: check the permissions of ~/.cache/gob']);
  });
});

describe('TUI with many actions and small terminals', () => {
  function manyRunning(n: number): StampedEvent[] {
    const events: StampedEvent[] = [
      stamp({
        type: 'build.started',
        command: 'build',
        workspace: '/ws',
        patterns: ['//...'],
        targets: [],
        profile: 'default',
        platforms: ['linux/amd64'],
        jobs: n,
        dryRun: false,
        actions: n,
      }),
    ];
    for (let i = 0; i < n; i++) {
      const label = `//services/svc${String(i).padStart(3, '0')}:svc` as Label;
      events.push(stamp({ type: 'action.started', id: `${label}@linux/amd64`, label, platform: 'linux/amd64', key: '' as never, command: [], cwd: '/ws', env: {}, inherited: [], batch: 'b1', batchSize: n }));
    }
    return events;
  }

  it('lists at most a few running actions, then "and K more"', () => {
    const f = frame(manyRunning(300), 0);
    const running = lines(f).filter((l) => SPINNER.test(l));
    expect(running).toHaveLength(MAX_RUNNING_SHOWN);
    expect(running[0]).toContain('//services/svc000:svc');
    expect(f).toContain(`… and ${300 - MAX_RUNNING_SHOWN} more running`);
  });

  it('fits a short terminal: fewer running lines, never as tall as the screen', () => {
    const term = sized(100, 8);
    term.render(<App state={foldEvents(manyRunning(50))} now={0} showOutputs />);
    const live = lines(term.lastFrame()).slice(3); // below the header
    expect(live.filter((l) => SPINNER.test(l))).toHaveLength(4);
    expect(live.length).toBeLessThan(8);
  });

  it('cuts lines to the width of the terminal, and follows a resize', async () => {
    const term = sized(40, 24);
    term.render(<App state={foldEvents(manyRunning(3))} now={0} showOutputs />);
    for (const l of lines(term.lastFrame())) expect(l.length).toBeLessThanOrEqual(40);
    expect(lines(term.lastFrame()).find((l) => SPINNER.test(l))).toMatch(/…/);

    term.resize(120);
    // React applies the new size on a later turn (one or more, depending on the machine's load).
    await vi.waitFor(
      () => {
        const wide = lines(term.lastFrame()).filter((l) => SPINNER.test(l));
        expect(wide[0]).toMatch(/^. \/\/services\/svc000:svc {2}linux\/amd64 {2}0\.0s$/);
      },
      { timeout: 10_000, interval: 5 },
    );
  });
});

function stamp(e: GobEvent): StampedEvent {
  return { ...e, time: '2026-01-01T00:00:00.000Z', v: 1 };
}

/** Ink on a fake terminal of a given size, in debug mode so each write is a whole frame. */
function sized(columns: number, rows: number) {
  const writes: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows,
    isTTY: true,
    write: (s: string) => {
      writes.push(s);
      return true;
    },
  });
  return {
    render(node: ReactElement) {
      const inst = inkRender(node, { stdout: stdout as unknown as NodeJS.WriteStream, debug: true, patchConsole: false, exitOnCtrlC: false });
      unmounts.push(inst.unmount);
    },
    lastFrame: () => stripVTControlCharacters(writes.at(-1) ?? ''),
    resize(c: number) {
      stdout.columns = c;
      stdout.emit('resize');
    },
  };
}
