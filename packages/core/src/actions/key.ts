import { canonicalJson, sha256Canonical } from '../hashing/canonical-json.js';
import { hashBytes } from '../hashing/hash-bytes.js';
import type { ActionKey, Label, Sha256, WorkspacePath } from '../types.js';

/**
 * Everything that can change an action's outputs, as one typed object (DESIGN §5). The action key
 * is the SHA-256 of its canonical JSON. The manifest itself is stored in the cache next to the
 * result, and the package manifests it names as blobs of their own, so gob can later say in
 * words what changed between two builds, down to the file.
 *
 * Deliberately absent: the checkout path and GOMODCACHE (unless trimpath is off), the user's
 * environment outside the documented set, timestamps, and files no package in the closure reads.
 */
export const KEY_SCHEMA_VERSION = 2;

export interface KeyManifest {
  readonly schema: number;
  readonly kind: 'go_binary';
  readonly label: Label;
  /** Output file name. */
  readonly out: string;
  /** Workspace-relative directory of the main package. */
  readonly package: WorkspacePath;
  readonly toolchain: {
    readonly goversion: string;
    /** `go tool compile -V=full`, only for development toolchains. */
    readonly compiler?: string | undefined;
    /** Only with trimpath off: paths are then embedded in the binary. */
    readonly goroot?: string | undefined;
    /** First line of `$CC --version` when cgo is enabled. */
    readonly cc?: string | undefined;
    /**
     * First line of `$CXX --version` when cgo is enabled and the binary may compile C++: a
     * workspace package of it has C++ files, or it imports an external module (gob does not read
     * their packages, which may have C++ files).
     */
    readonly cxx?: string | undefined;
    /** First line of `$FC --version` when cgo is enabled and a package of the binary has Fortran files (FC itself is in `goenv`). */
    readonly fc?: string | undefined;
  };
  /** Effective values of the output-affecting go env (GOOS, GOARCH, GOAMD64, GOFLAGS, …). */
  readonly goenv: Readonly<Record<string, string>>;
  /** Variables gob passes to go that come from gob.yaml, the profile and the target. */
  readonly env: Readonly<Record<string, string>>;
  /** The go argument list, without the output path. */
  readonly args: readonly string[];
  /**
   * Every workspace package in the closure, by directory, with the digest of its package
   * manifest (`packageManifestText`): the files the toolchain reads to compile it for this
   * configuration, with their digests. A Merkle tree: a change in any input file changes its
   * package's digest and so this action's key, while the per-package lists are hashed once per
   * plan however many actions share them, and stored as blobs of their own for explaining.
   */
  readonly packages: Readonly<Record<WorkspacePath, Sha256>>;
  /** Module state files (go.work, go.mod, go.sum, vendor/modules.txt), with their digests. */
  readonly moduleFiles: Readonly<Record<WorkspacePath, Sha256>>;
  /**
   * The profile go compiles the whole binary with (profile-guided optimisation), with its digest:
   * `default.pgo` in the main package's directory, which go uses unless GOFLAGS sets `-pgo`, or
   * the file GOFLAGS' `-pgo=FILE` names. Absent when there is none (so the keys of binaries
   * built without one are what they were before gob knew about profiles).
   */
  readonly pgo?: Readonly<Record<WorkspacePath, Sha256>> | undefined;
  /**
   * With `-overlay=FILE` in GOFLAGS only: what the overlay makes go read (`overlayInputs`), each
   * replaced path → the digest of its replacement. Every action of the plan has all of it: a
   * changed replacement builds every binary again.
   */
  readonly overlay?: Readonly<Record<string, string>> | undefined;
  /**
   * With `go.buildvcs: true` only: the version-control state go stamps into the binary (the
   * commit, its time and whether the checkout has changes; see golang/vcs.ts).
   */
  readonly vcs?: string | undefined;
  /**
   * External modules whose packages the closure's workspace packages import directly (path →
   * version), for explaining go.mod and go.sum changes. Modules only those packages depend on
   * are covered by `moduleFiles`, which pin every version.
   */
  readonly modules: Readonly<Record<string, string>>;
  /** Keys of explicit `deps`. */
  readonly deps: Readonly<Record<string, ActionKey>>;
  /** Only with trimpath off. */
  readonly workspaceRoot?: string | undefined;
  /**
   * Only with trimpath off, when the closure uses packages from the module cache: go then embeds
   * their source paths (`$GOMODCACHE/module@version/file.go`) in the binary, as it does the
   * checkout's and GOROOT's.
   */
  readonly moduleCache?: string | undefined;
}

export function actionKey(manifest: KeyManifest): ActionKey {
  return sha256Canonical(manifest) as string as ActionKey;
}

/**
 * The package manifest of one package in one configuration: canonical JSON of
 * `{"files": {path: digest}}` (workspace paths). Its SHA-256 is the package's digest in a key
 * manifest, and the name it is stored under in the CAS.
 */
export function packageManifestText(files: Readonly<Record<WorkspacePath, Sha256>>): string {
  return canonicalJson({ files });
}

/** A package manifest's text with its digest, and the files it was made of. */
export interface PackageManifest {
  readonly digest: Sha256;
  readonly text: string;
  /** Path → digest of every file it lists (what `text` is the canonical JSON of). */
  readonly files: Readonly<Record<WorkspacePath, Sha256>>;
}

export function packageManifest(files: Readonly<Record<WorkspacePath, Sha256>>): PackageManifest {
  const text = packageManifestText(files);
  return { digest: hashBytes(text), text, files };
}

/** Drops absent optional fields, so a manifest is plain JSON data (canonical JSON has no undefined). */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
