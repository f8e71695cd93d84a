/**
 * Test oracle: runs `go list -deps -json` on a layout and compares its view of the workspace
 * packages with gob's PackageGraph, field by field. Used by graph-vs-golist.test.ts on the
 * generated layouts and on examples/monorepo.
 */
import { realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { WorkspacePath } from '../../types.js';
import { toWorkspacePath } from '../../util/fs-paths.js';
import { loadGoPackages, type GoPackage, type PackageGraph } from '../graph.js';
import { nodeGoIO } from '../io.js';
import { GO_HEADER_DERIVE, goIOFromHasher } from '../hasher-io.js';
import { FileHasher } from '../../hashing/file-hasher.js';
import { loadModules, type GoWorkMode } from '../modules.js';
import type { BuildContext } from '../scanner.js';
import { buildContextFromGoEnv, probeGoEnv, runCommand } from '../toolchain.js';

export interface GoListEntry {
  readonly ImportPath: string;
  readonly Dir?: string;
  readonly Name?: string;
  readonly Standard?: boolean;
  readonly ForTest?: string;
  readonly Deps?: readonly string[];
  readonly Error?: { readonly Err: string };
  readonly [field: string]: unknown;
}

/** The file-list fields compared for every workspace package. */
export const COMPARED_LIST_FIELDS = [
  'GoFiles',
  'CgoFiles',
  'IgnoredGoFiles',
  'InvalidGoFiles',
  'CFiles',
  'CXXFiles',
  'MFiles',
  'HFiles',
  'FFiles',
  'SFiles',
  'SwigFiles',
  'SwigCXXFiles',
  'SysoFiles',
  'IgnoredOtherFiles',
  'EmbedPatterns',
  'EmbedFiles',
  'Imports',
  'TestGoFiles',
  'XTestGoFiles',
  'TestImports',
  'XTestImports',
] as const;

const ROOT_TEST_FIELDS = ['TestEmbedFiles', 'XTestEmbedFiles'] as const;

type ComparedField = (typeof COMPARED_LIST_FIELDS)[number] | (typeof ROOT_TEST_FIELDS)[number];

const OURS: Record<ComparedField, (p: GoPackage) => readonly string[]> = {
  GoFiles: (p) => p.goFiles,
  CgoFiles: (p) => p.cgoFiles,
  IgnoredGoFiles: (p) => p.ignoredGoFiles,
  InvalidGoFiles: (p) => p.invalidGoFiles,
  CFiles: (p) => p.cFiles,
  CXXFiles: (p) => p.cxxFiles,
  MFiles: (p) => p.mFiles,
  HFiles: (p) => p.hFiles,
  FFiles: (p) => p.fFiles,
  SFiles: (p) => p.sFiles,
  SwigFiles: (p) => p.swigFiles,
  SwigCXXFiles: (p) => p.swigCXXFiles,
  SysoFiles: (p) => p.sysoFiles,
  IgnoredOtherFiles: (p) => p.ignoredOtherFiles,
  EmbedPatterns: (p) => p.embedPatterns,
  EmbedFiles: (p) => p.embedFiles,
  Imports: (p) => p.imports,
  TestGoFiles: (p) => p.testGoFiles,
  XTestGoFiles: (p) => p.xTestGoFiles,
  TestImports: (p) => p.testImports,
  XTestImports: (p) => p.xTestImports,
  TestEmbedFiles: (p) => p.testEmbedFiles,
  XTestEmbedFiles: (p) => p.xTestEmbedFiles,
};

/** Splits `go list -json`'s concatenated objects. */
export function parseJsonStream(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return out;
}

export interface Platform {
  readonly name: string;
  readonly goos: string;
  readonly goarch: string;
  readonly cgo: boolean;
  readonly tags?: readonly string[] | undefined;
  /** Extra environment, e.g. GOAMD64=v3. */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/**
 * The environment for `go` on platform `p`: the caller's, minus its Go settings, with the
 * local toolchain and (unless `online`) no module proxy, so tests never touch the network.
 */
export function goEnvFor(p: Platform, goWork: GoWorkMode, online = false): Record<string, string> {
  // The caller's Go settings must not leak in, except where caches and the toolchain live.
  const keep = (k: string) => !/^(GO|CGO_)/.test(k) || ['GOPATH', 'GOCACHE', 'GOMODCACHE', 'GOROOT'].includes(k);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && keep(k)) env[k] = v;
  Object.assign(env, {
    GOOS: p.goos,
    GOARCH: p.goarch,
    CGO_ENABLED: p.cgo ? '1' : '0',
    GOTOOLCHAIN: 'local',
    GOPROXY: online ? (process.env.GOPROXY ?? 'https://proxy.golang.org,direct') : 'off',
    GOFLAGS: '-buildvcs=false',
    GOWORK: goWork === 'off' ? 'off' : '',
    ...(p.env ?? {}),
  });
  return env;
}

const JSON_FIELDS = ['ImportPath', 'Dir', 'Name', 'Standard', 'ForTest', 'Deps', 'Error', 'DepsErrors', 'Module', ...COMPARED_LIST_FIELDS, ...ROOT_TEST_FIELDS];

/** Runs `go list -e -deps [-test] -json` for package dirs (relative to cwd). */
export async function goListDeps(opts: { cwd: string; env: Record<string, string>; dirs: readonly string[]; test: boolean; tags: readonly string[] }): Promise<GoListEntry[]> {
  const args = ['list', '-e', '-deps', `-json=${JSON_FIELDS.join(',')}`];
  if (opts.test) args.push('-test');
  if (opts.tags.length > 0) args.push(`-tags=${opts.tags.join(',')}`);
  args.push(...opts.dirs.map((d) => (d === '' ? '.' : `./${d}`)));
  const r = await runCommand('go', args, { cwd: opts.cwd, env: opts.env });
  if (r.exitCode !== 0 || r.spawnError !== undefined) {
    throw new Error(`go ${args.join(' ')} failed (${String(r.exitCode)}): ${r.stderr}${r.spawnError?.message ?? ''}`);
  }
  return parseJsonStream(r.stdout) as GoListEntry[];
}

export interface Comparison {
  readonly mismatches: string[];
  /** Workspace packages compared (summed over roots). */
  readonly packagesCompared: number;
  readonly roots: number;
  readonly graph: PackageGraph | undefined;
  readonly ctx: BuildContext;
}

const stripTestSuffix = (p: string): string => p.replace(/ \[.*\]$/, '');

/**
 * Loads the graph of `roots` with gob and with `go list`, and lists every difference: the
 * closure of workspace packages per root (import path and directory), and for each package the
 * file lists, imports and embeds (test fields too; test embeds for roots with tests).
 */
export async function compareWithGoList(opts: {
  root: string;
  roots: readonly WorkspacePath[];
  /** Root → directory (workspace-relative) where `go list` must run for it. */
  goListDirs: ReadonlyMap<WorkspacePath, WorkspacePath>;
  goWork: GoWorkMode;
  platform: Platform;
  includeTests: boolean;
  /** Let go reach the module proxy (for layouts with real external requirements). */
  online?: boolean;
}): Promise<Comparison> {
  const root = await realpath(opts.root);
  const env = goEnvFor(opts.platform, opts.goWork, opts.online === true);
  const probed = await probeGoEnv({ cwd: root, env });
  if (!probed.ok) throw new Error(`probeGoEnv: ${JSON.stringify(probed.error)}`);
  const ctx = buildContextFromGoEnv(probed.value, opts.platform.tags ?? []);
  const modules = await loadModules(root, { goWork: opts.goWork });
  if (!modules.ok) throw new Error(`loadModules: ${JSON.stringify(modules.error)}`);
  const req = { roots: opts.roots, ctx, modules: modules.value, includeTests: opts.includeTests };
  const graphResult = await loadGoPackages(req, nodeGoIO(root));
  const mismatches: string[] = [];
  const tag = `[${opts.platform.name}${opts.includeTests ? ' -test' : ''}]`;
  // The planner reads through the stat cache and answers without promises where it can
  // (GoIO.readdirSync/readHeaderSync): that path must load the very same graph.
  const planned = await loadGoPackages(req, goIOFromHasher(root, new FileHasher({ root, derive: GO_HEADER_DERIVE })));
  if (!isDeepStrictEqual(graphResult, planned)) {
    mismatches.push(`${tag} the graph read without promises differs from the one read with them`);
  }
  if (!graphResult.ok) {
    mismatches.push(`${tag} gob failed: ${graphResult.error.map((d) => d.message).join('; ')}`);
  }
  const graph = graphResult.ok ? graphResult.value : undefined;

  // Group roots by where go list runs.
  const groups = new Map<WorkspacePath, WorkspacePath[]>();
  for (const r of opts.roots) {
    const d = opts.goListDirs.get(r) ?? '';
    groups.set(d, [...(groups.get(d) ?? []), r]);
  }
  let packagesCompared = 0;
  for (const [dir, groupRoots] of groups) {
    const cwd = path.join(root, dir);
    const rel = groupRoots.map((r) => (dir === '' ? r : path.posix.relative(dir, r)));
    const entries = await goListDeps({ cwd, env, dirs: rel, test: opts.includeTests, tags: opts.platform.tags ?? [] });
    const isLocal = (e: GoListEntry): boolean => e.Standard !== true && e.Dir !== undefined && (e.Dir === root || e.Dir.startsWith(`${root}/`));
    const plain = new Map<string, GoListEntry>();
    const anyVariant = new Map<string, GoListEntry>();
    for (const e of entries) {
      if (e.ForTest === undefined && !e.ImportPath.includes(' [')) plain.set(e.ImportPath, e);
      if (!anyVariant.has(stripTestSuffix(e.ImportPath))) anyVariant.set(stripTestSuffix(e.ImportPath), e);
    }
    for (const r of groupRoots) {
      const rootAbs = path.join(root, r);
      const rootEntry = entries.find((e) => e.Dir === rootAbs && e.ForTest === undefined && !e.ImportPath.includes(' [') && !e.ImportPath.endsWith('.test'));
      if (rootEntry === undefined) {
        mismatches.push(`${tag} go list has no entry for root ${r}`);
        continue;
      }
      const rootPath = rootEntry.ImportPath;
      const testMain = opts.includeTests ? plain.get(`${rootPath}.test`) : undefined;
      const depPaths = new Set<string>([rootPath, ...(rootEntry.Deps ?? []), ...(testMain?.Deps ?? []).map(stripTestSuffix)]);
      depPaths.delete(`${rootPath}_test`);
      depPaths.delete(`${rootPath}.test`);
      const goClosure = new Map<string, WorkspacePath>();
      for (const p of depPaths) {
        const e = plain.get(p) ?? anyVariant.get(p);
        if (e === undefined) {
          mismatches.push(`${tag} ${r}: go list lists dep ${p} without an entry`);
          continue;
        }
        if (isLocal(e)) goClosure.set(p, toWorkspacePath(root, e.Dir ?? ''));
        if (isLocal(e) && e.Error !== undefined) mismatches.push(`${tag} go list reports an error for ${p}: ${e.Error.Err}`);
      }
      const ours = graph?.roots.find((c) => c.dir === r);
      if (graph === undefined) continue;
      if (ours === undefined) {
        mismatches.push(`${tag} gob has no closure for root ${r}`);
        continue;
      }
      if (ours.importPath !== rootPath) mismatches.push(`${tag} root ${r}: import path ${ours.importPath} vs go list ${rootPath}`);
      const a = [...goClosure.entries()].map(([k, v]) => `${k} ${v}`).sort();
      const b = [...ours.packages.entries()].map(([k, v]) => `${k} ${v}`).sort();
      if (a.join('\n') !== b.join('\n')) {
        mismatches.push(`${tag} root ${r}: closure differs\n  go list only: ${a.filter((x) => !b.includes(x)).join(', ')}\n  gob only: ${b.filter((x) => !a.includes(x)).join(', ')}`);
      }
      // Direct standard-library imports of the closure.
      const goStd = new Set<string>();
      for (const p of goClosure.keys()) {
        const e = plain.get(p) ?? anyVariant.get(p);
        const imports = [...((e?.Imports as string[] | undefined) ?? [])];
        if (p === rootPath && opts.includeTests) imports.push(...((e?.TestImports as string[] | undefined) ?? []), ...((e?.XTestImports as string[] | undefined) ?? []));
        for (const i of imports) if (i !== 'C' && plain.get(i)?.Standard === true) goStd.add(i);
      }
      // External modules imported directly from the closure, with their selected versions.
      const goExternal = new Set<string>();
      for (const p of goClosure.keys()) {
        const e = plain.get(p) ?? anyVariant.get(p);
        const imports = [...((e?.Imports as string[] | undefined) ?? [])];
        if (p === rootPath && opts.includeTests) imports.push(...((e?.TestImports as string[] | undefined) ?? []), ...((e?.XTestImports as string[] | undefined) ?? []));
        for (const i of imports) {
          const dep = plain.get(i) ?? anyVariant.get(i);
          const m = dep?.Module as { Path: string; Version?: string } | undefined;
          if (dep !== undefined && dep.Standard !== true && !isLocal(dep) && m !== undefined) goExternal.add(`${m.Path}@${m.Version ?? ''}`);
        }
      }
      const ourExternal = [...ours.externalModules].map(([k, v]) => `${k}@${v ?? ''}`).sort();
      if ([...goExternal].sort().join(' ') !== ourExternal.join(' ')) {
        mismatches.push(`${tag} root ${r}: external modules differ: go ${[...goExternal].sort().join(' ')} / gob ${ourExternal.join(' ')}`);
      }
      if ([...goStd].sort().join(' ') !== [...ours.std].sort().join(' ')) {
        mismatches.push(`${tag} root ${r}: std imports differ: go ${[...goStd].sort().join(' ')} / gob ${ours.std.join(' ')}`);
      }
      for (const [p, dirRel] of goClosure) {
        const e = plain.get(p) ?? anyVariant.get(p);
        const mine = graph.packageByDir.get(dirRel);
        if (e === undefined || mine === undefined) continue;
        packagesCompared++;
        if ((e.Name ?? '') !== mine.name) mismatches.push(`${tag} ${p}: Name ${String(e.Name)} vs ${mine.name}`);
        const fields: ComparedField[] = [...COMPARED_LIST_FIELDS];
        if (p === rootPath && opts.includeTests) fields.push(...ROOT_TEST_FIELDS);
        for (const f of fields) {
          const theirs = ((e[f] as string[] | undefined) ?? []).join(' | ');
          const mineList = OURS[f](mine).join(' | ');
          if (theirs !== mineList) mismatches.push(`${tag} ${p}: ${f}\n    go list: ${theirs}\n    gob:     ${mineList}`);
        }
        // inputFiles must be exactly what go list says the compile reads.
        const expected = [
          ...(['GoFiles', 'CgoFiles', 'CFiles', 'CXXFiles', 'MFiles', 'HFiles', 'FFiles', 'SFiles', 'SwigFiles', 'SwigCXXFiles', 'SysoFiles', 'EmbedFiles'] as const).flatMap(
            (f) => ((e[f] as string[] | undefined) ?? []).map((n) => path.posix.join(dirRel, n)),
          ),
        ];
        const expectedSet = [...new Set(expected)].sort();
        const got = [...mine.inputFiles].sort();
        if (expectedSet.join(' ') !== got.join(' ')) mismatches.push(`${tag} ${p}: inputFiles\n    expected: ${expectedSet.join(' ')}\n    gob:      ${got.join(' ')}`);
      }
    }
  }
  return { mismatches, packagesCompared, roots: opts.roots.length, graph, ctx };
}
