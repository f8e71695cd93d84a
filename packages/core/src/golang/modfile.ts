/**
 * Parsers for go.mod, go.work and vendor/modules.txt. They follow golang.org/x/mod/modfile's
 * lexical rules (line comments, quoted or raw-quoted tokens, `verb ( … )` blocks for any verb)
 * and keep only what gob needs: module path, go/toolchain lines, requirements (with
 * `// indirect`), replacements, excludes, `ignore` directories, `use` directories. `retract`,
 * `godebug` and `tool` are read and dropped.
 */
import type { SourceRange } from '../types.js';
import { err, ok, type Result } from '../util/result.js';
import { unquoteGoString } from './go-strings.js';

export interface ModRequire {
  readonly path: string;
  readonly version: string;
  readonly indirect: boolean;
}

export interface ModReplace {
  readonly oldPath: string;
  /** Only this version is replaced; undefined replaces every version. */
  readonly oldVersion?: string | undefined;
  readonly newPath: string;
  /** Set for a module replacement; undefined when newPath is a local directory. */
  readonly newVersion?: string | undefined;
  /** newPath is a file system path (starts with `./`, `../` or `/`). */
  readonly isLocal: boolean;
}

export interface GoModFile {
  readonly module: string | undefined;
  readonly go: string | undefined;
  /** Where the version of the `go` line is written. */
  readonly goRange?: SourceRange | undefined;
  readonly toolchain: string | undefined;
  readonly requires: readonly ModRequire[];
  readonly replaces: readonly ModReplace[];
  readonly excludes: readonly { readonly path: string; readonly version: string }[];
  /** `ignore` directories as written: `./x` (x at the module root) or `x` (any directory x). */
  readonly ignores: readonly string[];
}

export interface GoWorkFile {
  readonly go: string | undefined;
  /** Where the version of the `go` line is written. */
  readonly goRange?: SourceRange | undefined;
  readonly toolchain: string | undefined;
  /** `use` directories as written (relative to the go.work directory, or absolute). */
  readonly use: readonly string[];
  /** Where each of `use` is written, in the same order. */
  readonly useRanges: readonly SourceRange[];
  readonly replaces: readonly ModReplace[];
}

export interface ModFileError {
  readonly message: string;
  readonly range: SourceRange;
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

interface Line {
  readonly verb: string | undefined;
  readonly tokens: readonly Token[];
  /** The line's trailing `//` comment, without the slashes, trimmed. */
  readonly comment: string;
  readonly start: number;
}

/** A local file system path in a replace or use directive. */
export function isLocalModPath(p: string): boolean {
  return p.startsWith('./') || p.startsWith('../') || p === '.' || p === '..' || p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('.\\') || p.startsWith('..\\');
}

function rangeAt(text: string, start: number, end: number): SourceRange {
  const pos = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column, offset };
  };
  return { start: pos(start), end: pos(end) };
}

/** Splits the file into logical lines, flattening `verb ( … )` blocks into `verb`-tagged lines. */
function lexLines(text: string): Result<Line[], ModFileError> {
  const lines: Line[] = [];
  let blockVerb: string | undefined;
  let blockStart = 0;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const lineStart = offset;
    offset += raw.length + 1;
    const toks: Token[] = [];
    let comment = '';
    let i = 0;
    while (i < raw.length) {
      const c = raw.charAt(i);
      if (c === ' ' || c === '\t' || c === '\r') {
        i++;
        continue;
      }
      if (raw.startsWith('//', i)) {
        comment = raw.slice(i + 2).trim();
        break;
      }
      if (c === '"' || c === '`') {
        let j = i + 1;
        while (j < raw.length && raw[j] !== c) j += c === '"' && raw[j] === '\\' ? 2 : 1;
        if (j >= raw.length) {
          return err({ message: 'unterminated quoted string', range: rangeAt(text, lineStart + i, lineStart + raw.length) });
        }
        const lit = raw.slice(i, j + 1);
        const val = unquoteGoString(lit);
        if (val === undefined) return err({ message: `invalid quoted string ${lit}`, range: rangeAt(text, lineStart + i, lineStart + j + 1) });
        toks.push({ text: val, quoted: true, start: lineStart + i, end: lineStart + j + 1 });
        i = j + 1;
        continue;
      }
      if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',') {
        toks.push({ text: c, quoted: false, start: lineStart + i, end: lineStart + i + 1 });
        i++;
        continue;
      }
      let j = i;
      while (j < raw.length && !' \t\r()[],"`'.includes(raw.charAt(j)) && !raw.startsWith('//', j)) j++;
      toks.push({ text: raw.slice(i, j), quoted: false, start: lineStart + i, end: lineStart + j });
      i = j;
    }
    if (toks.length === 0) continue;
    const first = toks[0];
    if (blockVerb !== undefined) {
      if (toks.length === 1 && first !== undefined && first.text === ')' && !first.quoted) {
        blockVerb = undefined;
        continue;
      }
      lines.push({ verb: blockVerb, tokens: toks, comment, start: lineStart });
      continue;
    }
    const second = toks[1];
    const third = toks[2];
    if (toks.length === 3 && second?.text === '(' && !second.quoted && third?.text === ')' && !third.quoted) {
      continue; // `require ()`: an empty block
    }
    if (toks.length === 2 && first !== undefined && second?.text === '(' && !second.quoted) {
      blockVerb = first.text;
      blockStart = lineStart;
      continue;
    }
    if (first === undefined) continue;
    lines.push({ verb: first.text, tokens: toks.slice(1), comment, start: lineStart });
  }
  if (blockVerb !== undefined) {
    return err({ message: `unterminated ${blockVerb} block`, range: rangeAt(text, blockStart, blockStart) });
  }
  return ok(lines);
}

function badLine(text: string, line: Line, message: string): Result<never, ModFileError> {
  const first = line.tokens[0];
  const last = line.tokens[line.tokens.length - 1];
  return err({ message, range: rangeAt(text, first?.start ?? line.start, last?.end ?? line.start) });
}

function parseReplace(text: string, line: Line): Result<ModReplace, ModFileError> {
  const t = line.tokens.map((x) => x.text);
  const arrow = t.indexOf('=>');
  if (arrow !== 1 && arrow !== 2) return badLine(text, line, 'usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory');
  const oldPath = t[0] ?? '';
  const oldVersion = arrow === 2 ? t[1] : undefined;
  const rhs = t.slice(arrow + 1);
  const newPath = rhs[0];
  if (newPath === undefined || rhs.length > 2) return badLine(text, line, 'invalid replace: expected a module path and version or a directory');
  const local = isLocalModPath(newPath);
  if (rhs.length === 1 && !local) {
    return badLine(text, line, `replacement module without version must be directory path (rooted or starting with ./ or ../)`);
  }
  if (rhs.length === 2 && local) return badLine(text, line, 'replacement directory cannot have a version');
  return ok({ oldPath, oldVersion, newPath, newVersion: rhs[1], isLocal: local });
}

/** Parses a go.mod file. */
export function parseGoMod(text: string): Result<GoModFile, ModFileError> {
  const lexed = lexLines(text);
  if (!lexed.ok) return lexed;
  let module: string | undefined;
  let go: string | undefined;
  let goRange: SourceRange | undefined;
  let toolchain: string | undefined;
  const requires: ModRequire[] = [];
  const replaces: ModReplace[] = [];
  const excludes: { path: string; version: string }[] = [];
  const ignores: string[] = [];
  for (const line of lexed.value) {
    const t = line.tokens.map((x) => x.text);
    switch (line.verb) {
      case 'module':
        if (t.length !== 1 || t[0] === undefined) return badLine(text, line, 'usage: module module/path');
        module = t[0];
        break;
      case 'go':
        if (t.length !== 1 || line.tokens[0] === undefined) return badLine(text, line, 'usage: go 1.23');
        go = t[0];
        goRange = rangeAt(text, line.tokens[0].start, line.tokens[0].end);
        break;
      case 'toolchain':
        if (t.length !== 1) return badLine(text, line, 'usage: toolchain go1.23.4');
        toolchain = t[0];
        break;
      case 'require': {
        const [path, version] = t;
        if (t.length !== 2 || path === undefined || version === undefined) return badLine(text, line, 'usage: require module/path v1.2.3');
        requires.push({ path, version, indirect: /^indirect\b/.test(line.comment) });
        break;
      }
      case 'exclude': {
        const [path, version] = t;
        if (t.length !== 2 || path === undefined || version === undefined) return badLine(text, line, 'usage: exclude module/path v1.2.3');
        excludes.push({ path, version });
        break;
      }
      case 'replace': {
        const r = parseReplace(text, line);
        if (!r.ok) return r;
        replaces.push(r.value);
        break;
      }
      case 'ignore':
        if (t.length !== 1 || t[0] === undefined) return badLine(text, line, 'usage: ignore ./dir');
        ignores.push(t[0]);
        break;
      case 'retract':
      case 'godebug':
      case 'tool':
        break;
      default:
        return badLine(text, line, `unknown directive: ${line.verb ?? ''}`);
    }
  }
  return ok({ module, go, goRange, toolchain, requires, replaces, excludes, ignores });
}

/** Parses a go.work file. */
export function parseGoWork(text: string): Result<GoWorkFile, ModFileError> {
  const lexed = lexLines(text);
  if (!lexed.ok) return lexed;
  let go: string | undefined;
  let goRange: SourceRange | undefined;
  let toolchain: string | undefined;
  const use: string[] = [];
  const useRanges: SourceRange[] = [];
  const replaces: ModReplace[] = [];
  for (const line of lexed.value) {
    const t = line.tokens.map((x) => x.text);
    switch (line.verb) {
      case 'go':
        if (t.length !== 1 || line.tokens[0] === undefined) return badLine(text, line, 'usage: go 1.23');
        go = t[0];
        goRange = rangeAt(text, line.tokens[0].start, line.tokens[0].end);
        break;
      case 'toolchain':
        if (t.length !== 1) return badLine(text, line, 'usage: toolchain go1.23.4');
        toolchain = t[0];
        break;
      case 'use':
        if (t.length !== 1 || t[0] === undefined || line.tokens[0] === undefined) return badLine(text, line, 'usage: use local/dir');
        use.push(t[0]);
        useRanges.push(rangeAt(text, line.tokens[0].start, line.tokens[0].end));
        break;
      case 'replace': {
        const r = parseReplace(text, line);
        if (!r.ok) return r;
        replaces.push(r.value);
        break;
      }
      case 'godebug':
        break;
      default:
        return badLine(text, line, `unknown directive: ${line.verb ?? ''}`);
    }
  }
  return ok({ go, goRange, toolchain, use, useRanges, replaces });
}

export interface VendoredModule {
  readonly path: string;
  readonly version: string | undefined;
  /** `=> target [version]` on the module line. */
  readonly replacement?: { readonly path: string; readonly version?: string | undefined } | undefined;
  /** `## explicit` was present: the main module's go.mod requires it directly. */
  readonly explicit: boolean;
  /** The `go` version from `## explicit; go 1.21`, if any. */
  readonly goVersion?: string | undefined;
  /** Packages of this module copied into vendor/. */
  readonly packages: readonly string[];
}

export interface VendorManifest {
  readonly modules: readonly VendoredModule[];
  /** Vendored package import path → its module path. */
  readonly packageModule: ReadonlyMap<string, string>;
}

/** Parses vendor/modules.txt. Unknown `##` annotations and malformed lines are ignored, like cmd/go. */
export function parseVendorModules(text: string): VendorManifest {
  const modules: {
    path: string;
    version: string | undefined;
    replacement?: { path: string; version?: string | undefined } | undefined;
    explicit: boolean;
    goVersion?: string | undefined;
    packages: string[];
  }[] = [];
  const packageModule = new Map<string, string>();
  let current: (typeof modules)[number] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('# ')) {
      const f = line.slice(2).trim().split(/\s+/);
      const arrow = f.indexOf('=>');
      const lhs = arrow < 0 ? f : f.slice(0, arrow);
      const rhs = arrow < 0 ? [] : f.slice(arrow + 1);
      const path = lhs[0];
      if (path === undefined || path === '' || lhs.length > 2) {
        current = undefined;
        continue;
      }
      current = {
        path,
        version: lhs[1],
        replacement: rhs[0] === undefined ? undefined : { path: rhs[0], version: rhs[1] },
        explicit: false,
        packages: [],
      };
      modules.push(current);
      continue;
    }
    if (line.startsWith('## ')) {
      if (current === undefined) continue;
      for (const ann of line.slice(3).split(';')) {
        const a = ann.trim();
        if (a === 'explicit') current.explicit = true;
        else if (a.startsWith('go ')) current.goVersion = a.slice(3).trim();
      }
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const pkg = line.trim();
    if (current !== undefined) {
      current.packages.push(pkg);
      packageModule.set(pkg, current.path);
    }
  }
  return { modules, packageModule };
}

/** A Go version split as go's `internal/gover` splits it: major[.minor[.patch]][kind[pre]]. */
interface GoVersionParts {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  readonly kind: string;
  readonly pre: string;
}

/** A leading decimal without a needless leading zero, and the rest; undefined when there is none. */
function cutInt(x: string): [string, string] | undefined {
  const m = /^\d+/.exec(x);
  if (m === null || (m[0].length > 1 && m[0].startsWith('0'))) return undefined;
  return [m[0], x.slice(m[0].length)];
}

function parseGoVersion(x: string): GoVersionParts | undefined {
  const major = cutInt(x);
  if (major === undefined) return undefined;
  // "1" is 1.0.0.
  if (major[1] === '') return { major: major[0], minor: '0', patch: '0', kind: '', pre: '' };
  if (!major[1].startsWith('.')) return undefined;
  const minor = cutInt(major[1].slice(1));
  if (minor === undefined) return undefined;
  const base = { major: major[0], minor: minor[0] };
  // Before 1.21, "1.20" is the release 1.20.0; from 1.21 on, "1.21" is the language version,
  // below 1.21rc1 and 1.21.0.
  if (minor[1] === '') return { ...base, patch: compareDecimals(minor[0], '21') < 0 ? '0' : '', kind: '', pre: '' };
  if (minor[1].startsWith('.')) {
    const patch = cutInt(minor[1].slice(1));
    return patch === undefined || patch[1] !== '' ? undefined : { ...base, patch: patch[0], kind: '', pre: '' };
  }
  const m = /^([a-z]+)(.*)$/.exec(minor[1]);
  if (m === null) return undefined;
  const kind = m[1] ?? '';
  const rest = m[2] ?? '';
  if (rest === '') return { ...base, patch: '', kind, pre: '' };
  const pre = cutInt(rest);
  return pre === undefined || pre[1] !== '' ? undefined : { ...base, patch: '', kind, pre: pre[0] };
}

/** Compares decimal strings of any length (no leading zeros). */
function compareDecimals(x: string, y: string): number {
  if (x === y) return 0;
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : 1;
}

/**
 * Compares Go versions (`1.21`, `1.21.3`, `1.22rc1`, optionally written `go1.21`) as the go
 * command does (`internal/gover`): negative when a < b. The language version `1.21` sorts below
 * `1.21rc1`, which sorts below `1.21.0`; before 1.21, `1.20` equals `1.20.0`. Malformed versions
 * sort below well-formed ones and equal each other.
 */
export function compareGoVersions(a: string, b: string): number {
  const pa = parseGoVersion(a.startsWith('go') ? a.slice(2) : a);
  const pb = parseGoVersion(b.startsWith('go') ? b.slice(2) : b);
  if (pa === undefined || pb === undefined) return (pa === undefined ? 0 : 1) - (pb === undefined ? 0 : 1);
  for (const k of ['major', 'minor', 'patch'] as const) {
    const c = compareDecimals(pa[k], pb[k]);
    if (c !== 0) return c;
  }
  // "" < alpha < beta < rc.
  if (pa.kind !== pb.kind) return pa.kind < pb.kind ? -1 : 1;
  return compareDecimals(pa.pre, pb.pre);
}

/**
 * The Go version of a toolchain's `GOVERSION` (`go1.26.8` → `1.26.8`, custom suffixes after `-`
 * or a space dropped), as go's `gover.FromToolchain`; undefined for a development toolchain.
 */
export function toolchainGoVersion(goversion: string): string | undefined {
  if (!goversion.startsWith('go') || /[\\/]/.test(goversion)) return undefined;
  const v = goversion.slice(2).split(/[ \t-]/, 1)[0] ?? '';
  return parseGoVersion(v) === undefined ? undefined : v;
}

/** Compares semantic versions `vX.Y.Z[-pre][+meta]` (pseudo-versions included); negative when a < b. */
export function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
    if (m === null) return undefined;
    return { nums: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], pre: m[4] };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined || pb === undefined) {
    if (pa === undefined && pb === undefined) return a < b ? -1 : a > b ? 1 : 0;
    return pa === undefined ? -1 : 1;
  }
  for (let i = 0; i < 3; i++) {
    const d = (pa.nums[i] ?? 0) - (pb.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === undefined) return 1;
  if (pb.pre === undefined) return -1;
  const xa = pa.pre.split('.');
  const xb = pb.pre.split('.');
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const ia = xa[i] ?? '';
    const ib = xb[i] ?? '';
    if (ia === ib) continue;
    const na = /^\d+$/.test(ia);
    const nb = /^\d+$/.test(ib);
    if (na && nb) return ia.length !== ib.length ? ia.length - ib.length : ia < ib ? -1 : 1;
    if (na !== nb) return na ? -1 : 1;
    return ia < ib ? -1 : 1;
  }
  return xa.length - xb.length;
}

/**
 * Whether go.mod's `ignore` directories leave `dir` (relative to the module root, `/`-separated)
 * out of package patterns such as `./...`, as go decides (cmd/go/internal/search): `./x` ignores
 * x at the module root and everything under it, `x` every directory named x (or path ending in
 * x/…) anywhere in the module. Patterns are plain paths; go supports no wildcards there.
 */
export function ignoredByModule(ignores: readonly string[], dir: string): boolean {
  if (dir === '') return false;
  const norm = (p: string): string => `${p.startsWith('/') ? '' : '/'}${p}${p.endsWith('/') ? '' : '/'}`;
  const d = norm(dir);
  return ignores.some((pattern) => (pattern.startsWith('./') ? d.startsWith(norm(pattern.slice(2))) : d.includes(norm(pattern))));
}

