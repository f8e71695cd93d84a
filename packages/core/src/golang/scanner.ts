/**
 * Go's file selection rules: which files of a directory make up a package for one build
 * configuration, classified the way `go list` reports them (GoFiles, CgoFiles, IgnoredGoFiles,
 * TestGoFiles, XTestGoFiles, CFiles, HFiles, SFiles, SysoFiles, …). Mirrors go/build's
 * Context.Import as the go command runs it (through cmd/go/internal/modindex), including the
 * cmd/go adjustments made after it (C/C++/Objective-C/SWIG files dropped when cgo is disabled).
 *
 * This module does no I/O: the caller reads the directory and the headers (see `needsHeader`).
 */
import type { SourceRange } from '../types.js';
import { evalConstraint, parseConstraintLine, type ConstraintExpr } from './constraint.js';
import { compareGoStrings } from './go-strings.js';
import { spanRange, type GoFileHeader, type SourceSpan } from './header.js';
import { KNOWN_ARCH, KNOWN_OS, UNIX_OS } from './syslist.js';

export { parseGoFileHeader, parseOtherFileHeader, parseSourceFileHeader } from './header.js';
export type { GoEmbedPattern, GoFileHeader, GoImportSpec } from './header.js';

/** Everything besides the sources that decides which files are selected. */
export interface BuildContext {
  readonly goos: string;
  readonly goarch: string;
  readonly cgoEnabled: boolean;
  readonly compiler: 'gc';
  /** The toolchain version, e.g. `go1.26.8`; gives the release tags go1.1 … go1.26. */
  readonly goVersion: string;
  /** The value of the arch level variable for goarch (GOAMD64=v3, GOARM64=v8.2, …); default when absent. */
  readonly archLevel?: string | undefined;
  /** Enabled GOEXPERIMENT names (e.g. `greenteagc`); each satisfies `goexperiment.<name>`. */
  readonly experiments: readonly string[];
  /** User build tags (`-tags`). */
  readonly tags: readonly string[];
}

/** Release tags `go1.1` … `go1.N` for a toolchain version such as `go1.26.8` or `go1.27rc1`. */
export function releaseTags(goVersion: string): string[] {
  const m = /go1\.(\d+)/.exec(goVersion);
  const minor = m?.[1] === undefined ? 1 : Number(m[1]);
  const out: string[] = [];
  for (let i = 1; i <= minor; i++) out.push(`go1.${i}`);
  return out;
}

/**
 * The architecture feature tags cmd/go defines for a GOARCH and its level variable (Go's
 * internal/buildcfg gogoarchTags): amd64.v1…vN, arm.5…N, arm64.v8.0…, 386.sse2, ppc64.power8…,
 * riscv64.rva20u64…, mips.hardfloat, wasm.satconv/signext. Invalid levels fall back to the
 * default, as the go command would (after reporting an error).
 */
export function archFeatureTags(goarch: string, level: string | undefined): string[] {
  switch (goarch) {
    case '386':
      return [`386.${level === 'softfloat' ? 'softfloat' : 'sse2'}`];
    case 'amd64': {
      const v = /^v([1-4])$/.exec(level ?? '')?.[1];
      return range(1, Number(v ?? '1')).map((i) => `amd64.v${i}`);
    }
    case 'arm': {
      const base = (level ?? '').replace(/,(softfloat|hardfloat)$/, '');
      const v = /^[567]$/.test(base) ? Number(base) : 7;
      return range(5, v).map((i) => `arm.${i}`);
    }
    case 'arm64': {
      let v = level ?? 'v8.0';
      for (;;) {
        const stripped = v.replace(/,(lse|crypto)$/, '');
        if (stripped === v) break;
        v = stripped;
      }
      if (!/^v8\.[0-9]$|^v9\.[0-5]$/.test(v)) v = 'v8.0';
      const major = Number(v.charAt(1));
      const minor = Number(v.charAt(3));
      const out = range(0, minor).map((i) => `arm64.v${major}.${i}`);
      if (major === 9) out.push(...range(0, Math.min(minor + 5, 9)).map((i) => `arm64.v8.${i}`));
      return out;
    }
    case 'mips':
    case 'mipsle':
    case 'mips64':
    case 'mips64le':
      return [`${goarch}.${level === 'softfloat' ? 'softfloat' : 'hardfloat'}`];
    case 'ppc64':
    case 'ppc64le': {
      const v = /^power(8|9|10)$/.exec(level ?? '')?.[1];
      return range(8, Number(v ?? '8')).map((i) => `${goarch}.power${i}`);
    }
    case 'riscv64': {
      const v = /^rva(20|22|23)u64$/.exec(level ?? '')?.[1];
      const year = Number(v ?? '20');
      const out = ['riscv64.rva20u64'];
      if (year >= 22) out.push('riscv64.rva22u64');
      if (year >= 23) out.push('riscv64.rva23u64');
      return out;
    }
    case 'wasm':
      return ['wasm.satconv', 'wasm.signext'];
    default:
      return [];
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** Tool tags: `goexperiment.X` for each enabled experiment plus the arch feature tags. */
export function toolTags(ctx: BuildContext): string[] {
  return [
    ...ctx.experiments.map((e) => (e.startsWith('goexperiment.') ? e : `goexperiment.${e}`)),
    ...archFeatureTags(ctx.goarch, ctx.archLevel),
  ];
}

/** A predicate telling whether a build tag is satisfied (go/build's Context.matchTag). */
export type TagMatcher = (tag: string) => boolean;

const matcherCache = new WeakMap<BuildContext, TagMatcher>();

/** Returns the tag predicate for `ctx` (memoised per context object). */
export function tagMatcher(ctx: BuildContext): TagMatcher {
  const cached = matcherCache.get(ctx);
  if (cached !== undefined) return cached;
  const special = new Set<string>([ctx.goos, ctx.goarch, ctx.compiler]);
  if (ctx.cgoEnabled) special.add('cgo');
  if (ctx.goos === 'android') special.add('linux');
  if (ctx.goos === 'illumos') special.add('solaris');
  if (ctx.goos === 'ios') special.add('darwin');
  if (UNIX_OS.has(ctx.goos)) special.add('unix');
  const other = new Set<string>([...ctx.tags, ...toolTags(ctx), ...releaseTags(ctx.goVersion)]);
  const m: TagMatcher = (name) => {
    if (special.has(name)) return true;
    // "boringcrypto" is the old name of goexperiment.boringcrypto.
    return other.has(name === 'boringcrypto' ? 'goexperiment.boringcrypto' : name);
  };
  matcherCache.set(ctx, m);
  return m;
}

/**
 * Whether a file name's GOOS/GOARCH suffixes (`_linux`, `_arm64`, `_linux_arm64`, each
 * optionally followed by `_test`) allow it in this configuration. Only known GOOS/GOARCH values
 * count; everything before the first `_` is ignored (`linux.go` is not constrained).
 */
export function goodOSArchFile(name: string, match: TagMatcher): boolean {
  const dot = name.indexOf('.');
  let base = dot < 0 ? name : name.slice(0, dot);
  const us = base.indexOf('_');
  if (us < 0) return true;
  base = base.slice(us);
  const l = base.split('_');
  if (l.length > 0 && l[l.length - 1] === 'test') l.pop();
  const n = l.length;
  const last = l[n - 1] ?? '';
  const prev = l[n - 2] ?? '';
  if (n >= 2 && KNOWN_OS.has(prev) && KNOWN_ARCH.has(last)) {
    const a = match(last);
    const o = match(prev);
    return a && o;
  }
  if (n >= 1 && (KNOWN_OS.has(last) || KNOWN_ARCH.has(last))) return match(last);
  return true;
}

/** The extension as go/build sees it: from the last `.`, case-sensitive (`.S` ≠ `.s`). */
export function nameExt(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(i);
}

export type OtherFileList =
  | 'cFiles'
  | 'cxxFiles'
  | 'mFiles'
  | 'hFiles'
  | 'fFiles'
  | 'sFiles'
  | 'swigFiles'
  | 'swigCXXFiles'
  | 'sysoFiles';

/** go/build's fileListForExt: which list a non-Go source extension belongs to. */
export function fileListForExt(ext: string): OtherFileList | undefined {
  switch (ext) {
    case '.c':
      return 'cFiles';
    case '.cc':
    case '.cpp':
    case '.cxx':
      return 'cxxFiles';
    case '.m':
      return 'mFiles';
    case '.h':
    case '.hh':
    case '.hpp':
    case '.hxx':
      return 'hFiles';
    case '.f':
    case '.F':
    case '.for':
    case '.f90':
      return 'fFiles';
    case '.s':
    case '.S':
    case '.sx':
      return 'sFiles';
    case '.swig':
      return 'swigFiles';
    case '.swigcxx':
      return 'swigCXXFiles';
    case '.syso':
      return 'sysoFiles';
    default:
      return undefined;
  }
}

/** Whether `name` is a source file go/build looks at at all (not `_`/`.`-prefixed, known extension). */
export function isSourceFileName(name: string): boolean {
  if (name.startsWith('_') || name.startsWith('.')) return false;
  const ext = nameExt(name);
  return ext === '.go' || fileListForExt(ext) !== undefined;
}

/**
 * Whether the header of directory entry `name` must be read to classify it. Go files are always
 * read (the go command reports header errors even in files excluded by name); other sources only
 * when their name does not already exclude them; `.syso` files never.
 */
export function needsHeader(name: string, ctx: BuildContext): boolean {
  if (!isSourceFileName(name)) return false;
  if (name.endsWith('.go')) return true;
  if (nameExt(name) === '.syso') return false;
  return goodOSArchFile(name, tagMatcher(ctx));
}

const exprCache = new Map<string, ReturnType<typeof parseConstraintLine>>();

function parseCached(line: string): ReturnType<typeof parseConstraintLine> {
  let r = exprCache.get(line);
  if (r === undefined) {
    r = parseConstraintLine(line);
    if (exprCache.size > 10_000) exprCache.clear();
    exprCache.set(line, r);
  }
  return r;
}

export type MatchResult =
  | { readonly match: true }
  | { readonly match: false; readonly reason: 'not-source' | 'os-arch' | 'constraint' }
  | { readonly match: false; readonly reason: 'bad-constraint'; readonly message: string };

/**
 * go/build's file selection for one file: `_`/`.` prefixes and unknown extensions are not
 * source files; then GOOS/GOARCH name suffixes; then the `//go:build` line (or, without one,
 * every `// +build` line). `header` is needed for everything but `.syso` files.
 */
export function matchFile(fileName: string, header: GoFileHeader | undefined, ctx: BuildContext): MatchResult {
  if (!isSourceFileName(fileName)) return { match: false, reason: 'not-source' };
  const m = tagMatcher(ctx);
  if (!goodOSArchFile(fileName, m)) return { match: false, reason: 'os-arch' };
  if (header === undefined) return { match: true };
  const problem = header.readError ?? header.constraintError;
  if (problem !== undefined) {
    // A malformed constraint block in a non-Go file is treated as no constraint at all.
    if (!fileName.endsWith('.go')) return { match: true };
    return { match: false, reason: 'bad-constraint', message: problem };
  }
  return evalHeaderConstraints(header, m);
}

function evalHeaderConstraints(header: GoFileHeader, m: TagMatcher): MatchResult {
  if (header.goBuild !== undefined) {
    const parsed = parseCached(header.goBuild);
    if (!parsed.ok) {
      return { match: false, reason: 'bad-constraint', message: `parsing //go:build line: ${parsed.error.message}` };
    }
    return evalConstraint(parsed.expr, m) ? { match: true } : { match: false, reason: 'constraint' };
  }
  let ok = true;
  for (const line of header.plusBuild) {
    const parsed = parseCached(line);
    if (parsed.ok && !evalConstraint(parsed.expr, m)) ok = false;
  }
  return ok ? { match: true } : { match: false, reason: 'constraint' };
}

/** Evaluates a parsed constraint in a context (exposed for tools and tests). */
export function evalInContext(expr: ConstraintExpr, ctx: BuildContext): boolean {
  return evalConstraint(expr, tagMatcher(ctx));
}

// ---------------------------------------------------------------------------------------------

/** Where a pattern or import appears. */
export interface SourceRef {
  /** File name within the package directory. */
  readonly file: string;
  readonly span?: SourceSpan | undefined;
}

export type PackageFileErrorCode =
  | 'invalid-go-file'
  | 'bad-build-constraint'
  | 'mixed-packages'
  | 'cgo-in-test'
  | 'no-go-files'
  | 'c-without-cgo';

export interface PackageFileError {
  readonly code: PackageFileErrorCode;
  readonly message: string;
  readonly file?: string | undefined;
  readonly range?: SourceRange | undefined;
}

/** One directory's files, classified like go list's fields (file names, not paths). */
export interface PackageFiles {
  /** The package name; undefined when no Go file was selected. */
  readonly name: string | undefined;
  readonly goFiles: string[];
  readonly cgoFiles: string[];
  readonly ignoredGoFiles: string[];
  readonly invalidGoFiles: string[];
  readonly testGoFiles: string[];
  readonly xTestGoFiles: string[];
  readonly cFiles: string[];
  readonly cxxFiles: string[];
  readonly mFiles: string[];
  readonly hFiles: string[];
  readonly fFiles: string[];
  readonly sFiles: string[];
  readonly swigFiles: string[];
  readonly swigCXXFiles: string[];
  readonly sysoFiles: string[];
  readonly ignoredOtherFiles: string[];
  /** Import path → where it is imported, for GoFiles + CgoFiles. Sorted by path. */
  readonly imports: ReadonlyMap<string, readonly SourceRef[]>;
  readonly testImports: ReadonlyMap<string, readonly SourceRef[]>;
  readonly xTestImports: ReadonlyMap<string, readonly SourceRef[]>;
  readonly embedPatterns: ReadonlyMap<string, readonly SourceRef[]>;
  readonly testEmbedPatterns: ReadonlyMap<string, readonly SourceRef[]>;
  readonly xTestEmbedPatterns: ReadonlyMap<string, readonly SourceRef[]>;
  readonly binaryOnly: boolean;
  /** Problems that make the package unbuildable, first one first (like go list's Error). */
  readonly errors: readonly PackageFileError[];
}

export interface DirFile {
  readonly name: string;
  /** The header, for every file `needsHeader` asked for (required for Go files). */
  readonly header?: GoFileHeader | undefined;
}

/**
 * Classifies a directory's regular files (symlinks to files included, directories excluded) for
 * one configuration. `files` may be in any order; they are processed in Go's byte order, which
 * decides the package name when files disagree.
 */
export function classifyPackageFiles(files: readonly DirFile[], ctx: BuildContext): PackageFiles {
  const sorted = [...files].sort((a, b) => compareGoStrings(a.name, b.name));
  const m = tagMatcher(ctx);
  const lists = {
    goFiles: [] as string[],
    cgoFiles: [] as string[],
    ignoredGoFiles: [] as string[],
    invalidGoFiles: [] as string[],
    testGoFiles: [] as string[],
    xTestGoFiles: [] as string[],
    cFiles: [] as string[],
    cxxFiles: [] as string[],
    mFiles: [] as string[],
    hFiles: [] as string[],
    fFiles: [] as string[],
    sFiles: [] as string[],
    swigFiles: [] as string[],
    swigCXXFiles: [] as string[],
    sysoFiles: [] as string[],
    ignoredOtherFiles: [] as string[],
  };
  const errors: PackageFileError[] = [];
  const invalid = new Set<string>();
  const badGoFile = (e: PackageFileError & { file: string }): void => {
    errors.push(e);
    if (!invalid.has(e.file)) {
      invalid.add(e.file);
      lists.invalidGoFiles.push(e.file);
    }
  };
  const importPos = new Map<string, SourceRef[]>();
  const testImportPos = new Map<string, SourceRef[]>();
  const xTestImportPos = new Map<string, SourceRef[]>();
  const embedPos = new Map<string, SourceRef[]>();
  const testEmbedPos = new Map<string, SourceRef[]>();
  const xTestEmbedPos = new Map<string, SourceRef[]>();
  const upperS: string[] = [];
  let name: string | undefined;
  let firstFile = '';
  let binaryOnly = false;

  for (const f of sorted) {
    const file = f.name;
    if (!isSourceFileName(file)) continue;
    const ext = nameExt(file);
    const h = f.header;
    const isGo = ext === '.go';
    if (isGo && h !== undefined) {
      if (h.readError !== undefined) {
        badGoFile({ code: 'invalid-go-file', message: h.readError, file });
        continue;
      }
      if (h.constraintError !== undefined) {
        badGoFile({ code: 'invalid-go-file', message: `${file}: ${h.constraintError}`, file });
        continue;
      }
      if (h.parseError !== undefined) {
        badGoFile({ code: 'invalid-go-file', message: `${file}: ${h.parseError.message}`, file, range: h.parseError.range });
      }
    }

    let build = goodOSArchFile(file, m);
    if (build && h !== undefined && !(h.constraintError !== undefined && !isGo)) {
      const r = evalHeaderConstraints(h, m);
      if (!r.match && r.reason === 'bad-constraint') {
        errors.push({ code: 'bad-build-constraint', message: `${file}: ${r.message}`, file });
        build = false;
      } else {
        build = r.match;
      }
    }
    if (!build) {
      if (isGo) lists.ignoredGoFiles.push(file);
      else lists.ignoredOtherFiles.push(file);
      continue;
    }

    if (!isGo) {
      if (ext === '.S' || ext === '.sx') {
        upperS.push(file);
      } else {
        const list = fileListForExt(ext);
        if (list !== undefined) lists[list].push(file);
      }
      continue;
    }

    let pkg = h?.packageName ?? '';
    if (pkg === 'documentation') {
      lists.ignoredGoFiles.push(file);
      continue;
    }
    const isTest = file.endsWith('_test.go');
    let isXTest = false;
    if (isTest && pkg.endsWith('_test') && name !== pkg) {
      isXTest = true;
      pkg = pkg.slice(0, -'_test'.length);
    }
    if (!isTest && h?.binaryOnly === true) binaryOnly = true;
    if (name === undefined) {
      name = pkg;
      firstFile = file;
    } else if (pkg !== name) {
      badGoFile({
        code: 'mixed-packages',
        message: `found packages ${name} (${firstFile}) and ${pkg} (${file})`,
        file,
      });
    }

    const imports = h?.imports ?? [];
    let isCgo = false;
    for (const imp of imports) {
      if (imp.path !== 'C') continue;
      if (isTest) {
        badGoFile({ code: 'cgo-in-test', message: `use of cgo in test ${file} not supported`, file, range: spanRange(imp.span) });
        continue;
      }
      isCgo = true;
    }

    let fileList: string[];
    let importMap: Map<string, SourceRef[]> | undefined;
    let embedMap: Map<string, SourceRef[]> | undefined;
    if (isCgo) {
      if (ctx.cgoEnabled) {
        fileList = lists.cgoFiles;
        importMap = importPos;
        embedMap = embedPos;
      } else {
        // Imports and embeds of cgo files are ignored when cgo is disabled.
        fileList = lists.ignoredGoFiles;
      }
    } else if (isXTest) {
      fileList = lists.xTestGoFiles;
      importMap = xTestImportPos;
      embedMap = xTestEmbedPos;
    } else if (isTest) {
      fileList = lists.testGoFiles;
      importMap = testImportPos;
      embedMap = testEmbedPos;
    } else {
      fileList = lists.goFiles;
      importMap = importPos;
      embedMap = embedPos;
    }
    fileList.push(file);
    if (importMap !== undefined) for (const imp of imports) addRef(importMap, imp.path, { file, span: imp.span });
    if (embedMap !== undefined) for (const e of h?.embeds ?? []) addRef(embedMap, e.pattern, { file, span: e.span });
  }

  // .S/.sx files are compiled by the C compiler, so they only count in cgo packages.
  if (lists.cgoFiles.length > 0) {
    lists.sFiles.push(...upperS);
    lists.sFiles.sort(compareGoStrings);
  } else {
    lists.ignoredOtherFiles.push(...upperS);
    lists.ignoredOtherFiles.sort(compareGoStrings);
  }

  // cmd/go drops C-compiled sources when cgo is disabled, just like files importing "C".
  // .s (Go assembler), .h (may be used by .s) and .syso files stay.
  if (!ctx.cgoEnabled) {
    lists.cFiles.length = 0;
    lists.cxxFiles.length = 0;
    lists.mFiles.length = 0;
    lists.swigFiles.length = 0;
    lists.swigCXXFiles.length = 0;
  }

  const goCount = lists.goFiles.length + lists.cgoFiles.length + lists.testGoFiles.length + lists.xTestGoFiles.length;
  if (goCount === 0 && errors.length === 0) {
    const excluded = lists.ignoredGoFiles.length > 0 || lists.invalidGoFiles.length > 0;
    errors.push({
      code: 'no-go-files',
      message: excluded ? 'build constraints exclude all Go files' : 'no Go files',
    });
  }
  const usesCgo = lists.cgoFiles.length > 0;
  const usesSwig = lists.swigFiles.length + lists.swigCXXFiles.length > 0;
  if (!usesCgo && !usesSwig && errors.length === 0) {
    const kinds: [string[], string][] = [
      [lists.cFiles, 'C'],
      [lists.cxxFiles, 'C++'],
      [lists.mFiles, 'Objective-C'],
      [lists.fFiles, 'Fortran'],
    ];
    for (const [files, what] of kinds) {
      if (files.length > 0) {
        errors.push({
          code: 'c-without-cgo',
          message: `${what} source files not allowed when not using cgo or SWIG: ${files.join(' ')}`,
          file: files[0],
        });
        break;
      }
    }
  }

  return {
    name,
    ...lists,
    imports: sortKeys(importPos),
    testImports: sortKeys(testImportPos),
    xTestImports: sortKeys(xTestImportPos),
    embedPatterns: sortKeys(embedPos),
    testEmbedPatterns: sortKeys(testEmbedPos),
    xTestEmbedPatterns: sortKeys(xTestEmbedPos),
    binaryOnly,
    errors,
  };
}

function addRef(map: Map<string, SourceRef[]>, key: string, ref: SourceRef): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [ref]);
  else list.push(ref);
}

function sortKeys<V>(map: Map<string, V>): ReadonlyMap<string, V> {
  // Most of a package's six maps are empty (no tests, no embeds): nothing to sort or copy.
  if (map.size < 2) return map;
  return new Map([...map.entries()].sort((a, b) => compareGoStrings(a[0], b[0])));
}
