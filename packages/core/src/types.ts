/**
 * The engine's model: identifiers, targets and workspace configuration. Imports nothing from
 * the rest of gob, so reporters can depend on it without depending on the engine.
 */

/** A canonical target label, always absolute: `//services/payment:payment`, `//:tool`. */
export type Label = string & { readonly __brand: 'Label' };
/** Lower-case hex SHA-256 of some content. */
export type Sha256 = string & { readonly __brand: 'Sha256' };
/** Lower-case hex SHA-256 of an action's canonical key description. */
export type ActionKey = string & { readonly __brand: 'ActionKey' };

/** A path relative to the workspace root, with `/` separators; `''` is the root itself. */
export type WorkspacePath = string;

export interface Position {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  /** 0-based offset into the file text. */
  readonly offset: number;
}

export interface SourceRange {
  readonly start: Position;
  /** Exclusive. */
  readonly end: Position;
}

export interface Location {
  /** Workspace-relative path of the file (or absolute if outside the workspace). */
  readonly file: string;
  readonly range?: SourceRange | undefined;
}

export interface Platform {
  readonly goos: string;
  readonly goarch: string;
}

export function platformString(p: Platform): string {
  return `${p.goos}/${p.goarch}`;
}

export type TargetKind = 'go_binary' | 'go_test';
export const TARGET_KINDS: readonly TargetKind[] = ['go_binary', 'go_test'];

interface TargetBase {
  readonly label: Label;
  /** The name within its BUILD.yaml. */
  readonly name: string;
  /** Workspace-relative directory holding the BUILD.yaml (`''` for the root). */
  readonly dir: WorkspacePath;
  /** Workspace-relative path of the BUILD.yaml. */
  readonly buildFile: WorkspacePath;
  /** Where the target is declared (its key in the BUILD.yaml). */
  readonly location: Location;
  readonly deps: readonly Label[];
  readonly env: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly gcflags: readonly string[];
  readonly ldflags: readonly string[];
  /** Undefined means "the host platform". */
  readonly platforms: readonly Platform[] | undefined;
}

export interface GoBinaryTarget extends TargetBase {
  readonly kind: 'go_binary';
  /** Workspace-relative directory of the main package. */
  readonly goPackage: WorkspacePath;
  /** Output file name (no directory). */
  readonly out: string;
  /** `-X` definitions; values may contain `{VAR}` placeholders filled when stamping. */
  readonly xDefs: Readonly<Record<string, string>>;
  /**
   * Where `package:` is written (the target's key when it is defaulted), so a later stage can
   * point at it, e.g. when the directory holds no main package.
   */
  readonly packageLocation?: Location | undefined;
}

export interface GoTestTarget extends TargetBase {
  readonly kind: 'go_test';
  /** Package patterns relative to the BUILD.yaml directory, as written (`./...`, `./store`). */
  readonly packages: readonly string[];
  readonly race: boolean;
  readonly timeout: string | undefined;
  /** Where `packages:` is written (the target's key when it is defaulted). */
  readonly packagesLocation?: Location | undefined;
}

export type Target = GoBinaryTarget | GoTestTarget;

export interface Profile {
  readonly gcflags?: readonly string[] | undefined;
  readonly ldflags?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly trimpath?: boolean | undefined;
}

export interface RemoteCacheConfig {
  readonly url: string;
  readonly readOnly: boolean;
}

/** gob.yaml, with defaults applied. */
export interface WorkspaceConfig {
  readonly version: 1;
  readonly go: {
    /** `local`, or a pinned version such as `go1.26.8`. */
    readonly toolchain: string;
    readonly env: Readonly<Record<string, string>>;
    readonly trimpath: boolean;
    readonly buildvcs: boolean;
  };
  readonly profiles: Readonly<Record<string, Profile>>;
  readonly stamp: { readonly command?: string | undefined } | undefined;
  readonly cache: {
    readonly dir?: string | undefined;
    readonly maxSizeBytes?: number | undefined;
    readonly remote?: RemoteCacheConfig | undefined;
  };
  /** Name of the files that hold targets (`build_file`; `BUILD.yaml` by default). */
  readonly buildFile: string;
  readonly ignore: readonly string[];
}

export interface Workspace {
  /** Absolute path of the directory holding gob.yaml. */
  readonly root: string;
  /** Workspace-relative path of gob.yaml, or undefined when the workspace has none. */
  readonly configFile: WorkspacePath | undefined;
  readonly config: WorkspaceConfig;
  /** Every target, by label, in a stable order (by label). */
  readonly targets: ReadonlyMap<Label, Target>;
  /** Every BUILD.yaml found, workspace-relative, sorted. */
  readonly buildFiles: readonly WorkspacePath[];
}
