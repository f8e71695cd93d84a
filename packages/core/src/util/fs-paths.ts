import * as path from 'node:path';
import type { WorkspacePath } from '../types.js';

/** Converts an absolute path under `root` to a workspace path (`/` separators, `''` for root). */
export function toWorkspacePath(root: string, abs: string): WorkspacePath {
  const rel = path.relative(root, abs);
  return rel.split(path.sep).join('/');
}

/** Converts a workspace path back to an absolute OS path. */
export function fromWorkspacePath(root: string, rel: WorkspacePath): string {
  return rel === '' ? root : path.join(root, ...rel.split('/'));
}

/** Joins workspace path segments, normalising `.`, `..` and empty parts. */
export function joinWorkspacePath(...parts: string[]): WorkspacePath {
  const joined = path.posix.normalize(parts.filter((p) => p !== '').join('/'));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}
