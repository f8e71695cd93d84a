/**
 * Resolves `//go:embed` patterns to files the way cmd/go does (load.resolveEmbed): patterns are
 * path.Match globs per path element, may carry an `all:` prefix, and must be valid (no leading
 * or trailing `/`, no empty, `.` or `..` elements). A matched directory embeds every regular
 * file beneath it except names starting with `.` or `_` (unless `all:`), stopping at
 * subdirectories that hold a go.mod; `.git`, `.hg`, `.svn` and `.bzr` are never embedded. A
 * pattern that matches nothing is an error.
 *
 * Reads the file system only through `GoIO.readdir`.
 */
import type { WorkspacePath } from '../types.js';
import { joinWorkspacePath } from '../util/fs-paths.js';
import { err, ok, type Result } from '../util/result.js';
import { compareGoStrings } from './go-strings.js';
import type { GoDirEntry, GoIO } from './io.js';

export interface EmbedError {
  /** The pattern as written (including any `all:` prefix). */
  readonly pattern: string;
  /** Go's wording, e.g. `pattern x/*.txt: no matching files found`. */
  readonly message: string;
}

export interface ResolvedEmbeds {
  /** Embedded files relative to the package directory, sorted (go list's EmbedFiles). */
  readonly files: readonly string[];
  /** The same files as workspace paths, sorted. */
  readonly paths: readonly WorkspacePath[];
  /** Pattern → the files it matched (package-relative, sorted). */
  readonly byPattern: ReadonlyMap<string, readonly string[]>;
}

/** Resolves sorted, de-duplicated `patterns` for the package in `pkgDir`. */
export async function resolveEmbedPatterns(
  pkgDir: WorkspacePath,
  patterns: readonly string[],
  io: Pick<GoIO, 'readdir'>,
): Promise<Result<ResolvedEmbeds, EmbedError>> {
  const have = new Set<string>();
  const byPattern = new Map<string, string[]>();
  const listings = new Map<string, Promise<readonly GoDirEntry[] | undefined>>();
  const list = (rel: string): Promise<readonly GoDirEntry[] | undefined> => {
    let p = listings.get(rel);
    if (p === undefined) {
      p = io.readdir(joinWorkspacePath(pkgDir, rel));
      listings.set(rel, p);
    }
    return p;
  };
  const fail = (pattern: string, message: string): Result<ResolvedEmbeds, EmbedError> =>
    err({ pattern, message: `pattern ${pattern}: ${message}` });

  for (const pattern of patterns) {
    const all = pattern.startsWith('all:');
    const glob = all ? pattern.slice('all:'.length) : pattern;
    if (!validEmbedPattern(glob) || pathMatch(glob, '') === 'bad-pattern') {
      return fail(pattern, 'invalid pattern syntax');
    }
    const matches = await globElements(glob.split('/'), list);
    const found: string[] = [];
    const seen = new Set<string>();
    for (const m of matches) {
      const what = m.entry.isDir && !m.entry.isSymlink ? 'directory' : 'file';
      const problem = await checkParents(m, what, list);
      if (problem !== undefined) return fail(pattern, problem);
      if (m.entry.isSymlink || (!m.entry.isDir && !m.entry.isFile)) {
        return fail(pattern, `cannot embed irregular file ${m.rel}`);
      }
      if (m.entry.isFile) {
        if (!seen.has(m.rel)) {
          seen.add(m.rel);
          found.push(m.rel);
        }
        continue;
      }
      const walked = await walkEmbedDir(m.rel, all, list);
      if (!walked.ok) return fail(pattern, walked.error);
      if (walked.value.length === 0) {
        return fail(pattern, `cannot embed directory ${m.rel}: contains no embeddable files`);
      }
      for (const f of walked.value) {
        if (!seen.has(f)) {
          seen.add(f);
          found.push(f);
        }
      }
    }
    if (found.length === 0) return fail(pattern, 'no matching files found');
    found.sort(compareGoStrings);
    byPattern.set(pattern, found);
    for (const f of found) have.add(f);
  }
  const files = [...have].sort(compareGoStrings);
  return ok({ files, paths: files.map((f) => joinWorkspacePath(pkgDir, f)), byPattern });
}

interface GlobMatch {
  /** Path relative to the package dir. */
  readonly rel: string;
  readonly entry: GoDirEntry;
  /** The first symlinked directory the match was reached through, if any. */
  readonly viaSymlink?: string | undefined;
}

type Lister = (rel: string) => Promise<readonly GoDirEntry[] | undefined>;

/** filepath.Glob relative to the package dir, one path element at a time. */
async function globElements(elems: readonly string[], list: Lister): Promise<GlobMatch[]> {
  let current: { rel: string; viaSymlink?: string | undefined }[] = [{ rel: '' }];
  let out: GlobMatch[] = [];
  for (let i = 0; i < elems.length; i++) {
    const elem = elems[i] ?? '';
    const last = i === elems.length - 1;
    const next: typeof current = [];
    out = [];
    for (const dir of current) {
      const entries = await list(dir.rel);
      if (entries === undefined) continue;
      const sorted = [...entries].sort((a, b) => compareGoStrings(a.name, b.name));
      for (const e of sorted) {
        if (pathMatch(elem, e.name) !== 'match') continue;
        const rel = dir.rel === '' ? e.name : `${dir.rel}/${e.name}`;
        if (last) {
          out.push({ rel, entry: e, viaSymlink: dir.viaSymlink });
        } else if (e.isDir) {
          next.push({ rel, viaSymlink: dir.viaSymlink ?? (e.isSymlink ? rel : undefined) });
        }
      }
    }
    current = next;
  }
  return out;
}

/** The checks cmd/go applies to each directory between a match and the package dir. */
async function checkParents(m: GlobMatch, what: string, list: Lister): Promise<string | undefined> {
  const parts = m.rel.split('/');
  for (let n = parts.length; n >= 1; n--) {
    const dir = parts.slice(0, n).join('/');
    const isLeaf = n === parts.length;
    const entries = isLeaf && !(m.entry.isDir && !m.entry.isSymlink) ? undefined : await list(dir);
    if (entries?.some((e) => e.name === 'go.mod' && (e.isFile || e.isDir)) === true) {
      return `cannot embed ${what} ${m.rel}: in different module`;
    }
    if (!isLeaf && m.viaSymlink !== undefined && dir === m.viaSymlink) {
      return `cannot embed ${what} ${m.rel}: in non-directory ${dir}`;
    }
    const elem = parts[n - 1] ?? '';
    if (isBadEmbedName(elem)) {
      return isLeaf
        ? `cannot embed ${what} ${m.rel}: invalid name ${elem}`
        : `cannot embed ${what} ${m.rel}: in invalid directory ${elem}`;
    }
  }
  return undefined;
}

/** Every embeddable regular file under `rel` (package-relative paths). */
async function walkEmbedDir(rel: string, all: boolean, list: Lister): Promise<Result<string[], string>> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<string | undefined> => {
    const entries = await list(dir);
    if (entries === undefined) return undefined;
    const sorted = [...entries].sort((a, b) => compareGoStrings(a.name, b.name));
    for (const e of sorted) {
      const path = `${dir}/${e.name}`;
      const realDir = e.isDir && !e.isSymlink;
      const hidden = e.name.startsWith('.') || e.name.startsWith('_');
      if (isBadEmbedName(e.name) || (hidden && !all)) {
        if (realDir || hidden) continue;
        return `cannot embed file ${path}: invalid name ${e.name}`;
      }
      if (realDir) {
        const sub = await list(path);
        if (sub?.some((s) => s.name === 'go.mod' && (s.isFile || s.isDir)) === true) continue;
        const problem = await walk(path);
        if (problem !== undefined) return problem;
        continue;
      }
      // Symlinks and irregular files are skipped inside directories.
      if (e.isSymlink || !e.isFile) continue;
      out.push(path);
    }
    return undefined;
  };
  const problem = await walk(rel);
  return problem === undefined ? ok(out) : err(problem);
}

/** fs.ValidPath, minus ".": non-empty elements, none `.` or `..`, no leading/trailing slash. */
export function validEmbedPattern(pattern: string): boolean {
  if (pattern === '.' || pattern === '') return false;
  for (const elem of pattern.split('/')) {
    if (elem === '' || elem === '.' || elem === '..') return false;
  }
  return !pattern.includes('\ufffd');
}

const BAD_WINDOWS_NAMES = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `COM${i}`),
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `LPT${i}`),
]);

/**
 * Names that can't or won't be in a module zip (golang.org/x/mod's CheckFilePath on one
 * element) and version-control directories.
 */
export function isBadEmbedName(name: string): boolean {
  if (name === '' || name === '.bzr' || name === '.hg' || name === '.git' || name === '.svn') return true;
  if (/^\.+$/.test(name) || name.endsWith('.')) return true;
  for (const ch of name) {
    if (/^[0-9A-Za-z]$/.test(ch)) continue;
    if (ch.charCodeAt(0) < 0x80) {
      if (!"!#$%&()+,-.=@[]^_{}~ ".includes(ch)) return true;
      continue;
    }
    if (!/^\p{L}$/u.test(ch)) return true;
  }
  const dot = name.indexOf('.');
  const short = (dot < 0 ? name : name.slice(0, dot)).toUpperCase();
  return BAD_WINDOWS_NAMES.has(short);
}

// --- path.Match ------------------------------------------------------------------------------

export type MatchOutcome = 'match' | 'no-match' | 'bad-pattern';

/**
 * Go's path.Match: `*` (any run of non-`/`), `?` (one non-`/`), `[…]` classes with ranges and
 * `^` negation, and `\` escapes. Reports 'bad-pattern' for malformed patterns, checking the
 * whole pattern even when the name already failed to match.
 */
export function pathMatch(pattern: string, name: string): MatchOutcome {
  let pat = Array.from(pattern);
  let nm = Array.from(name);
  outer: while (pat.length > 0) {
    const { star, chunk, rest } = scanChunk(pat);
    pat = rest;
    if (star && chunk.length === 0) return nm.includes('/') ? 'no-match' : 'match';
    const r = matchChunk(chunk, nm);
    if (r === 'bad') return 'bad-pattern';
    if (r !== undefined && (r.length === 0 || pat.length > 0)) {
      nm = r;
      continue;
    }
    if (star) {
      for (let i = 0; i < nm.length && nm[i] !== '/'; i++) {
        const t = matchChunk(chunk, nm.slice(i + 1));
        if (t === 'bad') return 'bad-pattern';
        if (t !== undefined) {
          if (pat.length === 0 && t.length > 0) continue;
          nm = t;
          continue outer;
        }
      }
    }
    // Fail, but only after checking that the rest of the pattern is well-formed.
    while (pat.length > 0) {
      const next = scanChunk(pat);
      pat = next.rest;
      if (matchChunk(next.chunk, []) === 'bad') return 'bad-pattern';
    }
    return 'no-match';
  }
  return nm.length === 0 ? 'match' : 'no-match';
}

function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let star = false;
  let p = pattern;
  while (p.length > 0 && p[0] === '*') {
    p = p.slice(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  scan: for (; i < p.length; i++) {
    switch (p[i]) {
      case '\\':
        if (i + 1 < p.length) i++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
        break;
    }
  }
  return { star, chunk: p.slice(0, i), rest: p.slice(i) };
}

/** Matches `chunk` at the start of `s`; returns the rest of `s`, undefined, or 'bad'. */
function matchChunk(chunkIn: string[], sIn: string[]): string[] | undefined | 'bad' {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0];
    if (c === '[') {
      let r = '';
      if (!failed) {
        r = s[0] ?? '';
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      let negated = false;
      if (chunk.length > 0 && chunk[0] === '^') {
        negated = true;
        chunk = chunk.slice(1);
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === ']' && nrange > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const lo = getEsc(chunk);
        if (lo === undefined) return 'bad';
        chunk = lo.rest;
        let hi = lo.ch;
        if (chunk[0] === '-') {
          const h = getEsc(chunk.slice(1));
          if (h === undefined) return 'bad';
          chunk = h.rest;
          hi = h.ch;
        }
        const rc = r.codePointAt(0) ?? -1;
        if ((lo.ch.codePointAt(0) ?? 0) <= rc && rc <= (hi.codePointAt(0) ?? 0)) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (s[0] === '/') failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    } else {
      if (c === '\\') {
        chunk = chunk.slice(1);
        if (chunk.length === 0) return 'bad';
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    }
  }
  return failed ? undefined : s;
}

function getEsc(chunkIn: string[]): { ch: string; rest: string[] } | undefined {
  let chunk = chunkIn;
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') return undefined;
  if (chunk[0] === '\\') {
    chunk = chunk.slice(1);
    if (chunk.length === 0) return undefined;
  }
  const ch = chunk[0] ?? '';
  const rest = chunk.slice(1);
  if (ch === '\ufffd' || rest.length === 0) return undefined;
  return { ch, rest };
}
