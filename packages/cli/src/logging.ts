import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import pino, { type Level, type Logger } from 'pino';
import type pinoPrettyType from 'pino-pretty';

// pino-pretty is needed only for --log-level on a terminal: keep it off every other run's start-up.
const require = createRequire(import.meta.url);
const pinoPretty = (opts: pinoPrettyType.PrettyOptions): pinoPrettyType.PrettyStream =>
  (require('pino-pretty') as typeof pinoPrettyType)(opts);
import { OUT_DIR, type StampedEvent } from '@gob/core';
import type { Reporter } from '@gob/ui';

/**
 * gob's log: every invocation that builds writes `gob-out/logs/<time>-<pid>.jsonl` at debug level
 * (each go command with its env and cwd, each cache decision with its key, timings), and keeps
 * the newest {@link KEEP_LOGS}. With `--log-level`, records at that level also go to stderr,
 * pretty-printed on a terminal. The log is written from the event stream, like any reporter, so
 * the engine never knows about it.
 */
export const KEEP_LOGS = 20;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogReporterOptions {
  /** Also log to this stream at this level. */
  readonly stderrLevel?: LogLevel | undefined;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The log file; default `gob-out/logs/<time>-<pid>.jsonl` in the workspace. */
  readonly file?: string | undefined;
}

export class LogReporter implements Reporter {
  readonly #opts: LogReporterOptions;
  #logger: Logger | undefined;
  #file: string | undefined;
  #pending: StampedEvent[] = [];
  /** The log file could not be written (a full disk): the build goes on without it. */
  #fileFailed = false;

  constructor(opts: LogReporterOptions) {
    this.#opts = opts;
  }

  /** The log file of this invocation, once the build has started. */
  get file(): string | undefined {
    return this.#file;
  }

  onEvent(event: StampedEvent): void {
    if (this.#logger === undefined) {
      if (this.#fileFailed) return; // and nothing else to log to
      // The workspace (where the log lives) is known from build.started on.
      if (event.type !== 'build.started') {
        this.#pending.push(event);
        return;
      }
      this.#logger = this.#open(event.workspace);
      for (const e of this.#pending.splice(0)) this.#record(e);
    }
    this.#record(event);
  }

  #open(workspace: string): Logger | undefined {
    const dir = path.join(workspace, OUT_DIR, 'logs');
    const file = this.#opts.file ?? path.join(dir, `${new Date().toISOString().replace(/:/g, '-')}-${process.pid}.jsonl`);
    this.#file = file;
    const level = this.#opts.stderrLevel;
    const toStderr: pino.StreamEntry[] = level === undefined
      ? []
      : [{
          level,
          stream: this.#opts.stderr.isTTY === true
            ? pinoPretty({ destination: this.#opts.stderr, colorize: true, sync: true, ignore: 'pid,hostname' })
            : this.#opts.stderr,
        }];
    const logger = (streams: pino.StreamEntry[]): Logger | undefined =>
      streams.length === 0 ? undefined : pino({ level: 'debug', base: { pid: process.pid } }, pino.multistream(streams));
    // A log that cannot be written (ENOSPC, EIO, a read-only gob-out) is not the build's failure:
    // say so once and go on logging to stderr alone, if asked to; go's own errors, if the disk
    // is full for it too, still reach the user.
    const fail = (e: unknown): Logger | undefined => {
      const why = e instanceof Error ? e.message : String(e);
      this.#opts.stderr.write(`gob: warning: could not write the build log ${file} (${why}); going on without it\n`);
      this.#fileFailed = true;
      return logger(toStderr);
    };
    let dest: pino.DestinationStream & NodeJS.EventEmitter;
    try {
      fs.mkdirSync(dir, { recursive: true });
      dest = pino.destination({ dest: file, sync: true });
    } catch (e) {
      return fail(e);
    }
    dest.on('error', (e: unknown) => {
      if (!this.#fileFailed) this.#logger = fail(e);
    });
    pruneLogs(dir, KEEP_LOGS);
    return logger([{ level: 'debug', stream: dest }, ...toStderr]);
  }

  #record(e: StampedEvent): void {
    const log = this.#logger;
    if (log === undefined) return;
    switch (e.type) {
      case 'plan.progress':
        if (e.step === 'downloading-modules') log.info({ modules: e.modules }, 'planning: go is downloading modules');
        else log.debug('planning');
        return;
      case 'build.started':
        log.info({ workspace: e.workspace, patterns: e.patterns, targets: e.targets.length, profile: e.profile, platforms: e.platforms, jobs: e.jobs, dryRun: e.dryRun, actions: e.actions }, 'build started');
        return;
      // One record per action that is not built: its outcome, with the key (a queued or cached
      // record would only repeat it, and on a large no-op build they would be most of the log).
      case 'action.queued':
      case 'action.cached':
        return;
      case 'action.started':
        log.info({ action: e.id, key: e.key }, 'cache miss: running go');
        log.debug({ action: e.id, command: e.command, cwd: e.cwd, env: e.env, inherited: e.inherited }, 'go command');
        return;
      case 'action.output':
        log.debug({ action: e.id, stream: e.stream, text: e.text }, 'go output');
        return;
      case 'action.finished': {
        if (e.status === 'cached') {
          log.info({ action: e.id, key: e.key, source: e.source, durationMs: e.durationMs, outputs: e.outputs }, 'cache hit');
          return;
        }
        const data = { action: e.id, key: e.key, status: e.status, durationMs: e.durationMs, outputs: e.outputs, exitCode: e.exitCode, error: e.error };
        if (e.status === 'failed') log.error(data, 'action failed');
        else log.info(data, `action ${e.status}`);
        return;
      }
      case 'build.finished':
        log.info({ ok: e.ok, counts: e.counts, durationMs: e.durationMs, interrupted: e.interrupted }, 'build finished');
        return;
      case 'diagnostic':
        log[e.diagnostic.severity === 'error' ? 'error' : 'warn']({ diagnostic: e.diagnostic }, e.diagnostic.message);
        return;
      case 'log':
        log[e.level as Level]({ ...e.data }, e.message);
        return;
    }
  }

  close(): Promise<void> {
    this.#logger?.flush();
    return Promise.resolve();
  }
}

/** Deletes all but the newest `keep` log files (names sort by time). */
export function pruneLogs(dir: string, keep: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort();
  } catch {
    return;
  }
  for (const name of names.slice(0, Math.max(0, names.length - keep))) {
    try {
      fs.unlinkSync(path.join(dir, name));
    } catch {
      // Another gob process pruned it first.
    }
  }
}
