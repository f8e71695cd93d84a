import type { StampedEvent } from '@gob/core';
import type { Reporter, TextSink } from './reporter.js';

/** Writes the event stream verbatim, one JSON object per line (`--ui=json`, `--events FILE`). */
export class JsonLinesReporter implements Reporter {
  readonly #out: TextSink;
  readonly #onClose: (() => Promise<void>) | undefined;

  constructor(out: TextSink, onClose?: () => Promise<void>) {
    this.#out = out;
    this.#onClose = onClose;
  }

  onEvent(event: StampedEvent): void {
    this.#out.write(`${JSON.stringify(event)}\n`);
  }

  async close(): Promise<void> {
    await this.#onClose?.();
  }
}
