import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { findWorkspaceRoot } from '@gob/core/root';
import { inCi } from '../ci.js';
import { serverIdentity } from './identity.js';
import { ensureServerDir, workspaceServerPaths, type ServerPaths } from './paths.js';
import { encode, frameReader, type ClientFrame, type ServerFrame } from './protocol.js';

/**
 * The client side of the gob server: `gob build` sends itself to the workspace's server
 * (starting one when there is none) and copies what the server sends back to its own stdout and
 * stderr. This module is what a served build loads besides node itself, so it imports nothing
 * heavy: not commander, not the engine, not the reporters.
 *
 * The server is used for `gob build` when `GOB_SERVER` is `1`, or when it is unset and gob does
 * not run in CI (`CI` set); never with `GOB_SERVER=0` or `--no-server`, nor on Windows. When no server can be
 * reached or started, the build runs in this process, as it would without a server.
 */
export function wantsServer(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  // The server listens on a Unix socket.
  if (process.platform === 'win32') return false;
  if (argv[0] !== 'build' || argv.includes('--no-server')) return false;
  const setting = env.GOB_SERVER?.toLowerCase();
  if (setting === '0' || setting === 'false' || setting === 'off') return false;
  if (setting === '1' || setting === 'true' || setting === 'on') return true;
  return !inCi(env);
}

/** Runs `argv` in the workspace's gob server; undefined when there is no server to run it in. */
export async function runInServer(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const id = serverIdentity();
  if (id === undefined) return undefined;
  const root = await findWorkspaceRoot(cwd);
  if (root === undefined) return undefined; // the in-process build explains
  const paths = workspaceServerPaths(root, env);
  const refused = ensureServerDir(paths.dir);
  if (refused !== undefined) {
    process.stderr.write(`gob: not using a gob server: ${refused}\n`);
    return undefined;
  }
  const run: ClientFrame = {
    t: 'run',
    id,
    argv: [...argv],
    cwd,
    env: definedEnv(env),
    stdout: { isTTY: process.stdout.isTTY, columns: process.stdout.columns, rows: process.stdout.rows },
    stderr: { isTTY: process.stderr.isTTY, columns: process.stderr.columns, rows: process.stderr.rows },
  };
  // Twice at most: a server of another gob build steps down, and a new one is started.
  for (let attempt = 0; attempt < 2; attempt++) {
    const socket = await connectOrStart(paths, root, env);
    if (socket === undefined) {
      process.stderr.write(`gob: could not start a gob server (its log: ${paths.log}); building in this process\n`);
      return undefined;
    }
    const r = await converse(socket, run);
    if (r.kind === 'exit') return r.code;
    if (r.kind === 'lost') {
      if (!r.started) return undefined;
      process.stderr.write(`gob: the gob server stopped during the build (its log: ${paths.log}); the cache is consistent, run the build again\n`);
      return 70;
    }
    await waitUntilGone(paths.socket);
  }
  return undefined;
}

type Conversation = { kind: 'exit'; code: number } | { kind: 'mismatch' } | { kind: 'lost'; started: boolean };

function converse(socket: net.Socket, run: ClientFrame): Promise<Conversation> {
  return new Promise((resolve) => {
    let started = false;
    let result: Conversation | undefined;
    let cancelled = false;
    const onSignal = (): void => {
      if (!socket.destroyed && !cancelled) {
        cancelled = true;
        socket.write(encode({ t: 'cancel' }));
        return;
      }
      // The second Ctrl-C: leave now. The server stops the build in order once we are gone.
      process.exit(130);
    };
    const onResize = (): void => {
      if (process.stdout.columns !== undefined) socket.write(encode({ t: 'resize', columns: process.stdout.columns, rows: process.stdout.rows }));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (process.stdout.isTTY) process.stdout.on('resize', onResize);
    const read = frameReader((raw) => {
      const f = raw as ServerFrame;
      switch (f.t) {
        case 'out':
          started = true;
          process.stdout.write(f.d);
          return;
        case 'err':
          started = true;
          process.stderr.write(f.d);
          return;
        case 'exit':
          result = { kind: 'exit', code: f.code };
          return;
        case 'mismatch':
          result = { kind: 'mismatch' };
          return;
        default:
          return;
      }
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      try {
        read(chunk);
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => {
      // 'close' follows.
    });
    socket.on('close', () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stdout.off('resize', onResize);
      resolve(result ?? { kind: 'lost', started });
    });
    socket.write(encode(run));
  });
}

async function connectOrStart(paths: ServerPaths, root: string, env: NodeJS.ProcessEnv): Promise<net.Socket | undefined> {
  const first = await connect(paths.socket);
  if (first !== undefined) return first;
  const server = startServer(paths, root, env);
  let exited = false;
  server.once('exit', () => {
    exited = true;
  });
  // A server is up once it has loaded gob (a few hundred ms); give a loaded machine 20 s. One
  // that exits at once either found another server listening (connect to that) or failed (its
  // log says why).
  const deadline = Date.now() + 20_000;
  for (let wait = 10; Date.now() < deadline; wait = Math.min(wait * 2, 100)) {
    await sleep(wait);
    const s = await connect(paths.socket);
    if (s !== undefined || exited) return s;
  }
  return undefined;
}

function startServer(paths: ServerPaths, root: string, env: NodeJS.ProcessEnv): ChildProcess {
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const log = fs.openSync(paths.log, 'a', 0o600);
  const child = spawn(process.execPath, [main, 'server', 'run', '--root', root, '--socket', paths.socket], {
    cwd: root,
    detached: true,
    stdio: ['ignore', log, log],
    // Ink (the TUI, drawn in the server onto the client's terminal) decides on colours when it
    // loads, from the server's own stdout, which is a log file: say the terminal has them.
    env: { ...env, FORCE_COLOR: env.FORCE_COLOR ?? '1' },
  });
  child.unref();
  fs.closeSync(log);
  return child;
}

/** A connection to the server on `socket`; undefined when nobody accepts. */
export function connect(socket: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    c.once('connect', () => {
      c.removeAllListeners('error');
      resolve(c);
    });
    c.once('error', () => {
      resolve(undefined);
    });
  });
}

async function waitUntilGone(socket: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && fs.existsSync(socket)) await sleep(20);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
