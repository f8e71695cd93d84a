/**
 * From a validated BUILD.yaml to Target objects: applies defaults and runs the checks the schema
 * cannot express (package directories exist, `out` is a file name, deps name real targets,
 * platforms are real). It does not look inside Go packages; the planner does that.
 */
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { GoBinaryTarget, GoTestTarget, Label, Location, Platform, Target, WorkspacePath } from '../types.js';
import { ALL_TARGETS_NAMES, labelDir, makeLabel, parseLabel } from '../labels/label.js';
import { lookupLabel, unknownTargetDiagnostic } from '../labels/resolve.js';
import { closest, didYouMean } from '../labels/suggest.js';
import type { WorkspaceFs } from './fs.js';
import { checkPlatform } from './platforms.js';
import { locationAt } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

/** One target of a BUILD.yaml as written (after schema validation). */
export type TargetData = GoBinaryData | GoTestData;

interface CommonData {
  readonly tags?: readonly string[];
  readonly gcflags?: readonly string[];
  readonly ldflags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly platforms?: readonly string[];
  readonly deps?: readonly string[];
}

export interface GoBinaryData extends CommonData {
  readonly kind: 'go_binary';
  readonly package?: string;
  readonly out?: string;
  readonly x_defs?: Readonly<Record<string, string>>;
}

export interface GoTestData extends CommonData {
  readonly kind: 'go_test';
  readonly packages?: readonly string[];
  readonly race?: boolean;
  readonly timeout?: string;
}

export interface BuildFileData {
  readonly targets?: Readonly<Record<string, TargetData>>;
}

/** A target found in a BUILD.yaml, before its own checks. */
export interface DeclaredTarget {
  readonly label: Label;
  readonly name: string;
  readonly dir: WorkspacePath;
  readonly buildFile: WorkspacePath;
  readonly src: YamlSource;
  readonly data: TargetData;
  /** False when the schema already reported a problem inside it: it is known, but not checked. */
  readonly valid: boolean;
}

/** A `deps` edge, with where it is written (for cycle reports). */
export interface DepEdge {
  readonly to: Label;
  readonly location: Location;
}

export interface CheckedTarget {
  readonly target: Target | undefined;
  readonly edges: readonly DepEdge[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface CheckContext {
  readonly root: string;
  readonly fs: WorkspaceFs;
  /** Every declared label, valid or not: deps on a broken target are not "unknown". */
  readonly labels: ReadonlyMap<Label, DeclaredTarget>;
  readonly buildFiles: readonly WorkspacePath[];
  /** The name of the files that hold targets (gob.yaml's `build_file`). */
  readonly buildFileName: string;
  /** Directories whose BUILD.yaml could not be read as a whole: deps into them are not judged. */
  readonly brokenDirs: ReadonlySet<WorkspacePath>;
}

/** Runs the per-target checks and builds the Target (undefined when a check failed). */
export async function checkTarget(d: DeclaredTarget, ctx: CheckContext): Promise<CheckedTarget> {
  const diagnostics: Diagnostic[] = [];
  const at = (...p: string[]): Location => locationAt(d.src, ['targets', d.name, ...p], 'value');
  const location = locationAt(d.src, ['targets', d.name], 'key');

  if (ALL_TARGETS_NAMES.includes(d.name)) {
    diagnostics.push({
      severity: 'error',
      code: 'reserved-name',
      message: `"${d.name}" cannot be a target name: //${d.dir}:${d.name} means every target of the directory`,
      location,
    });
  }

  const edges: DepEdge[] = [];
  (d.data.deps ?? []).forEach((text, i) => {
    const loc = at('deps', String(i));
    const parsed = parseLabel(text, d.dir);
    if (!parsed.ok) {
      diagnostics.push({ ...parsed.error, location: loc });
      return;
    }
    const found = lookupLabel(ctx.labels, parsed.value, text, d.dir);
    if (found !== undefined) {
      if (!edges.some((e) => e.to === found)) edges.push({ to: found, location: loc });
    } else if (!ctx.brokenDirs.has(labelDir(parsed.value))) {
      const unknown = unknownTargetDiagnostic(ctx.labels.keys(), ctx.buildFiles, parsed.value, 'unknown dependency', ctx.buildFileName);
      diagnostics.push({ ...unknown, code: 'unknown-dep', location: loc });
    }
  });

  const platforms: Platform[] = [];
  (d.data.platforms ?? []).forEach((text, i) => {
    const check = checkPlatform(text);
    if (!check.ok) {
      diagnostics.push({
        severity: 'error',
        code: 'bad-platform',
        message: `unknown platform "${text}": ${check.reason}`,
        location: at('platforms', String(i)),
        hint: check.suggestion === undefined ? 'platforms are written os/arch, e.g. linux/amd64' : `did you mean ${check.suggestion}?`,
      });
    } else if (!platforms.some((p) => p.goos === check.platform.goos && p.goarch === check.platform.goarch)) {
      platforms.push(check.platform);
    }
  });

  const common = {
    label: d.label,
    name: d.name,
    dir: d.dir,
    buildFile: d.buildFile,
    location,
    deps: edges.map((e) => e.to),
    env: { ...d.data.env },
    tags: [...(d.data.tags ?? [])],
    gcflags: [...(d.data.gcflags ?? [])],
    ldflags: [...(d.data.ldflags ?? [])],
    platforms: d.data.platforms === undefined ? undefined : platforms,
  };

  let target: Target;
  if (d.data.kind === 'go_binary') {
    const data = d.data;
    const packageLocation = data.package === undefined ? location : at('package');
    const pkg = await checkPackageDir(d.dir, data.package ?? '.', packageLocation, ctx);
    if (pkg.diagnostic !== undefined) diagnostics.push(pkg.diagnostic);
    const out = data.out ?? d.name;
    if (out.includes('/') || out.includes('\\') || out === '.' || out === '..') {
      diagnostics.push({
        severity: 'error',
        code: 'bad-out',
        message: `"out" must be a plain file name, got "${out}"`,
        location: at('out'),
        hint: `outputs always go to gob-out/bin/${d.dir === '' ? '' : `${d.dir}/`}; write just the name, e.g. out: ${path.posix.basename(out.replace(/\\/g, '/')) || d.name}`,
      });
    }
    const binary: GoBinaryTarget = {
      ...common,
      kind: 'go_binary',
      goPackage: pkg.dir ?? '',
      out,
      xDefs: { ...data.x_defs },
      packageLocation,
    };
    target = binary;
  } else {
    const data = d.data;
    const packagesLocation = data.packages === undefined ? location : at('packages');
    const packages = data.packages ?? ['.'];
    for (const [i, pattern] of packages.entries()) {
      const base = pattern.replace(/(^|\/)\.\.\.$/, '') || '.';
      const loc = data.packages === undefined ? location : at('packages', String(i));
      const pkg = await checkPackageDir(d.dir, base, loc, ctx);
      if (pkg.diagnostic !== undefined) diagnostics.push(pkg.diagnostic);
    }
    const test: GoTestTarget = {
      ...common,
      kind: 'go_test',
      packages: [...packages],
      race: data.race ?? false,
      timeout: data.timeout,
      packagesLocation,
    };
    target = test;
  }
  return { target: diagnostics.some((x) => x.severity === 'error') ? undefined : target, edges, diagnostics };
}

/**
 * Resolves a package directory written relative to the BUILD.yaml and checks that it is a
 * directory inside the workspace. Whether it holds Go code is for the Go scanner to say.
 */
async function checkPackageDir(
  dir: WorkspacePath,
  rel: string,
  location: Location,
  ctx: CheckContext,
): Promise<{ dir: WorkspacePath | undefined; diagnostic: Diagnostic | undefined }> {
  const bad = (code: string, message: string, hint?: string): { dir: undefined; diagnostic: Diagnostic } => ({
    dir: undefined,
    diagnostic: { severity: 'error', code, message, location, hint },
  });
  if (rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel) || rel.includes('\\')) {
    return bad('bad-package', `package directory "${rel}" must be a relative path with "/" separators`, 'write it relative to this BUILD.yaml, e.g. ./cmd/server');
  }
  const joined = path.posix.normalize(dir === '' ? rel : `${dir}/${rel}`).replace(/\/$/, '');
  if (joined === '..' || joined.startsWith('../')) {
    return bad('bad-package', `package directory "${rel}" is outside the workspace`);
  }
  const resolved = joined === '.' ? '' : joined;
  const abs = resolved === '' ? ctx.root : path.join(ctx.root, ...resolved.split('/'));
  const kind = await ctx.fs.entryKind(abs);
  const shown = resolved === '' ? '(the workspace root)' : resolved;
  if (kind === undefined) {
    const parent = path.posix.dirname(resolved);
    const parentDir = parent === '.' ? '' : parent;
    const siblings = await ctx.fs.subdirectories(parentDir === '' ? ctx.root : path.join(ctx.root, ...parentDir.split('/')));
    const near = closest(path.posix.basename(resolved), siblings).map((s) => (parentDir === '' ? s : `${parentDir}/${s}`));
    return bad('missing-package', `package directory ${shown} does not exist`, didYouMean(near));
  }
  if (kind !== 'directory') return bad('bad-package', `package path ${shown} is not a directory`);
  return { dir: resolved, diagnostic: undefined };
}

/** Lists the targets of one validated BUILD.yaml, in file order. */
export function declaredTargets(
  src: YamlSource,
  dir: WorkspacePath,
  buildFile: WorkspacePath,
  invalidNames: ReadonlySet<string>,
): DeclaredTarget[] {
  const data = src.data as BuildFileData;
  return Object.entries(data.targets ?? {}).map(([name, t]) => ({
    label: makeLabel(dir, name),
    name,
    dir,
    buildFile,
    src,
    data: t,
    valid: !invalidNames.has(name),
  }));
}
