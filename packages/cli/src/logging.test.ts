import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { StampedEvent } from '@gob/core';
import { LogReporter } from './logging.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

const stamp = { time: '2026-12-04T00:00:00.000Z', v: 1 } as const;

function events(workspace: string): StampedEvent[] {
  return [
    { type: 'build.started', command: 'build', workspace, patterns: ['//...'], targets: [], profile: 'default', platforms: ['linux/amd64'], jobs: 2, dryRun: false, actions: 0, ...stamp },
    { type: 'log', level: 'debug', message: 'file hashing', data: { entries: 1 }, ...stamp },
    { type: 'log', level: 'info', message: 'more', ...stamp },
  ];
}

/** Feeds the events of a build in a new workspace to a LogReporter; returns what it wrote to stderr. */
async function logBuild(options: Omit<ConstructorParameters<typeof LogReporter>[0], 'stderr'>): Promise<{ log: LogReporter; stderr: string }> {
  const ws = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-log-'));
  dirs.push(ws);
  const stderr = new PassThrough();
  let said = '';
  stderr.on('data', (b: Buffer) => (said += b.toString()));
  const log = new LogReporter({ ...options, stderr });
  for (const e of events(ws)) log.onEvent(e);
  await log.close();
  return { log, stderr: said };
}

describe('LogReporter', () => {
  it('writes every event to the log file', async () => {
    const { log } = await logBuild({});
    const lines = (await fs.readFile(log.file ?? '', 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['build started', 'file hashing', 'more']);
  });

  it('goes on without the log when the disk is full (/dev/full), saying so once', async () => {
    const said = (await logBuild({ file: '/dev/full' })).stderr;
    expect(said.trim().split('\n')).toEqual([expect.stringMatching(/^gob: warning: could not write the build log \/dev\/full \(.*ENOSPC.*\); going on without it$/)]);
  });

  it('with --log-level, goes on logging to stderr when the file cannot be written', async () => {
    const said = (await logBuild({ stderrLevel: 'info', file: '/dev/full' })).stderr;
    const lines = said.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('gob: warning: could not write the build log /dev/full'))).toHaveLength(1);
    const records = lines.filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(records).toContain('more');
    expect(records).not.toContain('file hashing'); // debug: below the asked level
  });

  it('goes on without the log when the file cannot even be created', async () => {
    const said = (await logBuild({ stderrLevel: 'info', file: '/dev/null/gob.jsonl' })).stderr;
    const lines = said.trim().split('\n');
    expect(lines[0]).toMatch(/^gob: warning: could not write the build log \/dev\/null\/gob\.jsonl \(.*ENOTDIR.*\); going on without it$/);
    expect(lines.slice(1).map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['build started', 'more']);
  });
});
