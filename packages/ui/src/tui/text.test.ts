import * as fs from 'node:fs';
import type { StampedEvent } from '@gob/core';
import { describe, expect, it } from 'vitest';
import { PlainReporter } from '../plain.js';
import { clock } from './live-area.js';
import { foldEvents, type FinishedAction } from './store.js';
import { labelColumnWidth, MIN_LABEL_WIDTH, progressBar, summaryLine, summaryTable, tableRow, tableWidths, truncate, truncateStart } from './text.js';

function fixture(name: string): StampedEvent[] {
  const text = fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StampedEvent);
}

describe('summaryLine', () => {
  for (const name of ['cold-build.jsonl', 'cache-hits-remote.jsonl', 'failure.jsonl']) {
    it(`says what the plain reporter says (${name})`, () => {
      let out = '';
      const plain = new PlainReporter({ out: { write: (t) => (out += t) }, err: { write: () => undefined }, showOutputs: false });
      const events = fixture(name);
      for (const e of events) plain.onEvent(e);
      const finished = foldEvents(events).finished;
      if (finished === undefined) throw new Error('fixture has no build.finished');
      expect(out.trimEnd().split('\n').at(-1)).toBe(summaryLine(finished));
    });
  }

  it('says when the build was interrupted', () => {
    const line = summaryLine({
      ok: false,
      dryRun: false,
      interrupted: true,
      counts: { built: 1, cached: 0, failed: 1, skipped: 5, cachedLocal: 0, cachedRemote: 0, wouldBuild: 0 },
      durationMs: 2000,
      outputs: [],
    });
    expect(line).toBe('interrupted: 1 built, 0 cached, 1 failed, 5 skipped in 2.0s');
  });
});

describe('summaryTable', () => {
  const action = (i: number, status: FinishedAction['status'], source?: 'local' | 'remote'): FinishedAction => ({
    id: `//a:${i}@linux/amd64`,
    label: `//a:${i}`,
    platform: 'linux/amd64',
    status,
    durationMs: 1500,
    source,
  });

  it('lists every action of a build of ordinary size', () => {
    const t = summaryTable([action(1, 'built'), action(2, 'cached', 'remote'), action(3, 'failed')]);
    expect(t.rows.map((r) => [r.target, r.status, r.time, r.cache])).toEqual([
      ['//a:1', 'built', '1.5s', '-'],
      ['//a:2', 'cached', '1.5s', 'remote'],
      ['//a:3', 'failed', '1.5s', '-'],
    ]);
    expect(t.omitted).toEqual({ local: 0, remote: 0 });
  });

  it('leaves the cache hits of a big build out, counted', () => {
    const results = [
      ...Array.from({ length: 120 }, (_, i) => action(i, 'cached', i % 4 === 0 ? 'remote' : 'local')),
      action(900, 'built'),
      action(901, 'failed'),
    ];
    const t = summaryTable(results, 100);
    expect(t.rows.map((r) => r.target)).toEqual(['//a:900', '//a:901']);
    expect(t.omitted).toEqual({ local: 90, remote: 30 });
  });
});

describe('small helpers', () => {
  it('fills the progress bar in proportion', () => {
    expect(progressBar(0, 10, 10)).toBe('░░░░░░░░░░');
    expect(progressBar(5, 10, 10)).toBe('█████░░░░░');
    expect(progressBar(10, 10, 10)).toBe('██████████');
    expect(progressBar(0, 0, 4)).toBe('░░░░');
  });

  it('shows a running clock in tenths under a minute, then minutes', () => {
    expect(clock(0)).toBe('0.0s');
    expect(clock(1540)).toBe('1.5s');
    expect(clock(61_000)).toBe('1m01s');
    expect(clock(-5)).toBe('0.0s');
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('//services/payment:payment', 10)).toBe('//service…');
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('x', 0)).toBe('');
  });

  it('cuts a label at the start, keeping its name', () => {
    expect(truncateStart('//services/payment:payment', 10)).toBe('…t:payment');
    expect(truncateStart('short', 10)).toBe('short');
    expect(truncateStart('x', 0)).toBe('');
    expect(truncateStart('xy', 1)).toBe('…');
  });

  it('narrows the label column to what the terminal leaves, down to a minimum', () => {
    expect(labelColumnWidth(30, 120, 40)).toBe(30);
    expect(labelColumnWidth(60, 80, 40)).toBe(40);
    expect(labelColumnWidth(60, 50, 40)).toBe(MIN_LABEL_WIDTH);
    expect(labelColumnWidth(10, 50, 40)).toBe(10);
    const rows = [tableRow({ id: 'a', label: `//${'x'.repeat(70)}:x`, platform: 'linux/amd64', status: 'cached', source: 'local', durationMs: 3 })];
    const w = tableWidths(rows, 80);
    expect(w.target + 2 + w.platform + 2 + w.status + 2 + w.time + 2 + w.cache).toBe(80);
    expect(tableWidths(rows, 200).target).toBe(74);
  });
});
