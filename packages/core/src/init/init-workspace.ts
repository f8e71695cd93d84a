import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import fg from 'fast-glob';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import {
  buildContextFromGoEnv,
  classifyPackageFiles,
  goFailureDiagnostic,
  ignoredByModule,
  loadModules,
  mainModuleProblems,
  needsHeader,
  nodeGoIO,
  probeGoEnv,
  type DirFile,
} from '../golang/index.js';
import { goExecName } from '../golang/exec-name.js';
import { pickPassthrough } from '../actions/go-env.js';
import type { WorkspacePath } from '../types.js';
import { fromWorkspacePath } from '../util/fs-paths.js';
import { err, ok, type Result } from '../util/result.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { ALWAYS_SKIPPED_DIRS, BUILD_FILE_NAME, CONFIG_FILE_NAME } from '../workspace/index.js';

/**
 * `gob init`: makes an existing Go repository a gob workspace. Writes gob.yaml (when missing) and
 * a `go_binary` target next to every main package, in a new or existing BUILD.yaml. It never
 * changes a target that is already there, so running it twice changes nothing.
 *
 * A main package counts when it is buildable from the workspace: its directory belongs to a
 * module of the workspace (go.work `use`, or a go.mod when there is no go.work) and its non-test
 * files for the host platform declare `package main`.
 */

export interface InitResult {
  readonly root: string;
  readonly createdConfig: boolean;
  /** BUILD.yaml files written from scratch. */
  readonly created: readonly WorkspacePath[];
  /** BUILD.yaml files a target was added to. */
  readonly updated: readonly WorkspacePath[];
  /** Main package directories that already had a go_binary target. */
  readonly unchanged: readonly WorkspacePath[];
  readonly warnings: readonly Diagnostic[];
}

export interface InitOptions {
  readonly root: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly goBin?: string | undefined;
}

const TARGET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
const LABEL_DIR = /^[A-Za-z0-9_.+\-/@]*$/;

export async function initWorkspace(opts: InitOptions): Promise<Result<InitResult, Diagnostic[]>> {
  const root = path.resolve(opts.root);
  const warnings: Diagnostic[] = [];
  const probed = await probeGoEnv({ goBin: opts.goBin, cwd: root, env: { ...pickPassthrough(opts.env), GOTOOLCHAIN: 'local' } });
  if (!probed.ok) return err([goFailureDiagnostic(probed.error)]);
  const ctx = buildContextFromGoEnv(probed.value);
  const modules = await loadModules(root);
  if (!modules.ok) return err(modules.error);

  const goFiles = await fg('**/*.go', {
    cwd: root,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: [...ALWAYS_SKIPPED_DIRS.map((d) => `**/${d}/**`), '**/.*/**', '**/_*/**'],
  });
  const modFiles = new Set(
    await fg('**/go.mod', { cwd: root, onlyFiles: true, ignore: [...ALWAYS_SKIPPED_DIRS.map((d) => `**/${d}/**`), '**/.*/**'] }),
  );
  const dirs = [...new Set(goFiles.map((f) => path.posix.dirname(f)).map((d) => (d === '.' ? '' : d)))].sort();
  const io = nodeGoIO(root);

  const mains: WorkspacePath[] = [];
  // Directories with Go files that no go.mod is above: go builds them only in GOPATH mode.
  const outsideModules: WorkspacePath[] = [];
  for (const dir of dirs) {
    const mod = modules.value.moduleForDir(dir);
    const nearest = nearestModDir(dir, modFiles);
    if (mod === undefined && nearest === undefined) outsideModules.push(dir);
    if (mod === undefined || nearest !== mod.dir) continue;
    // go.mod's `ignore` directories are not part of `./...` for go: nor are they for gob init.
    if (ignoredByModule(mod.ignores, mod.dir === '' ? dir : dir.slice(mod.dir.length + 1))) continue;
    const entries = (await io.readdir(dir)) ?? [];
    const files: DirFile[] = [];
    for (const e of entries) {
      if (!e.isFile) continue;
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      const header = needsHeader(e.name, ctx) ? await io.readHeader(rel).catch(() => undefined) : undefined;
      files.push({ name: e.name, header });
    }
    const pkg = classifyPackageFiles(files, ctx);
    // go builds a package from its non-test files: a directory where only _test.go files say
    // `package main` (examples, test suites), or whose main files are all for other platforms,
    // has no binary to build here.
    if (pkg.name !== 'main' || pkg.goFiles.length + pkg.cgoFiles.length === 0) continue;
    if (!LABEL_DIR.test(dir)) {
      warnings.push({
        severity: 'warning',
        code: 'init-skipped-dir',
        message: `skipped the main package in "${dir}": its directory name cannot be part of a label`,
      });
      continue;
    }
    mains.push(dir);
  }

  // What `gob build` would stop at for these targets (a go line newer than the go on PATH, say):
  // said now, as a warning, once per problem.
  const told = new Set<string>();
  for (const dir of mains) {
    for (const d of mainModuleProblems(modules.value, modules.value.moduleForDir(dir), probed.value.GOVERSION)) {
      const key = `${d.code}\0${d.message}`;
      if (told.has(key)) continue;
      told.add(key);
      warnings.push({ ...d, severity: 'warning' });
    }
  }

  if (outsideModules.length > 0) {
    const n = outsideModules.length;
    const named = outsideModules.slice(0, 3).map((d) => (d === '' ? '.' : d));
    warnings.push({
      severity: 'warning',
      code: 'init-no-module',
      message: `${n === 1 ? '1 directory' : `${n} directories`} with Go files (${named.join(', ')}${n > named.length ? ', …' : ''}) ${n === 1 ? 'is' : 'are'} in no Go module, with no go.mod in ${n === 1 ? 'it' : 'them'} or above: gob init looked for main packages in modules only`,
      hint: 'gob builds Go modules, not GOPATH code: a go.mod (go mod init) makes a directory tree a module',
    });
  }

  const configPath = path.join(root, CONFIG_FILE_NAME);
  const createdConfig = !(await exists(configPath));
  if (createdConfig) {
    await writeFileAtomic(configPath, '# gob workspace: every field is optional (see docs/build-yaml.md).\nversion: 1\n');
  }

  const created: WorkspacePath[] = [];
  const updated: WorkspacePath[] = [];
  const unchanged: WorkspacePath[] = [];
  for (const dir of mains) {
    const buildRel = dir === '' ? BUILD_FILE_NAME : `${dir}/${BUILD_FILE_NAME}`;
    const buildAbs = fromWorkspacePath(root, buildRel);
    const name = targetName(dir, modules.value.moduleForDir(dir)?.path);
    const text = await fs.readFile(buildAbs, 'utf8').catch(() => undefined);
    if (text === undefined) {
      await writeFileAtomic(buildAbs, `targets:\n  ${name}:\n    kind: go_binary\n`);
      created.push(buildRel);
      continue;
    }
    const doc = parseDocument(text);
    if (doc.errors.length > 0 || !(isMap(doc.contents) || doc.contents === null)) {
      warnings.push({
        severity: 'warning',
        code: 'init-unparsable',
        message: `left ${buildRel} alone: it is not valid YAML, so gob init cannot add a target to it`,
        location: { file: buildRel },
      });
      continue;
    }
    if (hasBinaryForOwnDir(doc)) {
      unchanged.push(dir);
      continue;
    }
    doc.setIn(['targets', freeName(doc, name)], doc.createNode({ kind: 'go_binary' }));
    await writeFileAtomic(buildAbs, doc.toString());
    updated.push(buildRel);
  }
  return ok({ root, createdConfig, created, updated, unchanged, warnings });
}

function nearestModDir(dir: WorkspacePath, modFiles: ReadonlySet<string>): WorkspacePath | undefined {
  let d: string = dir;
  for (;;) {
    if (modFiles.has(d === '' ? 'go.mod' : `${d}/go.mod`)) return d;
    if (d === '') return undefined;
    const i = d.lastIndexOf('/');
    d = i < 0 ? '' : d.slice(0, i);
  }
}

/**
 * The target name (and so the binary's name) for the main package in `dir`: the directory's last
 * element, so that `//dir` is short for the label. The root directory has no name of its own in
 * the repository, so its target takes the name `go build` gives the binary, from the module path
 * (`example.com/tool/v2` → `tool`), never the name of the checkout directory, which differs
 * between clones.
 */
function targetName(dir: WorkspacePath, modulePath: string | undefined): string {
  const base = dir === '' ? goExecName(modulePath ?? '') || 'main' : (dir.split('/').at(-1) ?? 'main');
  const cleaned = base.replace(/[^A-Za-z0-9_.+-]/g, '_');
  const name = TARGET_NAME.test(cleaned) ? cleaned : `_${cleaned}`;
  return name === 'all' ? 'all_bin' : name;
}

/** True when a go_binary in the file builds the file's own directory (package "." or absent). */
function hasBinaryForOwnDir(doc: Document): boolean {
  const targets = doc.get('targets');
  if (!isMap(targets)) return false;
  return targets.items.some((item) => {
    const t = item.value;
    if (!isMap(t) || t.get('kind') !== 'go_binary') return false;
    const pkg = t.get('package');
    return pkg === undefined || pkg === null || (typeof pkg === 'string' && ['.', './', ''].includes(pkg.trim()));
  });
}

function freeName(doc: Document, wanted: string): string {
  const targets = doc.get('targets');
  const taken = new Set<string>();
  if (isMap(targets)) for (const item of targets.items) if (isScalar(item.key)) taken.add(String(item.key.value));
  if (!taken.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!taken.has(`${wanted}_bin${i === 2 ? '' : String(i)}`)) return `${wanted}_bin${i === 2 ? '' : String(i)}`;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

