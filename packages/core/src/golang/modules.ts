/**
 * The module layer of the Go model: which Go modules make up the workspace and where an import
 * path leads — a workspace directory, a vendored directory, an external module or the standard
 * library.
 *
 * Two modes, like the go command:
 * - **workspace** — a go.work at the root (and GOWORK not `off`): the `use`d modules build
 *   together; replacements from every go.mod apply, go.work's own override them.
 * - **modules** — no go.work: every go.mod under the root is an independent main module. Only
 *   the main module's `replace` directives count for a build (a dependency's are ignored), so
 *   resolution takes the main module of the build as context.
 *
 * A `replace` pointing at a directory inside the workspace root makes that directory a local
 * module: its packages are workspace inputs like any other. Vendoring (vendor/modules.txt, go ≥
 * 1.14, or `-mod=vendor`) sends every import outside the main module(s) into vendor/.
 *
 * What this does not do: minimal version selection over the module cache. External module
 * versions are the ones written in the go.mod files (the highest, across workspace modules),
 * which is what a tidy go.mod (go ≥ 1.17) holds.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics.js';
import type { SourceRange, WorkspacePath } from '../types.js';
import { fromWorkspacePath, joinWorkspacePath, outsideWorkspaceHint, resolveLocalPath } from '../util/fs-paths.js';
import { err, ok, type Result } from '../util/result.js';
import { compareGoStrings } from './go-strings.js';
import { NOT_SYNC, nodeGoIO, type GoDirEntry, type GoIO } from './io.js';
import {
  compareGoVersions,
  compareSemver,
  parseGoMod,
  parseGoWork,
  parseVendorModules,
  toolchainGoVersion,
  type GoModFile,
  type GoWorkFile,
  type ModReplace,
  type ModRequire,
  type VendorManifest,
} from './modfile.js';

export interface GoModule {
  /** Workspace-relative directory holding the go.mod. */
  readonly dir: WorkspacePath;
  /** The module path (for a replacement target: the path it replaces). */
  readonly path: string;
  readonly goModFile: WorkspacePath;
  readonly goSumFile?: WorkspacePath | undefined;
  readonly goVersion?: string | undefined;
  /** Where go.mod's `go` version is written. */
  readonly goRange?: SourceRange | undefined;
  readonly toolchain?: string | undefined;
  readonly requires: readonly ModRequire[];
  readonly replaces: readonly ModReplace[];
  /** GOFLAGS' `-modfile` file, when this module has none: go cannot build with it as main module. */
  readonly modFileMissing?: WorkspacePath | undefined;
  /** go.mod's `ignore` directories: what package patterns (`./...`) leave out (`ignoredByModule`). */
  readonly ignores: readonly string[];
  /** Imports outside the main module(s) resolve into this module's vendor/ directory. */
  readonly vendored: boolean;
  readonly vendorModulesFile?: WorkspacePath | undefined;
  readonly vendor?: VendorManifest | undefined;
  /**
   * `workspace`: used by go.work; `main`: an independent module (no go.work); `replacement`: a
   * directory reached only through a local `replace`.
   */
  readonly role: 'workspace' | 'main' | 'replacement';
}

export type ImportResolution =
  | { readonly kind: 'std' }
  | {
      readonly kind: 'local';
      readonly dir: WorkspacePath;
      readonly module: GoModule;
      /**
       * Where go looks next when `dir` holds no `.go` file or is in a module nested in `module`:
       * go asks every module whose path is a prefix of the import, and uses the one whose
       * directory has Go files (cmd/go's importFromModules). The longest prefix comes first; this
       * is the next one, or with -mod=vendor the vendor directory.
       */
      readonly otherwise?: ImportResolution | undefined;
    }
  | {
      readonly kind: 'vendor';
      readonly dir: WorkspacePath;
      readonly modulePath?: string | undefined;
      readonly version?: string | undefined;
    }
  | {
      readonly kind: 'external';
      readonly modulePath: string;
      readonly version?: string | undefined;
      readonly replacement?: { readonly path: string; readonly version?: string | undefined } | undefined;
    }
  | { readonly kind: 'unresolved'; readonly code: UnresolvedCode; readonly reason: string; readonly hint?: string | undefined };

export type UnresolvedCode =
  | 'relative-import'
  | 'no-required-module'
  | 'replace-outside-workspace'
  | 'bad-replacement'
  | 'no-main-module';

export type GoWorkMode = 'auto' | 'off';
/** The `-mod` flag: undefined means the go command's default for the layout. */
export type ModFlag = 'vendor' | 'mod' | 'readonly' | undefined;

export interface ModuleSet {
  /** Absolute workspace root. */
  readonly root: string;
  readonly mode: 'workspace' | 'modules';
  readonly workFile?: WorkspacePath | undefined;
  /** go.work.sum, when it exists (not an action input: see `stateFiles`). */
  readonly workSumFile?: WorkspacePath | undefined;
  readonly work?: GoWorkFile | undefined;
  /** Workspace mode with a vendor/ directory beside go.work. */
  readonly workVendor?: { readonly dir: WorkspacePath; readonly modulesFile?: WorkspacePath | undefined; readonly manifest: VendorManifest } | undefined;
  /** Main/workspace modules and local replacement targets, sorted by dir. */
  readonly modules: readonly GoModule[];
  /** The module whose directory most closely encloses `dir` (workspace-relative), if any. */
  moduleForDir(dir: WorkspacePath): GoModule | undefined;
  /**
   * Resolves an import path. `fromModule` is the main module of the build in `modules` mode (the
   * module whose go.mod decides requirements and replacements); it is ignored in workspace mode.
   */
  resolveImport(importPath: string, fromModule: GoModule | undefined): ImportResolution;
  /**
   * The module-state files that belong in an action key for a build whose main module is
   * `main` and whose packages come from `modules` (existing files only, sorted): go.work and
   * each module's go.mod, which together decide the build list, and the main module's go.sum
   * and vendor/modules.txt. In workspace mode every workspace module is a main module (`main` is
   * not needed). go reads neither file of a module it reaches only through a `replace`: it
   * checks every checksum against the main modules' go.sum files, and takes vendored packages
   * from the main module's vendor/.
   *
   * Not go.work.sum: in workspace mode `go build` itself writes it (the checksums of modules no
   * go.sum lists), so a checkout without one — many repositories ignore it — gets one during
   * the first build, and hashing it would change every key after that build, then again
   * whenever a build adds lines. It holds only checksums, which cannot change a binary: the
   * versions come from go.work and the go.mod files, which are hashed.
   */
  stateFiles(main: GoModule | undefined, modules: Iterable<GoModule>): WorkspacePath[];
}

export interface ModulesIO {
  /** File contents, or undefined when the file does not exist. */
  readFile(path: WorkspacePath): Promise<string | undefined>;
  readdir(dir: WorkspacePath): Promise<readonly GoDirEntry[] | undefined>;
  /**
   * `readdir` without a promise where the answer is at hand (the disk, the planner's recorded
   * listings), `NOT_SYNC` where it is not: the search for go.mod files lists every directory.
   */
  readonly readdirSync?: GoIO['readdirSync'];
  /** Whether a regular file is there (its content does not matter); default: `readFile`. */
  exists?(path: WorkspacePath): Promise<boolean>;
}

export interface LoadModulesOptions {
  readonly goWork?: GoWorkMode | undefined;
  readonly mod?: ModFlag;
  /**
   * GOFLAGS' `-modfile=FILE`: without a go.work, each main module's requirements come from FILE
   * (relative to the module's directory, where go runs) instead of its go.mod, and its checksums
   * from FILE's `.sum` twin; go.mod only marks the module's directory. go refuses it with a go.work.
   */
  readonly modFile?: string | undefined;
  readonly io?: ModulesIO | undefined;
  /** Directories (workspace-relative) not to search for go.mod files, e.g. gob.yaml `ignore`. */
  readonly ignoreDir?: ((dir: WorkspacePath) => boolean) | undefined;
}

/** Directories never searched for go.mod files. */
export function isSkippedModuleSearchDir(name: string): boolean {
  return (
    name === 'vendor' ||
    name === 'testdata' ||
    name === 'node_modules' ||
    name === 'gob-out' ||
    name.startsWith('.') ||
    name.startsWith('_')
  );
}

/** The `-mod` value in a GOFLAGS string, if any. */
export function modFlagFromGoFlags(goflags: string | undefined): ModFlag {
  for (const f of (goflags ?? '').split(/\s+/)) {
    const m = /^--?mod=(vendor|mod|readonly)$/.exec(f);
    if (m !== null) return m[1] as ModFlag;
  }
  return undefined;
}

function nodeModulesIO(root: string): ModulesIO {
  const goIO = nodeGoIO(root);
  return {
    async readFile(p) {
      try {
        return await fsReadFile(fromWorkspacePath(root, p), 'utf8');
      } catch (e) {
        const code = (e as { code?: unknown } | null)?.code;
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
        throw e;
      }
    },
    readdir: (d) => goIO.readdir(d),
    readdirSync: goIO.readdirSync,
  };
}

/**
 * Loads the modules of the workspace rooted at `root` (absolute). Malformed go.work/go.mod files
 * fail the load with diagnostics pointing at the text.
 */
export async function loadModules(root: string, opts: LoadModulesOptions = {}): Promise<Result<ModuleSet, Diagnostic[]>> {
  const io = opts.io ?? nodeModulesIO(root);
  const diagnostics: Diagnostic[] = [];
  const workText = opts.goWork === 'off' ? undefined : await io.readFile('go.work');

  let mode: ModuleSet['mode'] = 'modules';
  let work: GoWorkFile | undefined;
  let moduleDirs: WorkspacePath[];
  if (workText !== undefined) {
    const parsed = parseGoWork(workText);
    if (!parsed.ok) {
      return failure([{ severity: 'error', code: 'bad-go-work', message: parsed.error.message, location: { file: 'go.work', range: parsed.error.range } }]);
    }
    mode = 'workspace';
    work = parsed.value;
    moduleDirs = [];
    for (const [i, u] of work.use.entries()) {
      const d = resolveLocalPath(root, '', u);
      if (d === undefined) {
        diagnostics.push({
          severity: 'error',
          code: 'use-outside-workspace',
          message: `go.work uses ${u}, which is outside the workspace root`,
          location: { file: 'go.work', range: work.useRanges[i] },
          hint: outsideWorkspaceHint(root, '', u),
        });
        continue;
      }
      moduleDirs.push(d);
    }
  } else {
    moduleDirs = await findGoModDirs(io, opts.ignoreDir);
  }

  const role: GoModule['role'] = mode === 'workspace' ? 'workspace' : 'main';
  const modFile = mode === 'modules' ? opts.modFile : undefined;
  const loaded = await Promise.all(moduleDirs.map((d) => readModule(io, d, role, opts.mod, mode, undefined, modFile === undefined ? undefined : { root, file: modFile })));
  const modules: GoModule[] = [];
  for (const [i, r] of loaded.entries()) {
    if (r.ok) {
      modules.push(r.value);
    } else if (mode === 'modules' && r.error.code === NO_MODULE_DECLARATION) {
      // An empty go.mod (hugo has some) only keeps its directory out of the module above it, as
      // it does for go: no module to build there, and no error unless a target is inside it.
      continue;
    } else {
      const d = moduleDirs[i] ?? '';
      diagnostics.push({ ...r.error, location: r.error.location ?? { file: d === '' ? 'go.work' : joinWorkspacePath(d, 'go.mod') } });
    }
  }
  if (mode === 'workspace') {
    const byPath = new Map<string, GoModule>();
    for (const m of modules) {
      const other = byPath.get(m.path);
      if (other !== undefined) {
        diagnostics.push({ severity: 'error', code: 'duplicate-module', message: `module ${m.path} appears multiple times in workspace: ${other.dir || '.'} and ${m.dir || '.'}`, location: { file: 'go.work' } });
      }
      byPath.set(m.path, m);
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) return failure(diagnostics);

  // Local replacement targets become modules too (their files are workspace inputs).
  const byDir = new Map(modules.map((m) => [m.dir, m]));
  const replacementOf = new Map<string, GoModule | ReplacementProblem>();
  const replaceSources: { fromDir: WorkspacePath; r: ModReplace }[] = [];
  for (const m of modules) for (const r of m.replaces) if (r.isLocal) replaceSources.push({ fromDir: m.dir, r });
  for (const r of work?.replaces ?? []) if (r.isLocal) replaceSources.push({ fromDir: '', r });
  await Promise.all(
    replaceSources.map(async ({ fromDir, r }) => {
      const key = replacementKey(fromDir, r);
      if (replacementOf.has(key)) return;
      const dir = resolveLocalPath(root, fromDir, r.newPath);
      if (dir === undefined) {
        replacementOf.set(key, {
          code: 'replace-outside-workspace',
          reason: `${r.oldPath} is replaced by ${r.newPath}, which is outside the workspace root; gob cannot track its files`,
          hint: outsideWorkspaceHint(root, fromDir, r.newPath),
        });
        return;
      }
      const existing = byDir.get(dir);
      if (existing?.path === r.oldPath) {
        replacementOf.set(key, existing);
        return;
      }
      const m = await readModule(io, dir, 'replacement', 'mod', 'modules', r.oldPath);
      if (!m.ok) {
        replacementOf.set(key, { code: 'bad-replacement', reason: `${r.oldPath} is replaced by ${r.newPath}: ${m.error.message}` });
        return;
      }
      replacementOf.set(key, m.value);
    }),
  );

  const workVendor = mode === 'workspace' && work !== undefined ? await readWorkVendor(io, work, opts.mod) : undefined;
  // Only whether go.work.sum exists matters here: go build rewrites it, its content is never used.
  const workSum = mode === 'workspace' && (await fileExists(io, 'go.work.sum')) ? 'go.work.sum' : undefined;
  return ok(
    buildModuleSet({
      root,
      mode,
      work,
      workSumFile: workSum,
      workVendor,
      modules,
      replacementOf,
    }),
  );
}

interface ReplacementProblem {
  readonly code: 'replace-outside-workspace' | 'bad-replacement';
  readonly reason: string;
  readonly hint?: string | undefined;
}

function replacementKey(fromDir: WorkspacePath, r: ModReplace): string {
  return `${fromDir}\0${r.oldPath}\0${r.newPath}`;
}

function failure(diagnostics: Diagnostic[]): Result<never, Diagnostic[]> {
  return err(diagnostics);
}

async function findGoModDirs(io: ModulesIO, ignoreDir: ((dir: WorkspacePath) => boolean) | undefined): Promise<WorkspacePath[]> {
  const found: WorkspacePath[] = [];
  const readdirSync = io.readdirSync?.bind(io);
  // Directories still to list.
  const pending: WorkspacePath[] = [''];
  const visit = (dir: WorkspacePath, entries: readonly GoDirEntry[] | undefined): void => {
    if (entries === undefined) return;
    for (const e of entries) {
      if (e.isFile && e.name === 'go.mod') found.push(dir);
      else if (e.isDir && !e.isSymlink && !isSkippedModuleSearchDir(e.name)) {
        const d = joinWorkspacePath(dir, e.name);
        if (ignoreDir?.(d) !== true) pending.push(d);
      }
    }
  };
  if (readdirSync !== undefined) {
    // One directory after another, no promise each: the whole search is a loop over listings.
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
      const entries = readdirSync(dir);
      visit(dir, entries === NOT_SYNC ? await io.readdir(dir) : entries);
    }
  } else {
    // Listings behind promises: one level of the tree at a time, all of it at once.
    while (pending.length > 0) {
      const level = pending.splice(0);
      const listed = await Promise.all(level.map((d) => io.readdir(d)));
      for (const [i, d] of level.entries()) visit(d, listed[i]);
    }
  }
  return found.sort(compareGoStrings);
}

/** Whether a regular file is at `path` (its content does not matter). */
async function fileExists(io: ModulesIO, path: WorkspacePath): Promise<boolean> {
  return io.exists !== undefined ? io.exists(path) : (await io.readFile(path)) !== undefined;
}

/** The code of a go.mod without a `module` line: fatal only where go needs the module. */
const NO_MODULE_DECLARATION = 'no-module-declaration';

async function readModule(
  io: ModulesIO,
  dir: WorkspacePath,
  role: GoModule['role'],
  mod: ModFlag,
  mode: ModuleSet['mode'],
  replacedPath?: string,
  /** GOFLAGS' `-modfile`, for a main module: the file to read in place of its go.mod. */
  alternate?: { readonly root: string; readonly file: string },
): Promise<Result<GoModule, Diagnostic>> {
  let goModFile = joinWorkspacePath(dir, 'go.mod');
  // With `-modfile`, the checksums go checks: FILE's `.sum` twin, when there is one.
  let alternateSum: { readonly file: WorkspacePath | undefined } | undefined;
  let modFileMissing: WorkspacePath | undefined;
  let text: string | undefined;
  if (alternate !== undefined) {
    const file = resolveLocalPath(alternate.root, dir, alternate.file);
    if (file === undefined) {
      return err({
        severity: 'error',
        code: 'modfile-outside-workspace',
        message: `GOFLAGS' -modfile=${alternate.file} names a file outside the workspace root for the module in ${dir === '' ? '.' : dir}; gob cannot track it`,
        location: { file: goModFile },
      });
    }
    text = await io.readFile(file);
    if (text === undefined) {
      // No build can have this module as its main module; as another module's dependency (a
      // replacement), go reads its go.mod.
      modFileMissing = file;
    } else {
      goModFile = file;
      const sum = `${file.endsWith('.mod') ? file.slice(0, -'.mod'.length) : file}.sum`;
      alternateSum = { file: (await fileExists(io, sum)) ? sum : undefined };
    }
  }
  text ??= await io.readFile(goModFile);
  if (text === undefined) {
    return err({ severity: 'error', code: 'missing-go-mod', message: `no go.mod file in ${dir === '' ? '.' : dir}` });
  }
  const parsed = parseGoMod(text);
  if (!parsed.ok) {
    return err({ severity: 'error', code: 'bad-go-mod', message: parsed.error.message, location: { file: goModFile, range: parsed.error.range } });
  }
  const f: GoModFile = parsed.value;
  const modulePath = replacedPath ?? f.module;
  // A directory that replaces a module may declare any path, or none: go takes the module to be
  // the one it replaces ("anything goes" for filesystem-local replacements, cmd/go's modload).
  if (modulePath === undefined) {
    return err({ severity: 'error', code: NO_MODULE_DECLARATION, message: 'no module declaration in go.mod', location: { file: goModFile } });
  }
  const entries = (await io.readdir(dir)) ?? [];
  const has = (name: string, isDir = false) => entries.some((e) => e.name === name && (isDir ? e.isDir : e.isFile));
  let vendored = false;
  let vendor: VendorManifest | undefined;
  let vendorModulesFile: WorkspacePath | undefined;
  if (mode === 'modules' && role === 'main' && has('vendor', true)) {
    const goVersion = f.go ?? '1.11';
    vendored = mod === 'vendor' || (mod === undefined && compareGoVersions(goVersion, '1.14') >= 0);
    const file = joinWorkspacePath(dir, 'vendor/modules.txt');
    const txt = await io.readFile(file);
    if (txt !== undefined) {
      vendorModulesFile = file;
      vendor = parseVendorModules(txt);
    }
  } else if (mode === 'modules' && role === 'main' && mod === 'vendor') {
    vendored = true;
  }
  return ok({
    dir,
    path: modulePath,
    goModFile,
    goSumFile: alternateSum !== undefined ? alternateSum.file : has('go.sum') ? joinWorkspacePath(dir, 'go.sum') : undefined,
    modFileMissing,
    goVersion: f.go,
    goRange: f.goRange,
    toolchain: f.toolchain,
    requires: f.requires,
    replaces: f.replaces,
    ignores: f.ignores,
    vendored,
    vendorModulesFile,
    vendor,
    role,
  });
}

async function readWorkVendor(io: ModulesIO, work: GoWorkFile, mod: ModFlag): Promise<ModuleSet['workVendor']> {
  const entries = (await io.readdir('')) ?? [];
  const hasVendor = entries.some((e) => e.name === 'vendor' && e.isDir);
  const on = mod === 'vendor' || (mod === undefined && hasVendor && compareGoVersions(work.go ?? '1.18', '1.22') >= 0);
  if (!on) return undefined;
  const txt = await io.readFile('vendor/modules.txt');
  return {
    dir: 'vendor',
    modulesFile: txt === undefined ? undefined : 'vendor/modules.txt',
    manifest: parseVendorModules(txt ?? ''),
  };
}

/**
 * What go says, before it builds anything, when it cannot build with `main` as its main module
 * (modules mode; in workspace mode the whole workspace counts, and `main` is not looked at):
 * - GOFLAGS' `-modfile` names a file the module does not have;
 * - a go.mod or go.work whose `go` line needs a newer go (`go.mod requires go >= 1.27.0 (running
 *   go 1.26.8; GOTOOLCHAIN=local)`: gob runs go with GOTOOLCHAIN=local, so go does not switch to
 *   a newer toolchain); not checked for a development toolchain (`devel go1.27-…`), where go's
 *   own check decides;
 * - in a workspace, a module that needs a newer go than go.work's `go` line says.
 */
export function mainModuleProblems(set: ModuleSet, main: GoModule | undefined, goversion: string): Diagnostic[] {
  if (set.mode === 'modules' && main?.modFileMissing !== undefined) {
    return [
      {
        severity: 'error',
        code: 'missing-modfile',
        message: `GOFLAGS sets -modfile, and there is no ${main.modFileMissing}: go reads that file in place of ${main.goModFile} to build in the module in ${main.dir === '' ? '.' : main.dir}`,
        location: { file: main.goModFile },
      },
    ];
  }
  const running = toolchainGoVersion(goversion);
  if (running === undefined) return [];
  const tooNew = (file: WorkspacePath, version: string | undefined, range: SourceRange | undefined): Diagnostic[] =>
    version === undefined || compareGoVersions(version, running) <= 0
      ? []
      : [
          {
            severity: 'error',
            code: 'go-version-too-new',
            message: `${file} requires go >= ${version} (running go ${running}; GOTOOLCHAIN=local)`,
            location: { file, range },
            hint: `put go ${version} or newer first on PATH: gob runs the go on PATH with GOTOOLCHAIN=local, so go does not download a newer one`,
          },
        ];
  if (set.mode === 'modules') return main === undefined ? [] : tooNew(main.goModFile, main.goVersion, main.goRange);
  const workFile = set.workFile ?? 'go.work';
  const work = tooNew(workFile, set.work?.go, set.work?.goRange);
  if (work.length > 0) return work;
  // A go.work without a go line implicitly requires go 1.18.
  const workGo = set.work?.go ?? '1.18';
  return set.modules
    .filter((m) => m.role === 'workspace' && m.goVersion !== undefined && compareGoVersions(m.goVersion, workGo) > 0)
    .map((m) => ({
      severity: 'error',
      code: 'go-work-too-old',
      message: `module ${m.dir === '' ? '.' : m.dir} listed in ${workFile} requires go >= ${m.goVersion ?? ''}, but ${workFile} ${set.work?.go === undefined ? 'implicitly requires' : 'lists'} go ${workGo}`,
      location: { file: workFile, range: set.work?.goRange },
      supplementalLocations: [{ message: `the go line of module ${m.dir === '' ? '.' : m.dir}`, location: { file: m.goModFile, range: m.goRange } }],
      hint: `run \`go work use\` to raise go.work's go line to the highest of its modules'`,
    }));
}

// ---------------------------------------------------------------------------------------------

interface Candidate {
  readonly path: string;
  readonly local?: GoModule | undefined;
  readonly problem?: ReplacementProblem | undefined;
  readonly version?: string | undefined;
  readonly replacement?: { readonly path: string; readonly version?: string | undefined } | undefined;
}

/** Everything that decides resolution for one build: a main module, or the whole workspace. */
interface ResolutionContext {
  /** Candidates by module path (the first one of a path wins). */
  readonly candidates: ReadonlyMap<string, Candidate>;
  readonly mainPaths: ReadonlySet<string>;
  readonly vendor?:
    | {
        readonly dir: WorkspacePath;
        readonly manifest?: VendorManifest | undefined;
        /** The manifest's modules by path. */
        readonly modules: ReadonlyMap<string, VendorManifest['modules'][number]>;
      }
    | undefined;
  /** Go < 1.17 modules have unpruned graphs: a dependency may be required only transitively. */
  readonly lenient: boolean;
}

/**
 * The candidates whose module path is `importPath` or a path prefix of it, the longest first (the
 * modules that may provide the package). Walks the import path's prefixes instead of every
 * required module: a monorepo's build resolves thousands of imports against hundreds of
 * requirements.
 */
function modulePrefixes<T>(candidates: ReadonlyMap<string, T>, importPath: string): T[] {
  const out: T[] = [];
  let p = importPath;
  for (;;) {
    const c = candidates.get(p);
    if (c !== undefined) out.push(c);
    const i = p.lastIndexOf('/');
    if (i <= 0) return out;
    p = p.slice(0, i);
  }
}

function byModulePath(manifest: VendorManifest | undefined): ReadonlyMap<string, VendorManifest['modules'][number]> {
  const m = new Map<string, VendorManifest['modules'][number]>();
  for (const v of manifest?.modules ?? []) if (!m.has(v.path)) m.set(v.path, v);
  return m;
}

function buildModuleSet(init: {
  root: string;
  mode: ModuleSet['mode'];
  work: GoWorkFile | undefined;
  workSumFile: WorkspacePath | undefined;
  workVendor: ModuleSet['workVendor'];
  modules: GoModule[];
  replacementOf: Map<string, GoModule | ReplacementProblem>;
}): ModuleSet {
  const { root, mode, work, modules, replacementOf } = init;
  const mains = [...modules].sort((a, b) => compareGoStrings(a.dir, b.dir));

  const makeContext = (mainMods: readonly GoModule[], sources: { fromDir: WorkspacePath; replaces: readonly ModReplace[] }[]): ResolutionContext => {
    const mainPaths = new Set(mainMods.map((m) => m.path));
    // Selected versions: the highest requirement across the main modules.
    const required = new Map<string, string>();
    for (const m of mainMods) {
      for (const r of m.requires) {
        const cur = required.get(r.path);
        if (cur === undefined || compareSemver(r.version, cur) > 0) required.set(r.path, r.version);
      }
    }
    // Later sources override earlier ones (go.work comes last).
    const replaced = new Map<string, { fromDir: WorkspacePath; r: ModReplace }>();
    for (const s of sources) {
      for (const r of s.replaces) {
        const version = required.get(r.oldPath);
        if (r.oldVersion !== undefined && r.oldVersion !== version) continue;
        replaced.set(r.oldPath, { fromDir: s.fromDir, r });
      }
    }
    const candidates: Candidate[] = mainMods.map((m) => ({ path: m.path, local: m }));
    for (const [modPath, version] of required) {
      if (mainPaths.has(modPath)) continue;
      const rep = replaced.get(modPath);
      if (rep === undefined) {
        candidates.push({ path: modPath, version });
      } else if (rep.r.isLocal) {
        const target = replacementOf.get(replacementKey(rep.fromDir, rep.r));
        if (target !== undefined && 'dir' in target) candidates.push({ path: modPath, version, local: target });
        else candidates.push({ path: modPath, version, problem: target ?? { code: 'bad-replacement', reason: `cannot resolve replacement ${rep.r.newPath}` } });
      } else {
        candidates.push({ path: modPath, version, replacement: { path: rep.r.newPath, version: rep.r.newVersion } });
      }
    }
    const byPath = new Map<string, Candidate>();
    for (const c of candidates) if (!byPath.has(c.path)) byPath.set(c.path, c);
    const lenient = mainMods.some((m) => compareGoVersions(m.goVersion ?? '1.16', '1.17') < 0);
    let vendor: ResolutionContext['vendor'];
    if (mode === 'workspace') {
      if (init.workVendor !== undefined) vendor = { dir: init.workVendor.dir, manifest: init.workVendor.manifest, modules: byModulePath(init.workVendor.manifest) };
    } else {
      const main = mainMods[0];
      if (main?.vendored === true) vendor = { dir: joinWorkspacePath(main.dir, 'vendor'), manifest: main.vendor, modules: byModulePath(main.vendor) };
    }
    return { candidates: byPath, mainPaths, vendor, lenient };
  };

  let workspaceContext: ResolutionContext | undefined;
  const contexts = new Map<GoModule, ResolutionContext>();
  const contextFor = (from: GoModule | undefined): ResolutionContext | undefined => {
    if (mode === 'workspace') {
      workspaceContext ??= makeContext(mains, [
        ...mains.map((m) => ({ fromDir: m.dir, replaces: m.replaces })),
        { fromDir: '', replaces: work?.replaces ?? [] },
      ]);
      return workspaceContext;
    }
    if (from === undefined) return undefined;
    let c = contexts.get(from);
    if (c === undefined) {
      c = makeContext([from], [{ fromDir: from.dir, replaces: from.replaces }]);
      contexts.set(from, c);
    }
    return c;
  };

  const replacementModules = [...replacementOf.values()].filter((v): v is GoModule => 'dir' in v && v.role === 'replacement');
  const all = [...mains];
  for (const r of replacementModules) if (!all.some((m) => m.dir === r.dir && m.path === r.path)) all.push(r);
  all.sort((a, b) => compareGoStrings(a.dir, b.dir) || compareGoStrings(a.path, b.path));
  // moduleForDir prefers main/workspace modules at a directory over replacement records of it.
  const byDir = new Map<WorkspacePath, GoModule>();
  for (const m of all) {
    const cur = byDir.get(m.dir);
    if (cur === undefined || (cur.role === 'replacement' && m.role !== 'replacement')) byDir.set(m.dir, m);
  }

  const moduleForDir = (dir: WorkspacePath): GoModule | undefined => {
    let d: string | undefined = dir;
    while (d !== undefined) {
      const m = byDir.get(d);
      if (m !== undefined) return m;
      if (d === '') break;
      const i = d.lastIndexOf('/');
      d = i < 0 ? '' : d.slice(0, i);
    }
    return undefined;
  };

  const resolveImport = (importPath: string, fromModule: GoModule | undefined): ImportResolution => {
    if (importPath === '.' || importPath === '..' || importPath.startsWith('./') || importPath.startsWith('../')) {
      return { kind: 'unresolved', code: 'relative-import', reason: `relative import "${importPath}" is not supported in module mode` };
    }
    const ctx = contextFor(fromModule);
    if (ctx === undefined) {
      return { kind: 'unresolved', code: 'no-main-module', reason: `cannot resolve "${importPath}" outside a module` };
    }
    const prefixes = modulePrefixes(ctx.candidates, importPath);
    const best = prefixes[0];
    const firstElem = importPath.split('/')[0] ?? '';
    // The standard library: a first element without a dot that no local module claims. (Paths
    // like golang.org/x/net that std vendors have a dot, so they are never std here.)
    if (!firstElem.includes('.') && best?.local === undefined) return { kind: 'std' };
    const local = (c: Candidate & { local: GoModule }, otherwise: ImportResolution | undefined): ImportResolution => ({
      kind: 'local',
      dir: c.path === importPath ? c.local.dir : joinWorkspacePath(c.local.dir, importPath.slice(c.path.length + 1)),
      module: c.local,
      otherwise,
    });
    if (ctx.vendor !== undefined) {
      // go -mod=vendor looks in the main modules, then in vendor/ (never in replacements).
      const { manifest, modules } = ctx.vendor;
      // Else the vendored module with the longest path that holds the import, if any.
      const modulePath = manifest?.packageModule.get(importPath) ?? modulePrefixes(modules, importPath)[0]?.path;
      const version = modulePath === undefined ? undefined : modules.get(modulePath)?.version;
      const vendored: ImportResolution = { kind: 'vendor', dir: joinWorkspacePath(ctx.vendor.dir, importPath), modulePath, version };
      const main = prefixes.find((c): c is Candidate & { local: GoModule } => c.local !== undefined && ctx.mainPaths.has(c.path));
      return main === undefined ? vendored : local(main, vendored);
    }
    if (best === undefined) {
      if (ctx.lenient) return { kind: 'external', modulePath: importPath };
      return { kind: 'unresolved', code: 'no-required-module', reason: `no required module provides package ${importPath}` };
    }
    // A local module is asked first; when its directory has no Go files, go tries the next prefix.
    const from = (i: number): ImportResolution => {
      const c = prefixes[i] as Candidate;
      if (c.local !== undefined) return local(c as Candidate & { local: GoModule }, i + 1 < prefixes.length ? from(i + 1) : undefined);
      if (c.problem !== undefined) return { kind: 'unresolved', code: c.problem.code, reason: c.problem.reason, hint: c.problem.hint };
      return { kind: 'external', modulePath: c.path, version: c.version, replacement: c.replacement };
    };
    return from(0);
  };

  const stateFiles = (main: GoModule | undefined, mods: Iterable<GoModule>): WorkspacePath[] => {
    const files = new Set<WorkspacePath>();
    const addMain = (m: GoModule): void => {
      files.add(m.goModFile);
      if (m.goSumFile !== undefined) files.add(m.goSumFile);
      if (m.vendored && m.vendorModulesFile !== undefined) files.add(m.vendorModulesFile);
    };
    if (mode === 'workspace') {
      files.add('go.work');
      if (init.workVendor?.modulesFile !== undefined) files.add(init.workVendor.modulesFile);
      for (const m of mains) addMain(m);
    } else if (main !== undefined) {
      addMain(main);
    }
    for (const m of mods) files.add(m.goModFile);
    return [...files].sort(compareGoStrings);
  };

  return {
    root,
    mode,
    workFile: mode === 'workspace' ? 'go.work' : undefined,
    workSumFile: init.workSumFile,
    work,
    workVendor: init.workVendor,
    modules: all,
    moduleForDir,
    resolveImport,
    stateFiles,
  };
}

