/**
 * What external modules import, read from the module cache, for one case only: an external
 * module whose packages import packages of a module that is local in the workspace (a go.work
 * module, or the target of a `replace` into the workspace). golang.org/x/vuln importing
 * golang.org/x/tools/go/buildutil in golang.org/x/tools' own gopls module is one. go then
 * compiles that local package from the checkout, so its files are inputs of the binary, although
 * no workspace package imports it.
 *
 * gob does not read external modules otherwise: their source is fixed by go.sum. It reads a
 * module's go.mod to decide whether it can import a local module at all: its requirements name
 * one; or, for a go.mod older than go 1.17, which lists only the modules it imports from
 * directly, those modules' go.mod files do; a module without a go.mod, or whose go.mod has no
 * `go` line, counts as one that can. It reads the package headers of only those modules. Files
 * in the module cache never change (go verifies them against go.sum and makes them read-only),
 * so nothing read here is hashed.
 *
 * A module that is not in the module cache (not downloaded yet) cannot be read: the answer is
 * undefined and `unread` names it. The planner then has go download it (module-download.ts) and
 * reads again; what go cannot download leaves the keys of the binaries that use it unsure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashBytes } from '../hashing/hash-bytes.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { compareGoVersions, parseGoMod } from './modfile.js';
import { parseGoFileHeaderBytes } from './header.js';
import { cachedGoModFile, moduleDir } from './module-cache.js';
import { classifyPackageFiles, needsHeader, type BuildContext, type DirFile } from './scanner.js';

export interface ExternalSource {
  /**
   * Whether packages of `modulePath@version` can import packages of a local module; undefined
   * when a go.mod that decides it is not in the module cache (`unread` names it). `locals`: the
   * modules that are local for the build asking (a subset of the source's; default: all of them).
   * In a repository of modules without a go.work, a module the workspace holds is local only
   * for the main modules that `replace` it with its directory; others take a published version.
   */
  mayImportLocal(modulePath: string, version: string, locals?: ReadonlySet<string>): boolean | undefined;
  /**
   * The imports of an external package's Go files for `ctx`, or undefined when it cannot be read.
   * `modulePath` is the module the import path belongs to; its files are those of `filesPath` at
   * `version` (the module itself, or the module go.mod replaces it with).
   */
  importsOf(importPath: string, modulePath: string, filesPath: string, version: string, ctx: BuildContext): readonly string[] | undefined;
  /** Modules that were needed but are not in the module cache, as `path@version`. */
  readonly unread: ReadonlySet<string>;
  /** The module cache it reads. */
  readonly moduleCache: string;
  /** Writes what it read to its file in gob's cache (`memoDir`), if it read anything new; never rejects. */
  save(): Promise<void>;
}

/**
 * Reads external modules from the module cache at `moduleCache` (GOMODCACHE). `localModules`:
 * the paths of the workspace's local modules. `memoDir`: where in gob's cache to keep what was
 * read for later processes (none: this process only).
 */
export function moduleCacheSource(moduleCache: string, localModules: ReadonlySet<string>, memoDir?: string): ExternalSource {
  // What was read is kept for the life of the process (the gob server plans many times), and in
  // gob's cache for the next processes: the module cache never changes what it holds for a
  // module version. What could not be read is asked again next time.
  const memoKey = `${moduleCache}\0${[...localModules].sort().join('\0')}`;
  const memoFile = memoDir === undefined ? undefined : path.join(memoDir, `${hashBytes(memoKey).slice(0, 24)}.json`);
  const memo = memoFor(memoKey, memoFile);
  const reach = new Map<string, boolean>(memo.reach);
  const imports = memo.imports;
  const unread = new Set<string>();
  // Answers are kept by the set of local modules they are for: those for the source's own set
  // (the common case, and the only one a single main module or a go.work has) by module alone.
  const sets = new WeakMap<ReadonlySet<string>, { locals: readonly string[]; setKey: string }>();
  const setInfo = (localSet: ReadonlySet<string>): { locals: readonly string[]; setKey: string } => {
    let info = sets.get(localSet);
    if (info === undefined) {
      const locals = [...localSet].sort();
      info = { locals, setKey: localSet.size === localModules.size ? '' : `${hashBytes(locals.join('\0')).slice(0, 16)}\0` };
      sets.set(localSet, info);
    }
    return info;
  };
  return {
    unread,
    moduleCache,
    mayImportLocal(modulePath, version, localSet = localModules) {
      const { locals, setKey } = setInfo(localSet);
      // Answers that followed requirements are kept only when no go.mod on the way was missing.
      let sawUnread = false;
      const decided: string[] = [];
      const visit = (p: string, v: string): boolean | undefined => {
        const id = `${setKey}${p}@${v}`;
        const known = reach.get(id);
        if (known !== undefined) return known;
        if (unread.has(`${p}@${v}`)) {
          sawUnread = true;
          return undefined;
        }
        reach.set(id, false); // a requirement cycle adds nothing
        const dir = moduleDir(moduleCache, p, v);
        const text = readText(cachedGoModFile(moduleCache, p, v)) ?? readText(path.join(dir, 'go.mod'));
        let r: boolean | undefined;
        // Kept for later plans only when decided by this module's own go.mod: an answer that
        // followed requirements may rest on a cycle.
        let own = true;
        if (text === undefined) {
          // Not downloaded (unknown), or a module from before go.mod files (it may import anything).
          if (fs.existsSync(dir)) r = true;
          else {
            unread.add(`${p}@${v}`);
            sawUnread = true;
            r = undefined;
          }
        } else if (!locals.some((l) => text.includes(l)) && atLeastGo117(text)) {
          // The common case, without parsing: a recent go.mod that names no local module.
          r = false;
        } else {
          const mod = parseGoMod(text);
          // No go line: a go.mod from go 1.11/1.12, or the one go writes for a module that has
          // none. Such a module may import anything.
          if (!mod.ok || mod.value.go === undefined) r = true;
          else if (mod.value.requires.some((q) => localSet.has(q.path))) r = true;
          // Since go 1.17 a go.mod lists every module its packages import from, directly or
          // not; before, only the direct ones: follow those.
          else if (compareGoVersions(mod.value.go, '1.17') >= 0) r = false;
          else {
            own = false;
            r = false;
            for (const q of mod.value.requires) {
              const a = visit(q.path, q.version);
              if (a === true) {
                r = true;
                break;
              }
              if (a === undefined) r = undefined;
            }
          }
        }
        if (r === undefined) {
          reach.delete(id);
          return undefined;
        }
        reach.set(id, r);
        if (!own) decided.push(id);
        else if (!memo.reach.has(id)) {
          memo.reach.set(id, r);
          memo.added = true;
        }
        return r;
      };
      const answer = visit(modulePath, version);
      // A module decided while another on the way was missing may have been decided wrongly.
      if (sawUnread) for (const id of decided) reach.delete(id);
      return answer;
    },
    importsOf(importPath, modulePath, filesPath, version, ctx) {
      const id = `${importPath}\0${filesPath}@${version}\0${JSON.stringify(ctx)}`;
      const known = imports.get(id);
      if (known !== undefined) return known;
      const sub = importPath === modulePath ? '' : importPath.slice(modulePath.length + 1);
      const dir = path.join(moduleDir(moduleCache, filesPath, version), sub);
      let result: readonly string[];
      try {
        const files: DirFile[] = [];
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          // Imports come from the Go files that are not tests: only those are read.
          if (!e.isFile() || !e.name.endsWith('.go') || e.name.endsWith('_test.go') || !needsHeader(e.name, ctx)) continue;
          files.push({ name: e.name, header: parseGoFileHeaderBytes(fs.readFileSync(path.join(dir, e.name))) });
        }
        result = [...classifyPackageFiles(files, ctx).imports.keys()];
      } catch {
        unread.add(`${filesPath}@${version}`);
        return undefined;
      }
      imports.set(id, result);
      memo.added = true;
      return result;
    },
    async save() {
      if (memoFile === undefined || !memo.added) return;
      memo.added = false;
      const text = JSON.stringify({ v: MEMO_VERSION, reach: [...memo.reach], imports: [...memo.imports] });
      try {
        await fs.promises.mkdir(path.dirname(memoFile), { recursive: true });
        await writeFileAtomic(memoFile, text);
      } catch {
        // Only the next process's time is lost.
      }
    },
  };
}

/** Bump when what is remembered could differ for the same module files (the header parser's output, say). */
const MEMO_VERSION = 1;

interface Memo {
  readonly reach: Map<string, boolean>;
  readonly imports: Map<string, readonly string[]>;
  /** Something was learnt since it was loaded or saved. */
  added: boolean;
}

const memos = new Map<string, Memo>();

/** The memo for `key`: this process's, else the one saved in `file`, else an empty one. */
function memoFor(key: string, file: string | undefined): Memo {
  let m = memos.get(key);
  if (m === undefined) {
    m = { reach: new Map(), imports: new Map(), added: false };
    const saved = file === undefined ? undefined : readText(file);
    if (saved !== undefined) {
      try {
        const data = JSON.parse(saved) as { v?: unknown; reach?: [string, boolean][]; imports?: [string, string[]][] };
        if (data.v === MEMO_VERSION) {
          for (const [k, v] of data.reach ?? []) m.reach.set(k, v);
          for (const [k, v] of data.imports ?? []) m.imports.set(k, v);
        }
      } catch {
        // A damaged file: start empty, and replace it at the next save.
      }
    }
    memos.set(key, m);
  }
  return m;
}

/** Forgets what this process read (tests: to see what a new process would). */
export function forgetExternalMemos(): void {
  memos.clear();
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function atLeastGo117(goMod: string): boolean {
  const v = /^go[ \t]+([0-9][^\s/]*)/m.exec(goMod)?.[1];
  return v !== undefined && compareGoVersions(v, '1.17') >= 0;
}
