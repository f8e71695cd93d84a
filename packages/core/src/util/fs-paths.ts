import * as path from 'node:path';
import type { WorkspacePath } from '../types.js';

/** Converts an absolute path under `root` to a workspace path (`/` separators, `''` for root). */
export function toWorkspacePath(root: string, abs: string): WorkspacePath {
  const rel = path.relative(root, abs);
  return rel.split(path.sep).join('/');
}

/** Converts a workspace path back to an absolute OS path. */
export function fromWorkspacePath(root: string, rel: WorkspacePath): string {
  if (rel === '') return root;
  // A plan converts every file it hashes (tens of thousands): a clean path under an absolute root
  // is the root and the path, without path.join's normalising walk and its garbage.
  if (path.sep === '/' && isCleanRelative(rel)) {
    if (root !== lastRoot) {
      lastRoot = root;
      const normal = path.isAbsolute(root) ? path.normalize(root) : undefined;
      lastPrefix = normal === undefined ? undefined : normal.endsWith('/') ? normal : `${normal}/`;
    }
    if (lastPrefix !== undefined) return lastPrefix + rel;
  }
  return path.join(root, ...rel.split('/'));
}

let lastRoot: string | undefined;
/** The normalised `lastRoot` with a trailing `/`, or undefined when it is not absolute. */
let lastPrefix: string | undefined;

/** An empty, `.` or `..` segment (a leading or trailing `/` makes an empty one). */
const UNCLEAN = /(?:^|\/)\.{0,2}(?:\/|$)/;
/** A relative POSIX path that `path.join` would leave as it is. */
function isCleanRelative(rel: string): boolean {
  return !UNCLEAN.test(rel);
}

/** Joins workspace path segments, normalising `.`, `..` and empty parts. */
export function joinWorkspacePath(...parts: string[]): WorkspacePath {
  const joined = path.posix.normalize(parts.filter((p) => p !== '').join('/'));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/**
 * The `/`-separated relative path `rel` joined onto the workspace directory `base`, with `.` and
 * `..` resolved; undefined when it would leave the workspace.
 */
export function resolveWorkspaceRelative(base: WorkspacePath, rel: string): WorkspacePath | undefined {
  const out = base === '' ? [] : base.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else {
      out.push(seg);
    }
  }
  return out.join('/');
}

/**
 * A path as a go.mod, go.work or a go flag names it — absolute, or relative to the workspace
 * directory `fromDir` — as a workspace path; undefined when it is outside the workspace `root`.
 */
export function resolveLocalPath(root: string, fromDir: WorkspacePath, p: string): WorkspacePath | undefined {
  const rel = toWorkspacePath(root, localPathAbs(root, fromDir, p));
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return undefined;
  return rel;
}

/**
 * Advice for a path a go.mod or go.work names outside the workspace `root`: gob reads nothing
 * there, so gob.yaml has to move up to a directory that holds both.
 */
export function outsideWorkspaceHint(root: string, fromDir: WorkspacePath, p: string): string {
  const abs = localPathAbs(root, fromDir, p);
  let common = path.resolve(root);
  const outside = (dir: string): boolean => {
    const rel = path.relative(dir, abs);
    return rel === '..' || rel.startsWith(`..${path.sep}`);
  };
  while (outside(common)) common = path.dirname(common);
  return `gob reads no file outside the workspace root ${root}; to build with ${abs}, use a workspace root that holds both, such as ${common} (the workspace root is where gob.yaml is; gob init writes one)`;
}

/** The absolute path of `p` as a go.mod, go.work or go flag in workspace directory `fromDir` names it. */
function localPathAbs(root: string, fromDir: WorkspacePath, p: string): string {
  return path.isAbsolute(p) ? path.resolve(p) : path.resolve(fromWorkspacePath(root, fromDir), ...p.replace(/\\/g, '/').split('/'));
}

/** The directory holding the workspace path `p` (`''` for one at the root). */
export function workspaceParent(p: WorkspacePath): WorkspacePath {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/**
 * Whether the last element of workspace path `p` is a name go reads nothing from unless an embed
 * pattern, a C include or a flag names it, and gob's walks skip: one that starts with "." (an
 * editor's swap or lock file, `.git`), or, unless it is a directory (`isDir`), what an editor
 * leaves beside a file it edits: a backup `main.go~` or an emacs autosave `#main.go#`.
 */
export function isIgnoredName(p: WorkspacePath, isDir = false): boolean {
  const start = p.lastIndexOf('/') + 1;
  if (p.startsWith('.', start)) return true;
  if (isDir) return false;
  return p.endsWith('~') || (p.length - start > 1 && p.startsWith('#', start) && p.endsWith('#'));
}

/** The nearest directory at or above `dir` (absolute or relative to the process) for which `has` holds, or undefined. */
export function nearestAncestor(dir: string, has: (d: string) => boolean): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (has(d)) return d;
    if (path.dirname(d) === d) return undefined;
  }
}
