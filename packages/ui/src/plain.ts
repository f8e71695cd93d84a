import { formatDiagnostic, type ActionFinishedEvent, type StampedEvent } from '@gob/core';
import { formatDuration, plural } from './format.js';
import type { Reporter, TextSink } from './reporter.js';

export interface PlainReporterOptions {
  readonly out: TextSink;
  /** Diagnostics and failure logs go here (stderr); defaults to `out`. */
  readonly err?: TextSink | undefined;
  /** Reads a file's text for diagnostic snippets. */
  readonly source?: ((file: string) => string | undefined) | undefined;
  /** Print the produced output paths after the summary (gob build does). */
  readonly showOutputs?: boolean | undefined;
}

/**
 * The non-interactive reporter (CI, pipes, --ui=plain): one line per finished action, the full
 * compiler output of every failure, a summary line `N built, N cached, N failed`, then the
 * output paths. Nothing is redrawn, so it is safe to tee into a log file.
 */
export class PlainReporter implements Reporter {
  readonly #out: TextSink;
  readonly #err: TextSink;
  readonly #source: ((file: string) => string | undefined) | undefined;
  readonly #showOutputs: boolean;
  readonly #logs = new Map<string, string>();
  /** Modules of the download under way that a line was printed for (plan.progress). */
  #downloading = 0;

  constructor(opts: PlainReporterOptions) {
    this.#out = opts.out;
    this.#err = opts.err ?? opts.out;
    this.#source = opts.source;
    this.#showOutputs = opts.showOutputs ?? true;
  }

  onEvent(event: StampedEvent): void {
    switch (event.type) {
      case 'plan.progress':
        // One line when a download starts (or grows), none for the other steps.
        if (event.step !== 'downloading-modules') this.#downloading = 0;
        else if ((event.modules ?? 0) > this.#downloading) {
          this.#downloading = event.modules ?? 0;
          this.#out.write(`planning: go is downloading ${plural(this.#downloading, 'module')} into the module cache\n`);
        }
        return;
      case 'build.started':
        if (event.dryRun) this.#out.write(`dry run: planning ${event.actions} action(s), running nothing\n`);
        return;
      case 'action.output':
        this.#logs.set(event.id, (this.#logs.get(event.id) ?? '') + event.text);
        return;
      case 'action.finished':
        this.#finished(event);
        return;
      case 'build.finished': {
        const c = event.counts;
        const secs = formatDuration(event.durationMs);
        const cachedDetail = c.cachedRemote > 0 ? ` (${c.cachedLocal} local, ${c.cachedRemote} remote)` : '';
        const extra = [
          c.skipped > 0 ? `, ${c.skipped} skipped` : '',
          event.dryRun ? `, ${c.wouldBuild} to build` : '',
        ].join('');
        const head = event.interrupted ? 'interrupted: ' : '';
        this.#out.write(`${head}${c.built} built, ${c.cached} cached${cachedDetail}, ${c.failed} failed${extra} in ${secs}\n`);
        if (this.#showOutputs && !event.dryRun) for (const o of event.outputs) this.#out.write(`${o}\n`);
        return;
      }
      case 'diagnostic':
        this.#err.write(`${formatDiagnostic(event.diagnostic, this.#source)}\n`);
        return;
      case 'log':
        if (event.level === 'warn' || event.level === 'error') this.#err.write(`${event.level}: ${event.message}\n`);
        return;
      case 'action.queued':
      case 'action.started':
      case 'action.cached':
        return;
    }
  }

  #finished(e: ActionFinishedEvent): void {
    const what = `${e.label} (${e.platform})`;
    switch (e.status) {
      case 'built':
        this.#out.write(`built   ${what} ${formatDuration(e.durationMs)}\n`);
        break;
      case 'cached':
        this.#out.write(`cached  ${what} ${e.source ?? 'local'}\n`);
        break;
      case 'would-build':
        this.#out.write(`would build ${what}\n`);
        break;
      case 'failed': {
        this.#out.write(`FAILED  ${what} ${formatDuration(e.durationMs)}${e.error !== undefined ? `: ${e.error}` : ''}\n`);
        const log = this.#logs.get(e.id);
        if (log !== undefined && log !== '') this.#err.write(log.endsWith('\n') ? log : `${log}\n`);
        break;
      }
      case 'skipped':
        this.#out.write(`skipped ${what}${e.error !== undefined ? `: ${e.error}` : ''}\n`);
        break;
    }
    this.#logs.delete(e.id);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
