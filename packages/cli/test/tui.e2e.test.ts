import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { StampedEvent } from '@gob/core';
import type { Reporter } from '@gob/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseUi, deferredReporter } from '../src/output.js';
import { EXAMPLE, GOB_LAUNCHER, GOB_MAIN, tempCopy, tempDir } from './harness.js';

/**
 * The TUI as a user sees it: the real `gob build` in a pseudo-terminal (util-linux `script`),
 * its output replayed through a small VT100 model to get the final screen. Asserts what is on
 * the screen and that the terminal is handed back clean, never how long anything took.
 */

const COLUMNS = 100;
const ROWS = 30;
const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
/** A running action's line (a spinner, then its label) in text without escape codes; not the planning line. */
const RUNNING_ACTION = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \/\//;

interface PtyRun {
  readonly code: number | null;
  /** Everything gob wrote to the terminal, escape sequences included. */
  readonly raw: string;
  /** The terminal's lines afterwards (scrollback included), trailing blanks dropped. */
  readonly screen: string[];
}

/**
 * The environment of an interactive terminal: no CI markers, a real TERM. gob builds in its own
 * process, or — `serverDir` given — in the workspace's gob server, which draws the TUI onto this
 * terminal through the client.
 */
function terminalEnv(cacheDir: string, serverDir: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'CI' || k.startsWith('CI_') || k === 'CONTINUOUS_INTEGRATION' || k === 'GITHUB_ACTIONS') continue;
    env[k] = v;
  }
  const server = serverDir === undefined ? { GOB_SERVER: '0' } : { GOB_SERVER: '1', GOB_SERVER_DIR: serverDir };
  return { ...env, TERM: 'xterm-256color', COLUMNS: String(COLUMNS), LINES: String(ROWS), GOB_CACHE_DIR: cacheDir, ...server };
}

/**
 * Runs `gob <args>` in a pty of COLUMNS×ROWS. `onOutput` sees the output so far and may type
 * into the terminal (e.g. Ctrl-C), as a user would.
 */
function gobInPty(
  args: readonly string[],
  cwd: string,
  cacheDir: string,
  serverDir: string | undefined,
  onOutput?: (raw: string, type: (keys: string) => void) => void,
  launcher = false,
): Promise<PtyRun> {
  const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
  const gobCmd = launcher ? [GOB_LAUNCHER, ...args] : [process.execPath, GOB_MAIN, ...args];
  // script gives the pty no size when its own stdin is not a terminal; stty sets one.
  const cmd = `stty cols ${COLUMNS} rows ${ROWS} && exec ${gobCmd.map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd, env: terminalEnv(cacheDir, serverDir), stdio: ['pipe', 'pipe', 'pipe'] });
    let raw = '';
    const type = (keys: string): void => {
      child.stdin.write(keys);
    };
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      raw += c;
      onOutput?.(raw, type);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (raw += c));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, raw, screen: renderScreen(raw, COLUMNS) });
    });
  });
}

/**
 * Just enough of a VT100 to replay what Ink writes: printable text with auto-wrap, CR/LF, cursor
 * up/down/left/right/column, erase in line/display; colours and private modes are ignored.
 */
function renderScreen(raw: string, columns: number): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = (r: number): string[] => {
    while (lines.length <= r) lines.push([]);
    return lines[r] ?? [];
  };
  const chars = Array.from(raw);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '\x1b') {
      if (chars[i + 1] !== '[') {
        i++;
        continue;
      }
      let j = i + 2;
      let params = '';
      while (j < chars.length && !/[@-~]/.test(chars[j] ?? '')) params += chars[j++] ?? '';
      const final = chars[j] ?? '';
      i = j;
      if (params.startsWith('?')) continue; // private modes: cursor visibility, synchronized output
      const n = Number(params.split(';')[0] || '0');
      switch (final) {
        case 'A':
          row = Math.max(0, row - Math.max(1, n));
          break;
        case 'B':
          row += Math.max(1, n);
          break;
        case 'C':
          col += Math.max(1, n);
          break;
        case 'D':
          col = Math.max(0, col - Math.max(1, n));
          break;
        case 'E':
          row += Math.max(1, n);
          col = 0;
          break;
        case 'G':
          col = Math.max(0, n - 1);
          break;
        case 'K': {
          const l = line(row);
          if (n === 0) l.splice(col);
          else if (n === 1) l.fill(' ', 0, Math.min(col + 1, l.length));
          else l.length = 0;
          break;
        }
        case 'J':
          if (n === 0) {
            line(row).splice(col);
            lines.splice(row + 1);
          } else {
            lines.length = 0;
            row = 0;
            col = 0;
          }
          break;
        default:
          break; // SGR (m) and anything else that does not move text
      }
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') row++;
    else if (ch >= ' ') {
      if (col >= columns) {
        row++;
        col = 0;
      }
      const l = line(row);
      while (l.length < col) l.push(' ');
      l[col++] = ch;
    }
  }
  const text = lines.map((l) => l.join('').trimEnd());
  while (text.length > 0 && text.at(-1) === '') text.pop();
  return text;
}

function expectTerminalRestored(run: PtyRun): void {
  // The cursor Ink hid is shown again, and nothing is written after that.
  expect(run.raw).toContain(HIDE_CURSOR);
  expect(run.raw.trimEnd().endsWith(SHOW_CURSOR)).toBe(true);
  expect(run.raw.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(run.raw.lastIndexOf(HIDE_CURSOR));
  // No live area left behind: no spinner, no progress bar, and the screen ends with gob's own text.
  expect(run.screen.filter((l) => SPINNER.test(l) || l.includes('░'))).toEqual([]);
}

describe.each([
  ['in its own process', false, false],
  ['in the gob server', true, false],
  ['in the gob server, through the native client of the installed gob', true, true],
])('gob build in a terminal (TUI), %s', (_, useServer, launcher) => {
  let ws: string;
  let cache: string;
  let serverDir: string | undefined;
  beforeAll(async () => {
    ws = await tempCopy(EXAMPLE, 'gob-tui-');
    cache = await tempDir('gob-tui-cache-');
    serverDir = useServer ? await tempDir('gob-tui-srv-') : undefined;
  });
  afterAll(async () => {
    if (serverDir !== undefined) {
      await new Promise((resolve) => {
        spawn(process.execPath, [GOB_MAIN, 'server', 'stop'], { cwd: ws, env: { ...process.env, GOB_SERVER_DIR: serverDir }, stdio: 'ignore' }).on('close', resolve);
      });
      await fs.rm(serverDir, { recursive: true, force: true });
    }
    await fs.rm(ws, { recursive: true, force: true });
    await fs.rm(cache, { recursive: true, force: true });
  });

  it('draws the build, ends with the summary and the outputs, and restores the terminal', async () => {
    const run = await gobInPty(['build', '//...'], ws, cache, serverDir, undefined, launcher);
    expect(run.code).toBe(0);
    expect(run.screen[0]).toMatch(/^gob build \/\/\.\.\. · profile default · linux\/amd64 · \d+ jobs? · 7 actions$/);
    expect(run.screen).toContain(`workspace ${ws}`);
    // The first build plans from scratch: a planning line was drawn, and is gone (see below).
    expect(stripVTControlCharacters(run.raw)).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] planning +\d+\.\ds/);
    expect(run.screen.filter((l) => /^✓ (built|cached) +\/\/\S+ +linux\/amd64 /.test(l))).toHaveLength(7);
    expect(run.screen).toContainEqual(expect.stringMatching(/^TARGET +PLATFORM +STATUS +TIME +CACHE$/));
    const summary = run.screen.findIndex((l) => /^\d+ built, \d+ cached, 0 failed in \S+$/.test(l));
    expect(summary).toBeGreaterThan(0);
    expect(run.screen.slice(summary + 1)).toEqual([
      'gob-out/bin/services/gateway/gateway',
      'gob-out/bin/services/inventory/inventory',
      'gob-out/bin/services/notify/notify',
      'gob-out/bin/services/orders/orders',
      'gob-out/bin/services/payment/payment',
      'gob-out/bin/services/users/users',
      'gob-out/bin/tools/acmectl/acmectl',
    ]);
    expectTerminalRestored(run);
  });

  it('shows a compile error in full and still restores the terminal', async () => {
    const file = path.join(ws, 'services/orders/orders.go');
    const original = await fs.readFile(file, 'utf8');
    await fs.appendFile(file, '\nvar _ int = "not an int"\n');
    try {
      const run = await gobInPty(['build', '//...', '-k'], ws, cache, serverDir, undefined, launcher);
      expect(run.code).toBe(1);
      expect(run.screen).toContainEqual(expect.stringMatching(/^✗ FAILED +\/\/services\/orders:orders +linux\/amd64 +\S+: go build exited with code 1$/));
      expect(run.screen).toContain('┃ # example.com/acme/services/orders');
      expect(run.screen).toContainEqual(expect.stringMatching(/^┃ services\/orders\/orders\.go:\d+:\d+: cannot use "not an int"/));
      // The others are built (-k) and listed after the failure.
      expect(run.screen.filter((l) => /^✓ (built|cached) /.test(l))).toHaveLength(6);
      expect(run.screen).toContainEqual(expect.stringMatching(/^\/\/services\/orders:orders +linux\/amd64 +failed /));
      expect(run.screen).toContainEqual(expect.stringMatching(/^\d+ built, \d+ cached, 1 failed in \S+$/));
      expect(run.screen).not.toContain('gob-out/bin/services/orders/orders');
      expectTerminalRestored(run);
    } finally {
      await fs.writeFile(file, original);
    }
  });

  it('on Ctrl-C: stops, says so, exits 130 and restores the terminal', async () => {
    let typed = false;
    // --force makes go rebuild everything, so the first action is still running when we type.
    const run = await gobInPty(
      ['build', '//...', '--force', '-j', '1'],
      ws,
      cache,
      serverDir,
      (raw, type) => {
        if (!typed && RUNNING_ACTION.test(stripVTControlCharacters(raw))) {
          typed = true;
          type('\x03');
        }
      },
      launcher,
    );
    expect(typed).toBe(true);
    expect(run.code).toBe(130);
    expect(run.screen).toContainEqual(expect.stringMatching(/^interrupted: \d+ built, \d+ cached, \d+ failed/));
    expectTerminalRestored(run);
  });
});

describe('--ui auto', () => {
  const tty = { isTTY: true, columns: 120, env: { TERM: 'xterm-256color' } };

  it('is the TUI on an interactive terminal', () => {
    expect(chooseUi('auto', tty)).toBe('tui');
  });

  it('is plain when stdout is not a terminal, in CI, on a dumb terminal, or a terminal of no size', () => {
    expect(chooseUi('auto', { ...tty, isTTY: false })).toBe('plain');
    expect(chooseUi('auto', { ...tty, env: { ...tty.env, CI: 'true' } })).toBe('plain');
    expect(chooseUi('auto', { ...tty, env: { ...tty.env, CI: '1' } })).toBe('plain');
    expect(chooseUi('auto', { ...tty, env: { TERM: 'dumb' } })).toBe('plain');
    expect(chooseUi('auto', { ...tty, columns: 0 })).toBe('plain');
  });

  it('ignores a CI variable that says no', () => {
    for (const CI of ['0', 'false']) expect(chooseUi('auto', { ...tty, env: { ...tty.env, CI } })).toBe('tui');
    expect(chooseUi('auto', { ...tty, env: { ...tty.env, CONTINUOUS_INTEGRATION: '1' } })).toBe('plain');
  });

  it('is plain when something else writes to the terminal too (-x, --log-level)', () => {
    expect(chooseUi('auto', tty, true)).toBe('plain');
    expect(chooseUi('tui', tty, true)).toBe('tui');
  });

  it('never overrides an explicit choice', () => {
    const ci = { isTTY: false, columns: 0, env: { CI: 'true', TERM: 'dumb' } };
    expect(chooseUi('tui', ci)).toBe('tui');
    expect(chooseUi('plain', tty)).toBe('plain');
    expect(chooseUi('json', tty)).toBe('json');
  });
});

describe('deferredReporter', () => {
  const event = (n: number): StampedEvent => ({ type: 'log', level: 'info', message: String(n), time: '', v: 1 });
  const recorder = () => {
    const seen: string[] = [];
    const reporter: Reporter = {
      onEvent: (e) => seen.push(e.type === 'log' ? e.message : e.type),
      close: () => {
        seen.push('closed');
        return Promise.resolve();
      },
    };
    return { seen, reporter };
  };

  it('replays the events that came while loading, in order, then passes the rest through', async () => {
    const { seen, reporter } = recorder();
    const d = deferredReporter(() => Promise.resolve(reporter), () => reporter, { write: () => true });
    d.onEvent(event(1));
    d.onEvent(event(2));
    await Promise.resolve();
    d.onEvent(event(3));
    await d.close();
    expect(seen).toEqual(['1', '2', '3', 'closed']);
  });

  it('falls back when loading fails', async () => {
    const { seen, reporter } = recorder();
    const said: string[] = [];
    const d = deferredReporter(() => Promise.reject(new Error('no ink')), () => reporter, { write: (t: string) => said.push(t) });
    d.onEvent(event(1));
    await d.close();
    expect(seen).toEqual(['1', 'closed']);
    expect(said.join('')).toContain('cannot load the terminal UI (no ink); printing plain output');
  });
});
