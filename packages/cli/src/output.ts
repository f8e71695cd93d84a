import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, type Diagnostic, EVENT_SCHEMA_VERSION, type GobEvent, type StampedEvent } from '@gob/core';
import { combineReporters, GithubReporter, JsonLinesReporter, PlainReporter, type Reporter } from '@gob/ui';
import { inCi } from './ci.js';
import type { Io } from './io.js';

/**
 * `--ui`: `auto` is `github` under GitHub Actions, `tui` on an interactive terminal and `plain`
 * everywhere else.
 */
export const UI_MODES = ['auto', 'tui', 'plain', 'github', 'json'] as const;
export type UiMode = (typeof UI_MODES)[number];

export interface ReporterChoice {
  readonly ui: UiMode;
  readonly eventsFile?: string | undefined;
  readonly workspaceRoot?: string | undefined;
  readonly showOutputs: boolean;
  /**
   * Something else writes to the terminal while gob builds (`-x`, `--log-level`). `auto` then
   * picks plain text: the TUI redraws its live area in place, and lines written under it would
   * tear it (DESIGN §8: logs never mix with the TUI).
   */
  readonly sharedTerminal?: boolean | undefined;
}

/** What the reporter choice looks at; injected by tests. */
export interface Terminal {
  readonly isTTY: boolean;
  /** Columns the terminal reports; 0 or undefined when it reports no size. */
  readonly columns?: number | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Resolves `--ui auto`: the TUI when stdout is a terminal that can show it — a TTY that reports
 * its size, `TERM` is not `dumb`, and not in CI (CI logs are read after the fact, where redrawn
 * lines are noise) — and nothing else writes to it (see ReporterChoice.sharedTerminal).
 * Anything else gets plain text.
 *
 * "In CI" is `CI` (or `CONTINUOUS_INTEGRATION`) set to anything but `0` or `false` — exactly the
 * test Ink applies to itself (is-in-ci), so auto never picks a TUI that Ink would refuse to animate.
 */
export function chooseUi(mode: UiMode, term: Terminal, sharedTerminal = false): Exclude<UiMode, 'auto'> {
  if (mode !== 'auto') return mode;
  if (term.env['GITHUB_ACTIONS'] === 'true') return 'github';
  if (sharedTerminal) return 'plain';
  if (!term.isTTY) return 'plain';
  if (inCi(term.env)) return 'plain';
  if (term.env['TERM'] === 'dumb') return 'plain';
  if (term.columns === undefined || term.columns <= 0) return 'plain';
  return 'tui';
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

/**
 * Picks the reporters for this invocation: the UI on stdout plus an optional events file.
 *
 * Synchronous although the TUI is loaded with a dynamic `import()` (Ink and React are loaded only
 * when the TUI is used): until it has loaded, events are held and then replayed in order.
 */
export function makeReporter(choice: ReporterChoice, io: Io, term: Terminal = terminalOf(io)): Reporter {
  const reporters: Reporter[] = [];
  const { stdout, stderr } = io;
  const plain = (): Reporter =>
    new PlainReporter({
      out: { write: (t) => stdout.write(t) },
      err: { write: (t) => stderr.write(t) },
      source: sourceReader(choice.workspaceRoot),
      showOutputs: choice.showOutputs,
    });
  const ui = chooseUi(choice.ui, term, choice.sharedTerminal);
  switch (ui) {
    case 'json':
      reporters.push(new JsonLinesReporter({ write: (t) => stdout.write(t) }));
      break;
    case 'plain':
      reporters.push(plain());
      break;
    case 'github': {
      const workspaceRoot = choice.workspaceRoot ?? io.cwd;
      const summary = term.env['GITHUB_STEP_SUMMARY'];
      reporters.push(
        new GithubReporter({
          out: { write: (t) => stdout.write(t) },
          err: { write: (t) => stderr.write(t) },
          repoRoot: repositoryRoot(workspaceRoot, workspaceRoot),
          workspaceRoot,
          stepSummaryPath: summary === undefined || summary === '' ? undefined : summary,
          source: sourceReader(choice.workspaceRoot),
          showOutputs: choice.showOutputs,
        }),
      );
      break;
    }
    case 'tui':
      reporters.push(
        deferredReporter(async () => {
          const { createTuiReporter } = await import('@gob/ui/tui');
          return createTuiReporter({
            stdout,
            stderr,
            workspaceRoot: choice.workspaceRoot,
            source: sourceReader(choice.workspaceRoot),
            showOutputs: choice.showOutputs,
          });
        }, plain, stderr),
      );
      break;
  }
  if (choice.eventsFile !== undefined) {
    const fd = fs.openSync(path.resolve(io.cwd, choice.eventsFile), 'w');
    reporters.push(
      new JsonLinesReporter({ write: (t) => fs.writeSync(fd, t) }, () => {
        fs.closeSync(fd);
        return Promise.resolve();
      }),
    );
  }
  return combineReporters(reporters);
}

/** Where annotation paths start: git's toplevel, else `fallback` (the workspace root). */
export function repositoryRoot(dir: string, fallback: string): string {
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return top === '' ? fallback : top;
  } catch {
    return fallback;
  }
}

function terminalOf(io: Io): Terminal {
  return { isTTY: io.stdout.isTTY, columns: io.stdout.columns, env: io.env };
}

/**
 * A reporter standing in for one that is still loading: it queues events until `load` resolves,
 * then replays them in order and passes the rest straight through. Should loading fail (a broken
 * install), the build is still reported, by `fallback`.
 */
export function deferredReporter(load: () => Promise<Reporter>, fallback: () => Reporter, stderr: { write(t: string): unknown }): Reporter {
  let target: Reporter | undefined;
  const queue: StampedEvent[] = [];
  const ready = load()
    .catch((e: unknown) => {
      stderr.write(`gob: cannot load the terminal UI (${e instanceof Error ? e.message : String(e)}); printing plain output\n`);
      return fallback();
    })
    .then((r) => {
      target = r;
      for (const e of queue.splice(0)) r.onEvent(e);
      return r;
    });
  return {
    onEvent(e) {
      if (target === undefined) queue.push(e);
      else target.onEvent(e);
    },
    async close() {
      await (await ready).close();
    },
  };
}

export function stamp(event: GobEvent): StampedEvent {
  return { ...event, time: new Date().toISOString(), v: EVENT_SCHEMA_VERSION };
}

/** Prints diagnostics to stderr (or as events in json mode). */
export function reportDiagnostics(diags: readonly Diagnostic[], reporter: Reporter | undefined, root: string | undefined, stderr: { write(t: string): unknown }): void {
  if (reporter !== undefined) {
    for (const d of diags) reporter.onEvent(stamp({ type: 'diagnostic', diagnostic: d }));
    return;
  }
  const source = sourceReader(root);
  for (const d of diags) stderr.write(`${formatDiagnostic(d, source)}\n`);
}
