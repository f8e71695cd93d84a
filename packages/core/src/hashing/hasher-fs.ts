import * as fs from 'node:fs';

/** What the hasher needs to know about a file to decide whether its cached digest still holds. */
export interface HasherStat {
  readonly size: number;
  /** Modification time in milliseconds since the epoch, with its fraction (as `fs.Stats` has it). */
  readonly mtimeMs: number;
  /** Inode change time in milliseconds since the epoch, with its fraction. */
  readonly ctimeMs: number;
  readonly ino: number;
  readonly isFile: boolean;
}

/**
 * The file system as the hasher sees it: two synchronous calls on absolute paths, which throw
 * Node's system errors (`code: 'ENOENT'` and so on) like `node:fs`. Tests wrap `nodeHasherFs`
 * to count reads or to inject faults.
 *
 * Synchronous on purpose: a build stats and reads tens of thousands of small files, and a
 * synchronous stat or read costs a few microseconds where a round trip through libuv's thread
 * pool, or only a chain of promises per file, costs several times that.
 */
export interface HasherFs {
  /** Follows symlinks, like `fs.statSync`. */
  stat(absPath: string): HasherStat;
  readFile(absPath: string): Buffer;
}

/** The real file system. */
export const nodeHasherFs: HasherFs = {
  stat(absPath) {
    const s = fs.statSync(absPath);
    return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, isFile: s.isFile() };
  },
  readFile: (absPath) => fs.readFileSync(absPath),
};
