import type { StampedEvent } from '@gob/core';
import { render, type Instance } from 'ink';
import type { Reporter } from '../reporter.js';
import { App } from './app.js';
import { initialState, reduce, type TuiState } from './store.js';

export interface TuiReporterOptions {
  /** The terminal. */
  readonly stdout: NodeJS.WriteStream;
  readonly stderr?: NodeJS.WriteStream | undefined;
  /**
   * The workspace gob runs in. Not needed for drawing (the header names the workspace from
   * `build.started`); accepted so the CLI hands every reporter the same facts.
   */
  readonly workspaceRoot?: string | undefined;
  /** Reads a file's text for diagnostic snippets. */
  readonly source?: ((file: string) => string | undefined) | undefined;
  /** Print the produced output paths after the summary (gob build does). */
  readonly showOutputs: boolean;
  /** The clock; injected by tests. */
  readonly now?: (() => number) | undefined;
  /** How often the live area is redrawn at most (ms); 100 = 10 frames a second. */
  readonly frameMs?: number | undefined;
}

/**
 * The interactive reporter: folds each event into the view state (see store.ts) and lets Ink draw
 * it. Drawing is decoupled from events: a timer redraws at most every `frameMs` while something
 * changed or something runs (the clocks tick), so a burst of hundreds of cache hits costs one
 * frame, not hundreds.
 *
 * Ink is mounted on the first event, not before, so a command that stops before reporting
 * anything never touches the terminal. `close()` draws the last frame,
 * unmounts Ink and waits for it to finish writing; that shows the cursor again and leaves only
 * the log and the summary on screen — after success, failure or an interrupted build alike.
 */
export function createTuiReporter(opts: TuiReporterOptions): Reporter {
  return new TuiReporter(opts);
}

class TuiReporter implements Reporter {
  readonly #opts: TuiReporterOptions;
  readonly #now: () => number;
  #state: TuiState = initialState();
  #ink: Instance | undefined;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #closed = false;

  constructor(opts: TuiReporterOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  onEvent(event: StampedEvent): void {
    if (this.#closed) return;
    this.#state = reduce(this.#state, event);
    this.#dirty = true;
    if (this.#ink === undefined) this.#mount();
  }

  #mount(): void {
    this.#ink = render(this.#tree(), {
      stdout: this.#opts.stdout,
      stderr: this.#opts.stderr ?? process.stderr,
      // gob reads no keys: Ctrl-C must stay a signal (the CLI turns it into an orderly abort),
      // so Ink must not put the terminal into raw mode or exit on its own.
      exitOnCtrlC: false,
      // gob writes through reporters, never console; leave the global console alone.
      patchConsole: false,
    });
    this.#dirty = false;
    this.#timer = setInterval(() => {
      this.#frame();
    }, this.#opts.frameMs ?? 100);
    // A reporter that is never closed must not keep the process alive.
    this.#timer.unref();
  }

  #frame(): void {
    // Clocks tick while actions run, and while a plan is being made (the planning line).
    const ticking = this.#state.running.length > 0 || (this.#state.planning !== undefined && this.#state.build === undefined);
    if (this.#ink === undefined || (!this.#dirty && !ticking)) return;
    this.#dirty = false;
    this.#ink.rerender(this.#tree());
  }

  #tree(live = true) {
    return <App state={this.#state} now={this.#now()} source={this.#opts.source} showOutputs={this.#opts.showOutputs} live={live} />;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    const ink = this.#ink;
    if (ink === undefined) return;
    // The last frame has no live area: whatever is left (the summary) goes into the log, and the
    // spinners of a build that never finished are erased.
    ink.rerender(this.#tree(false));
    // A finished build's last frame is empty, yet Ink keeps an empty line for it; clearing drops
    // it so the prompt comes back right under the output paths. (Only then: Ink's clear() assumes
    // nothing different is drawn afterwards, and an unfinished build's erase may still be pending.)
    if (this.#state.finished !== undefined) ink.clear();
    const exited = ink.waitUntilExit();
    ink.unmount();
    await exited;
  }
}
