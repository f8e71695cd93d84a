/**
 * Serves Go file headers from gob's content hasher, so headers are parsed in the same read that
 * hashes a file and remembered in the stat cache: a no-op build parses nothing.
 */
import type { Sha256, WorkspacePath } from '../types.js';
import { parseGoFileHeaderBytes, parseSourceFileHeader, type GoFileHeader } from './header.js';
import { NOT_SYNC, nodeGoIO, type GoDirEntry, type GoIO } from './io.js';
import { HashFileError, type HashFailure } from '../hashing/file-hasher.js';
import type { Result } from '../util/result.js';
import { isSourceFileName, nameExt } from './scanner.js';
import { GO_HEADER_DERIVE_VERSION } from './header-version.js';

/**
 * The derive hook for the content hasher (its `DeriveSpec`): the parsed header of every source
 * file the scanner may ask about, `null` for anything else. Bump `version` whenever the header
 * parser's output could change for the same content.
 */
export const GO_HEADER_DERIVE = {
  version: GO_HEADER_DERIVE_VERSION,
  // Headers are plain data: handed out as parsed, without a round trip through JSON.
  plainData: true,
  fn(path: WorkspacePath, content: Buffer): GoFileHeader | null {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!isSourceFileName(name) || nameExt(name) === '.syso') return null;
    // A Go file's header is usually in its first kilobytes: decoded alone when that gives the same.
    if (name.endsWith('.go')) return parseGoFileHeaderBytes(content);
    return parseSourceFileHeader(name, content.toString('utf8'));
  },
};

/** Anything that hands out values derived with GO_HEADER_DERIVE (gob's FileHasher does). */
export interface DerivedHeaderSource {
  derived(path: WorkspacePath): Promise<{ readonly digest: Sha256; readonly value: unknown }>;
  /** The same without a promise (FileHasher has it), as a result instead of a throw. */
  tryDerivedSync?(path: WorkspacePath): Result<{ readonly digest: Sha256; readonly value: unknown }, HashFailure>;
}

/** The snapshot GoIO, which also tells the digests of the files whose headers it served. */
export interface HasherGoIO extends GoIO {
  /** The digest of the content a served header was parsed from (undefined if not served). */
  knownDigest(path: WorkspacePath): Sha256 | undefined;
}

function isHeader(v: unknown): v is GoFileHeader {
  return typeof v === 'object' && v !== null && Array.isArray((v as { imports?: unknown }).imports);
}

/**
 * A GoIO that lists directories from `disk` (the real one unless given) and takes headers from
 * `hasher`, for one plan.
 *
 * It is a snapshot: each directory is listed and each header looked up at most once per
 * instance, however many targets' package graphs ask (a plan loads one graph per target, and
 * the targets of a monorepo share most of their packages). So every target of the plan sees the
 * same files, and a no-op build of N targets does not stat and list shared packages N times.
 * Create a new instance for each build (as the hasher itself is one build's snapshot); a
 * long-lived instance would not see edits.
 *
 * Where `disk` and `hasher` can answer synchronously, so does it (`readdirSync`,
 * `readHeaderSync`): answers given either way are remembered for both.
 */
export function goIOFromHasher(root: string, hasher: DerivedHeaderSource, disk: GoIO = nodeGoIO(root)): HasherGoIO {
  const dirs = new Map<WorkspacePath, Promise<readonly GoDirEntry[] | undefined>>();
  const headers = new Map<WorkspacePath, Promise<GoFileHeader>>();
  // Answers given synchronously; the promise maps above are filled only by the promise methods.
  const syncDirs = new Map<WorkspacePath, readonly GoDirEntry[] | undefined>();
  const syncHeaders = new Map<WorkspacePath, GoFileHeader>();
  const digests = new Map<WorkspacePath, Sha256>();
  const served = (path: WorkspacePath, d: { readonly digest: Sha256; readonly value: unknown }): GoFileHeader | undefined => {
    // A hasher configured without this derive hook yields something else: parse directly.
    if (!isHeader(d.value)) return undefined;
    digests.set(path, d.digest);
    return d.value;
  };
  const diskReaddirSync = disk.readdirSync;
  const hasherSync = hasher.tryDerivedSync?.bind(hasher);
  return {
    readdir: (dir) => (syncDirs.has(dir) ? Promise.resolve(syncDirs.get(dir)) : once(dirs, dir, () => disk.readdir(dir))),
    readHeader: (path) => {
      const known = syncHeaders.get(path);
      if (known !== undefined) return Promise.resolve(known);
      return once(headers, path, async () => served(path, await hasher.derived(path)) ?? disk.readHeader(path));
    },
    ...(diskReaddirSync === undefined
      ? {}
      : {
          readdirSync: (dir: WorkspacePath) => {
            if (syncDirs.has(dir)) return syncDirs.get(dir);
            if (dirs.has(dir)) return NOT_SYNC;
            const entries = diskReaddirSync(dir);
            if (entries !== NOT_SYNC) syncDirs.set(dir, entries);
            return entries;
          },
        }),
    ...(hasherSync === undefined
      ? {}
      : {
          readHeaderSync: (path: WorkspacePath) => {
            const known = syncHeaders.get(path);
            if (known !== undefined) return known;
            if (headers.has(path)) return NOT_SYNC;
            const r = hasherSync(path);
            if (!r.ok) throw new HashFileError(r.error);
            const header = served(path, r.value);
            if (header === undefined) return NOT_SYNC;
            syncHeaders.set(path, header);
            return header;
          },
        }),
    knownDigest: (path) => digests.get(path),
  };
}

/** `memo[key]`, computed by `f` on first use. A failure is not remembered: the next call retries. */
function once<T>(memo: Map<WorkspacePath, Promise<T>>, key: WorkspacePath, f: () => Promise<T>): Promise<T> {
  let p = memo.get(key);
  if (p === undefined) {
    p = f();
    memo.set(key, p);
    p.catch(() => {
      if (memo.get(key) === p) memo.delete(key);
    });
  }
  return p;
}
