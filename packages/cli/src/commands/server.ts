import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { findWorkspaceRoot, flushSnapshots } from '@gob/core';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Io } from '../io.js';
import { serverIdentity } from '../server/identity.js';
import { ensureServerDir, workspaceServerPaths, type ServerPaths } from '../server/paths.js';
import { encode, frameReader, type ServerFrame, type ServerStatus } from '../server/protocol.js';

/** How long a gob server waits for the next command before it exits (Bazel's default too). */
export const DEFAULT_IDLE_SECONDS = 3 * 60 * 60;

export function serverCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('server')
    .description('The workspace\'s gob server: a gob that stays up and runs `gob build` without starting again.')
    .addHelpText(
      'after',
      `
Examples:
  gob server status     is a server running for this workspace: pid, memory, commands run
  gob server stop       stop it (the next gob build starts a new one)

gob build starts the server itself (outside CI) and it stops after 3 hours without a build.
GOB_SERVER=0 or gob build --no-server builds without it; GOB_SERVER=1 uses it in CI too.
See docs/server.md.`,
    );
  cmd
    .command('status')
    .description('Show whether this workspace has a running gob server, and what it holds.')
    .action(async () => {
      const paths = await workspacePaths(io, setExit);
      if (paths === undefined) return;
      const frame = await ask(paths.socket, 'status');
      if (frame?.t !== 'status') {
        io.stdout.write(`no gob server is running for this workspace\n`);
        setExit(EXIT_FAILED);
        return;
      }
      io.stdout.write(formatStatus(frame.status, paths));
      setExit(EXIT_OK);
    });
  cmd
    .command('stop')
    .description('Stop this workspace\'s gob server (after the build it is running, if any).')
    .action(async () => {
      const paths = await workspacePaths(io, setExit);
      if (paths === undefined) return;
      const frame = await ask(paths.socket, 'stop');
      io.stdout.write(frame?.t === 'stopping' ? 'gob server stopped\n' : 'no gob server was running for this workspace\n');
      setExit(EXIT_OK);
    });
  cmd
    .command('run')
    .description('Run the server in the foreground (what gob build starts in the background).')
    .option('--root <dir>', 'the workspace to serve (default: the one around the current directory)')
    .option('--socket <path>', 'where to listen (default: the workspace\'s socket)')
    .option('--idle-seconds <n>', 'exit after this many seconds without a command', parseSeconds)
    .action(async (flags: { root?: string; socket?: string; idleSeconds?: number }) => {
      const id = serverIdentity();
      if (id === undefined) {
        io.stderr.write('gob: this gob does not know its build id (run `npm run build`), so it cannot serve\n');
        setExit(EXIT_USAGE);
        return;
      }
      const root = flags.root === undefined ? await findWorkspaceRoot(io.cwd) : path.resolve(io.cwd, flags.root);
      if (root === undefined) {
        io.stderr.write('gob: no gob.yaml here or above: not in a gob workspace\n');
        setExit(EXIT_USAGE);
        return;
      }
      const paths = workspaceServerPaths(root, io.env);
      const refused = ensureServerDir(paths.dir);
      if (refused !== undefined && flags.socket === undefined) {
        io.stderr.write(`gob: ${refused}\n`);
        setExit(EXIT_USAGE);
        return;
      }
      const [{ runServer }, { runCli }, { SnapshotWatcher }] = await Promise.all([import('../server/serve.js'), import('../cli.js'), import('../server/watch.js')]);
      process.chdir(root);
      const log = (line: string): void => {
        io.stderr.write(`${new Date().toISOString()} ${line}\n`);
      };
      const watcher = io.env.GOB_SERVER_WATCH === '0' ? undefined : SnapshotWatcher.create({ helper: fileURLToPath(new URL('../gob-client', import.meta.url)), log });
      await runServer({
        socket: flags.socket ?? paths.socket,
        root,
        id,
        idleSeconds: flags.idleSeconds ?? idleFromEnv(io.env) ?? DEFAULT_IDLE_SECONDS,
        run: runCli,
        log,
        changeHints: watcher,
      });
      watcher?.close();
      // Plans the last builds made are written once the server is quiet: now, at the latest.
      await flushSnapshots().catch((e: unknown) => io.stderr.write(`could not save a plan snapshot: ${String(e)}\n`));
      setExit(EXIT_OK);
      // Whatever a command left behind (a timer, a handle) must not keep a stopped server alive.
      process.exit(EXIT_OK);
    });
  return cmd;
}

async function workspacePaths(io: Io, setExit: (code: number) => void): Promise<ServerPaths | undefined> {
  const root = await findWorkspaceRoot(io.cwd);
  if (root === undefined) {
    io.stderr.write('gob: no gob.yaml here or above: not in a gob workspace\n');
    setExit(EXIT_USAGE);
    return undefined;
  }
  return workspaceServerPaths(root, io.env);
}

/** Sends one request and returns the server's first answer; undefined when nobody answers. */
function ask(socket: string, t: 'status' | 'stop'): Promise<ServerFrame | undefined> {
  return new Promise((resolve) => {
    let answer: ServerFrame | undefined;
    const c = net.connect(socket);
    c.setEncoding('utf8');
    const read = frameReader((f) => {
      answer ??= f as ServerFrame;
    });
    c.on('connect', () => c.write(encode(t === 'status' ? { t: 'status' } : { t: 'stop' })));
    c.on('data', (chunk: string) => {
      try {
        read(chunk);
      } catch {
        c.destroy();
      }
    });
    c.on('error', () => undefined);
    c.on('close', () => {
      resolve(answer);
    });
  });
}

function formatStatus(s: ServerStatus, paths: ServerPaths): string {
  const mb = (s.rssBytes / (1024 * 1024)).toFixed(0);
  return [
    `gob server running for ${s.root}`,
    `  pid       ${s.pid}`,
    `  since     ${s.startedAt}`,
    `  commands  ${s.commands}${s.busy ? ' (one running now)' : ''}`,
    `  memory    ${mb} MB`,
    `  stops     after ${s.idleExitSeconds} s without a command`,
    `  socket    ${paths.socket}`,
    `  log       ${paths.log}`,
    '',
  ].join('\n');
}

function parseSeconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return n;
}

function idleFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const v = env.GOB_SERVER_IDLE_SECONDS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
