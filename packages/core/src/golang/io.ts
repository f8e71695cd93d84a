/**
 * The file system as the Go model sees it, injected so callers can serve headers from a stat
 * cache and tests can drive failures. `nodeGoIO` is the real thing.
 */
import * as fs from 'node:fs';
import { open } from 'node:fs/promises';
import type { WorkspacePath } from '../types.js';
import { fromWorkspacePath } from '../util/fs-paths.js';
import { parseSourceFileHeader, type GoFileHeader } from './header.js';

export interface GoDirEntry {
  readonly name: string;
  /** A directory, or a symlink to one. */
  readonly isDir: boolean;
  /** A regular file, or a symlink to one. */
  readonly isFile: boolean;
  /** The entry itself is a symlink (isDir/isFile then describe its target). */
  readonly isSymlink: boolean;
}

export interface GoIO {
  /** Lists a directory; resolves to undefined when it does not exist or is not a directory. */
  readdir(dir: WorkspacePath): Promise<readonly GoDirEntry[] | undefined>;
  /**
   * Reads a source file's header (`parseSourceFileHeader`). Called for `.go` files whose names
   * are not `_`/`.`-prefixed, and for other sources (.c, .h, .s, …) not excluded by name.
   */
  readHeader(path: WorkspacePath): Promise<GoFileHeader>;
  /**
   * The same answers without a promise, where an implementation can give them (the real disk
   * and the planner's IO over the stat cache can). Optional; each returns `NOT_SYNC` when it
   * cannot answer this call so, and the caller then uses the promise method. They throw where
   * the promise methods reject.
   */
  readonly readdirSync?: ((dir: WorkspacePath) => readonly GoDirEntry[] | undefined | typeof NOT_SYNC) | undefined;
  readonly readHeaderSync?: ((path: WorkspacePath) => GoFileHeader | typeof NOT_SYNC) | undefined;
}

/** Whether `path` is a regular file (or a symlink to one), by its directory's listing from `readdir`. */
export async function isListedFile(readdir: (dir: WorkspacePath) => Promise<readonly GoDirEntry[] | undefined>, path: WorkspacePath): Promise<boolean> {
  const slash = path.lastIndexOf('/');
  const listing = await readdir(slash < 0 ? '' : path.slice(0, slash));
  const name = path.slice(slash + 1);
  return listing?.some((e) => e.name === name && e.isFile) ?? false;
}

/** What a `GoIO` sync method returns when it cannot answer without a promise. */
export const NOT_SYNC: unique symbol = Symbol('not-sync');

function isMissing(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads the real file system under `root` (absolute). */
export function nodeGoIO(root: string): GoIO {
  const readdirSync = (dir: WorkspacePath): GoDirEntry[] | undefined => {
    const abs = fromWorkspacePath(root, dir);
    let dirents;
    try {
      dirents = fs.readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    return dirents.map((d): GoDirEntry => {
      if (!d.isSymbolicLink()) return { name: d.name, isDir: d.isDirectory(), isFile: d.isFile(), isSymlink: false };
      try {
        const st = fs.statSync(`${abs}/${d.name}`);
        return { name: d.name, isDir: st.isDirectory(), isFile: st.isFile(), isSymlink: true };
      } catch {
        return { name: d.name, isDir: false, isFile: false, isSymlink: true };
      }
    });
  };
  return {
    // A listing is a few quick system calls: the promise method answers from the synchronous one.
    // eslint-disable-next-line @typescript-eslint/require-await
    async readdir(dir) {
      return readdirSync(dir);
    },
    readdirSync,
    async readHeader(path) {
      const abs = fromWorkspacePath(root, path);
      const name = path.slice(path.lastIndexOf('/') + 1);
      return parseSourceFileHeader(name, await readSourceText(abs));
    },
  };
}

/** Reads a source file whole: `//go:embed` lines in Go files and `#include` lines in C files may be anywhere. */
async function readSourceText(abs: string): Promise<string> {
  const fh = await open(abs, 'r');
  try {
    return (await fh.readFile()).toString('utf8');
  } finally {
    await fh.close();
  }
}
