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
import { ALWAYS_SKIPPED_DIRS, BUILD_FILE_NAME, CONFIG_FILE_NAME, discoverBuildFiles } from '../workspace/index.js';
import { toWorkspaceConfig, type GobFileData } from '../workspace/config.js';
import { validateConfig } from '../workspace/schema.js';

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

  // Which files hold gob's targets: gob.yaml's build_file, else BUILD.yaml — unless files of that
  // name belong to another tool (leeway's BUILD.yaml, say), which gob build would stop at: then a
  // new gob.yaml names BUILD.gob.yaml instead.
  const configPath = path.join(root, CONFIG_FILE_NAME);
  const configText = await fs.readFile(configPath, 'utf8').catch(() => undefined);
  const createdConfig = configText === undefined;
  // A gob.yaml the schema rejects is gob build's to report; init keeps to the defaults then.
  const data: unknown = configText === undefined ? {} : (parseDocument(configText).toJS() ?? {});
  const config = validateConfig('gob.yaml', data).length === 0 ? toWorkspaceConfig(data as GobFileData) : toWorkspaceConfig({});
  const ignore = config.ignore;
  let buildFile = config.buildFile;
  const foreignFiles = await foreignBuildFiles(root, buildFile, ignore);
  if (foreignFiles.length > 0) {
    const named = foreignFiles.slice(0, 3).join(', ') + (foreignFiles.length > 3 ? ', …' : '');
    if (createdConfig) {
      buildFile = ALTERNATE_BUILD_FILE_NAME;
      warnings.push({
        severity: 'warning',
        code: 'init-foreign-build-files',
        message: `${foreignFiles.length} ${BUILD_FILE_NAME} ${foreignFiles.length === 1 ? 'file is' : 'files are'} another tool's (${named}): gob's targets go in ${buildFile} files instead (build_file in ${CONFIG_FILE_NAME})`,
      });
    } else {
      warnings.push({
        severity: 'warning',
        code: 'init-foreign-build-files',
        message: `${foreignFiles.length} ${buildFile} ${foreignFiles.length === 1 ? 'file holds' : 'files hold'} keys that are not gob's (${named}): gob build will stop at ${foreignFiles.length === 1 ? 'it' : 'them'}`,
        location: { file: CONFIG_FILE_NAME },
        hint: `if they are another tool's, give gob's files another name: build_file: ${ALTERNATE_BUILD_FILE_NAME} in ${CONFIG_FILE_NAME}`,
      });
    }
  }
  if (createdConfig) {
    await writeFileAtomic(
      configPath,
      `# gob workspace: every field is optional (see docs/build-yaml.md).\nversion: 1\n${buildFile === BUILD_FILE_NAME ? '' : `# ${BUILD_FILE_NAME} files here are another tool's: gob's targets are in ${buildFile} files.\nbuild_file: ${buildFile}\n`}`,
    );
  }

  const created: WorkspacePath[] = [];
  const updated: WorkspacePath[] = [];
  const unchanged: WorkspacePath[] = [];
  for (const dir of mains) {
    const buildRel = dir === '' ? buildFile : `${dir}/${buildFile}`;
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
    // Another tool's file (said above): left as it is, with no target added.
    if (foreignKeys(doc).length > 0) continue;
    if (hasBinaryForOwnDir(doc)) {
      unchanged.push(dir);
      continue;
    }
    await writeFileAtomic(buildAbs, withTarget(text, doc, freeName(doc, name)));
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

/** The name init gives gob's files when files named BUILD.yaml are another tool's. */
const ALTERNATE_BUILD_FILE_NAME = 'BUILD.gob.yaml';

/** Top-level keys of a build file that are not gob's (`targets` is its only one). */
function foreignKeys(doc: Document): string[] {
  if (!isMap(doc.contents)) return [];
  return doc.contents.items.map((i) => (isScalar(i.key) ? String(i.key.value) : String(i.key))).filter((k) => k !== 'targets');
}

/** The files named `name` in the workspace (where gob build looks) that have keys gob does not know. */
async function foreignBuildFiles(root: string, name: string, ignore: readonly string[]): Promise<WorkspacePath[]> {
  const found = await discoverBuildFiles(root, ignore, undefined, name);
  if (!found.ok) return [];
  const out: WorkspacePath[] = [];
  for (const file of found.value) {
    const text = await fs.readFile(fromWorkspacePath(root, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const doc = parseDocument(text);
    if (doc.errors.length === 0 && foreignKeys(doc).length > 0) out.push(file);
  }
  return out;
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

/**
 * `text` with a `go_binary` target `name` added, changing nothing else in it: the target is
 * inserted as text (after the last target of a block-style `targets` map, or as a new `targets`
 * map at the end), so that comments, quoting, flow lists and long lines stay as they were. Only a
 * file whose `targets` is in another form (flow style, empty) is written back whole by the YAML
 * library, with the target set in it.
 */
function withTarget(text: string, doc: Document, name: string): string {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const entry = (indent: string): string => `${indent}${name}:${nl}${indent}  kind: go_binary${nl}`;
  const targets = doc.get('targets', true);
  let inserted: string | undefined;
  if (targets === undefined) {
    inserted = `${text}${text === '' || text.endsWith('\n') ? '' : nl}targets:${nl}${entry('  ')}`;
  } else if (isMap(targets) && targets.flow !== true && targets.items.length > 0) {
    const firstKey = targets.items[0]?.key as { range?: [number, number, number] } | undefined;
    const last = targets.items.at(-1)?.value as { range?: [number, number, number] } | undefined;
    if (firstKey?.range !== undefined && last?.range !== undefined) {
      const indent = text.slice(text.lastIndexOf('\n', firstKey.range[0] - 1) + 1, firstKey.range[0]);
      // After the line where the last target ends (its range may already end past the newline).
      const end = last.range[1];
      const lineEnd = text[end - 1] === '\n' ? end - 1 : text.indexOf('\n', end);
      const at = lineEnd < 0 ? text.length : lineEnd + 1;
      if (/^ *$/.test(indent)) inserted = `${text.slice(0, at)}${lineEnd < 0 ? nl : ''}${entry(indent)}${text.slice(at)}`;
    }
  }
  // The text edit must give exactly the old document with the new target in it.
  const before = (doc.toJS() as { targets?: Record<string, unknown> } | null) ?? {};
  const expected = JSON.stringify({ ...before, targets: { ...before.targets, [name]: { kind: 'go_binary' } } });
  if (inserted !== undefined) {
    const check = parseDocument(inserted);
    if (check.errors.length === 0 && JSON.stringify(check.toJS()) === expected) return inserted;
  }
  doc.setIn(['targets', name], doc.createNode({ kind: 'go_binary' }));
  return doc.toString({ lineWidth: 0 });
}

function freeName(doc: Document, wanted: string): string {
  const targets = doc.get('targets');
  const taken = new Set<string>();
  if (isMap(targets)) for (const item of targets.items) if (isScalar(item.key)) taken.add(String(item.key.value));
  if (!taken.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!taken.has(`${wanted}_bin${i === 2 ? '' : String(i)}`)) return `${wanted}_bin${i === 2 ? '' : String(i)}`;
}

