/**
 * An in-memory GoIO for tests: a tree of files, directories, symlinks and irregular files, with
 * call counters and injectable failures.
 */
import type { WorkspacePath } from '../../types.js';
import { parseSourceFileHeader, type GoFileHeader } from '../header.js';
import type { GoDirEntry, GoIO } from '../io.js';

export type MemoryNode =
  | string
  | { readonly symlink: 'file' | 'dir' | 'dangling'; readonly text?: string }
  | { readonly irregular: true }
  | { readonly dir: true };

export interface MemoryIO extends GoIO {
  /** For loadModules' `io` option. */
  readFile(path: WorkspacePath): Promise<string | undefined>;
  /** Calls of readdir/readHeader in flight right now, and the most ever. */
  readonly inFlight: { now: number; max: number };
  /** Delay (ms) added to every call, to observe concurrency. */
  delayMs: number;
  readonly readdirCalls: Map<WorkspacePath, number>;
  readonly headerCalls: Map<WorkspacePath, number>;
  /** Paths whose readHeader/readdir calls reject. */
  readonly failing: Set<WorkspacePath>;
}

/** Builds a MemoryIO from workspace paths; parent directories are implied. */
export function memoryGoIO(tree: Record<WorkspacePath, MemoryNode>): MemoryIO {
  const children = new Map<WorkspacePath, Map<string, GoDirEntry>>();
  const ensureDir = (dir: WorkspacePath): Map<string, GoDirEntry> => {
    let c = children.get(dir);
    if (c === undefined) {
      c = new Map();
      children.set(dir, c);
      if (dir !== '') {
        const i = dir.lastIndexOf('/');
        const parent = i < 0 ? '' : dir.slice(0, i);
        ensureDir(parent).set(dir.slice(i + 1), { name: dir.slice(i + 1), isDir: true, isFile: false, isSymlink: false });
      }
    }
    return c;
  };
  ensureDir('');
  for (const [p, node] of Object.entries(tree)) {
    const i = p.lastIndexOf('/');
    const parent = i < 0 ? '' : p.slice(0, i);
    const name = p.slice(i + 1);
    if (typeof node === 'string') {
      ensureDir(parent).set(name, { name, isDir: false, isFile: true, isSymlink: false });
    } else if ('dir' in node) {
      ensureDir(p);
    } else if ('irregular' in node) {
      ensureDir(parent).set(name, { name, isDir: false, isFile: false, isSymlink: false });
    } else {
      ensureDir(parent).set(name, { name, isDir: node.symlink === 'dir', isFile: node.symlink === 'file', isSymlink: true });
      if (node.symlink === 'dir') ensureDir(p).clear();
    }
  }
  // A directory symlink's own listing: the entries created under its path.
  for (const [p, node] of Object.entries(tree)) {
    if (typeof node === 'object' && 'symlink' in node && node.symlink === 'dir') {
      const i = p.lastIndexOf('/');
      const parent = i < 0 ? '' : p.slice(0, i);
      ensureDir(parent).set(p.slice(i + 1), { name: p.slice(i + 1), isDir: true, isFile: false, isSymlink: true });
    }
  }
  const readdirCalls = new Map<WorkspacePath, number>();
  const headerCalls = new Map<WorkspacePath, number>();
  const failing = new Set<WorkspacePath>();
  const inFlight = { now: 0, max: 0 };
  const io: MemoryIO = {
    readdirCalls,
    headerCalls,
    failing,
    inFlight,
    delayMs: 0,
    readFile(p) {
      const node = tree[p];
      return Promise.resolve(typeof node === 'string' ? node : undefined);
    },
    async readdir(dir) {
      readdirCalls.set(dir, (readdirCalls.get(dir) ?? 0) + 1);
      return track(() => {
        if (failing.has(dir)) throw new Error('EACCES: permission denied');
        const c = children.get(dir);
        return c === undefined ? undefined : [...c.values()];
      });
    },
    async readHeader(p): Promise<GoFileHeader> {
      headerCalls.set(p, (headerCalls.get(p) ?? 0) + 1);
      return track(() => {
        if (failing.has(p)) throw new Error('EIO: i/o error');
        const node = tree[p];
        const text = typeof node === 'string' ? node : node !== undefined && 'symlink' in node ? (node.text ?? '') : '';
        return parseSourceFileHeader(p.slice(p.lastIndexOf('/') + 1), text);
      });
    },
  };
  async function track<T>(fn: () => T): Promise<T> {
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    try {
      await new Promise((r) => setTimeout(r, io.delayMs));
      return fn();
    } finally {
      inFlight.now--;
    }
  }
  return io;
}
