import type { Diagnostic } from './diagnostics.js';
import type { ActionKey, Label } from './types.js';

/**
 * The one contract between the engine and reporters. The engine calls `onEvent` with these and
 * never prints; reporters fold them into whatever they show. The JSON reporter writes them
 * verbatim as JSON lines, so every field here is documented in docs/events.md and is part of
 * gob's public interface: add fields freely, rename or remove them only with a schema bump.
 */
export const EVENT_SCHEMA_VERSION = 1;

export type ActionKind = 'go_binary' | 'go_test';
export type ActionStatus = 'built' | 'cached' | 'failed' | 'skipped' | 'would-build';
export type CacheSource = 'local' | 'remote';

interface ActionRef {
  /** Stable within one build: `<label>@<goos>/<goarch>`. */
  readonly id: string;
  readonly label: Label;
  /** `goos/goarch`. */
  readonly platform: string;
  /** The action key (DESIGN §5). */
  readonly key: ActionKey;
}

export interface BuildStartedEvent {
  readonly type: 'build.started';
  readonly command: 'build' | 'test';
  readonly workspace: string;
  readonly patterns: readonly string[];
  readonly targets: readonly Label[];
  readonly profile: string;
  readonly platforms: readonly string[];
  /** Compile and link steps run at once (`go build -p`, from `-j`). */
  readonly jobs: number;
  readonly dryRun: boolean;
  /** Number of actions planned. */
  readonly actions: number;
}

/**
 * What a plan made from scratch is doing, before `build.started`: `planning` when it begins (no
 * plan snapshot could be reused, so gob reads the workspace's packages) and again when a download
 * is over; `downloading-modules` while go fetches modules the plan has to read (`modules` of
 * them; see docs/caching.md). A build whose plan is reused emits none.
 */
export interface PlanProgressEvent {
  readonly type: 'plan.progress';
  readonly step: 'planning' | 'downloading-modules';
  /** For `downloading-modules`: how many modules go is asked for. */
  readonly modules?: number | undefined;
}

export interface ActionQueuedEvent extends ActionRef {
  readonly type: 'action.queued';
  readonly kind: ActionKind;
}

export interface ActionStartedEvent extends ActionRef {
  readonly type: 'action.started';
  /** The go command exactly as run (argv), its working directory and the environment gob set. */
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /**
   * Names of the pass-through variables (PATH, HOME, GOCACHE, …) that go inherited from gob's
   * environment, with their values left out. Together with `env` this is go's whole environment.
   */
  readonly inherited: readonly string[];
  /**
   * The go process this action is built by. Compatible actions share one `go build` (`command`
   * then names all their packages); every action of a batch has the same `batch` and `command`.
   */
  readonly batch: string;
  /** How many actions that go process builds. */
  readonly batchSize: number;
}

export interface ActionCachedEvent extends ActionRef {
  readonly type: 'action.cached';
  readonly source: CacheSource;
}

export interface ActionOutputEvent extends ActionRef {
  readonly type: 'action.output';
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface ActionFinishedEvent extends ActionRef {
  readonly type: 'action.finished';
  readonly status: ActionStatus;
  readonly durationMs: number;
  /** Set when status is `cached`. */
  readonly source?: CacheSource | undefined;
  /** Workspace-relative output paths (empty for failed, skipped and dry-run actions). */
  readonly outputs: readonly string[];
  readonly exitCode?: number | undefined;
  /** For failures: a one-line reason; the full compiler output came as `action.output`. */
  readonly error?: string | undefined;
  /**
   * For failures: the absolute directory of each workspace package whose messages are in the
   * output, by import path (go heads them `# importpath`). C compilers name files relative to it.
   */
  readonly packageDirs?: Readonly<Record<string, string>> | undefined;
}

export interface BuildFinishedEvent {
  readonly type: 'build.finished';
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly interrupted: boolean;
  readonly counts: {
    readonly built: number;
    readonly cached: number;
    readonly failed: number;
    readonly skipped: number;
    /** Cached actions, split by where the result came from. */
    readonly cachedLocal: number;
    readonly cachedRemote: number;
    /** Dry run only: actions that would run. */
    readonly wouldBuild: number;
  };
  readonly durationMs: number;
  /** Workspace-relative paths of every output produced or restored. */
  readonly outputs: readonly string[];
}

export interface DiagnosticEvent {
  readonly type: 'diagnostic';
  readonly diagnostic: Diagnostic;
}

export interface LogEvent {
  readonly type: 'log';
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

export type GobEvent =
  | PlanProgressEvent
  | BuildStartedEvent
  | ActionQueuedEvent
  | ActionStartedEvent
  | ActionCachedEvent
  | ActionOutputEvent
  | ActionFinishedEvent
  | BuildFinishedEvent
  | DiagnosticEvent
  | LogEvent;

export type GobEventType = GobEvent['type'];

/** What reaches a reporter: the event plus when it happened and the schema version. */
export type StampedEvent = GobEvent & { readonly time: string; readonly v: number };

export type EventSink = (event: GobEvent) => void;
