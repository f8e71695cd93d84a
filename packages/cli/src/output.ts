import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, type Diagnostic, EVENT_SCHEMA_VERSION, type GobEvent, type StampedEvent } from '@gob/core';
import { combineReporters, JsonLinesReporter, PlainReporter, type Reporter } from '@gob/ui';

export type UiMode = 'auto' | 'plain' | 'json';

export interface ReporterChoice {
  readonly ui: UiMode;
  readonly eventsFile?: string | undefined;
  readonly workspaceRoot?: string | undefined;
  readonly showOutputs: boolean;
}

/** Reads a workspace file for diagnostic snippets. */
export function sourceReader(root: string | undefined): (file: string) => string | undefined {
  return (file) => {
    try {
      return fs.readFileSync(root === undefined || path.isAbsolute(file) ? file : path.join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Picks the reporters for this invocation: the UI on stdout plus an optional events file. */
export function makeReporter(choice: ReporterChoice): Reporter {
  const reporters: Reporter[] = [];
  if (choice.ui === 'json') {
    reporters.push(new JsonLinesReporter({ write: (t) => process.stdout.write(t) }));
  } else {
    // The Ink TUI arrives with its own issue; every terminal gets the plain reporter until then.
    reporters.push(
      new PlainReporter({
        out: { write: (t) => process.stdout.write(t) },
        err: { write: (t) => process.stderr.write(t) },
        source: sourceReader(choice.workspaceRoot),
        showOutputs: choice.showOutputs,
      }),
    );
  }
  if (choice.eventsFile !== undefined) {
    const fd = fs.openSync(choice.eventsFile, 'w');
    reporters.push(
      new JsonLinesReporter({ write: (t) => fs.writeSync(fd, t) }, () => {
        fs.closeSync(fd);
        return Promise.resolve();
      }),
    );
  }
  return combineReporters(reporters);
}

export function stamp(event: GobEvent): StampedEvent {
  return { ...event, time: new Date().toISOString(), v: EVENT_SCHEMA_VERSION };
}

/** Prints diagnostics to stderr (or as events in json mode). */
export function reportDiagnostics(diags: readonly Diagnostic[], reporter: Reporter | undefined, root: string | undefined): void {
  if (reporter !== undefined) {
    for (const d of diags) reporter.onEvent(stamp({ type: 'diagnostic', diagnostic: d }));
    return;
  }
  const source = sourceReader(root);
  for (const d of diags) process.stderr.write(`${formatDiagnostic(d, source)}\n`);
}
