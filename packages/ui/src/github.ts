import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  formatDiagnostic,
  type ActionFinishedEvent,
  type BuildFinishedEvent,
  type BuildStartedEvent,
  type Diagnostic,
  type StampedEvent,
} from '@gob/core';
import { formatDuration } from './format.js';
import { PlainReporter } from './plain.js';
import type { Reporter, TextSink } from './reporter.js';

export interface GithubReporterOptions {
  /** Everything the plain reporter prints on stdout. */
  readonly out: TextSink;
  /**
   * Diagnostics, failure logs (each in a `::group::`) and annotations; defaults to `out`. The
   * runner reads workflow commands from both streams.
   */
  readonly err?: TextSink | undefined;
  /**
   * Absolute path of the repository root (the git toplevel, or the workspace root outside git).
   * GitHub wants annotation paths relative to it.
   */
  readonly repoRoot: string;
  /**
   * Absolute path of the gob workspace (where gob.yaml is); diagnostic locations are relative to
   * it. `build.started` carries the workspace too, and takes precedence once it has arrived.
   */
  readonly workspaceRoot: string;
  /** Where to append the Markdown summary: the value of `$GITHUB_STEP_SUMMARY`, when set. */
  readonly stepSummaryPath?: string | undefined;
  /** Reads a file's text for diagnostic snippets. */
  readonly source?: ((file: string) => string | undefined) | undefined;
  /** Print the produced output paths after the summary line (gob build does). */
  readonly showOutputs: boolean;
}

/** Lines of each failure's log shown in the step summary. */
const SUMMARY_LOG_LINES = 20;

/**
 * The reporter for GitHub Actions (`GITHUB_ACTIONS=true`): exactly what the plain reporter
 * prints, plus
 *
 * - each failed action's log folded in `::group::FAILED <label> (<platform>)` … `::endgroup::`
 *   (with workflow commands stopped inside when the log holds a line that could pass for one);
 * - an `::error file=…,line=…,col=…::` annotation for every compiler error in a failed action's
 *   log (Go, assembly, and the C compiler's for cgo), with the path made relative to the
 *   repository root (each distinct annotation once per build: one broken library fails every
 *   binary using it), or a plain `::error::` for a failure go gave no position for;
 * - an `::error`/`::warning` annotation for every gob diagnostic (config errors), placed on
 *   its file and line when it has one;
 * - a Markdown summary (counts, a table of targets, the start of each failure's log) appended
 *   to the step summary file when one is given.
 */
export class GithubReporter implements Reporter {
  readonly #err: TextSink;
  readonly #repoRoot: string;
  #realRepoRoot: string | undefined;
  /** From the options until `build.started` says where the workspace is. */
  #workspaceRoot: string;
  readonly #stepSummaryPath: string | undefined;
  readonly #source: ((file: string) => string | undefined) | undefined;
  readonly #plain: PlainReporter;

  /** Per action id: the working directory go ran in, and everything it printed. */
  readonly #cwd = new Map<string, string>();
  readonly #logs = new Map<string, string>();
  /** Annotations already printed, so one broken library gives one annotation, not one per binary. */
  readonly #annotated = new Set<string>();

  /** A group to open before the plain reporter's next write to `err` (the failure's log). */
  #pendingGroup: { title: string; stopToken: string | undefined } | undefined;
  #openGroup: { stopToken: string | undefined } | undefined;

  #started: BuildStartedEvent | undefined;
  #finished: BuildFinishedEvent | undefined;
  #countsLine: string | undefined;
  readonly #actions: ActionFinishedEvent[] = [];
  readonly #failures: { event: ActionFinishedEvent; log: string }[] = [];
  readonly #diagnostics: Diagnostic[] = [];
  #summaryWritten = false;

  constructor(opts: GithubReporterOptions) {
    this.#err = opts.err ?? opts.out;
    this.#repoRoot = path.resolve(opts.repoRoot);
    this.#workspaceRoot = path.resolve(opts.workspaceRoot);
    this.#stepSummaryPath = opts.stepSummaryPath;
    this.#source = opts.source;
    this.#plain = new PlainReporter({
      out: opts.out,
      err: {
        write: (t) => {
          this.#writeErr(t);
        },
      },
      source: opts.source,
      showOutputs: opts.showOutputs,
    });
  }

  onEvent(event: StampedEvent): void {
    switch (event.type) {
      case 'build.started':
        this.#started = event;
        this.#workspaceRoot = path.resolve(event.workspace);
        break;
      case 'action.started':
        this.#cwd.set(event.id, event.cwd);
        break;
      case 'action.output':
        this.#logs.set(event.id, (this.#logs.get(event.id) ?? '') + event.text);
        break;
      case 'action.finished':
        this.#actionFinished(event);
        return;
      case 'build.finished':
        this.#finished = event;
        this.#countsLine = countsLine(event);
        break;
      case 'diagnostic':
        this.#diagnostics.push(event.diagnostic);
        this.#plain.onEvent(event);
        this.#annotate(diagnosticAnnotation(event.diagnostic, (file) => this.#repoRelative(path.resolve(this.#workspaceRoot, file))));
        return;
      case 'plan.progress':
      case 'action.queued':
      case 'action.cached':
      case 'log':
        break;
    }
    this.#plain.onEvent(event);
  }

  #actionFinished(e: StampedEvent & ActionFinishedEvent): void {
    this.#actions.push(e);
    const log = this.#logs.get(e.id) ?? '';
    this.#logs.delete(e.id);
    if (e.status !== 'failed') {
      this.#plain.onEvent(e);
      return;
    }
    this.#failures.push({ event: e, log });
    // The plain reporter prints the FAILED line on `out`, then the log on `err`: the group opens
    // on the first write of the log, so it holds exactly the log.
    this.#pendingGroup = {
      title: `FAILED ${e.label} (${e.platform})`,
      // Output that could pass for a workflow command is printed with commands turned off.
      stopToken: mayHoldCommands(log) ? randomUUID().replaceAll('-', '') : undefined,
    };
    this.#plain.onEvent(e);
    this.#pendingGroup = undefined;
    if (this.#openGroup !== undefined) {
      if (this.#openGroup.stopToken !== undefined) this.#err.write(`::${this.#openGroup.stopToken}::\n`);
      this.#err.write('::endgroup::\n');
      this.#openGroup = undefined;
    }

    const cwd = this.#cwd.get(e.id) ?? this.#workspaceRoot;
    const errors = parseCompilerErrors(log);
    for (const ce of errors) {
      const abs = whereReported(ce, cwd, e.packageDirs);
      const file = abs === undefined ? undefined : this.#repoRelative(abs);
      this.#annotate(
        file === undefined
          ? workflowCommand('error', {}, `${ce.file}:${ce.line}${ce.column !== undefined ? `:${ce.column}` : ''}: ${ce.message}`)
          : workflowCommand('error', { file, line: ce.line, col: ce.column }, ce.message),
      );
    }
    if (errors.length === 0) {
      const head = firstLines(log, 10);
      const message = `${e.label} (${e.platform}) failed${e.error !== undefined ? `: ${e.error}` : ''}`;
      this.#annotate(workflowCommand('error', {}, head === '' ? message : `${message}\n${head}`));
    }
  }

  /**
   * `abs` relative to the repository root, or undefined when it is outside. Should one of the two
   * paths go through a symlink (git prints the toplevel with symlinks resolved), compares the
   * real paths.
   */
  #repoRelative(abs: string): string | undefined {
    const rel = repoRelative(abs, this.#repoRoot);
    if (rel !== undefined) return rel;
    this.#realRepoRoot ??= realpath(this.#repoRoot) ?? '';
    const real = realpath(abs);
    return real === undefined || this.#realRepoRoot === '' ? undefined : repoRelative(real, this.#realRepoRoot);
  }

  #writeErr(text: string): void {
    const g = this.#pendingGroup;
    if (g !== undefined && this.#openGroup === undefined) {
      this.#err.write(`::group::${escapeData(g.title)}\n`);
      if (g.stopToken !== undefined) this.#err.write(`::stop-commands::${g.stopToken}\n`);
      this.#openGroup = { stopToken: g.stopToken };
    }
    this.#err.write(text);
  }

  #annotate(line: string): void {
    if (this.#annotated.has(line)) return;
    this.#annotated.add(line);
    this.#err.write(`${line}\n`);
  }

  async close(): Promise<void> {
    this.#writeSummary();
    await this.#plain.close();
  }

  #writeSummary(): void {
    if (this.#stepSummaryPath === undefined || this.#summaryWritten) return;
    if (this.#started === undefined && this.#actions.length === 0 && this.#diagnostics.length === 0) return;
    this.#summaryWritten = true;
    const markdown = stepSummary({
      started: this.#started,
      finished: this.#finished,
      countsLine: this.#countsLine,
      actions: this.#actions,
      failures: this.#failures,
      diagnostics: this.#diagnostics,
      source: this.#source,
    });
    try {
      fs.appendFileSync(this.#stepSummaryPath, markdown);
    } catch (e) {
      // The build's result matters more than its summary: say so and go on.
      this.#err.write(`warning: could not write the step summary to ${this.#stepSummaryPath}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Workflow commands

/** Escapes a workflow command's message (GitHub's rules, as in @actions/core). */
export function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escapes a workflow command's property value: as a message, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * One workflow command line (without the newline), e.g.
 * `::error file=libs/money/money.go,line=12,col=3::undefined: x`. Undefined properties are left out.
 */
export function workflowCommand(
  command: string,
  properties: Readonly<Record<string, string | number | undefined>>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${command}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}

/** True when a line of `text` could be read by the runner as a workflow command. */
function mayHoldCommands(text: string): boolean {
  return /^\s*(::|##\[)/m.test(text);
}

// ---------------------------------------------------------------------------------------------
// Compiler output

export interface CompilerError {
  /**
   * As printed: relative to the directory go ran in (go's compiler and assembler), relative to
   * the package's directory (a C compiler, which runs there), or absolute.
   */
  readonly file: string;
  readonly line: number;
  readonly column?: number | undefined;
  /** The message, with any indented continuation lines (`have …`/`want …`) after a newline. */
  readonly message: string;
  /** The import path of the package whose output holds it (go's `# importpath` line before it). */
  readonly package?: string | undefined;
}

/** Files that go's own tools compile: go names them relative to the directory it ran in. */
const GO_TOOL_FILE = /\.(?:go|s)$/;

/**
 * `file:LINE:COL: message` or `file:LINE: message`, the file relative or absolute: a Go or
 * assembly file, or a C, C++, Objective-C or Fortran one (cgo).
 */
const POSITIONED = /^(?<file>(?:[A-Za-z]:[\\/])?[^\s:][^:]*?\.(?:go|s|S|sx|c|h|cc|cpp|cxx|hh|hpp|hxx|m|f|F|for|f90)):(?<line>\d+)(?::(?<col>\d+))?: (?<message>[^\n]*)$/;

/** A source line a C compiler quotes under its message: `    3 | int x = y;`, `      |   ^~`. */
const QUOTED_SOURCE = /^\s*\d*\s*\|/;

/**
 * Finds the positioned errors in go's output. A C compiler's notes and warnings, `# pkg` headers
 * and other lines are skipped; the `error: ` a C compiler puts before a message is left out.
 */
export function parseCompilerErrors(output: string): CompilerError[] {
  const found: { file: string; line: number; column: number | undefined; message: string; package: string | undefined }[] = [];
  let last: (typeof found)[number] | undefined;
  let pkg: string | undefined;
  for (const raw of output.split('\n')) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.startsWith('# ')) {
      // `# example.com/x`, or `# example.com/x [example.com/x.test]`.
      pkg = text.slice(2).split(' ')[0];
      last = undefined;
      continue;
    }
    const m = POSITIONED.exec(text);
    if (m?.groups !== undefined) {
      const { file = '', line = '0', col, message = '' } = m.groups;
      if (/^(?:note|warning): /.test(message)) {
        last = undefined;
        continue;
      }
      last = { file, line: Number(line), column: col === undefined ? undefined : Number(col), message: message.replace(/^error: /, ''), package: pkg };
      found.push(last);
    } else if (QUOTED_SOURCE.test(text)) {
      continue;
    } else if (last !== undefined && /^\s+\S/.test(text)) {
      last.message += `\n${text.trim()}`;
    } else {
      last = undefined;
    }
  }
  return found;
}

/**
 * The absolute path of the file a compiler error names, or undefined when it cannot be told. A C
 * compiler's files (not Go's or assembly) are looked for in the package's directory first, from
 * the failed action's `packageDirs`, since go runs the C compiler there (`f.c`, `./inc.h`), and
 * then in go's directory; when neither has the file, undefined.
 */
function whereReported(e: CompilerError, cwd: string, packageDirs: Readonly<Record<string, string>> | undefined): string | undefined {
  if (path.isAbsolute(e.file)) return e.file;
  if (GO_TOOL_FILE.test(e.file)) return path.resolve(cwd, e.file);
  const dir = e.package === undefined ? undefined : packageDirs?.[e.package];
  for (const candidate of [dir, cwd]) {
    if (candidate === undefined) continue;
    const abs = path.resolve(candidate, e.file);
    if (fs.existsSync(abs)) return abs;
  }
  return undefined;
}

/** `abs` relative to `root` with `/` separators, or undefined when it lies outside `root`. */
function repoRelative(abs: string, root: string): string | undefined {
  const rel = path.relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

function realpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

function diagnosticAnnotation(d: Diagnostic, relative: (workspaceFile: string) => string | undefined): string {
  const command = d.severity === 'warning' ? 'warning' : 'error';
  const message = d.hint !== undefined ? `${d.message}\nhint: ${d.hint}` : d.message;
  const loc = d.location;
  if (loc === undefined) return workflowCommand(command, {}, message);
  const line = loc.range?.start.line;
  const col = loc.range?.start.column;
  const file = relative(loc.file);
  if (file === undefined) {
    // GitHub can only place annotations on files in the repository: name the place in the text.
    return workflowCommand(command, {}, `${loc.file}${line !== undefined ? `:${line}:${col}` : ''}: ${message}`);
  }
  return workflowCommand(command, { file, line, col }, message);
}

// ---------------------------------------------------------------------------------------------
// Step summary

interface SummaryInput {
  readonly started: BuildStartedEvent | undefined;
  readonly finished: BuildFinishedEvent | undefined;
  readonly countsLine: string | undefined;
  readonly actions: readonly ActionFinishedEvent[];
  readonly failures: readonly { readonly event: ActionFinishedEvent; readonly log: string }[];
  readonly diagnostics: readonly Diagnostic[];
  readonly source: ((file: string) => string | undefined) | undefined;
}

/** The counts line exactly as the plain reporter prints it (`N built, N cached, N failed in …`). */
function countsLine(event: StampedEvent & BuildFinishedEvent): string {
  let text = '';
  new PlainReporter({ out: { write: (t) => (text += t) }, showOutputs: false }).onEvent(event);
  return text.trimEnd();
}

function stepSummary(s: SummaryInput): string {
  // Config errors stop gob before build.started, so the command is not known then.
  const command = s.started === undefined ? 'gob' : `gob ${s.started.command}`;
  const errors = s.diagnostics.some((d) => d.severity === 'error');
  let outcome: string;
  if (s.finished === undefined) {
    if (s.started === undefined && s.actions.length === 0) outcome = errors ? 'invalid configuration' : 'warnings';
    else outcome = 'did not finish';
  } else if (s.finished.interrupted) outcome = 'interrupted';
  else if (!s.finished.ok) outcome = 'failed';
  else outcome = s.finished.dryRun ? 'dry run' : 'succeeded';
  const md: string[] = [`## ${command}: ${outcome}`, ''];
  if (s.started !== undefined) {
    md.push(
      `Patterns: ${s.started.patterns.map((p) => `\`${p}\``).join(' ')} · profile: ${s.started.profile} · platforms: ${s.started.platforms.join(', ')}`,
      '',
    );
  }
  if (s.countsLine !== undefined) md.push(`**${s.countsLine}**`, '');

  if (s.actions.length > 0) {
    md.push('| Target | Platform | Status | Time | Cache |', '| --- | --- | --- | ---: | --- |');
    const rows = [...s.actions].sort((a, b) => compare(a.label, b.label) || compare(a.platform, b.platform));
    for (const a of rows) {
      const ran = a.status === 'built' || a.status === 'cached' || a.status === 'failed';
      const cache = a.status === 'cached' ? (a.source ?? 'local') : a.status === 'built' || a.status === 'failed' ? 'miss' : '-';
      md.push(`| \`${cell(a.label)}\` | ${cell(a.platform)} | ${statusText(a.status)} | ${ran ? formatDuration(a.durationMs) : '-'} | ${cache} |`);
    }
    md.push('');
  }

  if (s.failures.length > 0) {
    md.push('### Failures', '');
    for (const { event: e, log } of s.failures) {
      md.push(`#### \`${e.label}\` (${e.platform})`, '');
      if (e.error !== undefined) md.push(e.error, '');
      const lines = log.replace(/\r?\n$/, '').split(/\r?\n/);
      if (log !== '') {
        const shown = lines.slice(0, SUMMARY_LOG_LINES);
        md.push(...fenced(shown.join('\n')));
        if (lines.length > shown.length) md.push(`… ${lines.length - shown.length} more line(s) in the job log.`);
        md.push('');
      }
    }
  }

  if (s.diagnostics.length > 0) {
    md.push('### Problems', '');
    md.push(...fenced(s.diagnostics.map((d) => formatDiagnostic(d, s.source)).join('\n')), '');
  }
  return `${md.join('\n').trimEnd()}\n`;
}

function statusText(status: ActionFinishedEvent['status']): string {
  return status === 'would-build' ? 'would build' : status;
}

/** A fenced code block whose fence no run of backticks in `text` can close. */
function fenced(text: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, text, fence];
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function firstLines(text: string, n: number): string {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, n).join('\n');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
