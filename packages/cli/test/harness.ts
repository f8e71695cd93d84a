import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StampedEvent } from '@gob/core';

/**
 * Runs the real `gob` binary (the built dist) on real directories with the real go, and reads
 * its JSON event stream. End-to-end tests assert on events, never on timing.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const GOB_MAIN = path.join(REPO_ROOT, 'packages/cli/dist/main.js');
/** The `gob` command as installed: a shell launcher that runs the native client or node. */
export const GOB_LAUNCHER = path.join(REPO_ROOT, 'packages/cli/bin/gob');
export const EXAMPLE = path.join(REPO_ROOT, 'examples/monorepo');

export interface GobRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly events: StampedEvent[];
}

export interface GobOptions {
  readonly cwd: string;
  readonly cacheDir: string;
  readonly env?: Record<string, string> | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called with the child once it is running (e.g. to send it SIGINT). */
  readonly onSpawn?: ((child: ChildProcess) => void) | undefined;
  /** Run the installed `gob` (GOB_LAUNCHER) instead of `node dist/main.js`. */
  readonly launcher?: boolean | undefined;
}

/** Runs gob with `args`; when args include `--ui=json`, stdout is parsed as events. */
export function gob(args: readonly string[], opts: GobOptions): Promise<GobRun> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = opts.launcher === true ? [GOB_LAUNCHER, [...args]] : [process.execPath, [GOB_MAIN, ...args]];
    const child = spawn(cmd, argv, {
      cwd: opts.cwd,
      env: { ...process.env, GOB_CACHE_DIR: opts.cacheDir, CI: 'true', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const events = args.includes('--ui=json') ? parseEvents(stdout) : [];
      resolve({ code, stdout, stderr, events });
    });
  });
}

export function parseEvents(text: string): StampedEvent[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StampedEvent);
}

export function finishedBy(events: readonly StampedEvent[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of events) if (e.type === 'action.finished') m.set(e.label, e.status);
  return m;
}

export function buildFinished(events: readonly StampedEvent[]) {
  const f = events.find((e) => e.type === 'build.finished');
  if (f?.type !== 'build.finished') throw new Error(`no build.finished event in:\n${JSON.stringify(events, null, 1)}`);
  return f;
}

/** Number of actions gob ran go for (go processes may each build several: see `batch`). */
export function goBuildsRun(events: readonly StampedEvent[]): number {
  return events.filter((e) => e.type === 'action.started').length;
}

/** Copies a directory tree (without gob-out) into a fresh temp dir and returns its path. */
export async function tempCopy(src: string, prefix = 'gob-e2e-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.cp(src, dir, { recursive: true, filter: (p) => !p.split(path.sep).includes('gob-out') });
  return dir;
}

export async function tempDir(prefix = 'gob-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function appendLine(file: string, line: string): Promise<void> {
  await fs.appendFile(file, `\n${line}\n`);
}

/**
 * Ctrl-C as a test gives it: an `onSpawn` that sends gob SIGINT `delayMs` after its first
 * `action.started` event (go is running by then); `sent()` says whether it came to that.
 */
export function interruptOnceBuilding(delayMs = 300): { onSpawn: (child: ChildProcess) => void; sent: () => boolean } {
  let sent = false;
  return {
    onSpawn: (child) => {
      let seen = '';
      child.stdout?.on('data', (c: Buffer | string) => {
        seen += String(c);
        if (!sent && seen.includes('"type":"action.started"')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), delayMs);
        }
      });
    },
    sent: () => sent,
  };
}

/**
 * Writes a module proxy into `dir` (use it as `GOPROXY=file://DIR`, with `GOSUMDB=off`) serving
 * one version of each module: `files` are the module's files, go.mod included. go downloads from
 * it as from proxy.golang.org, so a test gets a real module cache without the network.
 */
export async function writeModuleProxy(dir: string, modules: readonly { path: string; version: string; files: Record<string, string> }[]): Promise<void> {
  const { strToU8, zipSync } = await import('fflate');
  // A proxy spells upper-case letters as "!" and the lower-case letter, like the module cache.
  const escape = (p: string): string => p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
  for (const m of modules) {
    const at = path.join(dir, escape(m.path), '@v');
    await fs.mkdir(at, { recursive: true });
    const zipped: Record<string, Uint8Array> = {};
    for (const [name, text] of Object.entries(m.files)) zipped[`${m.path}@${m.version}/${name}`] = strToU8(text);
    await fs.writeFile(path.join(at, 'list'), `${m.version}\n`);
    await fs.writeFile(path.join(at, `${escape(m.version)}.info`), JSON.stringify({ Version: m.version, Time: '2026-01-01T00:00:00Z' }));
    await fs.writeFile(path.join(at, `${escape(m.version)}.mod`), m.files['go.mod'] ?? `module ${m.path}\n`);
    await fs.writeFile(path.join(at, `${escape(m.version)}.zip`), zipSync(zipped, { level: 0, mtime: new Date('2026-01-01T00:00:00Z') }));
  }
}
