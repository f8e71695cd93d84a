import { spawn } from 'node:child_process';

/**
 * Runs one child process in its own process group, streaming its output, so that cancelling a
 * build stops the child *and everything it started* (go runs compile/link/cgo subprocesses).
 *
 * It never throws for the child's own failure: a non-zero exit is a value. It rejects only when
 * the executable cannot be started at all.
 */
export interface SpawnRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The complete environment of the child: nothing from gob's own environment leaks in. */
  readonly env: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
  readonly onOutput?: ((stream: 'stdout' | 'stderr', text: string) => void) | undefined;
  /** How long to wait after SIGINT before SIGKILL on cancellation. */
  readonly killGraceMs?: number | undefined;
}

export interface SpawnResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the child was stopped because `signal` aborted. */
  readonly aborted: boolean;
}

export type SpawnFn = (req: SpawnRequest) => Promise<SpawnResult>;

export const spawnProcess: SpawnFn = (req) =>
  new Promise<SpawnResult>((resolve, reject) => {
    if (req.signal?.aborted === true) {
      resolve({ exitCode: null, signal: null, stdout: '', stderr: '', aborted: true });
      return;
    }
    const child = spawn(req.command, [...req.args], {
      cwd: req.cwd,
      env: { ...req.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: on cancel we signal -pid and reach go's compile/link children too.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      req.onOutput?.('stdout', chunk);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      req.onOutput?.('stderr', chunk);
    });
    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const onAbort = (): void => {
      aborted = true;
      killGroup('SIGINT');
      killTimer = setTimeout(() => {
        killGroup('SIGKILL');
      }, req.killGraceMs ?? 2000);
      killTimer.unref();
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      req.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.on('close', (exitCode, signal) => {
      req.signal?.removeEventListener('abort', onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      // Make sure nothing the child started outlives it once we were told to stop.
      if (aborted) killGroup('SIGKILL');
      resolve({ exitCode, signal, stdout, stderr, aborted });
    });
  });
