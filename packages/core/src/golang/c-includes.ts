/**
 * The files a cgo package's C code includes from outside its own input files: headers in a
 * subdirectory (`#include "inc/x.h"`), in a directory a `#cgo CFLAGS: -I${SRCDIR}/…` line names,
 * C sources compiled by inclusion, and what those include in turn. go's build cache does not
 * track them (golang/go#24355), so gob adds them to the package's inputs itself. The same for
 * the libraries its `#cgo LDFLAGS` lines link from the workspace (`resolveCLibraries`).
 *
 * Followed: `#include "…"` and `#include <…>` in the package's cgo preambles and C-family files
 * (see `GoFileHeader.cIncludes`), and in every workspace file found that way. A quoted name is
 * looked up in the including file's directory and then in the package's include directories;
 * an angle-bracket name only in the include directories. Every match inside the workspace
 * counts, not only the one the compiler would pick first, and includes under `#if` count too:
 * extra inputs can only cost a rebuild, a missing one a stale binary. Not followed: absolute
 * names and directories (system headers, which no Go build tool hashes), names outside the
 * workspace, includes spelled through macros, and `-I` flags that come from the environment
 * (`CGO_CFLAGS`, which is in the key as a whole) or from pkg-config.
 */
import type { WorkspacePath } from '../types.js';
import { resolveWorkspaceRelative, workspaceParent } from '../util/fs-paths.js';
import type { GoFileHeader } from './header.js';

/** What resolving needs from the file system; both answers are recorded by the planner's IO. */
export interface CIncludeIO {
  /** Whether `path` is a regular file (or a symlink to one). */
  isFile(path: WorkspacePath): Promise<boolean>;
  /** The header of a file found (for its own includes); undefined when it cannot be read. */
  header(path: WorkspacePath): Promise<GoFileHeader | undefined>;
}

/**
 * `rel` (a `/`-separated relative path) joined to the workspace directory `base` and
 * normalised; undefined when it leaves the workspace or is absolute.
 */
export function joinInside(base: WorkspacePath, rel: string): WorkspacePath | undefined {
  if (rel.startsWith('/') || rel.includes('\\')) return undefined;
  return resolveWorkspaceRelative(base, rel);
}

/**
 * The package's include directories, as workspace paths, in order and without repeats: each
 * `#cgo` include directory with `${SRCDIR}` standing for the package directory `dir`, and a
 * relative one taken from it too (cgo runs the C compiler there). Absolute ones are dropped.
 */
export function includeSearchDirs(dir: WorkspacePath, raw: readonly string[]): WorkspacePath[] {
  const out: WorkspacePath[] = [];
  for (const r of raw) {
    const d = packageRelative(dir, r);
    if (d !== undefined && !out.includes(d)) out.push(d);
  }
  return out;
}

/** A `#cgo` path (`${SRCDIR}/x`, or relative to the package directory) as a workspace path. */
function packageRelative(dir: WorkspacePath, raw: string): WorkspacePath | undefined {
  const rel = raw.startsWith('${SRCDIR}') ? raw.slice('${SRCDIR}'.length).replace(/^\/+/, '') : raw;
  if (rel.startsWith('/') || rel.includes('$')) return undefined;
  return joinInside(dir, rel);
}

/** A library file a linker may pick from a `-L` directory: `libx.a`, `libx.so`, `libx.so.1`, `libx.dylib`. */
const LIBRARY = /^lib.*\.(?:a|so|dylib)$|^lib.*\.so\.[0-9.]+$/;

/**
 * The workspace files the package's `#cgo LDFLAGS` link: each file named (`${SRCDIR}/libx.a`)
 * that exists, and every library file in each `-L` directory inside the workspace (whichever
 * `-l` picks, with every one counted). go links them without hashing them. Sorted.
 */
export async function resolveCLibraries(
  dir: WorkspacePath,
  libDirs: readonly string[],
  libFiles: readonly string[],
  io: Pick<CIncludeIO, 'isFile'> & { list(dir: WorkspacePath): Promise<readonly { readonly name: string; readonly isFile: boolean }[] | undefined> },
): Promise<WorkspacePath[]> {
  const found = new Set<WorkspacePath>();
  for (const raw of libFiles) {
    const p = packageRelative(dir, raw);
    if (p !== undefined && (await io.isFile(p))) found.add(p);
  }
  for (const d of includeSearchDirs(dir, libDirs)) {
    for (const e of (await io.list(d)) ?? []) {
      if (e.isFile && LIBRARY.test(e.name)) found.add(d === '' ? e.name : `${d}/${e.name}`);
    }
  }
  return [...found].sort();
}

/**
 * Every workspace file the package's C code may include, transitively, except `own` (the
 * package's input files, which are in its key already). `seeds` are the package's cgo and
 * C-family files with their headers; `searchDirs` from `includeSearchDirs`. Sorted.
 */
export async function resolveCIncludes(
  seeds: readonly { readonly path: WorkspacePath; readonly header: GoFileHeader }[],
  searchDirs: readonly WorkspacePath[],
  own: ReadonlySet<WorkspacePath>,
  io: CIncludeIO,
): Promise<WorkspacePath[]> {
  const found = new Set<WorkspacePath>();
  const tried = new Set<WorkspacePath>();
  const queue = [...seeds];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const inc of next.header.cIncludes ?? []) {
      const name = inc.slice(1, -1);
      const bases = inc.startsWith('"') ? [workspaceParent(next.path), ...searchDirs] : searchDirs;
      for (const base of bases) {
        const p = joinInside(base, name);
        if (p === undefined || tried.has(p)) continue;
        tried.add(p);
        if (own.has(p) || !(await io.isFile(p))) continue;
        found.add(p);
        const header = await io.header(p);
        if (header !== undefined) queue.push({ path: p, header });
      }
    }
  }
  return [...found].sort();
}
