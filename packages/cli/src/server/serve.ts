import * as fs from 'node:fs';
import * as net from 'node:net';
import type { ChangeHints } from '@gob/core';
import type { Io } from '../io.js';
import { connect } from './client.js';
import { admit } from './identity.js';
import { encode, frameReader, type ClientFrame, type ServerFrame, type ServerStatus } from './protocol.js';
import { RemoteStream } from './remote-stream.js';

/**
 * The gob server: a gob process that stays up for one workspace and runs the `gob build`s its
 * clients send it (server/client.ts). What it saves is what every fresh gob process pays before
 * doing any work: starting node, loading gob's modules, reading and parsing the plan snapshot
 * (kept in memory while its file is unchanged). It checks what the plan depends on as a gob
 * process does, except that with a file watcher (`changeHints`, server/watch.ts) it stats only
 * what changed, and only while the watcher can vouch for every change — so a served build is
 * never staler than one run in the client; it only starts sooner.
 *
 * Commands run one at a time (a second client waits, and is told so). The server stops after
 * `idleSeconds` without a command, on `gob server stop`, when a client of another gob build
 * comes (it cannot serve that build), and when its socket is removed or taken over.
 */
export interface ServerOptions {
  readonly socket: string;
  readonly root: string;
  readonly id: string;
  readonly idleSeconds: number;
  /** Runs one command (the CLI's `runCli`) in the client's world. */
  readonly run: (argv: readonly string[], io: Io) => Promise<number>;
  /** The server's own log (stderr). */
  readonly log: (line: string) => void;
  /** The file watcher that spares builds the stat of every file (server/watch.ts). */
  readonly changeHints?: ChangeHints | undefined;
}

export async function runServer(opts: ServerOptions): Promise<void> {
  const startedAt = new Date();
  let commands = 0;
  let busy = false;
  let queue: Promise<void> = Promise.resolve();
  let idleTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  /** The running command's: a signal to the server stops it in order too. */
  let running: AbortController | undefined;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket);
  });

  const listening = await listen(server, opts.socket);
  if (!listening) {
    opts.log(`another gob server already listens on ${opts.socket}; exiting`);
    return;
  }
  const ourIno = inode(opts.socket);
  opts.log(`gob server ${process.pid} listening on ${opts.socket} for ${opts.root}`);

  // Resolved once a shutdown has let the running command finish. The connections of `gob server
  // stop` stay open until the process exits, so that stop returns when the server is gone (its
  // last plans written), not before.
  let stopped: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const stoppers = new Set<net.Socket>();

  const shutdown = (why: string): void => {
    if (stopping) return;
    stopping = true;
    opts.log(`stopping: ${why}`);
    clearTimeout(idleTimer);
    clearInterval(watchdog);
    server.close();
    // Only our own socket file: a newer server may have taken the path over.
    if (ourIno !== undefined && inode(opts.socket) === ourIno) fs.rmSync(opts.socket, { force: true });
    // Let the running command finish (its client is waiting for it), then go.
    void queue.then(() => {
      for (const s of sockets) if (!stoppers.has(s)) s.end();
      stopped();
    });
  };

  const armIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!busy) shutdown(`idle for ${opts.idleSeconds} s`);
    }, opts.idleSeconds * 1000);
    idleTimer.unref();
  };
  armIdle();

  // The socket path replaced or removed (another server, `rm -rf $TMPDIR`), the workspace gone:
  // nobody can reach this server any more.
  const watchdog = setInterval(() => {
    if (inode(opts.socket) !== ourIno) shutdown('its socket was removed or replaced');
    else if (!fs.existsSync(opts.root)) shutdown('the workspace is gone');
  }, 10_000);
  watchdog.unref();

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      running?.abort();
      shutdown(sig);
    });
  }

  function serve(socket: net.Socket): void {
    socket.setEncoding('utf8');
    // Frames go out once per turn of the event loop, consecutive output merged: a build's
    // hundreds of events become a few writes on each side instead of one each.
    let pending: ServerFrame[] = [];
    const flush = (): void => {
      if (pending.length > 0 && !socket.destroyed) socket.write(pending.map(encode).join(''));
      pending = [];
    };
    const send = (f: ServerFrame): void => {
      if (socket.destroyed) return;
      const last = pending.at(-1);
      if (last !== undefined && (f.t === 'out' || f.t === 'err') && last.t === f.t) {
        pending[pending.length - 1] = { t: f.t, d: last.d + f.d };
        return;
      }
      if (pending.length === 0) setImmediate(flush);
      pending.push(f);
    };
    const end = (): void => {
      flush();
      socket.end();
    };
    let job: { cancel: AbortController; out: RemoteStream; err: RemoteStream } | undefined;
    let gone = false;
    socket.on('close', () => {
      gone = true;
      // The client went away (killed, second Ctrl-C): stop its build in order.
      job?.cancel.abort();
    });
    socket.on('error', () => {
      // A client that vanished mid-write; 'close' follows.
    });
    const onFrame = (raw: unknown): void => {
      const f = raw as ClientFrame;
      switch (f.t) {
        case 'status':
          send({ t: 'status', status: status() });
          end();
          return;
        case 'stop':
          send({ t: 'stopping' });
          flush();
          stoppers.add(socket);
          shutdown('gob server stop');
          return;
        case 'cancel':
          job?.cancel.abort();
          return;
        case 'resize':
          job?.out.resize(f.columns, f.rows);
          job?.err.resize(f.columns, f.rows);
          return;
        case 'run': {
          const admitted = admit(f.id, opts.id);
          if (admitted !== 'serve') {
            send({ t: 'mismatch', id: opts.id });
            end();
            if (admitted === 'replace') shutdown('a client of another gob build');
            return;
          }
          if (stopping) {
            send({ t: 'mismatch', id: opts.id });
            end();
            return;
          }
          // Only builds are served (the clients send nothing else): never, say, a server in the server.
          if (f.argv[0] !== 'build') {
            send({ t: 'err', d: `gob: the gob server runs gob build, not gob ${f.argv[0] ?? ''}\n` });
            send({ t: 'exit', code: 2 });
            end();
            return;
          }
          const cancel = new AbortController();
          job = {
            cancel,
            out: new RemoteStream(f.stdout, (d) => { send({ t: 'out', d }); }),
            err: new RemoteStream(f.stderr, (d) => { send({ t: 'err', d }); }),
          };
          const current = job;
          if (running !== undefined) current.err.write('gob: waiting for another command of this workspace to finish\n');
          queue = queue.then(async () => {
            if (gone) return;
            busy = true;
            running = cancel;
            commands++;
            clearTimeout(idleTimer);
            let code: number;
            const deferred: (() => Promise<void>)[] = [];
            try {
              // One command at a time, so the process may take on the client's directory:
              // relative paths (--events FILE, GOB_CACHE_DIR=rel) mean what they mean there.
              process.chdir(f.cwd);
              code = await opts.run(f.argv, {
                cwd: f.cwd,
                env: { ...f.env },
                stdout: current.out.asOutStream(),
                stderr: current.err.asOutStream(),
                interrupts: () => ({ signal: cancel.signal, dispose: () => undefined }),
                defer: (w) => deferred.push(w),
                changeHints: opts.changeHints,
              });
            } catch (e) {
              current.err.write(`gob: ${e instanceof Error ? e.message : String(e)}\n`);
              code = 70;
            } finally {
              process.chdir(opts.root);
            }
            running = undefined;
            send({ t: 'exit', code });
            end();
            // The client has its answer; the next command waits for this.
            for (const work of deferred) {
              await work().catch((e: unknown) => {
                opts.log(`after a command: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
              });
            }
            busy = false;
            if (!stopping) armIdle();
          });
          return;
        }
        default:
          socket.destroy();
      }
    };
    const read = frameReader(onFrame);
    socket.on('data', (chunk: string) => {
      try {
        read(chunk);
      } catch {
        socket.destroy();
      }
    });
  }

  function status(): ServerStatus {
    return {
      pid: process.pid,
      id: opts.id,
      root: opts.root,
      startedAt: startedAt.toISOString(),
      commands,
      busy: running !== undefined,
      idleExitSeconds: opts.idleSeconds,
      rssBytes: process.memoryUsage.rss(),
    };
  }

  await done;
}

/** Listens on `socket`, replacing a stale socket file; false when a live server already has it. */
async function listen(server: net.Server, socket: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await new Promise<'ok' | 'in-use'>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        server.off('listening', onListening);
        if (e.code === 'EADDRINUSE') resolve('in-use');
        else reject(e);
      };
      const onListening = (): void => {
        server.off('error', onError);
        resolve('ok');
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(socket);
    });
    if (r === 'ok') {
      fs.chmodSync(socket, 0o600);
      return true;
    }
    const live = await connect(socket);
    if (live !== undefined) {
      live.destroy();
      return false;
    }
    // A socket file nobody listens on: what a server that was killed leaves behind.
    fs.rmSync(socket, { force: true });
  }
  return false;
}

function inode(file: string): number | undefined {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
}
