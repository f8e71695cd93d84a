import type { ChangeHints } from '@gob/core';
import { interruptSignal } from './signals.js';

/**
 * What one gob invocation talks to: its working directory, environment, output streams and the
 * signal that interrupts it. A command run in the gob process gets the process's own
 * (`processIo`); a command the gob server runs for a client gets the client's (server/serve.ts),
 * so a command never reaches for `process.*` itself.
 */
export interface Io {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /**
   * From the call until `dispose`, the first Ctrl-C aborts `signal` instead of killing gob (a
   * served command's signal also aborts when its client goes away). Commands that stop in order
   * (a build) take it; the others die on Ctrl-C like any program.
   */
  readonly interrupts: () => { signal: AbortSignal; dispose: () => void };
  /**
   * Runs work that need not delay the command's answer after it (the gob server: once the client
   * has its exit code, before the next command). Absent: the command awaits the work itself.
   */
  readonly defer?: ((work: () => Promise<void>) => void) | undefined;
  /** The gob server's file watcher, for builds (BuildOptions.changeHints). */
  readonly changeHints?: ChangeHints | undefined;
}

/** A terminal or a pipe: what reporters write to. The TUI needs `isTTY`, the size and 'resize'. */
export type OutStream = NodeJS.WriteStream;

export function processIo(): Io {
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, interrupts: interruptSignal };
}
