/**
 * Whether the files an action was keyed with are still the ones it was keyed with once go has
 * built it. go reads the sources while it builds, so a file saved during the build (an editor's
 * save, a branch switch, a generator) may have gone into the binary in place of the content the
 * key names. Stored under that key, the binary would come back to a later build that has the keyed
 * content again (after an undo), or to another machine through the remote cache. Such a result is
 * placed in gob-out but not cached: the next build keys the new content and builds again.
 *
 * A file counts as unchanged while a stat gives what it gave when its digest was taken; a stat
 * taken inside the racy window (see file-hasher.ts) is not trusted, and neither is a file the
 * plan left no stat for: then the content is hashed again and compared.
 */
import * as fs from 'node:fs';
import type { Sha256, WorkspacePath } from '../types.js';
import { hashBytes } from '../hashing/hash-bytes.js';
import type { FileHasher } from '../hashing/file-hasher.js';
import { F_FLAGS, F_PATH, RACY, type FileEntry } from '../snapshot/format.js';
import { absPath, sameStat, statIdFromKey, statIfExists, type StatId } from '../snapshot/observations.js';
import type { PlannedAction } from '../actions/plan.js';

/** How a file was seen when its digest was taken: its stat, and whether that was inside the racy window. */
export interface InputObservation {
  readonly stat: StatId;
  readonly racy: boolean;
}

/** The observation behind an input file's digest, or undefined when the plan kept none. */
export type ObservedInputs = (path: WorkspacePath) => InputObservation | undefined;

/** A check of the actions one go process built (see `inputGuard`). */
export interface InputGuard {
  /** The first input file of `a` that is not what its key names (changed, gone), or undefined. */
  (a: PlannedAction): WorkspacePath | undefined;
  /** Files checked so far, how many of them were read (racy or unobserved), and the time it took. */
  readonly counts: { readonly files: number; readonly reads: number; readonly ms: number };
}

/**
 * A check of actions built by one go process, made after it exited. Each file is checked once
 * however many of the actions share it.
 */
export function inputGuard(root: string, observed: ObservedInputs | undefined): InputGuard {
  const verdicts = new Map<WorkspacePath, boolean>();
  const counts = { files: 0, reads: 0, ms: 0 };
  const unchanged = (p: WorkspacePath, digest: Sha256): boolean => {
    let same = verdicts.get(p);
    if (same === undefined) {
      same = stillKeyed(absPath(root, p), digest, observed?.(p), counts);
      verdicts.set(p, same);
    }
    return same;
  };
  const check = (a: PlannedAction): WorkspacePath | undefined => {
    const t0 = performance.now();
    try {
      const files = [a.manifest.moduleFiles, a.manifest.pgo ?? {}, ...a.packageManifests.map((pm) => pm.files)];
      for (const group of files) {
        for (const p in group) {
          if (!unchanged(p, group[p] as Sha256)) return p;
        }
      }
      return undefined;
    } finally {
      counts.ms += performance.now() - t0;
    }
  };
  return Object.assign(check, { counts });
}

function stillKeyed(abs: string, digest: Sha256, seen: InputObservation | undefined, counts: { files: number; reads: number }): boolean {
  counts.files++;
  let st: fs.Stats | undefined;
  try {
    st = statIfExists(abs);
  } catch {
    return false;
  }
  if (st?.isFile() !== true) return false;
  if (seen !== undefined) {
    if (!sameStat(seen.stat, st)) return false;
    if (!seen.racy) return true;
  }
  counts.reads++;
  try {
    return hashBytes(fs.readFileSync(abs)) === digest;
  } catch {
    return false;
  }
}

/** What a plan snapshot (as checked for this build) recorded of each file. */
export function observedInSnapshot(files: readonly FileEntry[]): ObservedInputs {
  // Indexed on first use only (a build that restores everything checks nothing), and by position:
  // a leaf edit checks a few hundred of the tens of thousands of files a snapshot holds.
  let index: Map<WorkspacePath, number> | undefined;
  return (p) => {
    if (index === undefined) {
      index = new Map();
      for (let i = 0; i < files.length; i++) index.set((files[i] as FileEntry)[F_PATH], i);
    }
    const i = index.get(p);
    const f = i === undefined ? undefined : files[i];
    return f === undefined ? undefined : { stat: [f[1], f[2], f[3], f[4]], racy: (f[F_FLAGS] & RACY) !== 0 };
  };
}

/**
 * What a plan's hasher saw of the files it answered for. The build looks up only gob-out's files
 * with that hasher afterwards, so its answers for inputs are still the plan's.
 */
export function observedByHasher(hasher: FileHasher): ObservedInputs {
  return (p) => {
    const f = hasher.answered([p])[0];
    if (f === undefined) return undefined;
    const stat = f.stat === undefined ? statIdFromKey(f.statKey) : ([f.stat.size, f.stat.mtimeMs, f.stat.ctimeMs, f.stat.ino] as const);
    return stat === undefined ? undefined : { stat, racy: !f.trusted };
  };
}
