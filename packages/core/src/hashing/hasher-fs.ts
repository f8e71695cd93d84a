import * as fsp from 'node:fs/promises';

/** What the hasher needs to know about a file to decide whether its cached digest still holds. */
export interface HasherStat {
  readonly size: number;
  /** Modification time in nanoseconds since the epoch. */
  readonly mtimeNs: bigint;
  /** Inode change time in nanoseconds since the epoch. */
  readonly ctimeNs: bigint;
  readonly ino: bigint;
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

/** The real file system. */
export const nodeHasherFs: HasherFs = {
  async stat(absPath) {
    const s = await fsp.stat(absPath, { bigint: true });
    return { size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: s.ino, isFile: s.isFile() };
  },
  readFile(absPath) {
    return fsp.readFile(absPath);
  },
};
