import type { ActionKey, Sha256 } from '../types.js';

/** One output file of an action, as stored in its result. */
export interface ActionOutput {
  /** Relative name inside the action's outputs (`payment`, `bin/tool`); never absolute, no `..`. */
  readonly path: string;
  readonly digest: Sha256;
  readonly size: number;
  readonly executable: boolean;
}

/** What the action cache remembers about one action key (DESIGN §6). */
export interface ActionResult {
  readonly outputs: readonly ActionOutput[];
  readonly exitCode: number;
  readonly stdoutDigest?: Sha256 | undefined;
  readonly stderrDigest?: Sha256 | undefined;
  /** The key manifest (DESIGN §5) as a CAS blob, for `gob explain`. */
  readonly manifestDigest?: Sha256 | undefined;
  readonly durationMs: number;
  /** ISO 8601. */
  readonly createdAt: string;
}

export interface BlobRef {
  readonly digest: Sha256;
  readonly size: number;
  /**
   * Set by `putBlobFromFile` when the stored blob is the content it just read from the file (not
   * an entry that was already there): a copy of it needs no check against the digest.
   */
  readonly written?: boolean | undefined;
}

export interface PutBlobFromFileOptions {
  /**
   * The caller gives the file up: the store may move it instead of copying (the local store
   * renames it into the cache when both are on one file system). The file is gone afterwards.
   */
  readonly move?: boolean | undefined;
}

export interface MaterializeOptions {
  /** Mode 0o755 if true, else 0o644. */
  readonly executable: boolean;
  /**
   * False skips checking the copy against the digest. Only for a blob this process has just
   * stored from a file it hashed: its content is known, and re-reading it would double the I/O
   * of a build that produces hundreds of large binaries. Default true.
   */
  readonly verify?: boolean | undefined;
}

/**
 * The one contract for every cache backend: the local directory cache now, the Bazel HTTP and
 * gRPC remote caches later. `store-contract.ts` holds the tests every backend must pass.
 *
 * Lookups never return bad data: a blob whose content does not match its digest is missing,
 * and an action result is a miss when it is malformed or a blob it names is missing. Backends
 * report damage they find through their `onWarning` callback (code `cache-corrupt`).
 * A blob can still vanish between `getActionResult` and `materializeBlob` (another process may
 * trim the cache), so callers treat `materializeBlob(...) === false` as a miss too.
 */
export interface ActionCacheStore {
  getActionResult(key: ActionKey): Promise<ActionResult | undefined>;
  putActionResult(key: ActionKey, result: ActionResult): Promise<void>;
  hasBlob(digest: Sha256): Promise<boolean>;
  getBlob(digest: Sha256): Promise<Buffer | undefined>;
  putBlob(bytes: Uint8Array): Promise<BlobRef>;
  /** Stores a file's content, hashing it as it is copied (or moved, see `move`). */
  putBlobFromFile(absPath: string, options?: PutBlobFromFileOptions): Promise<BlobRef>;
  /**
   * Writes a blob to `destAbs` atomically (replacing any file there) with a fresh inode the
   * cache does not share, so editing the restored file cannot change the cache. Creates the
   * parent directory. Resolves to false if the blob is missing or corrupt.
   */
  materializeBlob(digest: Sha256, destAbs: string, options: MaterializeOptions): Promise<boolean>;
}
