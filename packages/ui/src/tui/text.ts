import type { ActionStatus } from '@gob/core';
import { formatDuration } from '../format.js';
import type { BuildInfo, BuildSummary, FinishedAction } from './store.js';

/** String helpers for the TUI components: pure, so the components stay plain drawing code. */

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The spinner frame at `now`: one step per 100 ms, the rate the reporter redraws at. */
export function spinnerFrame(now: number): string {
  return SPINNER[Math.floor(now / 100) % SPINNER.length] ?? '';
}

/** `[██████░░░░]`, `done/total` of `width` cells (brackets excluded). */
export function progressBar(done: number, total: number, width: number): string {
  const cells = Math.max(1, width);
  const filled = total <= 0 ? 0 : Math.min(cells, Math.round((done / total) * cells));
  return `${'█'.repeat(filled)}${'░'.repeat(cells - filled)}`;
}

/** The header's one line, e.g. `gob build //... · profile default · linux/amd64 · 8 jobs · 14 actions`. */
export function headerLine(b: BuildInfo): string {
  const parts = [
    `gob ${b.command} ${b.patterns.join(' ')}`,
    `profile ${b.profile}`,
    b.platforms.join(', ') || 'no platforms',
    `${b.jobs} ${b.jobs === 1 ? 'job' : 'jobs'}`,
    `${b.actions} ${b.actions === 1 ? 'action' : 'actions'}`,
  ];
  if (b.dryRun) parts.push('dry run');
  return parts.join(' · ');
}

/**
 * A finished action's status word, padded so lines line up: to the longest word a build can
 * print, `would build` in a dry run (where cache hits are listed too), `skipped` otherwise.
 */
export function statusWord(a: FinishedAction, dryRun: boolean): string {
  const width = dryRun ? 'would build'.length : 'skipped'.length;
  switch (a.status) {
    case 'built':
      return 'built'.padEnd(width);
    case 'cached':
      return 'cached'.padEnd(width);
    case 'failed':
      return 'FAILED'.padEnd(width);
    case 'skipped':
      return 'skipped'.padEnd(width);
    case 'would-build':
      return 'would build'.padEnd(width);
  }
}

/** Ink colour names per status. */
export function statusColor(status: ActionStatus): string | undefined {
  switch (status) {
    case 'built':
      return 'green';
    case 'cached':
      return 'cyan';
    case 'failed':
      return 'red';
    case 'skipped':
      return 'yellow';
    case 'would-build':
      return undefined;
  }
}

export function statusMark(a: FinishedAction): string {
  switch (a.status) {
    case 'built':
    case 'cached':
      return '✓';
    case 'failed':
      return '✗';
    case 'skipped':
      return '-';
    case 'would-build':
      return '○';
  }
}

/** What comes after the platform on a finished line: the time, or where a cache hit came from. */
export function actionDetail(a: FinishedAction): string {
  switch (a.status) {
    case 'built':
      return formatDuration(a.durationMs);
    case 'cached':
      return `${a.source ?? 'local'} cache, ${formatDuration(a.durationMs)}`;
    case 'failed':
      return `${formatDuration(a.durationMs)}${a.error !== undefined ? `: ${a.error}` : ''}`;
    case 'skipped':
      return a.error ?? '';
    case 'would-build':
      return '';
  }
}

/**
 * The closing line, word for word what the plain reporter prints (scripts and people grep for
 * it): `3 built, 4 cached (2 local, 2 remote), 0 failed in 12.3s`.
 */
export function summaryLine(s: BuildSummary): string {
  const c = s.counts;
  const cachedDetail = c.cachedRemote > 0 ? ` (${c.cachedLocal} local, ${c.cachedRemote} remote)` : '';
  const extra = [c.skipped > 0 ? `, ${c.skipped} skipped` : '', s.dryRun ? `, ${c.wouldBuild} to build` : ''].join('');
  const head = s.interrupted ? 'interrupted: ' : '';
  return `${head}${c.built} built, ${c.cached} cached${cachedDetail}, ${c.failed} failed${extra} in ${formatDuration(s.durationMs)}`;
}

export interface TableRow {
  readonly target: string;
  readonly platform: string;
  readonly status: FinishedAction['status'];
  readonly time: string;
  readonly cache: string;
}

export const TABLE_HEAD = { target: 'TARGET', platform: 'PLATFORM', status: 'STATUS', time: 'TIME', cache: 'CACHE' } as const;

export function tableRow(a: FinishedAction): TableRow {
  return {
    target: a.label,
    platform: a.platform,
    status: a.status,
    time: a.status === 'skipped' || a.status === 'would-build' ? '-' : formatDuration(a.durationMs),
    cache: a.status === 'cached' ? (a.source ?? 'local') : '-',
  };
}

/** Above this many actions, the summary table leaves out cache hits (each was printed already). */
export const TABLE_ALL_ROWS_MAX = 100;

export interface Table {
  readonly rows: readonly TableRow[];
  /** Cache hits left out of a big table. */
  readonly omitted: { readonly local: number; readonly remote: number };
}

/**
 * The summary table's rows. A big build lists only what did not come from the cache: with
 * hundreds of actions the rows worth reading are the few that were built or failed, and drawing
 * every hit would cost a second or two at the very end.
 */
export function summaryTable(results: readonly FinishedAction[], max = TABLE_ALL_ROWS_MAX): Table {
  if (results.length <= max) return { rows: results.map(tableRow), omitted: { local: 0, remote: 0 } };
  const shown = results.filter((r) => r.status !== 'cached');
  const hits = results.filter((r) => r.status === 'cached');
  const remote = hits.filter((r) => r.source === 'remote').length;
  return { rows: shown.map(tableRow), omitted: { local: hits.length - remote, remote } };
}

/**
 * Column widths that fit every row and the heading, on a terminal `columns` wide: where whole
 * labels do not fit beside the other columns, the target column narrows (see labelColumnWidth).
 */
export function tableWidths(rows: readonly TableRow[], columns: number): Record<keyof TableRow, number> {
  const w = { target: 0, platform: 0, status: 0, time: 0, cache: 0 };
  for (const r of [TABLE_HEAD, ...rows]) {
    for (const k of Object.keys(w) as (keyof TableRow)[]) w[k] = Math.max(w[k], r[k].length);
  }
  // Two spaces between columns.
  const rest = 2 + w.platform + 2 + w.status + 2 + w.time + 2 + w.cache;
  return { ...w, target: labelColumnWidth(w.target, columns, rest) };
}

/** The narrowest a label column gets on a narrow terminal: enough for the end of most labels. */
export const MIN_LABEL_WIDTH = 24;

/**
 * The width of a column of labels whose longest is `longest`, on a terminal `columns` wide where
 * the rest of the line takes `rest`: the longest label, or what is left, but not less than
 * MIN_LABEL_WIDTH. Narrowed labels are cut at the start (truncateStart): the statuses and times
 * beside them stay on the screen.
 */
export function labelColumnWidth(longest: number, columns: number, rest: number): number {
  return Math.min(longest, Math.max(MIN_LABEL_WIDTH, columns - rest));
}

/** Cuts `text` to `width` columns with an ellipsis (labels and paths are ASCII). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return `${text.slice(0, width - 1)}…`;
}

/**
 * Cuts `text` to `width` columns, keeping its end behind an ellipsis: a label's end — the last
 * directories and the target's name — tells targets apart, its start (`//services/`) rarely does.
 */
export function truncateStart(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return `…${text.slice(text.length - (width - 1))}`;
}
