import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneLogs } from '../src/logging.js';
import { shellQuote } from '../src/trace.js';
import { EXAMPLE, gob, tempCopy, tempDir } from './harness.js';

const execFileAsync = promisify(execFile);
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

describe('-x', () => {
  it('prints a go command that, pasted into a shell, produces the same binary', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    dirs.push(ws, cache);
    const r = await gob(['build', '//services/payment', '-x'], { cwd: ws, cacheDir: cache });
    expect(r.code).toBe(0);
    const line = r.stderr.split('\n').find((l) => l.includes(' go build '));
    expect(line).toBeDefined();
    expect(line).toMatch(/^cd \S+ && env -i .*GOOS=linux .*go build -o /);
    // Run it with the output directory redirected to one of our own.
    const out = path.join(ws, 'pasted');
    const pasted = (line ?? '').replace(/ -o \S+\/ /, ` -o ${shellQuote(`${out}/`)} `);
    await execFileAsync('sh', ['-c', pasted]);
    const [ours, gobs] = await Promise.all([fs.readFile(path.join(out, 'payment')), fs.readFile(path.join(ws, 'gob-out/bin/services/payment/payment'))]);
    expect(ours.equals(gobs)).toBe(true);
  });
});

describe('build logs', () => {
  it('records each go command with env and cwd, and each cache decision with its key', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    dirs.push(ws, cache);
    expect((await gob(['build', '//services/notify'], { cwd: ws, cacheDir: cache })).code).toBe(0);
    expect((await gob(['build', '//services/notify'], { cwd: ws, cacheDir: cache })).code).toBe(0);
    const logDir = path.join(ws, 'gob-out/logs');
    const files = (await fs.readdir(logDir)).sort();
    expect(files).toHaveLength(2);
    const records = async (f: string) =>
      (await fs.readFile(path.join(logDir, f), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const first = await records(files[0] ?? '');
    const command = first.find((r) => r.msg === 'go command');
    expect(command).toMatchObject({ cwd: ws, env: { GOOS: 'linux', GOTOOLCHAIN: 'local' } });
    expect(command?.command).toContain('./services/notify');
    const miss = first.find((r) => r.msg === 'cache miss: running go');
    const second = await records(files[1] ?? '');
    const hit = second.find((r) => r.msg === 'cache hit');
    expect(hit?.key).toBeDefined();
    expect(hit?.key).toBe(miss?.key);
    // One record per cached action: its outcome, not also its planning and its lookup.
    expect(second.filter((r) => r.action === hit?.action).map((r) => r.msg)).toEqual(['cache hit']);
  });

  it('--log-level prints the log to stderr too', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    dirs.push(ws, cache);
    const r = await gob(['build', '//services/notify', '--log-level', 'info'], { cwd: ws, cacheDir: cache });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toContain('build finished');
  });

  it('keeps only the newest log files', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-logs-'));
    dirs.push(dir);
    for (let i = 0; i < 25; i++) await fs.writeFile(path.join(dir, `2026-01-01T00-00-${String(i).padStart(2, '0')}.000Z-1.jsonl`), '');
    await fs.writeFile(path.join(dir, 'notes.txt'), '');
    pruneLogs(dir, 20);
    const left = (await fs.readdir(dir)).sort();
    expect(left).toHaveLength(21);
    expect(left[0]).toBe('2026-01-01T00-00-05.000Z-1.jsonl');
    expect(left).toContain('notes.txt');
  });
});
