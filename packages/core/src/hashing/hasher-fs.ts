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
 * The file system as the hasher sees it: two calls on absolute paths. Both reject with Node's
 * system errors (`code: 'ENOENT'` and so on) like `node:fs/promises`. Tests wrap
 * `nodeHasherFs` to count reads or to inject faults.
 */
export interface HasherFs {
  /** Follows symlinks, like `fs.stat`. */
  stat(absPath: string): Promise<HasherStat>;
  readFile(absPath: string): Promise<Buffer>;
}

/**
 * The real file system. The calls are synchronous inside: a build stats and reads tens of
 * thousands of small files, and a synchronous stat or read costs a few microseconds where the
 * promise API's round trip through libuv's thread pool costs several times that. Errors still
 * come as rejections.
 */
export const nodeHasherFs: HasherFs = {
  // Async functions around synchronous calls: a throw becomes the rejection.
  // eslint-disable-next-line @typescript-eslint/require-await
  async stat(absPath) {
    const s = fs.statSync(absPath);
    return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, isFile: s.isFile() };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async readFile(absPath) {
    return fs.readFileSync(absPath);
  },
};
