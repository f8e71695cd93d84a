/**
 * loadWorkspace: from a working directory to every target of the workspace, or to every problem
 * in its configuration. It reads gob.yaml and all BUILD.yaml files and checks them completely
 * before answering, so one run reports all mistakes, not the first one. It does not read Go
 * sources or run any tool.
 */
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { Label, Location, Target, Workspace, WorkspaceConfig, WorkspacePath } from '../types.js';
import { parsePattern } from '../labels/label.js';
import { compareStrings } from '../labels/suggest.js';
import { err, ok } from '../util/result.js';
import type { Result } from '../util/result.js';
import { toWorkspaceConfig } from './config.js';
import type { GobFileData } from './config.js';
import { findCycles } from './cycles.js';
import { discoverBuildFiles, type DiscoveryFs } from './discover.js';
import { nodeWorkspaceFs } from './fs.js';
import type { WorkspaceFs } from './fs.js';
import { schemaDiagnostics } from './schema-errors.js';
import { validateConfig } from './schema.js';
import { checkTarget, declaredTargets } from './targets.js';
import type { DeclaredTarget, DepEdge } from './targets.js';
import { parseYamlSource } from './yaml-source.js';
import { CONFIG_FILE_NAME, findWorkspaceRoot } from './root.js';
import type { YamlSource } from './yaml-source.js';

export { CONFIG_FILE_NAME, findWorkspaceRoot } from './root.js';

export interface LoadWorkspaceOptions {
  /** Where to start looking for gob.yaml (usually process.cwd()). */
  readonly cwd: string;
  /** Replaces parts of the real file system (tests use it to make reads fail). */
  readonly fs?: Partial<WorkspaceFs> | undefined;
  /**
   * Filled with the text of every file read, keyed by the path diagnostics use, so a caller can
   * print diagnostics with their source lines (`formatDiagnostic(d, (f) => sources.get(f))`).
   */
  readonly sources?: Map<string, string> | undefined;
  /** Receives warnings when loading succeeds (on failure they are part of the error list). */
  readonly onWarning?: ((d: Diagnostic) => void) | undefined;
  /** The directory listings of the search for BUILD.yaml files (see `discoverBuildFiles`). */
  readonly discoveryFs?: DiscoveryFs | undefined;
}

export async function loadWorkspace(opts: LoadWorkspaceOptions): Promise<Result<Workspace, Diagnostic[]>> {
  const fs: WorkspaceFs = { ...nodeWorkspaceFs, ...opts.fs };
  const cwd = path.resolve(opts.cwd);
  const root = await findWorkspaceRoot(cwd, fs);
  if (root === undefined) {
    return err([
      {
        severity: 'error',
        code: 'no-workspace',
        message: `no ${CONFIG_FILE_NAME} found in ${cwd} or any directory above it`,
        hint: 'run "gob init" at the root of your repository to create one',
      },
    ]);
  }
  const diagnostics: Diagnostic[] = [];
  const read = async (file: WorkspacePath): Promise<YamlSource | undefined> => {
    let text: string;
    try {
      text = await fs.readFile(path.join(root, ...file.split('/')));
    } catch (e: unknown) {
      diagnostics.push({ severity: 'error', code: 'read-error', message: `cannot read ${file}: ${errorText(e)}`, location: { file } });
      return undefined;
    }
    opts.sources?.set(file, text);
    const src = parseYamlSource(file, text);
    diagnostics.push(...src.diagnostics);
    return src;
  };

  // gob.yaml first: its build_file and ignore globs decide which files to look for, and where.
  const gobSrc = await read(CONFIG_FILE_NAME);
  const config = gobSrc === undefined ? toWorkspaceConfig({}) : configFrom(gobSrc, diagnostics);

  const discovered = await discoverBuildFiles(root, config.ignore, opts.discoveryFs, config.buildFile);
  if (!discovered.ok) return err([...diagnostics, discovered.error]);
  const buildFiles = discovered.value;

  // Read and validate every BUILD.yaml (in parallel: mostly waiting on the disk).
  const sources = await Promise.all(buildFiles.map((f) => read(f)));
  const declared: DeclaredTarget[] = [];
  const brokenDirs = new Set<WorkspacePath>();
  buildFiles.forEach((file, i) => {
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    const src = sources[i];
    const dirLabel = parsePattern(dir === '' ? '//...' : `//${dir}/...`, '');
    if (!dirLabel.ok) {
      diagnostics.push({
        severity: 'error',
        code: 'bad-directory',
        message: `the targets of ${file} cannot have labels: ${dirLabel.error.message}`,
        location: { file },
        hint: `rename the directory (letters, digits and _ . + - @ ~ = , are allowed) or add it to "ignore" in ${CONFIG_FILE_NAME}`,
      });
      brokenDirs.add(dir);
      return;
    }
    const checked = src === undefined ? undefined : validateBuildFile(src, diagnostics);
    if (src === undefined || checked === undefined) {
      brokenDirs.add(dir);
      return;
    }
    if (checked.fileLevelErrors) brokenDirs.add(dir);
    declared.push(...declaredTargets(src, dir, file, checked.invalidNames));
  });

  const labels = new Map<Label, DeclaredTarget>(declared.map((d) => [d.label, d]));
  const ctx = { root, fs, labels, buildFiles, buildFileName: config.buildFile, brokenDirs };
  const checked = await Promise.all(declared.filter((d) => d.valid).map((d) => checkTarget(d, ctx)));
  const graph = new Map<Label, readonly DepEdge[]>();
  const targets: Target[] = [];
  for (const c of checked) {
    diagnostics.push(...c.diagnostics);
    if (c.target !== undefined) {
      targets.push(c.target);
      graph.set(c.target.label, c.edges);
    }
  }
  diagnostics.push(...findCycles(graph));

  const ordered = sortDiagnostics(diagnostics, [CONFIG_FILE_NAME, ...buildFiles]);
  if (ordered.some((d) => d.severity === 'error')) return err(ordered);
  for (const w of ordered) opts.onWarning?.(w);

  targets.sort((a, b) => compareStrings(a.label, b.label));
  return ok({
    root,
    configFile: CONFIG_FILE_NAME,
    config,
    targets: new Map(targets.map((t) => [t.label, t])),
    buildFiles,
  });
}

/** Validates gob.yaml and applies defaults; falls back to defaults for what is invalid. */
function configFrom(src: YamlSource, diagnostics: Diagnostic[]): WorkspaceConfig {
  if (src.data === undefined) return toWorkspaceConfig({});
  const errors = validateConfig('gob.yaml', src.data);
  if (errors.length === 0) return toWorkspaceConfig(src.data as GobFileData);
  diagnostics.push(...schemaDiagnostics(src, 'gob.yaml', errors));
  // Keep a valid ignore list so discovery still skips what the user asked it to skip.
  const ignore = (src.data as { ignore?: unknown }).ignore;
  const strings = Array.isArray(ignore) ? ignore.filter((g): g is string => typeof g === 'string') : [];
  return toWorkspaceConfig({ ignore: strings });
}

/**
 * Validates one BUILD.yaml. Returns which targets have problems of their own (they stay known,
 * so deps on them are not reported as unknown, but are not checked further) and whether the
 * file has problems outside any target; undefined when it could not be read as data at all.
 */
function validateBuildFile(
  src: YamlSource,
  diagnostics: Diagnostic[],
): { invalidNames: Set<string>; fileLevelErrors: boolean } | undefined {
  if (src.data === undefined) return undefined;
  const errors = validateConfig('BUILD.yaml', src.data);
  diagnostics.push(...schemaDiagnostics(src, 'BUILD.yaml', errors));
  const invalidNames = new Set<string>();
  let fileLevelErrors = false;
  for (const e of errors) {
    const p = e.instancePath.split('/').slice(1);
    if (p[0] === 'targets' && p.length >= 2 && p[1] !== undefined) {
      invalidNames.add(p[1].replace(/~1/g, '/').replace(/~0/g, '~'));
    } else if (e.keyword === 'propertyNames' && p.length === 1 && p[0] === 'targets') {
      invalidNames.add(String((e.params as { propertyName?: unknown }).propertyName));
    } else if (!e.schemaPath.includes('/propertyNames/')) {
      fileLevelErrors = true;
    }
  }
  const targetsData = (src.data as { targets?: unknown }).targets;
  if (fileLevelErrors && (typeof targetsData !== 'object' || targetsData === null || Array.isArray(targetsData))) {
    return undefined;
  }
  return { invalidNames, fileLevelErrors };
}

/** In file order (gob.yaml, then BUILD.yaml files as discovered), then by position. */
function sortDiagnostics(diagnostics: readonly Diagnostic[], files: readonly string[]): Diagnostic[] {
  const fileRank = (loc: Location | undefined): number => {
    if (loc === undefined) return files.length + 1;
    const i = files.indexOf(loc.file);
    return i === -1 ? files.length : i;
  };
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        fileRank(a.d.location) - fileRank(b.d.location) ||
        (a.d.location?.range?.start.offset ?? -1) - (b.d.location?.range?.start.offset ?? -1) ||
        a.i - b.i,
    )
    .map((x) => x.d);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
