import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { nodeGoIO } from './io.js';
import { loadModules, mainModuleProblems, modFlagFromGoFlags, type ModuleSet, type ModulesIO } from './modules.js';
import { writeNestedPathsLayout, writeReplaceModulesLayout, writeTree, writeVendorLayout, writeWorkspaceLayout, type FileTree } from './testing/generate-layouts.js';

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'gob-modules-'));
  tmpDirs.push(d);
  return d;
}

async function load(root: string, opts?: Parameters<typeof loadModules>[1]): Promise<ModuleSet> {
  const r = await loadModules(root, opts);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function tree(files: FileTree): Promise<string> {
  const root = await tmp();
  await writeTree(root, files);
  return root;
}

describe('workspace mode (go.work)', () => {
  it('uses the go.work modules and resolves imports across them', async () => {
    const root = await tmp();
    await writeWorkspaceLayout(root);
    const set = await load(root);
    expect(set.mode).toBe('workspace');
    expect(set.modules.map((m) => [m.dir, m.path, m.role])).toEqual([
      ['libs/common', 'example.com/common', 'workspace'],
      ['services/api', 'example.com/api', 'workspace'],
      ['services/worker', 'example.com/worker', 'workspace'],
      ['third_party/legacy', 'example.com/legacy', 'replacement'],
      ['third_party/thirdparty', 'example.com/thirdparty', 'replacement'],
      ['tools/gen', 'acmetools', 'workspace'],
    ]);
    const api = set.moduleForDir('services/api/web/static');
    expect(api?.path).toBe('example.com/api');
    expect(set.moduleForDir('unused')).toBeUndefined();
    expect(set.moduleForDir('')).toBeUndefined();

    const r = (p: string) => set.resolveImport(p, api);
    expect(r('fmt')).toEqual({ kind: 'std' });
    expect(r('net/http/httptest')).toEqual({ kind: 'std' });
    expect(r('example.com/common/platform')).toMatchObject({ kind: 'local', dir: 'libs/common/platform' });
    expect(r('example.com/common')).toMatchObject({ kind: 'local', dir: 'libs/common' });
    expect(r('acmetools/internal/gen')).toMatchObject({ kind: 'local', dir: 'tools/gen/internal/gen' });
    expect(r('example.com/thirdparty/tp')).toMatchObject({ kind: 'local', dir: 'third_party/thirdparty/tp', module: { role: 'replacement' } });
    expect(r('example.com/legacy/old')).toMatchObject({ kind: 'local', dir: 'third_party/legacy/old' });
    expect(r('golang.org/x/net/http2')).toMatchObject({ kind: 'unresolved', code: 'no-required-module' });
    expect(r('./rel')).toMatchObject({ kind: 'unresolved', code: 'relative-import' });

    expect(set.stateFiles(undefined, [])).toEqual([
      'go.work',
      'libs/common/go.mod',
      'services/api/go.mod',
      'services/worker/go.mod',
      'tools/gen/go.mod',
    ]);
  });

  it('ignores go.work when GOWORK=off and finds every go.mod instead', async () => {
    const root = await tmp();
    await writeWorkspaceLayout(root);
    const set = await load(root, { goWork: 'off' });
    expect(set.mode).toBe('modules');
    expect(set.modules.filter((m) => m.role === 'main').map((m) => m.dir)).toEqual([
      'libs/common',
      'services/api',
      'services/api/web/static/nested',
      'services/worker',
      'third_party/legacy',
      'third_party/thirdparty',
      'tools/gen',
      'unused',
    ]);
    // Without the workspace, api has no requirement on common.
    expect(set.resolveImport('example.com/common/platform', set.moduleForDir('services/api'))).toMatchObject({ kind: 'unresolved', code: 'no-required-module' });
  });

  it('leaves go.work.sum, which go build writes itself, out of the key files', async () => {
    // A checkout without go.work.sum gets one from the first `go build` in workspace mode (the
    // checksums of modules no go.sum lists). Were it hashed, a second build would rebuild all.
    const files: FileTree = {
      'go.work': 'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n',
      'a/go.mod': 'module example.com/a\n\ngo 1.22\n\nrequire example.com/ext v1.0.0\n',
      'a/go.sum': 'example.com/ext v1.0.0 h1:x\n',
      'b/go.mod': 'module example.com/b\n\ngo 1.22\n',
    };
    const without = await load(await tree(files));
    const withSum = await load(await tree({ ...files, 'go.work.sum': 'example.com/other v1.0.0/go.mod h1:y\n' }));
    expect(withSum.workSumFile).toBe('go.work.sum');
    const a = withSum.moduleForDir('a');
    expect(withSum.stateFiles(undefined, a === undefined ? [] : [a])).toEqual(['a/go.mod', 'a/go.sum', 'b/go.mod', 'go.work']);
    expect(withSum.stateFiles(undefined, [])).toEqual(without.stateFiles(undefined, []));
  });

  it('fails on a go.work that uses a directory without go.mod', async () => {
    const root = await tree({ 'go.work': 'go 1.22\n\nuse ./missing\n' });
    const r = await loadModules(root);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error[0]).toMatchObject({ code: 'missing-go-mod' });
  });
});

describe('independent modules (no go.work)', () => {
  it('applies only the main module’s replacements', async () => {
    const root = await tmp();
    await writeReplaceModulesLayout(root);
    const set = await load(root, { goWork: 'off' });
    expect(set.modules.map((m) => `${m.dir}:${m.role}`)).toEqual(['_forks/forked:replacement', 'libx:main', 'liby:main', 'svc-a:main', 'svc-b:main']);
    const svcA = set.moduleForDir('svc-a/cmd/a');
    const svcB = set.moduleForDir('svc-b');
    expect(set.resolveImport('example.com/libx/x', svcA)).toMatchObject({ kind: 'local', dir: 'libx/x' });
    expect(set.resolveImport('example.com/liby/y', svcA)).toMatchObject({ kind: 'local', dir: 'liby/y' });
    expect(set.resolveImport('example.com/forked', svcB)).toMatchObject({ kind: 'local', dir: '_forks/forked', module: { role: 'replacement' } });
    // svc-a does not require or replace forked.
    expect(set.resolveImport('example.com/forked', svcA)).toMatchObject({ kind: 'unresolved' });
    expect(set.stateFiles(svcA, [svcA, set.moduleForDir('libx')].filter((m) => m !== undefined))).toEqual(['libx/go.mod', 'svc-a/go.mod']);
  });

  it("keys a replaced module's go.mod, and only the main modules' go.sum and vendor/modules.txt", async () => {
    // go checks checksums against the main modules' go.sum files and takes vendored packages
    // from the main module's vendor/; it reads a replacement directory's go.mod, nothing else.
    const files: FileTree = {
      'app/go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../lib\n',
      'app/go.sum': 'example.com/x v1.0.0/go.mod h1:x\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.22\n',
      'lib/go.sum': 'example.com/y v1.0.0/go.mod h1:y\n',
      'lib/vendor/modules.txt': '',
    };
    const set = await load(await tree(files));
    const app = set.moduleForDir('app');
    const lib = set.resolveImport('example.com/lib/l', app);
    expect(lib).toMatchObject({ kind: 'local', dir: 'lib/l' });
    const mods = [app, lib.kind === 'local' ? lib.module : undefined].filter((m) => m !== undefined);
    expect(set.stateFiles(app, mods)).toEqual(['app/go.mod', 'app/go.sum', 'lib/go.mod']);
    // lib's own build keys its own.
    const libMain = set.moduleForDir('lib');
    expect(set.stateFiles(libMain, libMain === undefined ? [] : [libMain])).toEqual(['lib/go.mod', 'lib/go.sum', 'lib/vendor/modules.txt']);
    // In a workspace every module it uses is a main module; a replacement is not.
    const ws = await load(await tree({ ...files, 'go.work': 'go 1.22\n\nuse ./app\n' }));
    const wsApp = ws.moduleForDir('app');
    const wsLib = ws.resolveImport('example.com/lib/l', wsApp);
    expect(ws.stateFiles(undefined, [wsApp, wsLib.kind === 'local' ? wsLib.module : undefined].filter((m) => m !== undefined))).toEqual(['app/go.mod', 'app/go.sum', 'go.work', 'lib/go.mod']);
  });

  it('resolves required modules to external modules, longest path first, with replacements', async () => {
    const root = await tree({
      'go.mod': [
        'module example.com/m',
        'go 1.22',
        'require (',
        '\texample.com/ext v1.2.3',
        '\texample.com/ext/sub v0.4.0',
        '\texample.com/old v1.0.0',
        '\texample.com/gone v1.0.0',
        ')',
        'replace example.com/old v1.0.0 => example.com/new v1.1.0',
        'replace example.com/gone => ../../outside',
        '',
      ].join('\n'),
      'go.sum': 'x\n',
    });
    const set = await load(root);
    const m = set.moduleForDir('');
    expect(m?.goSumFile).toBe('go.sum');
    expect(set.resolveImport('example.com/ext/pkg', m)).toEqual({ kind: 'external', modulePath: 'example.com/ext', version: 'v1.2.3', replacement: undefined });
    expect(set.resolveImport('example.com/ext/sub/x', m)).toMatchObject({ kind: 'external', modulePath: 'example.com/ext/sub', version: 'v0.4.0' });
    // Module paths match at element boundaries only.
    expect(set.resolveImport('example.com/ext/sub', m)).toMatchObject({ kind: 'external', modulePath: 'example.com/ext/sub' });
    expect(set.resolveImport('example.com/ext/subzero/x', m)).toMatchObject({ kind: 'external', modulePath: 'example.com/ext', version: 'v1.2.3' });
    expect(set.resolveImport('example.com/ext', m)).toMatchObject({ kind: 'external', modulePath: 'example.com/ext' });
    expect(set.resolveImport('example.com/extra/x', m)).toMatchObject({ kind: 'unresolved', code: 'no-required-module' });
    expect(set.resolveImport('example.com', m)).toMatchObject({ kind: 'unresolved', code: 'no-required-module' });
    expect(set.resolveImport('example.com/old/p', m)).toMatchObject({ kind: 'external', modulePath: 'example.com/old', replacement: { path: 'example.com/new', version: 'v1.1.0' } });
    expect(set.resolveImport('example.com/gone/p', m)).toMatchObject({
      kind: 'unresolved',
      code: 'replace-outside-workspace',
      hint: `gob reads no file outside the workspace root ${root}; to build with ${path.resolve(root, '../../outside')}, use a workspace root that holds both, such as ${path.resolve(root, '../..')} (the workspace root is where gob.yaml is; gob init writes one)`,
    });
    expect(set.resolveImport('example.com/m/internal/x', m)).toMatchObject({ kind: 'local', dir: 'internal/x' });
    expect(set.stateFiles(m, m === undefined ? [] : [m])).toEqual(['go.mod', 'go.sum']);
  });

  it('reports a malformed go.mod with its location', async () => {
    const root = await tree({ 'a/go.mod': 'module a\n\nrequire broken\n' });
    const r = await loadModules(root);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error[0]).toMatchObject({ code: 'bad-go-mod', location: { file: 'a/go.mod', range: { start: { line: 3 } } } });
  });

  it('points at a go.work use outside the workspace, and says where a workspace holding it would be', async () => {
    const parent = await tmp();
    const root = path.join(parent, 'repo');
    const work = 'go 1.26\n\nuse (\n\t./app\n\t../shared\n)\n';
    await writeTree(parent, { 'repo/go.work': work, 'repo/app/go.mod': 'module example.com/app\n', 'shared/go.mod': 'module example.com/shared\n' });
    const r = await loadModules(root);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toHaveLength(1);
    expect(formatDiagnostic(r.error[0] as Diagnostic, (f) => (f === 'go.work' ? work : undefined))).toBe(
      [
        'go.work:5:2: error: go.work uses ../shared, which is outside the workspace root',
        '    \t../shared',
        '    \t^^^^^^^^^',
        `    hint: gob reads no file outside the workspace root ${root}; to build with ${path.join(parent, 'shared')}, use a workspace root that holds both, such as ${parent} (the workspace root is where gob.yaml is; gob init writes one)`,
      ].join('\n'),
    );
  });

  it('takes a go.mod without a module line for what go does: no module, no error, unless go.work uses it', async () => {
    // hugo keeps directories of C and JavaScript sources out of its module with an empty go.mod.
    const root = await tree({ 'go.mod': 'module m\n\ngo 1.26\n', 'gen/go.mod': '', 'tools/go.mod': 'go 1.26\n' });
    const set = await load(root);
    expect(set.modules.map((m) => m.dir)).toEqual(['']);
    await writeFile(path.join(root, 'go.work'), 'go 1.26\n\nuse (\n\t.\n\t./gen\n)\n');
    const r = await loadModules(root);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual([expect.objectContaining({ message: 'no module declaration in go.mod', location: { file: 'gen/go.mod' } })]);
  });

  it('skips vendor, testdata, node_modules, gob-out, hidden and _ directories', async () => {
    const root = await tree({
      'go.mod': 'module m\n',
      'vendor/x/go.mod': 'module x\n',
      'testdata/y/go.mod': 'module y\n',
      'node_modules/z/go.mod': 'module z\n',
      'gob-out/w/go.mod': 'module w\n',
      '.git/v/go.mod': 'module v\n',
      '_old/u/go.mod': 'module u\n',
      'ok/go.mod': 'module ok\n',
    });
    expect((await load(root)).modules.map((m) => m.path)).toEqual(['m', 'ok']);
    expect((await load(root, { ignoreDir: (d) => d === 'ok' })).modules.map((m) => m.path)).toEqual(['m']);
  });

  it('searches the same with and without a synchronous listing, and without a promise per directory when it has one', async () => {
    const root = await tree({
      'go.mod': 'module m\n',
      'vendor/x/go.mod': 'module x\n',
      '.git/v/go.mod': 'module v\n',
      'a/go.mod': 'module a\n',
      'a/b/c/go.mod': 'module c\n',
      'a/b/testdata/go.mod': 'module t\n',
      'ok/go.mod': 'module ok\n',
    });
    const disk = nodeGoIO(root);
    // Each module's own directory is listed through readdir (for go.sum and vendor/), once per load.
    const promised = new Set<string>();
    const io: ModulesIO = {
      readFile: (p) => readFile(path.join(root, p), 'utf8').catch(() => undefined),
      readdir: (d) => {
        promised.add(d);
        return disk.readdir(d);
      },
      readdirSync: disk.readdirSync,
    };
    const paths = (s: ModuleSet): string[] => s.modules.map((m) => m.path);
    expect(paths(await load(root, { io }))).toEqual(['m', 'a', 'c', 'ok']);
    expect(paths(await load(root, { io, ignoreDir: (d) => d === 'a/b' }))).toEqual(['m', 'a', 'ok']);
    // Not a/b, which the search lists to find a/b/c.
    expect([...promised].sort()).toEqual(['', 'a', 'a/b/c', 'ok']);
    // Without readdirSync: every directory through readdir, the same modules.
    promised.clear();
    const asyncOnly: ModulesIO = { readFile: (p) => io.readFile(p), readdir: (d) => io.readdir(d) };
    expect(paths(await load(root, { io: asyncOnly }))).toEqual(['m', 'a', 'c', 'ok']);
    expect(paths(await load(root, { io: asyncOnly, ignoreDir: (d) => d === 'a/b' }))).toEqual(['m', 'a', 'ok']);
    expect([...promised].sort()).toEqual(['', 'a', 'a/b', 'a/b/c', 'ok']);
    expect(paths(await load(root))).toEqual(['m', 'a', 'c', 'ok']);
  });
});

describe('vendoring', () => {
  it('sends imports outside the main module into vendor/', async () => {
    const root = await tmp();
    await writeVendorLayout(root);
    const set = await load(root, { goWork: 'off' });
    const m = set.moduleForDir('cmd/vend');
    expect(m?.vendored).toBe(true);
    expect(set.resolveImport('example.com/fake/sub', m)).toEqual({ kind: 'vendor', dir: 'vendor/example.com/fake/sub', modulePath: 'example.com/fake', version: 'v1.0.0' });
    expect(set.resolveImport('golang.org/x/text/width', m)).toMatchObject({ kind: 'vendor', dir: 'vendor/golang.org/x/text/width', modulePath: 'golang.org/x/text' });
    expect(set.resolveImport('example.com/vend/internal/own', m)).toMatchObject({ kind: 'local', dir: 'internal/own' });
    expect(set.resolveImport('strings', m)).toEqual({ kind: 'std' });
    expect(set.stateFiles(m, m === undefined ? [] : [m])).toEqual(['go.mod', 'vendor/modules.txt']);
  });

  it('does not vendor with -mod=mod, or for go < 1.14 unless -mod=vendor', async () => {
    const root = await tmp();
    await writeVendorLayout(root);
    const set = await load(root, { goWork: 'off', mod: modFlagFromGoFlags('-buildvcs=false -mod=mod') });
    const m = set.moduleForDir('cmd/vend');
    expect(m?.vendored).toBe(false);
    expect(set.resolveImport('example.com/fake/sub', m)).toMatchObject({ kind: 'external', modulePath: 'example.com/fake', version: 'v1.0.0' });

    const old = await tree({ 'go.mod': 'module o\n\ngo 1.13\n', 'vendor/modules.txt': '' });
    expect((await load(old)).modules[0]?.vendored).toBe(false);
    expect((await load(old, { mod: 'vendor' })).modules[0]?.vendored).toBe(true);
  });
});

describe('module paths inside other module paths', () => {
  it('lists every module that may hold an import, the longest path first; with -mod=vendor, the main module and then vendor/', async () => {
    const root = await tmp();
    await writeNestedPathsLayout(root);
    const set = await load(root, { goWork: 'off' });
    const m = set.moduleForDir('cmd/nest');
    // example.com/nest/sub is replaced by the main module's own directory (=> ./).
    expect(set.resolveImport('example.com/nest/sub/pkg', m)).toMatchObject({
      kind: 'local',
      dir: 'pkg',
      module: { path: 'example.com/nest/sub', dir: '' },
      otherwise: { kind: 'local', dir: 'sub/pkg', module: { path: 'example.com/nest', dir: '' }, otherwise: undefined },
    });
    // A replacement is known by the path it replaces, whatever its go.mod declares.
    expect(set.resolveImport('example.com/other/o', m)).toMatchObject({ kind: 'local', dir: 'third_party/other/o', module: { path: 'example.com/other' }, otherwise: undefined });

    const vendored = await tmp();
    await writeNestedPathsLayout(vendored, { vendored: true });
    const vset = await load(vendored, { goWork: 'off' });
    const vm = vset.moduleForDir('cmd/nest');
    expect(vset.resolveImport('example.com/nest/sub/pkg', vm)).toMatchObject({
      kind: 'local',
      dir: 'sub/pkg',
      module: { path: 'example.com/nest' },
      otherwise: { kind: 'vendor', dir: 'vendor/example.com/nest/sub/pkg' },
    });
    expect(vset.resolveImport('example.com/other/o', vm)).toMatchObject({ kind: 'vendor', dir: 'vendor/example.com/other/o' });
  });
});

describe('go versions', () => {
  const codes = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.location?.file ?? ''}:${d.location?.range?.start.line ?? ''}: ${d.message}`);

  it("fails the build of a module whose go line needs a newer go, as go does (GOTOOLCHAIN=local)", async () => {
    const root = await tree({
      'new/go.mod': 'module example.com/new\n\ngo 1.27\n',
      'lang/go.mod': 'module example.com/lang\n\ngo 1.26\n',
      'same/go.mod': 'module example.com/same\n\ngo 1.26.8\n',
      'none/go.mod': 'module example.com/none\n',
    });
    const set = await load(root);
    const problems = (dir: string, goversion = 'go1.26.8') => codes(mainModuleProblems(set, set.moduleForDir(dir), goversion));
    expect(problems('new')).toEqual(['new/go.mod:3: new/go.mod requires go >= 1.27 (running go 1.26.8; GOTOOLCHAIN=local)']);
    expect(problems('new', 'go1.27rc1')).toEqual([]);
    expect(problems('same', 'go1.26.8')).toEqual([]);
    expect(problems('same', 'go1.26.7')).toEqual(['same/go.mod:3: same/go.mod requires go >= 1.26.8 (running go 1.26.7; GOTOOLCHAIN=local)']);
    expect(problems('lang')).toEqual([]);
    expect(problems('none')).toEqual([]);
    // A development toolchain builds anything, as go lets it.
    expect(problems('new', 'devel go1.27-abcdef')).toEqual([]);
    expect(mainModuleProblems(set, set.moduleForDir('new'), 'go1.26.8')[0]?.code).toBe('go-version-too-new');
  });

  it("in a workspace, checks go.work's go line, and that it is no lower than any module's", async () => {
    const mods = { 'a/go.mod': 'module example.com/a\n\ngo 1.25.0\n', 'b/go.mod': 'module example.com/b\n\ngo 1.24\n' };
    const check = async (work: string, goversion = 'go1.26.8') => {
      const set = await load(await tree({ ...mods, 'go.work': work }));
      return codes(mainModuleProblems(set, undefined, goversion));
    };
    expect(await check('go 1.25.0\n\nuse ./a\nuse ./b\n')).toEqual([]);
    expect(await check('go 1.27\n\nuse ./a\nuse ./b\n')).toEqual(['go.work:1: go.work requires go >= 1.27 (running go 1.26.8; GOTOOLCHAIN=local)']);
    expect(await check('go 1.25\n\nuse ./a\nuse ./b\n')).toEqual(['go.work:1: module a listed in go.work requires go >= 1.25.0, but go.work lists go 1.25']);
    expect(await check('use ./a\nuse ./b\n')).toEqual([
      'go.work:: module a listed in go.work requires go >= 1.25.0, but go.work implicitly requires go 1.18',
      'go.work:: module b listed in go.work requires go >= 1.24, but go.work implicitly requires go 1.18',
    ]);
  });
});

describe("GOFLAGS' -modfile", () => {
  it("reads each main module's requirements from the file it names, and keys that file and its .sum", async () => {
    const root = await tree({
      'go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib-a\n',
      'go.sum': '',
      'tools/alt.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib-b\n',
      'tools/alt.sum': '',
      'lib-a/go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib-b/go.mod': 'module example.com/lib\n\ngo 1.26\n',
    });
    // Relative to each module's directory, where go runs; lib-a and lib-b have no such file.
    const set = await load(root, { modFile: 'tools/alt.mod' });
    const app = set.moduleForDir('');
    expect([app?.goModFile, app?.goSumFile]).toEqual(['tools/alt.mod', 'tools/alt.sum']);
    const resolved = set.resolveImport('example.com/lib', app);
    expect(resolved.kind === 'local' ? resolved.dir : resolved.kind).toBe('lib-b');
    expect(set.stateFiles(app, app === undefined ? [] : [app])).toEqual(['tools/alt.mod', 'tools/alt.sum']);
    expect(mainModuleProblems(set, app, 'go1.26.8')).toEqual([]);
    // As a dependency lib-b is read from its go.mod; as a main module go would refuse it.
    const libB = set.moduleForDir('lib-b');
    expect(libB?.goModFile).toBe('lib-b/go.mod');
    expect(mainModuleProblems(set, libB, 'go1.26.8').map((d) => [d.code, d.message])).toEqual([
      ['missing-modfile', 'GOFLAGS sets -modfile, and there is no lib-b/tools/alt.mod: go reads that file in place of lib-b/go.mod to build in the module in lib-b'],
    ]);
    // go does not allow -modfile with a go.work: nothing changes there, go says so when it builds.
    const work = await load(await tree({ 'go.work': 'go 1.26\n\nuse ./a\n', 'a/go.mod': 'module example.com/a\n\ngo 1.26\n' }), { modFile: 'alt.mod' });
    expect(work.moduleForDir('a')?.goModFile).toBe('a/go.mod');
  });
});

