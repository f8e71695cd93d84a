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
  /**
   * The file's content. The buffer may be one the next call reuses: use it before calling
   * again, and keep none of it.
   */
  readFile(absPath: string): Buffer;
}

/** Files up to this size are read into one buffer kept for the next read. */
const SHARED_READ_BYTES = 1 << 20;
let shared: Buffer | undefined;

/**
 * Reads a whole file into the shared buffer (a larger one into a buffer of its own): one open,
 * reads until the end and a close, without the fstat and the allocation of `readFileSync` —
 * which over tens of thousands of small files is a fifth of reading them.
 */
function readShared(absPath: string): Buffer {
  shared ??= Buffer.allocUnsafe(SHARED_READ_BYTES);
  let buf = shared;
  let n = 0;
  const fd = fs.openSync(absPath, 'r');
  try {
    for (;;) {
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
  } finally {
    fs.closeSync(fd);
  }
  return buf.subarray(0, n);
}

/** The real file system. */
export const nodeHasherFs: HasherFs = {
  stat(absPath) {
    const s = fs.statSync(absPath);
    return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, isFile: s.isFile() };
  },
  readFile: readShared,
};
