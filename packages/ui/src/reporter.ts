import type { StampedEvent } from '@gob/core';

/**
 * What every reporter implements: it is handed each engine event in order, and closed once at
 * the end (to flush, or to restore the terminal). Reporters only draw; they never decide.
 */
export interface Reporter {
  onEvent(event: StampedEvent): void;
  close(): Promise<void>;
}

/** Where a reporter writes. Injected so tests can capture output. */
export interface TextSink {
  write(text: string): void;
}

/** Fans one event stream out to several reporters (e.g. plain on screen plus --events FILE). */
export function combineReporters(reporters: readonly Reporter[]): Reporter {
  return {
    onEvent(event) {
      for (const r of reporters) r.onEvent(event);
    },
    async close() {
      for (const r of reporters) await r.close();
    },
  };
}
