import {
  unreachable,
  type ActionFinishedEvent,
  type ActionStatus,
  type BuildFinishedEvent,
  type BuildStartedEvent,
  type CacheSource,
  type Diagnostic,
  type StampedEvent,
} from '@gob/core';

/**
 * The TUI's view state and the pure fold that builds it from the event stream. Nothing here knows
 * about Ink, React, clocks or terminals: `reduce(state, event)` returns a new state, so the
 * components can be tested on any prefix of a recorded stream and the reporter can re-render
 * whenever it likes.
 *
 * What the screen shows splits in two, like Ink's `<Static>` wants it:
 * - `items`: an append-only log of things printed once above the live area (the header, one line
 *   per finished action, failure output, diagnostics, warnings, the final summary);
 * - everything else: the live area (running actions, progress), redrawn on every frame.
 */

/** A running action, as the live area shows it. */
export interface RunningAction {
  readonly id: string;
  readonly label: string;
  readonly platform: string;
  /** Epoch milliseconds of its `action.started` event. */
  readonly startedAt: number;
}

/** A finished action: one line while building, one row of the summary table at the end. */
export interface FinishedAction {
  readonly id: string;
  readonly label: string;
  readonly platform: string;
  readonly status: ActionStatus;
  readonly durationMs: number;
  readonly source?: CacheSource | undefined;
  readonly error?: string | undefined;
}

export interface Counts {
  readonly built: number;
  readonly cached: number;
  readonly cachedLocal: number;
  readonly cachedRemote: number;
  readonly failed: number;
  readonly skipped: number;
  readonly wouldBuild: number;
}

/** The header: what is being built, and how. */
export type BuildInfo = Pick<BuildStartedEvent, 'command' | 'workspace' | 'patterns' | 'profile' | 'platforms' | 'jobs' | 'dryRun' | 'actions'>;

export type BuildSummary = Pick<BuildFinishedEvent, 'ok' | 'dryRun' | 'interrupted' | 'counts' | 'durationMs' | 'outputs'>;

/** One entry of the `<Static>` log. `key` is its index, stable for React. */
export type StaticItem =
  | { readonly kind: 'header'; readonly key: string; readonly build: BuildInfo }
  | { readonly kind: 'action'; readonly key: string; readonly action: FinishedAction }
  | { readonly kind: 'output'; readonly key: string; readonly action: FinishedAction; readonly text: string }
  | { readonly kind: 'diagnostic'; readonly key: string; readonly diagnostic: Diagnostic }
  | { readonly kind: 'log'; readonly key: string; readonly level: 'warn' | 'error'; readonly message: string }
  | { readonly kind: 'summary'; readonly key: string; readonly summary: BuildSummary; readonly results: readonly FinishedAction[] };

/** What a plan made from scratch is doing, from `plan.progress` until `build.started`. */
export interface Planning {
  /** Epoch milliseconds of the first `plan.progress`. */
  readonly since: number;
  /** While go downloads modules the plan has to read: how many. */
  readonly downloading?: number | undefined;
}

export interface TuiState {
  /** Set by `plan.progress`, cleared by `build.started`: the live area then says "planning". */
  readonly planning: Planning | undefined;
  /** From `build.started`; undefined before it (e.g. a config error). */
  readonly build: BuildInfo | undefined;
  /** Epoch milliseconds of `build.started`. */
  readonly startedAt: number | undefined;
  /** Actions planned (from `build.started`). */
  readonly total: number;
  /** Actions finished, whatever their status. */
  readonly done: number;
  readonly counts: Counts;
  /** Oldest first. */
  readonly running: readonly RunningAction[];
  /** The widest label of the build, so finished lines line up. */
  readonly labelWidth: number;
  /** Output of actions still running; printed only if they fail. */
  readonly logs: ReadonlyMap<string, string>;
  /** Every finished action, in finishing order. */
  readonly results: readonly FinishedAction[];
  readonly items: readonly StaticItem[];
  /** Set by `build.finished`: the live area is gone and the summary printed. */
  readonly finished: BuildSummary | undefined;
}

const ZERO: Counts = { built: 0, cached: 0, cachedLocal: 0, cachedRemote: 0, failed: 0, skipped: 0, wouldBuild: 0 };

export function initialState(): TuiState {
  return {
    planning: undefined,
    build: undefined,
    startedAt: undefined,
    total: 0,
    done: 0,
    counts: ZERO,
    running: [],
    labelWidth: 0,
    logs: new Map(),
    results: [],
    items: [],
    finished: undefined,
  };
}

/** Folds one event into the view state. Pure: `state` is never modified. */
export function reduce(state: TuiState, event: StampedEvent): TuiState {
  switch (event.type) {
    case 'plan.progress':
      return {
        ...state,
        planning: {
          since: state.planning?.since ?? Date.parse(event.time),
          downloading: event.step === 'downloading-modules' ? event.modules : undefined,
        },
      };
    case 'build.started': {
      const build: BuildInfo = {
        command: event.command,
        workspace: event.workspace,
        patterns: event.patterns,
        profile: event.profile,
        platforms: event.platforms,
        jobs: event.jobs,
        dryRun: event.dryRun,
        actions: event.actions,
      };
      return append({ ...state, planning: undefined, build, startedAt: Date.parse(event.time), total: event.actions }, { kind: 'header', build });
    }
    case 'action.queued':
      return event.label.length > state.labelWidth ? { ...state, labelWidth: event.label.length } : state;
    case 'action.started':
      // An action whose batch go gave up on is started again on its own: it keeps its place.
      if (state.running.some((r) => r.id === event.id)) return state;
      return {
        ...state,
        labelWidth: Math.max(state.labelWidth, event.label.length),
        running: [...state.running, { id: event.id, label: event.label, platform: event.platform, startedAt: Date.parse(event.time) }],
      };
    case 'action.output': {
      const logs = new Map(state.logs);
      logs.set(event.id, (logs.get(event.id) ?? '') + event.text);
      return { ...state, logs };
    }
    case 'action.finished':
      return finishAction(state, event);
    case 'build.finished': {
      const summary: BuildSummary = {
        ok: event.ok,
        dryRun: event.dryRun,
        interrupted: event.interrupted,
        counts: event.counts,
        durationMs: event.durationMs,
        outputs: event.outputs,
      };
      return append({ ...state, running: [], finished: summary }, { kind: 'summary', summary, results: sortResults(state.results) });
    }
    case 'diagnostic':
      return append(state, { kind: 'diagnostic', diagnostic: event.diagnostic });
    case 'log':
      // Debug and info records belong in the log file, not on screen (the plain reporter agrees).
      return event.level === 'warn' || event.level === 'error' ? append(state, { kind: 'log', level: event.level, message: event.message }) : state;
    case 'action.cached':
      // The matching action.finished (status cached, with its source) carries all we show.
      return state;
    default:
      return unreachable(event);
  }
}

/** Folds a whole stream (or a prefix of one) from the initial state. */
export function foldEvents(events: Iterable<StampedEvent>, from: TuiState = initialState()): TuiState {
  let state = from;
  for (const e of events) state = reduce(state, e);
  return state;
}

function finishAction(state: TuiState, e: ActionFinishedEvent & { readonly time: string }): TuiState {
  const action: FinishedAction = {
    id: e.id,
    label: e.label,
    platform: e.platform,
    status: e.status,
    durationMs: e.durationMs,
    source: e.status === 'cached' ? (e.source ?? 'local') : undefined,
    error: e.error,
  };
  const log = state.logs.get(e.id);
  let logs = state.logs;
  if (log !== undefined) {
    const copy = new Map(logs);
    copy.delete(e.id);
    logs = copy;
  }
  let next: TuiState = {
    ...state,
    done: state.done + 1,
    counts: count(state.counts, action),
    labelWidth: Math.max(state.labelWidth, e.label.length),
    running: state.running.filter((r) => r.id !== e.id),
    logs,
    results: [...state.results, action],
  };
  next = append(next, { kind: 'action', action });
  // A failure's compiler output is printed in full, right under its line; a successful action's
  // output (go vet chatter, warnings) is not, as in the plain reporter.
  if (e.status === 'failed' && log !== undefined && log.trim() !== '') next = append(next, { kind: 'output', action, text: log });
  return next;
}

function count(c: Counts, a: FinishedAction): Counts {
  switch (a.status) {
    case 'built':
      return { ...c, built: c.built + 1 };
    case 'cached':
      return a.source === 'remote'
        ? { ...c, cached: c.cached + 1, cachedRemote: c.cachedRemote + 1 }
        : { ...c, cached: c.cached + 1, cachedLocal: c.cachedLocal + 1 };
    case 'failed':
      return { ...c, failed: c.failed + 1 };
    case 'skipped':
      return { ...c, skipped: c.skipped + 1 };
    case 'would-build':
      return { ...c, wouldBuild: c.wouldBuild + 1 };
    default:
      return unreachable(a.status);
  }
}

type NewItem = StaticItem extends infer T ? (T extends StaticItem ? Omit<T, 'key'> : never) : never;

function append(state: TuiState, item: NewItem): TuiState {
  return { ...state, items: [...state.items, { ...item, key: String(state.items.length) }] };
}

/** The summary table's order: by label, then platform. */
function sortResults(results: readonly FinishedAction[]): FinishedAction[] {
  return [...results].sort((a, b) => (a.label === b.label ? cmp(a.platform, b.platform) : cmp(a.label, b.label)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
