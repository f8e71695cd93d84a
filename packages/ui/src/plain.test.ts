import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { StampedEvent } from '@gob/core';
import { PlainReporter } from './plain.js';

/**
 * The plain reporter on event streams recorded from the real gob on a copy of
 * examples/monorepo (see fixtures/README.md). Durations are replaced by fixed values so the
 * expected text is exact.
 */

const FIXTURES = new URL('./fixtures/', import.meta.url);

function load(name: string): StampedEvent[] {
  return fs
    .readFileSync(fileURLToPath(new URL(name, FIXTURES)), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StampedEvent);
}

/** Every action takes 1.5s and the build 9s. */
function fixedDurations(events: readonly StampedEvent[]): StampedEvent[] {
  return events.map((e) => {
    if (e.type === 'action.finished') return { ...e, durationMs: e.status === 'skipped' ? 0 : 1500 };
    if (e.type === 'build.finished') return { ...e, durationMs: 9000 };
    return e;
  });
}

function run(events: readonly StampedEvent[], opts: { source?: (file: string) => string | undefined; showOutputs?: boolean } = {}) {
  let out = '';
  let err = '';
  const r = new PlainReporter({
    out: { write: (t) => (out += t) },
    err: { write: (t) => (err += t) },
    source: opts.source,
    showOutputs: opts.showOutputs,
  });
  for (const e of events) r.onEvent(e);
  return { out, err };
}

const MONEY_ERROR = 'libs/money/money.go:39:70: cannot use "0" (untyped string constant) as int64 value in struct literal';

describe('PlainReporter on recorded streams', () => {
  it('success: one line per built action, the counts line, then every output', () => {
    const { out, err } = run(fixedDurations(load('success.jsonl')));
    expect(out).toBe(
      [
        'built   //services/gateway:gateway (linux/amd64) 1.5s',
        'built   //services/inventory:inventory (linux/amd64) 1.5s',
        'built   //services/notify:notify (linux/amd64) 1.5s',
        'built   //services/orders:orders (linux/amd64) 1.5s',
        'built   //services/payment:payment (linux/amd64) 1.5s',
        'built   //services/users:users (linux/amd64) 1.5s',
        'built   //tools/acmectl:acmectl (linux/amd64) 1.5s',
        '7 built, 0 cached, 0 failed in 9.0s',
        'gob-out/bin/services/gateway/gateway',
        'gob-out/bin/services/inventory/inventory',
        'gob-out/bin/services/notify/notify',
        'gob-out/bin/services/orders/orders',
        'gob-out/bin/services/payment/payment',
        'gob-out/bin/services/users/users',
        'gob-out/bin/tools/acmectl/acmectl',
        '',
      ].join('\n'),
    );
    // The debug `log` event is not shown.
    expect(err).toBe('');
  });

  it('success without outputs: the paths are left out', () => {
    const { out } = run(fixedDurations(load('success.jsonl')), { showOutputs: false });
    expect(out.trimEnd().split('\n').at(-1)).toBe('7 built, 0 cached, 0 failed in 9.0s');
  });

  it('failure (-k): cached lines with their source, FAILED lines, and go\'s output on err', () => {
    const { out, err } = run(fixedDurations(load('failure.jsonl')));
    expect(out).toBe(
      [
        'cached  //services/gateway:gateway (linux/amd64) local',
        'cached  //services/inventory:inventory (linux/amd64) local',
        'cached  //services/notify:notify (linux/amd64) local',
        'cached  //services/users:users (linux/amd64) local',
        'FAILED  //services/orders:orders (linux/amd64) 1.5s: go build exited with code 1',
        'FAILED  //services/payment:payment (linux/amd64) 1.5s: go build exited with code 1',
        'FAILED  //tools/acmectl:acmectl (linux/amd64) 1.5s: go build exited with code 1',
        '0 built, 4 cached, 3 failed in 9.0s',
        'gob-out/bin/services/gateway/gateway',
        'gob-out/bin/services/inventory/inventory',
        'gob-out/bin/services/notify/notify',
        'gob-out/bin/services/users/users',
        '',
      ].join('\n'),
    );
    const log = `# example.com/acme/libs/money\n${MONEY_ERROR}\n`;
    expect(err).toBe(log.repeat(3));
  });

  it('failure without -k: the rest is skipped with the reason', () => {
    const { out, err } = run(fixedDurations(load('failure-stop.jsonl')));
    expect(out).toBe(
      [
        'built   //services/gateway:gateway (linux/amd64) 1.5s',
        'built   //services/inventory:inventory (linux/amd64) 1.5s',
        'built   //services/notify:notify (linux/amd64) 1.5s',
        'FAILED  //services/orders:orders (linux/amd64) 1.5s: go build exited with code 1',
        'skipped //services/payment:payment (linux/amd64): build stopped after a failure',
        'skipped //services/users:users (linux/amd64): build stopped after a failure',
        'skipped //tools/acmectl:acmectl (linux/amd64): build stopped after a failure',
        '3 built, 0 cached, 1 failed, 3 skipped in 9.0s',
        'gob-out/bin/services/gateway/gateway',
        'gob-out/bin/services/inventory/inventory',
        'gob-out/bin/services/notify/notify',
        '',
      ].join('\n'),
    );
    expect(err).toBe(`# example.com/acme/libs/money\n${MONEY_ERROR}\n`);
  });

  it('a failure in the binary\'s own package: the full log, paths as go printed them', () => {
    const { out, err } = run(fixedDurations(load('failure-payment.jsonl')), { showOutputs: false });
    expect(out).toBe(
      [
        'cached  //services/gateway:gateway (linux/amd64) local',
        'cached  //services/inventory:inventory (linux/amd64) local',
        'cached  //services/notify:notify (linux/amd64) local',
        'cached  //services/orders:orders (linux/amd64) local',
        'cached  //services/users:users (linux/amd64) local',
        'cached  //tools/acmectl:acmectl (linux/amd64) local',
        'FAILED  //services/payment:payment (linux/amd64) 1.5s: go build exited with code 1',
        '0 built, 6 cached, 1 failed in 9.0s',
        '',
      ].join('\n'),
    );
    expect(err).toBe(
      [
        '# example.com/acme/services/payment',
        'services/payment/main.go:18:19: cannot use "dev" (untyped string constant) as int value in variable declaration',
        'services/payment/handlers.go:48:2: declared and not used: s',
        'services/payment/handlers.go:48:7: undefined: fmt',
        'services/payment/handlers.go:54:53: cannot use version (variable of type int) as string value in argument to httpx.Health',
        '',
      ].join('\n'),
    );
  });

  it('config errors: compiler-style diagnostics on err, with the source line when it can be read', () => {
    const sources: Record<string, string> = {
      'services/payment/BUILD.yaml': 'targets:\n  payment:\n    kind: go_binary\n    pakage: ./cmd\n',
    };
    const { out, err } = run(load('config-error.jsonl'), { source: (f) => sources[f] });
    expect(out).toBe('');
    expect(err).toBe(
      [
        'services/orders/BUILD.yaml:9:1: error: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
        'services/payment/BUILD.yaml:4:5: error: unknown key "pakage" in go_binary target "payment"; expected one of: package, out, tags, gcflags, ldflags, x_defs, env, platforms, deps',
        '        pakage: ./cmd',
        '        ^^^^^^',
        '    hint: did you mean "package"?',
        '',
      ].join('\n'),
    );
  });

  it('one line when go starts downloading modules for the plan, none for the other progress steps', () => {
    const step = (modules?: number): StampedEvent => ({
      type: 'plan.progress',
      ...(modules === undefined ? { step: 'planning' } : { step: 'downloading-modules', modules }),
      time: '2026-01-01T00:00:00.000Z',
      v: 1,
    });
    // Two downloads at once (5, then 2 more), one ends (7 → 3 left), both end; a later round of 2.
    const { out, err } = run([step(), step(5), step(7), step(3), step(), step(2), step()]);
    expect(out).toBe(
      [
        'planning: go is downloading 5 modules into the module cache',
        'planning: go is downloading 7 modules into the module cache',
        'planning: go is downloading 2 modules into the module cache',
        '',
      ].join('\n'),
    );
    expect(err).toBe('');
  });

  it('without an err sink everything goes to out', () => {
    let out = '';
    const r = new PlainReporter({ out: { write: (t) => (out += t) }, showOutputs: false });
    for (const e of fixedDurations(load('failure-stop.jsonl'))) r.onEvent(e);
    expect(out).toContain(`FAILED  //services/orders:orders (linux/amd64) 1.5s: go build exited with code 1\n# example.com/acme/libs/money\n${MONEY_ERROR}\nskipped`);
  });
});
