/**
 * The closure of workspace Go packages that root packages need, for one build configuration —
 * what `go list -deps` (and `go list -test -deps` with `includeTests`) would report for the
 * packages inside the workspace. Standard-library and external-module packages are leaves: they
 * are recorded (std import paths, external module versions) but not scanned. Vendored packages
 * are scanned like workspace packages, since their files are inputs too.
 *
 * File system access goes through the injected `GoIO`; each directory is read at most once per
 * call. Where the IO can answer without a promise (`readdirSync`/`readHeaderSync`: the real disk
 * and the planner's stat-cache IO can), the walk takes its answers so, one package after the
 * other: on a repository of tens of thousands of files, a chain of promises per file cost more
 * than the reads. Other IO is read concurrently (bounded).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Location, WorkspacePath } from '../types.js';
import { isIgnoredName, joinWorkspacePath, workspaceParent } from '../util/fs-paths.js';
import { err, ok, type Result } from '../util/result.js';
import { includeSearchDirs, resolveCIncludes, resolveCLibraries } from './c-includes.js';
import { resolveEmbedPatterns, type EmbedError, type ResolvedEmbeds } from './embed.js';
import { closureSets, type Closure, type ClosureSets } from './closure-sets.js';
import { compareGoStrings, sortedUnique, sortGoStrings } from './go-strings.js';

/** Joins a clean workspace directory and a file name (faster than a normalising join). */
function joinRel(dir: WorkspacePath, name: string): WorkspacePath {
  return dir === '' ? name : `${dir}/${name}`;
}
import { spanRange, type GoFileHeader } from './header.js';
import { isListedFile, NOT_SYNC, type GoDirEntry, type GoIO } from './io.js';
import { limiter } from './limit.js';
import { externalLinkingReason } from './platform.js';
import type { ExternalSource } from './external.js';
import type { StandardLibrary } from './toolchain.js';
import type { GoModule, ImportResolution, ModuleSet } from './modules.js';
import {
  classifyPackageFiles,
  needsHeader,
  type BuildContext,
  type DirFile,
  type PackageFiles,
  type SourceRef,
} from './scanner.js';

export interface GoPackage {
  readonly importPath: string;
  readonly dir: WorkspacePath;
  /** The module the package belongs to; for a vendored package, the main module vendoring it. */
  readonly module: GoModule;
  /** The package lives in a vendor/ directory. */
  readonly vendored: boolean;
  readonly name: string;
  // File lists hold names within `dir`, like go list.
  readonly goFiles: readonly string[];
  readonly cgoFiles: readonly string[];
  readonly ignoredGoFiles: readonly string[];
  readonly invalidGoFiles: readonly string[];
  readonly cFiles: readonly string[];
  readonly cxxFiles: readonly string[];
  readonly mFiles: readonly string[];
  readonly hFiles: readonly string[];
  readonly fFiles: readonly string[];
  readonly sFiles: readonly string[];
  readonly swigFiles: readonly string[];
  readonly swigCXXFiles: readonly string[];
  readonly sysoFiles: readonly string[];
  readonly ignoredOtherFiles: readonly string[];
  /** Every non-Go file the build reads: C/C++/ObjC/H/Fortran/assembly/SWIG/syso, sorted. */
  readonly otherFiles: readonly string[];
  readonly embedPatterns: readonly string[];
  /** Embedded files relative to `dir`, sorted (go list's EmbedFiles). */
  readonly embedFiles: readonly string[];
  readonly testGoFiles: readonly string[];
  readonly xTestGoFiles: readonly string[];
  readonly testEmbedPatterns: readonly string[];
  readonly xTestEmbedPatterns: readonly string[];
  /** Resolved only for root packages loaded with `includeTests` (like go list -test). */
  readonly testEmbedFiles: readonly string[];
  readonly xTestEmbedFiles: readonly string[];
  /** Import paths of GoFiles + CgoFiles (including "C"), sorted. */
  readonly imports: readonly string[];
  readonly testImports: readonly string[];
  readonly xTestImports: readonly string[];
  /**
   * Files outside the package's own sources that its C code includes, and libraries its
   * `#cgo LDFLAGS` link from the workspace (c-includes.ts): go's build cache does not see them,
   * so a build must make go recompile the package when they change. Workspace paths, sorted;
   * empty for packages without cgo files.
   */
  readonly cgoExtraFiles: readonly WorkspacePath[];
  /**
   * Every file the toolchain reads to compile the package in this configuration: Go and cgo
   * files, the non-Go files that apply, embedded files, and `cgoExtraFiles`. Workspace paths,
   * sorted.
   */
  readonly inputFiles: readonly WorkspacePath[];
  /**
   * What testing the package adds (root packages with `includeTests` only): test files, test
   * embeds and every file under the package's testdata/ directory. Workspace paths, sorted.
   */
  readonly testInputFiles: readonly WorkspacePath[];
}

export interface GoRootClosure {
  /** The root package directory as requested. */
  readonly dir: WorkspacePath;
  readonly importPath: string;
  /** The main module of this root's build (in workspace mode: the root's own module). */
  readonly mainModule: GoModule;
  readonly includesTests: boolean;
  /** Import path → directory of every workspace/vendored package in the closure, root included. */
  readonly packages: ReadonlyMap<string, WorkspacePath>;
  /** External module path → version (undefined when unknown) imported from the closure. */
  readonly externalModules: ReadonlyMap<string, string | undefined>;
  /** Standard-library packages imported directly from the closure, sorted. */
  readonly std: readonly string[];
  /** The union of the closure's inputFiles (plus the root's testInputFiles with tests), sorted. */
  readonly inputFiles: readonly WorkspacePath[];
  /** Modules whose packages are in the closure. */
  readonly modules: readonly GoModule[];
  /** `ModuleSet.stateFiles` for those modules: go.work/go.mod/go.sum/modules.txt to hash. */
  readonly moduleStateFiles: readonly WorkspacePath[];
}

export interface PackageGraph {
  /** Every package loaded, sorted by directory. */
  readonly packages: readonly GoPackage[];
  /** The same packages by directory. */
  readonly packageByDir: ReadonlyMap<WorkspacePath, GoPackage>;
  /** Every module a loaded package belongs to, sorted by directory. */
  readonly modules: readonly GoModule[];
  /** One closure per requested root, in request order. */
  readonly roots: readonly GoRootClosure[];
  /** External modules imported anywhere in the graph. */
  readonly externalModules: ReadonlyMap<string, string | undefined>;
  /** Standard-library packages imported anywhere in the graph. */
  readonly std: ReadonlySet<string>;
  /**
   * For an external module the graph's packages import, the external modules (`path@version`)
   * on the way to local packages whose files are not in the module cache: whether they import
   * local packages, and which, is unknown. Empty when everything needed was read.
   */
  readonly unreadVia: ReadonlyMap<string, readonly string[]>;
  /**
   * Directories whose every name counts, ignored ones (`isIgnoredName`) too: those embed patterns
   * matched against (`dir/*` matches `.keep` and `main.go~`), those a C include or a linked file
   * named an ignored name in, and testdata. Elsewhere such names are nothing to go (see
   * snapshot/observations.ts).
   */
  readonly wholeListingDirs: ReadonlySet<WorkspacePath>;
  /** Non-fatal findings. */
  readonly warnings: readonly Diagnostic[];
}

export interface LoadGoPackagesRequest {
  /** Package directories (workspace-relative). */
  readonly roots: readonly WorkspacePath[];
  readonly ctx: BuildContext;
  readonly modules: ModuleSet;
  /** Add test files and test imports of the roots (only), like `go list -test`. */
  readonly includeTests?: boolean | undefined;
  /**
   * Where to read the imports of external packages from (external.ts), to find the packages of
   * local modules that only external ones import; without it, external packages are not read.
   */
  readonly external?: ExternalSource | undefined;
  /**
   * The toolchain's standard library (`standardLibrary` in toolchain.ts): an import gob takes for
   * the standard library that it does not have is an error, as in go. Without it, every such
   * import is accepted.
   */
  readonly standardLibrary?: StandardLibrary | undefined;
}

export interface LoadGoPackagesOptions {
  /** Maximum concurrent I/O calls (default 32). */
  readonly concurrency?: number | undefined;
}

type Edge =
  | {
      readonly kind: 'pkg';
      readonly dir: WorkspacePath;
      readonly importPath: string;
      /** The importing package's directory and where it imports this (for cycle diagnostics). */
      readonly fromDir: WorkspacePath;
      readonly ref: SourceRef | undefined;
    }
  | { readonly kind: 'std'; readonly importPath: string }
  | {
      readonly kind: 'external';
      readonly modulePath: string;
      readonly version: string | undefined;
      /** Where go takes the module's files from when go.mod replaces it with another module version. */
      readonly replacement?: { readonly path: string; readonly version?: string | undefined } | undefined;
    }
  | { readonly kind: 'none' };

type PkgState =
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'found';
      readonly dir: WorkspacePath;
      readonly importPath: string;
      readonly module: GoModule;
      readonly vendored: boolean;
      readonly files: PackageFiles;
      readonly embeds: ResolvedEmbeds | undefined;
      readonly cgoExtra: readonly WorkspacePath[] | undefined;
    };

type FoundPkg = Extract<PkgState, { kind: 'found' }>;

interface BuildState {
  readonly key: string;
  /** The main module whose requirements decide resolution (modules mode), or undefined. */
  readonly main: GoModule | undefined;
  /** dir → import path → edge, for GoFiles/CgoFiles imports. */
  readonly edges: Map<WorkspacePath, Map<string, Edge>>;
  /** dir → import path → edge, for test and xtest imports of roots. */
  readonly testEdges: Map<WorkspacePath, { test: Map<string, Edge>; xtest: Map<string, Edge> }>;
}

/** A directory's entries; undefined when it does not exist. */
type Listing = readonly GoDirEntry[] | undefined;

const EMPTY_EMBEDS: ResolvedEmbeds = { files: [], paths: [], byPattern: new Map() };
const NO_EDGE: Edge = { kind: 'none' };

/** An external module as resolution gives it: its path and version, and what go.mod replaces it with. */
interface ExternalModuleRef {
  readonly modulePath: string;
  readonly version?: string | undefined;
  readonly replacement?: { readonly path: string; readonly version?: string | undefined } | undefined;
}

/** The module whose files go reads for `m` (its replacement's, when it has one), if known. */
function filesOf(m: ExternalModuleRef): { path: string; version: string } | undefined {
  const path = m.replacement?.path ?? m.modulePath;
  const version = m.replacement === undefined ? m.version : m.replacement.version;
  return version === undefined ? undefined : { path, version };
}

/** Whether a listing has a `.go` file: for go, a directory that may hold a package (fsys.IsGoDir). */
function hasGoFile(entries: readonly GoDirEntry[] | undefined): boolean {
  return entries?.some((e) => e.isFile && e.name.endsWith('.go')) === true;
}

/** `f(x)`, after `x` resolves if it is a promise: lets a step go on without one when it can. */
function then<T, U>(x: T | Promise<T>, f: (v: T) => U | Promise<U>): U | Promise<U> {
  return x instanceof Promise ? x.then(f) : f(x);
}

/** Loads the package graph for `req.roots`. Errors anywhere in the closure fail the whole load. */
export async function loadGoPackages(
  req: LoadGoPackagesRequest,
  io: GoIO,
  opts: LoadGoPackagesOptions = {},
): Promise<Result<PackageGraph, Diagnostic[]>> {
  const { ctx, modules } = req;
  const limit = limiter(opts.concurrency ?? 32);
  const diagnostics: Diagnostic[] = [];
  const diagKeys = new Set<string>();
  const report = (d: Diagnostic): void => {
    const key = `${d.code}\0${d.message}\0${d.location?.file ?? ''}\0${d.location?.range?.start.offset ?? ''}`;
    if (diagKeys.has(key)) return;
    diagKeys.add(key);
    diagnostics.push(d);
  };

  /** Each directory's listing: the listing itself when it was answered without a promise. */
  const dirMemo = new Map<WorkspacePath, Listing | Promise<Listing>>();
  const readdirFailed = (dir: WorkspacePath, e: unknown): void => {
    report({ severity: 'error', code: 'io-error', message: `reading directory ${dir || '.'}: ${errorText(e)}`, location: { file: dir || '.' } });
  };
  // Where the IO can answer without a promise, it does: planning asks for tens of thousands of
  // files, and a chain of promises per file costs more than reading it.
  const readdirSync = io.readdirSync;
  const readHeaderSync = io.readHeaderSync;
  /** The listing without a promise, or NOT_SYNC when it is (or must be) read through one. */
  const listNow = (dir: WorkspacePath): Listing | typeof NOT_SYNC => {
    if (dirMemo.has(dir)) {
      const known = dirMemo.get(dir);
      return known instanceof Promise ? NOT_SYNC : known;
    }
    if (readdirSync === undefined) return NOT_SYNC;
    let entries: Listing | typeof NOT_SYNC;
    try {
      entries = readdirSync(dir);
    } catch (e) {
      readdirFailed(dir, e);
      entries = undefined;
    }
    if (entries !== NOT_SYNC) dirMemo.set(dir, entries);
    return entries;
  };
  const readdir = (dir: WorkspacePath): Promise<Listing> => {
    const now = listNow(dir);
    if (now !== NOT_SYNC) return Promise.resolve(now);
    let p = dirMemo.get(dir) as Promise<Listing> | undefined;
    if (p === undefined) {
      p = limit(() => io.readdir(dir)).catch((e: unknown) => {
        readdirFailed(dir, e);
        return undefined;
      });
      dirMemo.set(dir, p);
    }
    return p;
  };
  const wholeListingDirs = new Set<WorkspacePath>();
  // What embed patterns list: every name counts there.
  const embedIO = {
    readdir: (dir: WorkspacePath): Promise<Listing> => {
      wholeListingDirs.add(dir);
      return readdir(dir);
    },
  };

  const headerFailed = (path: WorkspacePath, e: unknown): GoFileHeader => {
    const message = `read ${path}: ${errorText(e)}`;
    if (path.endsWith('.go')) return { imports: [], plusBuild: [], cgo: false, embeds: [], binaryOnly: false, readError: message };
    report({ severity: 'warning', code: 'io-error', message, location: { file: path } });
    return { imports: [], plusBuild: [], cgo: false, embeds: [], binaryOnly: false };
  };
  const readHeader = async (path: WorkspacePath): Promise<GoFileHeader> => {
    try {
      return await limit(() => io.readHeader(path));
    } catch (e) {
      return headerFailed(path, e);
    }
  };
  const headerNow = (path: WorkspacePath): GoFileHeader | typeof NOT_SYNC => {
    if (readHeaderSync === undefined) return NOT_SYNC;
    try {
      return readHeaderSync(path);
    } catch (e) {
      return headerFailed(path, e);
    }
  };

  // --- loading one directory ------------------------------------------------------------------
  const pkgMemo = new Map<WorkspacePath, PkgState | Promise<PkgState>>();
  const loadPkg = (dir: WorkspacePath, importPath: string, module: GoModule, vendored: boolean): PkgState | Promise<PkgState> => {
    let p = pkgMemo.get(dir);
    if (p === undefined) {
      p = scanPackage(dir, importPath, module, vendored);
      pkgMemo.set(dir, p);
    }
    return p;
  };

  /** Scans a directory without a promise where the IO allows, else through `scanPackageAsync`. */
  const scanPackage = (dir: WorkspacePath, importPath: string, module: GoModule, vendored: boolean): PkgState | Promise<PkgState> => {
    const entries = listNow(dir);
    if (entries === NOT_SYNC) return scanPackageAsync(dir, importPath, module, vendored);
    if (entries === undefined) return { kind: 'missing' };
    const files: DirFile[] = [];
    for (const e of entries) {
      if (!e.isFile) continue;
      if (!needsHeader(e.name, ctx)) {
        files.push({ name: e.name });
        continue;
      }
      const header = headerNow(joinRel(dir, e.name));
      if (header === NOT_SYNC) return scanPackageAsync(dir, importPath, module, vendored);
      files.push({ name: e.name, header });
    }
    return classified(dir, importPath, module, vendored, files);
  };

  const scanPackageAsync = async (dir: WorkspacePath, importPath: string, module: GoModule, vendored: boolean): Promise<PkgState> => {
    const entries = await readdir(dir);
    if (entries === undefined) return { kind: 'missing' };
    const files: DirFile[] = await Promise.all(
      entries
        .filter((e) => e.isFile)
        .map(async (e): Promise<DirFile> => {
          if (!needsHeader(e.name, ctx)) return { name: e.name };
          return { name: e.name, header: await readHeader(joinRel(dir, e.name)) };
        }),
    );
    return classified(dir, importPath, module, vendored, files);
  };

  /** A scanned directory's package; a promise only when it embeds files (resolving patterns lists directories). */
  const classified = (dir: WorkspacePath, importPath: string, module: GoModule, vendored: boolean, files: readonly DirFile[]): PkgState | Promise<PkgState> => {
    const pf = classifyPackageFiles(files, ctx);
    for (const e of pf.errors) {
      if (e.code === 'no-go-files') continue; // reported where the package is used
      report({ severity: 'error', code: e.code, message: `package ${importPath}: ${e.message}`, location: fileLocation(dir, e.file, e.range) });
    }
    const found = (embeds: ResolvedEmbeds | undefined, cgoExtra: readonly WorkspacePath[] | undefined): PkgState => ({
      kind: 'found',
      dir,
      importPath,
      module,
      vendored,
      files: pf,
      embeds,
      cgoExtra,
    });
    const includes = pf.cgoFiles.length === 0 ? undefined : cgoExtraOf(dir, pf, files);
    if (pf.embedPatterns.size === 0) return includes === undefined ? found(undefined, undefined) : includes.then((inc) => found(undefined, inc));
    const embeds = resolveEmbedPatterns(dir, [...pf.embedPatterns.keys()], embedIO).then((r) => {
      if (r.ok) return r.value;
      reportEmbedError(importPath, dir, r.error, pf.embedPatterns);
      return undefined;
    });
    return Promise.all([embeds, includes]).then(([e, inc]) => found(e, inc));
  };

  /** The files a cgo package's C code includes, and the libraries it links, from elsewhere in the workspace (c-includes.ts). */
  const cgoExtraOf = async (dir: WorkspacePath, pf: PackageFiles, files: readonly DirFile[]): Promise<WorkspacePath[]> => {
    const headers = new Map<string, GoFileHeader>();
    for (const f of files) if (f.header !== undefined) headers.set(f.name, f.header);
    const seeds: { path: WorkspacePath; header: GoFileHeader }[] = [];
    for (const name of [...pf.cgoFiles, ...pf.cFiles, ...pf.cxxFiles, ...pf.mFiles, ...pf.hFiles, ...pf.fFiles, ...pf.sFiles]) {
      const header = headers.get(name);
      if (header !== undefined) seeds.push({ path: joinRel(dir, name), header });
    }
    const rawDirs = pf.cgoFiles.flatMap((n) => headers.get(n)?.cIncludeDirs ?? []);
    const own = new Set<WorkspacePath>([...pf.goFiles, ...pf.cgoFiles, ...pf.cFiles, ...pf.cxxFiles, ...pf.mFiles, ...pf.hFiles, ...pf.fFiles, ...pf.sFiles, ...pf.swigFiles, ...pf.swigCXXFiles, ...pf.sysoFiles].map((n) => joinRel(dir, n)));
    const isFile = (path: WorkspacePath): Promise<boolean> => {
      if (isIgnoredName(path)) wholeListingDirs.add(workspaceParent(path));
      return isListedFile(readdir, path);
    };
    const included = await resolveCIncludes(seeds, includeSearchDirs(dir, rawDirs), own, { isFile, header: (path) => readHeader(path) });
    const libDirs = pf.cgoFiles.flatMap((n) => headers.get(n)?.cLibDirs ?? []);
    const libFiles = pf.cgoFiles.flatMap((n) => headers.get(n)?.cLibFiles ?? []);
    if (libDirs.length === 0 && libFiles.length === 0) return included;
    const linked = await resolveCLibraries(dir, libDirs, libFiles, { isFile, list: readdir });
    return sortedUnique([...included, ...linked.filter((p) => !own.has(p))]);
  };

  const reportEmbedError = (importPath: string, dir: WorkspacePath, e: EmbedError, where: ReadonlyMap<string, readonly SourceRef[]>): void => {
    const ref = where.get(e.pattern)?.[0];
    report({ severity: 'error', code: 'embed-pattern', message: `package ${importPath}: ${e.message}`, location: refLocation(dir, ref) });
  };

  // --- walking ----------------------------------------------------------------------------------
  const builds = new Map<string, BuildState>();
  const buildFor = (main: GoModule | undefined): BuildState => {
    const key = modules.mode === 'workspace' || main === undefined ? '' : `${main.dir}\0${main.path}`;
    let b = builds.get(key);
    if (b === undefined) {
      b = { key, main: modules.mode === 'workspace' ? undefined : main, edges: new Map(), testEdges: new Map() };
      builds.set(key, b);
    }
    return b;
  };

  // Visits to make: a function is a visit not started yet (run by the drain loop below, so a
  // deep graph does not recurse), a promise one that waits for I/O.
  const tasks: (Promise<void> | (() => void))[] = [];
  const visited = new Set<string>();
  const testEmbeds = new Map<WorkspacePath, { test: ResolvedEmbeds; xtest: ResolvedEmbeds }>();
  const testdata = new Map<WorkspacePath, WorkspacePath[]>();

  const visit = (b: BuildState, dir: WorkspacePath, importPath: string, module: GoModule, vendored: boolean, withTests: boolean): void => {
    const key = `${b.key}\0${dir}\0${withTests ? 't' : ''}`;
    if (visited.has(key)) return;
    visited.add(key);
    const failed = (e: unknown): void => {
      report({ severity: 'error', code: 'io-error', message: `loading ${importPath}: ${errorText(e)}`, location: { file: dir || '.' } });
    };
    tasks.push(() => {
      try {
        const r = visitPackage(b, dir, importPath, module, vendored, withTests);
        if (r !== undefined) tasks.push(r.catch(failed));
      } catch (e) {
        failed(e);
      }
    });
  };

  const visitPackage = (b: BuildState, dir: WorkspacePath, importPath: string, module: GoModule, vendored: boolean, withTests: boolean): void | Promise<void> =>
    then(loadPkg(dir, importPath, module, vendored), (st) => {
      if (st.kind === 'missing') return undefined;
      const edges = b.edges.has(dir) ? undefined : resolveEdges(b, st, st.files.imports, false);
      return then(edges, (m) => {
        if (m !== undefined && !b.edges.has(dir)) b.edges.set(dir, m);
        return withTests ? visitTests(b, st) : undefined;
      });
    });

  const visitTests = async (b: BuildState, st: FoundPkg): Promise<void> => {
    const dir = st.dir;
    if (!b.testEdges.has(dir)) {
      const test = await resolveEdges(b, st, st.files.testImports, true);
      const xtest = await resolveEdges(b, st, st.files.xTestImports, true);
      b.testEdges.set(dir, { test, xtest });
      if (!testEmbeds.has(dir)) {
        testEmbeds.set(dir, {
          test: await resolveTestEmbeds(st, st.files.testEmbedPatterns),
          xtest: await resolveTestEmbeds(st, st.files.xTestEmbedPatterns),
        });
      }
      if (!testdata.has(dir)) testdata.set(dir, await listTestdata(dir));
    }
  };

  const resolveTestEmbeds = async (st: FoundPkg, patterns: ReadonlyMap<string, readonly SourceRef[]>): Promise<ResolvedEmbeds> => {
    if (patterns.size === 0) return EMPTY_EMBEDS;
    const r = await resolveEmbedPatterns(st.dir, [...patterns.keys()], embedIO);
    if (r.ok) return r.value;
    reportEmbedError(st.importPath, st.dir, r.error, patterns);
    return EMPTY_EMBEDS;
  };

  const listTestdata = async (dir: WorkspacePath): Promise<WorkspacePath[]> => {
    const out: WorkspacePath[] = [];
    const walk = async (d: WorkspacePath): Promise<void> => {
      wholeListingDirs.add(d);
      const entries = await readdir(d);
      if (entries === undefined) return;
      await Promise.all(
        entries.map(async (e) => {
          const p = joinWorkspacePath(d, e.name);
          if (e.isDir && !e.isSymlink) await walk(p);
          else if (e.isFile) out.push(p);
        }),
      );
    };
    await walk(joinWorkspacePath(dir, 'testdata'));
    return out.sort(compareGoStrings);
  };

  /** The edges of `imports`, in import order; a promise only if some import needs I/O that cannot be done without one. */
  const resolveEdges = (b: BuildState, from: FoundPkg, imports: ReadonlyMap<string, readonly SourceRef[]>, forTest: boolean): Map<string, Edge> | Promise<Map<string, Edge>> => {
    const keys: string[] = [];
    const edges: Edge[] = [];
    const waits: Promise<void>[] = [];
    for (const [imp, refs] of imports) {
      const e = resolveEdge(b, from, imp, refs, forTest);
      const i = keys.push(imp) - 1;
      if (e instanceof Promise) {
        edges.push(NO_EDGE); // replaced below
        waits.push(
          e.then((done) => {
            edges[i] = done;
          }),
        );
      } else {
        edges.push(e);
      }
    }
    const mapOf = (): Map<string, Edge> => new Map(edges.map((e, i) => [keys[i] ?? '', e]));
    // Packages of local modules that the external packages imported here import (external.ts):
    // go builds them from the checkout, so they are edges of this package too, under keys no
    // import path has.
    const withVia = (): Map<string, Edge> | Promise<Map<string, Edge>> => {
      if (forTest || req.external === undefined) return mapOf();
      const viaWaits: Promise<void>[] = [];
      const direct = edges.length;
      for (let i = 0; i < direct; i++) {
        const e = edges[i] as Edge;
        if (e.kind !== 'external') continue;
        const imp = keys[i] ?? '';
        for (const local of localsThrough(b, from, imp, e)) {
          const via = viaEdge(b, from, local, imports.get(imp)?.[0]);
          const j = keys.push(`${imp}\0${local}`) - 1;
          if (via instanceof Promise) {
            edges.push(NO_EDGE);
            viaWaits.push(
              via.then((done) => {
                edges[j] = done;
              }),
            );
          } else {
            edges.push(via);
          }
        }
      }
      return viaWaits.length === 0 ? mapOf() : Promise.all(viaWaits).then(mapOf);
    };
    return waits.length === 0 ? withVia() : Promise.all(waits).then(withVia);
  };

  /**
   * The import paths of local packages that the external package `imp` imports, directly or
   * through other external packages, when `imp` is external and its module can import local ones.
   */
  const viaMemo = new Map<string, readonly string[]>();
  const unreadVia = new Map<string, Set<string>>();
  // The workspace's modules that are local for a main module: all of them in a go.work; without
  // one, the main module and those its go.mod replaces with their directories.
  const localsByMain = new Map<GoModule, ReadonlySet<string>>();
  const localsFor = (main: GoModule): ReadonlySet<string> => {
    let set = localsByMain.get(main);
    if (set === undefined) {
      set = new Set(modules.modules.map((m) => m.path).filter((p) => modules.resolveImport(p, main).kind === 'local'));
      localsByMain.set(main, set);
    }
    return set;
  };
  const localsThrough = (b: BuildState, from: FoundPkg, imp: string, first: ExternalModuleRef): readonly string[] => {
    const ext = req.external;
    if (ext === undefined) return [];
    const memoKey = `${b.key}\0${imp}`;
    const memo = viaMemo.get(memoKey);
    if (memo !== undefined) return memo;
    const main = b.main ?? from.module;
    const locals = localsFor(main);
    const found = new Set<string>();
    const queue: { importPath: string; module: ExternalModuleRef }[] = [];
    const seen = new Set<string>([imp]);
    const unread = (at: { path: string; version: string }): void => {
      const via = unreadVia.get(first.modulePath) ?? new Set<string>();
      via.add(`${at.path}@${at.version}`);
      unreadVia.set(first.modulePath, via);
    };
    const enqueue = (importPath: string, module: ExternalModuleRef): void => {
      const at = filesOf(module);
      if (at === undefined) return;
      const may = ext.mayImportLocal(at.path, at.version, locals);
      if (may === undefined) unread(at);
      else if (may) queue.push({ importPath, module });
    };
    enqueue(imp, first);
    for (let i = 0; i < queue.length; i++) {
      const q = queue[i] as (typeof queue)[number];
      const at = filesOf(q.module) as { path: string; version: string };
      const imports = ext.importsOf(q.importPath, q.module.modulePath, at.path, at.version, ctx);
      if (imports === undefined) unread(at);
      for (const next of imports ?? []) {
        if (next === 'C' || seen.has(next)) continue;
        seen.add(next);
        const res = modules.resolveImport(next, main);
        if (res.kind === 'local' || res.kind === 'vendor') found.add(next);
        else if (res.kind === 'external') enqueue(next, res);
      }
    }
    const out = sortGoStrings([...found]);
    viaMemo.set(memoKey, out);
    return out;
  };

  /**
   * The edge to a local package that an external package imports. Nothing is reported: go checks
   * that import against the external package, and a broken one fails go's build by itself.
   */
  const viaEdge = (b: BuildState, from: FoundPkg, imp: string, ref: SourceRef | undefined): Edge | Promise<Edge> =>
    then(settle(modules.resolveImport(imp, b.main ?? from.module)), (res) => viaEdgeTo(b, from, imp, ref, res));
  const viaEdgeTo = (b: BuildState, from: FoundPkg, imp: string, ref: SourceRef | undefined, res: ImportResolution): Edge | Promise<Edge> => {
    if (res.kind !== 'local' && res.kind !== 'vendor') return NO_EDGE;
    const vendored = res.kind === 'vendor';
    const module = res.kind === 'local' ? res.module : (b.main ?? from.module);
    return then(loadPkg(res.dir, imp, module, vendored), (target): Edge => {
      if (target.kind === 'missing' || target.files.goFiles.length + target.files.cgoFiles.length === 0) return NO_EDGE;
      visit(b, res.dir, imp, module, vendored, false);
      return { kind: 'pkg', dir: res.dir, importPath: imp, fromDir: from.dir, ref };
    });
  };

  /**
   * Of a local resolution and the ones go would try after it (`otherwise`), the first whose
   * directory is in its module and has a `.go` file — or the last, whose problem is then reported.
   */
  const settle = (res: ImportResolution): ImportResolution | Promise<ImportResolution> => {
    if (res.kind !== 'local' || res.otherwise === undefined) return res;
    const next = res.otherwise;
    return then(nestedModuleDir(res.module.dir, res.dir), (nested) => {
      if (nested !== undefined) return settle(next);
      const now = listNow(res.dir);
      return then(now === NOT_SYNC ? readdir(res.dir) : now, (entries) => (hasGoFile(entries) ? res : settle(next)));
    });
  };

  const resolveEdge = (b: BuildState, from: FoundPkg, imp: string, refs: readonly SourceRef[], forTest: boolean): Edge | Promise<Edge> => {
    if (imp === 'C') return NO_EDGE;
    return then(settle(modules.resolveImport(imp, b.main ?? from.module)), (res) => edgeTo(b, from, imp, refs, forTest, res));
  };
  const edgeTo = (b: BuildState, from: FoundPkg, imp: string, refs: readonly SourceRef[], forTest: boolean, res: ImportResolution): Edge | Promise<Edge> => {
    const ref = refs[0];
    const at = (): Location => refLocation(from.dir, ref);
    const importer = forTest && ref?.file !== undefined && from.files.xTestGoFiles.includes(ref.file) ? `${from.importPath}_test` : from.importPath;
    const fail = (code: string, message: string, hint?: string): Edge => {
      report({ severity: 'error', code, message, location: at(), hint });
      return NO_EDGE;
    };
    switch (res.kind) {
      case 'std':
        // Like go: a package that is not there is missing, whatever its path says.
        if (req.standardLibrary?.has(imp) === false) {
          return fail('import-not-found', `package ${importer} imports ${imp}: package ${imp} is not in std (${req.standardLibrary.dirOf(imp)})`);
        }
        if (findInternal(imp) !== undefined) {
          return fail('internal-import', `package ${importer} imports ${imp}: use of internal package ${imp} not allowed`);
        }
        if (imp.startsWith('vendor/')) {
          return fail('internal-import', `package ${importer} imports ${imp}: use of vendored package ${imp} not allowed`);
        }
        return { kind: 'std', importPath: imp };
      case 'external':
        return { kind: 'external', modulePath: res.modulePath, version: res.version, replacement: res.replacement };
      case 'unresolved':
        return fail(res.code, `package ${importer} imports ${imp}: ${res.reason}`, res.hint);
      case 'local':
      case 'vendor': {
        const vendored = res.kind === 'vendor';
        const module = res.kind === 'local' ? res.module : (b.main ?? from.module);
        const toTarget = (target: PkgState): Edge => {
          if (target.kind === 'missing') {
            const why = vendored
              ? `cannot find module providing package ${imp}: import lookup disabled by -mod=vendor (no directory ${res.dir})`
              : `no directory ${res.dir} for package ${imp} in module ${module.path}`;
            return fail('import-not-found', `package ${importer} imports ${imp}: ${why}`);
          }
          const internal = findInternal(imp);
          if (internal !== undefined) {
            const parent = imp.slice(0, internal);
            if (!hasPathPrefix(importer, parent)) {
              return fail('internal-import', `package ${importer} imports ${imp}: use of internal package ${imp} not allowed`);
            }
          }
          const tf = target.files;
          const ownErrors = tf.errors.some((e) => e.code !== 'no-go-files');
          if (tf.goFiles.length + tf.cgoFiles.length === 0 && !ownErrors) {
            const excluded = tf.ignoredGoFiles.length + tf.invalidGoFiles.length > 0;
            fail('no-go-files', `package ${importer} imports ${imp}: ${excluded ? 'build constraints exclude all Go files' : 'no non-test Go files'} in ${res.dir || '.'}`);
          } else if (tf.name === 'main' && target.dir !== from.dir) {
            fail('import-main', `package ${importer} imports ${imp}: import "${imp}" is a program, not an importable package`);
          }
          visit(b, res.dir, imp, module, vendored, false);
          return { kind: 'pkg', dir: res.dir, importPath: imp, fromDir: from.dir, ref };
        };
        if (res.kind === 'vendor') return then(loadPkg(res.dir, imp, module, vendored), toTarget);
        return then(nestedModuleDir(res.module.dir, res.dir), (nested) => {
          if (nested !== undefined) {
            return fail('nested-module', `package ${importer} imports ${imp}: directory ${res.dir} is in the module at ${nested}, not in ${res.module.path}`);
          }
          return then(loadPkg(res.dir, imp, module, vendored), toTarget);
        });
      }
    }
  };

  /** A go.mod between a module's root and one of its directories ends the module there. */
  const nestedMemo = new Map<string, WorkspacePath | undefined | Promise<WorkspacePath | undefined>>();
  const nestedModuleDir = (moduleDir: WorkspacePath, dir: WorkspacePath): WorkspacePath | undefined | Promise<WorkspacePath | undefined> => {
    if (dir === moduleDir) return undefined;
    const key = `${moduleDir}\0${dir}`;
    if (nestedMemo.has(key)) return nestedMemo.get(key);
    // The parent first: a go.mod higher up ends the module before this directory.
    const i = dir.lastIndexOf('/');
    const parent = i < 0 ? '' : dir.slice(0, i);
    const above = parent !== moduleDir && parent.length > moduleDir.length ? nestedModuleDir(moduleDir, parent) : undefined;
    const hasGoMod = (entries: readonly GoDirEntry[] | undefined): WorkspacePath | undefined =>
      entries?.some((e) => e.name === 'go.mod' && e.isFile) === true ? dir : undefined;
    const r = then(above, (a) => {
      if (a !== undefined) return a;
      const now = listNow(dir);
      return now === NOT_SYNC ? readdir(dir).then(hasGoMod) : hasGoMod(now);
    });
    nestedMemo.set(key, r);
    return r;
  };

  // --- roots --------------------------------------------------------------------------------------
  interface RootInfo {
    readonly dir: WorkspacePath;
    readonly importPath: string;
    readonly module: GoModule;
    readonly build: BuildState;
  }
  const rootInfos: RootInfo[] = [];
  for (const dir of req.roots) {
    const module = modules.moduleForDir(dir);
    if (module === undefined) {
      report({ severity: 'error', code: 'not-in-module', message: `directory ${dir || '.'} is not in any module of the workspace`, location: { file: dir || '.' } });
      continue;
    }
    const rel = module.dir === '' ? dir : dir.slice(module.dir.length + 1);
    const importPath = rel === '' ? module.path : `${module.path}/${rel}`;
    const b = buildFor(module);
    rootInfos.push({ dir, importPath, module, build: b });
    tasks.push(
      (async () => {
        const nested = await nestedModuleDir(module.dir, dir);
        if (nested !== undefined) {
          report({ severity: 'error', code: 'nested-module', message: `directory ${dir} is in the module at ${nested}, which is not part of the workspace`, location: { file: dir } });
          return;
        }
        const st = await loadPkg(dir, importPath, module, false);
        if (st.kind === 'missing') {
          report({ severity: 'error', code: 'import-not-found', message: `directory ${dir || '.'} does not exist`, location: { file: dir || '.' } });
          return;
        }
        const f = st.files;
        const goCount = f.goFiles.length + f.cgoFiles.length + (req.includeTests === true ? f.testGoFiles.length + f.xTestGoFiles.length : 0);
        if (goCount === 0) {
          const excluded = f.ignoredGoFiles.length + f.invalidGoFiles.length > 0;
          report({ severity: 'error', code: 'no-go-files', message: `package ${importPath}: ${excluded ? 'build constraints exclude all Go files' : 'no Go files'} in ${dir || '.'}`, location: { file: dir || '.' } });
        }
        if (f.name === 'main' && !ctx.cgoEnabled) {
          // Like the go command: such a main package fails before its imports are loaded.
          const why = externalLinkingReason(ctx.goos, ctx.goarch);
          if (why !== undefined) {
            report({ severity: 'error', code: 'needs-cgo', message: `package ${importPath}: ${why} requires external (cgo) linking, but cgo is not enabled`, location: { file: dir || '.' }, hint: 'set CGO_ENABLED=1 for this platform' });
            return;
          }
        }
        visit(b, dir, importPath, module, false, req.includeTests === true);
      })().catch((e: unknown) => {
        report({ severity: 'error', code: 'io-error', message: `loading ${importPath}: ${errorText(e)}`, location: { file: dir || '.' } });
      }),
    );
  }
  // Tasks spawn tasks; drain until none are left.
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    if (typeof t === 'function') t();
    else await t;
  }

  // --- results ------------------------------------------------------------------------------------
  const packages = new Map<WorkspacePath, GoPackage>();
  for (const [dir, p] of pkgMemo) {
    const st = p instanceof Promise ? await p : p;
    if (st.kind !== 'found') continue;
    packages.set(dir, makePackage(st, testEmbeds.get(dir), testdata.get(dir)));
  }

  for (const b of builds.values()) checkCycles(b, packages, rootInfos.filter((r) => r.build === b), req.includeTests === true, report);

  // One set of closures per build, made on first use (not for roots loaded with tests, whose
  // closures start from test imports: those are walked).
  const setsByBuild = new Map<BuildState, ClosureSets | undefined>();
  const setsFor = (b: BuildState): ClosureSets | undefined => {
    if (!setsByBuild.has(b)) setsByBuild.set(b, closureSets(b.edges, rootInfos.filter((r) => r.build === b)));
    return setsByBuild.get(b);
  };

  const roots: GoRootClosure[] = [];
  const allExternal = new Map<string, string | undefined>();
  const allStd = new Set<string>();
  for (const r of rootInfos) {
    const root = packages.get(r.dir);
    if (root === undefined) continue;
    const closure = rootClosure(r, root, packages, req.includeTests === true, modules);
    for (const [k, v] of closure.externalModules) allExternal.set(k, v);
    for (const s of closure.std) allStd.add(s);
    roots.push(closure);
  }

  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return err(errors);
  const sortedPackages = [...packages.values()].sort((a, b) => compareGoStrings(a.dir, b.dir));
  const graphModules = [...new Set(sortedPackages.map((p) => p.module))].sort((a, b) => compareGoStrings(a.dir, b.dir));
  return ok({
    packages: sortedPackages,
    packageByDir: new Map(sortedPackages.map((p) => [p.dir, p])),
    modules: graphModules,
    roots,
    externalModules: new Map([...allExternal.entries()].sort((a, b) => compareGoStrings(a[0], b[0]))),
    std: new Set(sortedUnique(allStd)),
    unreadVia: new Map([...unreadVia].map(([m, ids]) => [m, sortGoStrings([...ids])])),
    wholeListingDirs,
    warnings: diagnostics,
  });

  /** The closure of one root: from the build's closure sets where they answer, else by walking it. */
  function walkOrLookUp(r: RootInfo, withTests: boolean): Closure {
    const known = withTests ? undefined : setsFor(r.build)?.closureOf(r.importPath);
    if (known !== undefined) return known;
    const b = r.build;
    const members = new Map<string, WorkspacePath>();
    const external = new Map<string, string | undefined>();
    const std = new Set<string>();
    const queue: WorkspacePath[] = [];
    const take = (edges: ReadonlyMap<string, Edge> | undefined): void => {
      for (const e of edges?.values() ?? []) {
        if (e.kind === 'pkg') {
          if (!members.has(e.importPath)) {
            members.set(e.importPath, e.dir);
            queue.push(e.dir);
          }
        } else if (e.kind === 'std') {
          std.add(e.importPath);
        } else if (e.kind === 'external') {
          external.set(e.modulePath, e.version);
        }
      }
    };
    members.set(r.importPath, r.dir);
    queue.push(r.dir);
    if (withTests) {
      const t = b.testEdges.get(r.dir);
      take(t?.test);
      take(t?.xtest);
    }
    for (let i = 0; i < queue.length; i++) take(b.edges.get(queue[i] ?? ''));
    return { members: sortedByKey(members), std: sortedUnique(std), external: sortedByKey(external) };
  }

  function rootClosure(r: RootInfo, root: GoPackage, pkgs: ReadonlyMap<WorkspacePath, GoPackage>, withTests: boolean, set: ModuleSet): GoRootClosure {
    const { members, std, external } = walkOrLookUp(r, withTests);
    const mods = new Set<GoModule>([r.module]);
    for (const dir of members.values()) {
      const p = pkgs.get(dir);
      if (p !== undefined) mods.add(p.module);
    }
    const modList = [...mods].sort((x, y) => compareGoStrings(x.dir, y.dir));
    // The union of the closure's files, only when asked for: the planner keys actions package by
    // package and never needs it, and across hundreds of roots it is most of the closure's cost.
    let inputFiles: WorkspacePath[] | undefined;
    return {
      dir: r.dir,
      importPath: r.importPath,
      mainModule: r.module,
      includesTests: withTests,
      packages: members,
      externalModules: external,
      std,
      get inputFiles(): readonly WorkspacePath[] {
        if (inputFiles === undefined) {
          const inputs = new Set<WorkspacePath>();
          for (const dir of members.values()) for (const f of pkgs.get(dir)?.inputFiles ?? []) inputs.add(f);
          if (withTests) for (const f of root.testInputFiles) inputs.add(f);
          inputFiles = sortedUnique(inputs);
        }
        return inputFiles;
      },
      modules: modList,
      moduleStateFiles: set.stateFiles(r.module, modList),
    };
  }
}

/** A copy of `m` with its keys in Go's byte order (sorting the keys natively where that agrees). */
function sortedByKey<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map(sortGoStrings([...m.keys()]).map((k) => [k, m.get(k) as V]));
}

function makePackage(
  st: FoundPkg,
  tests: { test: ResolvedEmbeds; xtest: ResolvedEmbeds } | undefined,
  testdataFiles: readonly WorkspacePath[] | undefined,
): GoPackage {
  const f = st.files;
  const otherFiles = sortedUnique([
    ...f.cFiles,
    ...f.cxxFiles,
    ...f.mFiles,
    ...f.hFiles,
    ...f.fFiles,
    ...f.sFiles,
    ...f.swigFiles,
    ...f.swigCXXFiles,
    ...f.sysoFiles,
  ]);
  const embeds = st.embeds ?? EMPTY_EMBEDS;
  const inDir = (names: readonly string[]) => names.map((n) => joinRel(st.dir, n));
  const cgoExtraFiles = st.cgoExtra ?? [];
  const inputFiles = sortedUnique([...inDir(f.goFiles), ...inDir(f.cgoFiles), ...inDir(otherFiles), ...embeds.paths, ...cgoExtraFiles]);
  const testInputFiles =
    tests === undefined
      ? []
      : sortedUnique([...inDir(f.testGoFiles), ...inDir(f.xTestGoFiles), ...tests.test.paths, ...tests.xtest.paths, ...(testdataFiles ?? [])]);
  return {
    importPath: st.importPath,
    dir: st.dir,
    module: st.module,
    vendored: st.vendored,
    name: f.name ?? '',
    goFiles: f.goFiles,
    cgoFiles: f.cgoFiles,
    ignoredGoFiles: f.ignoredGoFiles,
    invalidGoFiles: f.invalidGoFiles,
    cFiles: f.cFiles,
    cxxFiles: f.cxxFiles,
    mFiles: f.mFiles,
    hFiles: f.hFiles,
    fFiles: f.fFiles,
    sFiles: f.sFiles,
    swigFiles: f.swigFiles,
    swigCXXFiles: f.swigCXXFiles,
    sysoFiles: f.sysoFiles,
    ignoredOtherFiles: f.ignoredOtherFiles,
    otherFiles,
    embedPatterns: [...f.embedPatterns.keys()],
    embedFiles: embeds.files,
    testGoFiles: f.testGoFiles,
    xTestGoFiles: f.xTestGoFiles,
    testEmbedPatterns: [...f.testEmbedPatterns.keys()],
    xTestEmbedPatterns: [...f.xTestEmbedPatterns.keys()],
    testEmbedFiles: tests?.test.files ?? [],
    xTestEmbedFiles: tests?.xtest.files ?? [],
    imports: [...f.imports.keys()],
    testImports: [...f.testImports.keys()],
    xTestImports: [...f.xTestImports.keys()],
    cgoExtraFiles,
    inputFiles,
    testInputFiles,
  };
}

/** Reports import cycles among workspace packages (and test-only cycles through a root). */
function checkCycles(
  b: BuildState,
  packages: ReadonlyMap<WorkspacePath, GoPackage>,
  roots: readonly { dir: WorkspacePath }[],
  withTests: boolean,
  report: (d: Diagnostic) => void,
): void {
  const state = new Map<WorkspacePath, 'active' | 'done'>();
  const stack: WorkspacePath[] = [];
  const pathOf = (dir: WorkspacePath) => packages.get(dir)?.importPath ?? dir;
  const dfs = (dir: WorkspacePath): void => {
    state.set(dir, 'active');
    stack.push(dir);
    for (const e of b.edges.get(dir)?.values() ?? []) {
      if (e.kind !== 'pkg') continue;
      const s = state.get(e.dir);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(e.dir)), e.dir].map(pathOf);
        report({ severity: 'error', code: 'import-cycle', message: `import cycle not allowed: ${cycle.join(' imports ')}`, location: refLocation(e.fromDir, e.ref) });
      } else if (s === undefined) {
        dfs(e.dir);
      }
    }
    stack.pop();
    state.set(dir, 'done');
  };
  for (const r of roots) if (!state.has(r.dir)) dfs(r.dir);

  if (!withTests) return;
  // A package's internal tests may not import something that imports the package itself.
  for (const r of roots) {
    for (const [imp, e] of b.testEdges.get(r.dir)?.test ?? []) {
      if (e.kind !== 'pkg' || e.dir === r.dir) continue;
      const seen = new Set<WorkspacePath>([e.dir]);
      const queue = [e.dir];
      let found = false;
      for (let i = 0; i < queue.length && !found; i++) {
        for (const next of b.edges.get(queue[i] ?? '')?.values() ?? []) {
          if (next.kind !== 'pkg') continue;
          if (next.dir === r.dir) {
            found = true;
            break;
          }
          if (!seen.has(next.dir)) {
            seen.add(next.dir);
            queue.push(next.dir);
          }
        }
      }
      if (found) {
        report({ severity: 'error', code: 'import-cycle', message: `import cycle not allowed in test: ${pathOf(r.dir)} (test) imports ${imp}, which imports ${pathOf(r.dir)}`, location: refLocation(e.fromDir, e.ref) });
      }
    }
  }
}

function refLocation(dir: WorkspacePath, ref: SourceRef | undefined): Location {
  return fileLocation(dir, ref?.file, ref?.span === undefined ? undefined : spanRange(ref.span));
}

function fileLocation(dir: WorkspacePath, file: string | undefined, range: Location['range']): Location {
  if (file === undefined) return { file: dir || '.' };
  return { file: joinRel(dir, file), range };
}

/** The index where the last `internal` element starts, the way cmd/go's findInternal reports it. */
function findInternal(p: string): number | undefined {
  let i: number | undefined;
  if (p.endsWith('/internal')) i = p.length - 'internal'.length;
  else if (p.includes('/internal/')) i = p.lastIndexOf('/internal/') + 1;
  else if (p === 'internal' || p.startsWith('internal/')) i = 0;
  if (i === undefined) return undefined;
  return i > 0 ? i - 1 : 0;
}

function hasPathPrefix(s: string, prefix: string): boolean {
  if (prefix === '') return true;
  return s === prefix || s.startsWith(`${prefix}/`);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
