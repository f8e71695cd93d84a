/**
 * Deterministic Go repository layouts for the scanner/graph tests. Each writer fills an
 * (empty) directory and returns what the test needs to know: the root package directories and
 * which directories are module roots (`go list` runs there).
 *
 * The layouts exercise every file selection rule gob models; the tests compare gob's view with
 * `go list` on them, so the Go code only has to be valid enough for `go list` (headers), but it
 * is kept compilable where that is cheap.
 */
import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface Layout {
  /** Package directories (workspace-relative) to load as roots: every main package. */
  readonly roots: readonly string[];
  /**
   * Where `go list` must run for each root (workspace-relative module or workspace dir), and
   * whether go.work applies.
   */
  readonly goListDirs: ReadonlyMap<string, string>;
  readonly goWork: 'auto' | 'off';
}

export type FileTree = Record<string, string | Buffer>;

/** A fixed timestamp for generated files: deterministic, and old enough for the go command. */
export const LAYOUT_MTIME = new Date('2024-01-02T03:04:05Z');

/**
 * Writes `files` (workspace-relative paths → content) under `root`. Files get an old mtime:
 * the go command only uses its package index (cmd/go/internal/modindex) for directories whose
 * files are more than 2 s old, and it behaves slightly differently without it (it skips reading
 * files excluded by name), so fresh files would test the uncommon path.
 */
export async function writeTree(root: string, files: FileTree): Promise<void> {
  const dirs = new Set<string>();
  for (const rel of Object.keys(files)) dirs.add(path.dirname(path.join(root, rel)));
  for (const d of [...dirs].sort()) await mkdir(d, { recursive: true });
  await Promise.all(
    Object.entries(files).map(async ([rel, content]) => {
      const abs = path.join(root, rel);
      await writeFile(abs, content);
      await utimes(abs, LAYOUT_MTIME, LAYOUT_MTIME);
    }),
  );
}

const goMod = (module: string, extra = ''): string => `module ${module}\n\ngo 1.22\n${extra}`;

const goFile = (pkg: string, imports: readonly string[] = [], header = '', body = ''): string => {
  const imps = imports.length === 0 ? '' : `import (\n${imports.map((i) => `\t${i.includes('"') ? i : `"${i}"`}\n`).join('')})\n\n`;
  return `${header}package ${pkg}\n\n${imps}${body}`;
};

// --- (a) one module, many mains -----------------------------------------------------------------

/**
 * One module (`example.com/mono`) with `mains` commands under cmd/ and `libs` libraries under
 * internal/, wired into a deterministic DAG, plus a nested independent module under tools/.
 */
export async function writeMonoModuleLayout(root: string, opts: { mains?: number; libs?: number } = {}): Promise<Layout> {
  const mains = opts.mains ?? 8;
  const libs = opts.libs ?? 24;
  const files: FileTree = {
    'go.mod': goMod('example.com/mono'),
    'pkg/util/util.go': goFile('util', ['strings'], '// Package util is shared.\n', 'func Up(s string) string { return strings.ToUpper(s) }\n'),
    'pkg/util/util_windows.go': goFile('util', [], '', 'const sep = "\\\\"\n'),
    'pkg/util/util_unix.go': goFile('util', [], '//go:build unix\n\n', 'const sep = "/"\n'),
    'pkg/util/util_test.go': goFile('util', ['testing'], '', 'func TestUp(t *testing.T) {}\n'),
    'internal/testhelp/help.go': goFile('testhelp', ['testing'], '', 'func Help(t *testing.T) {}\n'),
    'tools/nested/go.mod': goMod('example.com/mono/tools/nested'),
    'tools/nested/main.go': goFile('main', ['fmt', 'example.com/mono/tools/nested/inner'], '', 'func main() { fmt.Println(inner.X) }\n'),
    'tools/nested/inner/inner.go': goFile('inner', [], '', 'const X = 1\n'),
    'docs/readme.txt': 'not go\n',
  };
  for (let j = 0; j < libs; j++) {
    const imports = ['example.com/mono/pkg/util'];
    if (j > 0 && j % 3 !== 0) imports.push(`example.com/mono/internal/lib${j - 1}`);
    if (j > 4 && j % 5 === 0) imports.push(`example.com/mono/internal/lib${j - 5}`);
    files[`internal/lib${j}/lib.go`] = goFile(`lib${j}`, imports, '', `func F() string { return util.Up("${j}") }\n`);
    files[`internal/lib${j}/lib_linux.go`] = goFile(`lib${j}`, ['os'], '', 'var _ = os.Getpid\n');
    files[`internal/lib${j}/lib_other.go`] = goFile(`lib${j}`, ['runtime'], '//go:build !linux\n\n', 'var _ = runtime.GOOS\n');
    files[`internal/lib${j}/lib_test.go`] = goFile(`lib${j}`, ['testing'], '', 'func TestF(t *testing.T) {}\n');
  }
  const roots: string[] = [];
  for (let i = 0; i < mains; i++) {
    const a = (i * 7) % libs;
    const b = (i * 3 + 1) % libs;
    files[`cmd/app${i}/main.go`] = goFile(
      'main',
      ['fmt', `example.com/mono/internal/lib${a}`, `example.com/mono/internal/lib${b}`, 'example.com/mono/pkg/util'],
      '',
      `func main() { fmt.Println(lib${a}.F(), lib${b}.F(), util.Up("x")) }\n`,
    );
    files[`cmd/app${i}/main_test.go`] = goFile('main', ['testing', 'example.com/mono/internal/testhelp'], '', 'func TestMain2(t *testing.T) { testhelp.Help(t) }\n');
    roots.push(`cmd/app${i}`);
  }
  roots.push('tools/nested');
  await writeTree(root, files);
  const goListDirs = new Map(roots.map((r) => [r, r === 'tools/nested' ? 'tools/nested' : '']));
  return { roots, goListDirs, goWork: 'off' };
}

// --- (b) independent modules joined by replace directives ---------------------------------------

/** Independent modules (no go.work) that use each other through `replace ../x` directives. */
export async function writeReplaceModulesLayout(root: string): Promise<Layout> {
  await writeTree(root, {
    'svc-a/go.mod': goMod(
      'example.com/svc-a',
      '\nrequire (\n\texample.com/libx v0.0.0\n\texample.com/liby v0.0.0 // indirect\n)\n\nreplace example.com/libx => ../libx\n\nreplace (\n\texample.com/liby => ../liby\n)\n\nretract [v0.1.0, v0.2.0] // never published\n',
    ),
    'svc-a/cmd/a/main.go': goFile('main', ['example.com/libx/x', 'example.com/svc-a/internal/core'], '', 'func main() { x.X(); core.C() }\n'),
    'svc-a/cmd/a/main_test.go': goFile('main', ['testing', 'example.com/liby/y/ytest'], '', 'func TestA(t *testing.T) { ytest.T() }\n'),
    'svc-a/internal/core/core.go': goFile('core', ['example.com/liby/y'], '', 'func C() { y.Y() }\n'),
    'libx/go.mod': goMod('example.com/libx', '\nrequire example.com/liby v0.0.0\n\nreplace example.com/liby => ../liby\n'),
    'libx/x/x.go': goFile('x', ['example.com/liby/y'], '', 'func X() { y.Y() }\n'),
    'libx/x/x_darwin.go': goFile('x', [], '', 'const os = "darwin"\n'),
    'libx/unused/unused.go': goFile('unused', [], '', ''),
    'liby/go.mod': goMod('example.com/liby'),
    'liby/y/y.go': goFile('y', [], '', 'func Y() {}\n'),
    'liby/y/ytest/ytest.go': goFile('ytest', [], '', 'func T() {}\n'),
    'svc-b/go.mod': goMod(
      'example.com/svc-b',
      '\nrequire (\n\t"example.com/libx" v0.0.0\n\texample.com/liby v0.0.0\n\texample.com/forked v1.2.3\n)\n\nreplace example.com/libx v0.0.0 => ../libx\nreplace example.com/liby => ../liby\nreplace example.com/forked => ../_forks/forked\n\nexclude example.com/forked v1.0.0\n',
    ),
    'svc-b/main.go': goFile('main', ['example.com/libx/x', 'example.com/forked'], '', 'func main() { x.X(); forked.F() }\n'),
    '_forks/forked/go.mod': goMod('example.com/forked'),
    '_forks/forked/forked.go': goFile('forked', [], '', 'func F() {}\n'),
    '_forks/forked/forked_windows.go': goFile('forked', [], '', ''),
  });
  return {
    roots: ['svc-a/cmd/a', 'svc-b'],
    goListDirs: new Map([
      ['svc-a/cmd/a', 'svc-a'],
      ['svc-b', 'svc-b'],
    ]),
    goWork: 'off',
  };
}

// --- (c) go.work with a replace, and every selection rule ----------------------------------------

const PLATFORM_FILES: FileTree = {
  'p.go': goFile('platform', [], '// Package platform exercises file selection.\n'),
  'p_linux.go': goFile('platform'),
  'p_darwin.go': goFile('platform'),
  'p_windows.go': goFile('platform'),
  'p_ios.go': goFile('platform'),
  'p_android.go': goFile('platform'),
  'p_illumos.go': goFile('platform'),
  'p_solaris.go': goFile('platform'),
  'p_amd64.go': goFile('platform'),
  'p_arm64.go': goFile('platform'),
  'p_linux_amd64.go': goFile('platform'),
  'p_darwin_arm64.go': goFile('platform'),
  'p_ios_arm64.go': goFile('platform'),
  'p_unix.go': goFile('platform'),
  'p_linux_test.go': goFile('platform', ['testing']),
  'p_darwin_arm64_test.go': goFile('platform', ['testing']),
  'p_windows_amd64_test.go': goFile('platform', ['testing']),
  'p_ios_test.go': goFile('platform', ['testing']),
  'linux.go': goFile('platform'),
  'foo_bar_linux.go': goFile('platform'),
  'x_linux_unknownarch.go': goFile('platform'),
  'x_notanos_arm64.go': goFile('platform'),
  'x_amd64p32.go': goFile('platform'),
  'gb_linux_nocgo.go': goFile('platform', [], '//go:build linux && !cgo\n\n'),
  'gb_dw_amd64.go': goFile('platform', [], '//go:build (darwin || windows) && amd64\n\n'),
  'gb_unix.go': goFile('platform', [], '//go:build unix\n\n'),
  'gb_release.go': goFile('platform', [], '//go:build go1.21 && !go1.99\n\n'),
  'gb_future.go': goFile('platform', [], '//go:build go1.99\n\n'),
  'gb_amd64v1.go': goFile('platform', [], '//go:build amd64.v1\n\n'),
  'gb_amd64v3.go': goFile('platform', [], '//go:build amd64.v3\n\n'),
  'gb_arm64v80.go': goFile('platform', [], '//go:build arm64.v8.0\n\n'),
  'gb_arm64v81.go': goFile('platform', [], '//go:build arm64.v8.1\n\n'),
  'gb_exp.go': goFile('platform', [], '//go:build goexperiment.greenteagc\n\n'),
  'gb_noexp.go': goFile('platform', [], '//go:build !goexperiment.arenas\n\n'),
  'gb_gc.go': goFile('platform', [], '//go:build gc\n\n'),
  'gb_gccgo.go': goFile('platform', [], '//go:build gccgo\n\n'),
  'gb_custom.go': goFile('platform', [], '//go:build customtag\n\n'),
  'gb_notcustom.go': goFile('platform', [], '//go:build !customtag\n\n'),
  'gb_ignore.go': goFile('platform', [], '//go:build ignore\n\n'),
  'gb_boring.go': goFile('platform', [], '//go:build boringcrypto\n\n'),
  'gb_solaris.go': goFile('platform', [], '//go:build solaris\n\n'),
  'gb_darwin_tag.go': goFile('platform', [], '//go:build darwin\n\n'),
  'gb_after_block.go': goFile('platform', [], '/* a block comment\n   over two lines */\n//go:build windows\n\n'),
  'gb_no_blank.go': goFile('platform', [], '//go:build darwin\n'),
  'gb_both.go': goFile('platform', [], '//go:build linux\n// +build windows\n\n'),
  'gb_crlf.go': goFile('platform', [], '//go:build windows\r\n\r\n'),
  'gb_spaces.go': goFile('platform', [], '  //go:build   linux  ||   darwin  \n\n'),
  'gb_after_doc.go': goFile('platform', [], '// Copyright notice.\n\n// More text.\n//go:build windows\n\n'),
  'plus_legacy.go': goFile('platform', [], '// +build linux darwin\n\n'),
  'plus_no_blank.go': goFile('platform', [], '// +build ignore\n'),
  'plus_and.go': goFile('platform', [], '// +build !windows,amd64\n\n'),
  'plus_multi.go': goFile('platform', [], '// +build linux darwin windows\n// +build amd64 arm64\n\n'),
  'plus_nospace.go': goFile('platform', [], '//+build windows\n\n'),
  'plus_bad_tag.go': goFile('platform', [], '// +build linux,!!cgo darwin\n\n'),
  'plus_after_comment.go': goFile('platform', [], '// Some comment.\n// +build windows\n\n'),
  'plus_in_doc.go': goFile('platform', [], '// +build windows\n// is part of the package doc here\n'),
  'zz_doc.go': goFile('documentation'),
  '_ignored.go': goFile('ignored_not_read'),
  '.hidden.go': goFile('hidden_not_read'),
  'asm_amd64.s': '#include "textflag.h"\n\nTEXT ·nothing(SB),NOSPLIT,$0\n\tRET\n',
  'asm_arm64.s': '//go:build !purego\n\n#include "textflag.h"\n',
  'asm_purego.s': '//go:build purego\n\n// nothing\n',
  'upper.S': '// C preprocessor assembly, cgo only\n',
  'defs.h': '// header for assembly\n#define X 1\n',
  'res_windows_amd64.syso': Buffer.from([0, 1, 2, 3]),
  'blob.syso': Buffer.from([4, 5, 6]),
  'notes.txt': 'not a source file\n',
  'noext': 'no extension\n',
  'embed_unused.go': goFile('platform', [], '', '//go:embed notes.txt\nvar notUsed string\n'),
  'platform_test.go': goFile('platform', ['testing'], '', 'func TestP(t *testing.T) {}\n'),
  'platform_ext_test.go': goFile('platform_test', ['testing', 'example.com/common/platform'], '', 'func TestExt(t *testing.T) {}\n'),
  'testdata/x.go': goFile('notapackage'),
  'testdata/golden.txt': 'golden\n',
  'dirlike.go/.keep': '',
};

const WEB_FILES: FileTree = {
  'web.go': goFile(
    'web',
    ['embed'],
    '',
    [
      '//go:embed static',
      'var Static embed.FS',
      '',
      '//go:embed all:assets',
      'var Assets embed.FS',
      '',
      '//go:embed "files/name with space.txt" `files/*.json`',
      'var Files embed.FS',
      '',
      '//go:embed tmpl/*.tmpl version.txt',
      '//go:embed t[a-z]pl/[!y]*.tmpl',
      'var Templates embed.FS',
      '',
      'var s = "//go:embed notapattern.txt"',
      'var r = `',
      '//go:embed alsonot.txt',
      '`',
      '/*',
      '//go:embed nor-this.txt',
      '*/',
      "var c = '\"'",
      '',
      '//go:embed explicit/_under.txt explicit/.dot.txt',
      'var Explicit embed.FS',
      '',
    ].join('\n'),
  ),
  'web_test.go': goFile('web', ['embed', 'testing'], '', '//go:embed testdata/golden.txt\nvar golden string\n\nfunc TestWeb(t *testing.T) {}\n'),
  'web_ext_test.go': goFile('web_test', ['embed', 'testing'], '', '//go:embed files/a.json\nvar a string\n\nfunc TestX(t *testing.T) {}\n'),
  'static/index.html': '<html></html>\n',
  'static/_partial.html': 'hidden by underscore\n',
  'static/.env': 'hidden by dot\n',
  'static/sub/x.css': 'body{}\n',
  'static/sub/.hidden/y.css': 'hidden dir\n',
  'static/nested/go.mod': 'module example.com/nested\n',
  'static/nested/n.txt': 'in another module\n',
  'assets/_a.txt': 'a\n',
  'assets/.b.txt': 'b\n',
  'assets/c.txt': 'c\n',
  'assets/.git/HEAD': 'never embedded\n',
  'assets/deep/_d/e.txt': 'e\n',
  'files/name with space.txt': 'space\n',
  'files/a.json': '{}\n',
  'files/b.json': '[]\n',
  'tmpl/x.tmpl': 'x\n',
  'tmpl/y.tmpl': 'y\n',
  'tmpl/z.tmpl': 'z\n',
  'version.txt': '1.0\n',
  'explicit/_under.txt': 'u\n',
  'explicit/.dot.txt': 'd\n',
  'testdata/golden.txt': 'golden\n',
};

const NATIVE_FILES: FileTree = {
  'native.go': 'package native\n\n// #include "native.h"\nimport "C"\n\nfunc Add() int { return int(C.add(1, 2)) }\n',
  'native.c': '#include "native.h"\nint add(int a, int b) { return a + b; }\n',
  'native.h': 'int add(int a, int b);\n',
  'native_nocgo.go': goFile('native', [], '//go:build !cgo\n\n', 'func Add() int { return 3 }\n'),
  'only_nocgo.c': '//go:build !cgo\n\nint unused;\n',
  'helper.S': '// assembled by the C compiler\n',
  'extra.cc': '// C++\n',
  'native_amd64.s': '// Go assembly\n',
  'blob.syso': Buffer.from([1]),
  'pure.go': goFile('native', ['embed'], '', '//go:embed native.h\nvar Header string\n'),
};

/**
 * A go.work workspace (services, libs, tools) with a go.work `replace` to a local directory and
 * a go.mod `replace`, exercising every file selection rule.
 */
export async function writeWorkspaceLayout(root: string): Promise<Layout> {
  const files: FileTree = {
    'go.work': 'go 1.22\n\n// the modules\nuse (\n\t./services/api\n\t./services/worker\n\t./libs/common\n\t"./tools/gen"\n)\n\nreplace example.com/thirdparty => ./third_party/thirdparty\n',
    'services/api/go.mod': goMod('example.com/api'),
    'services/api/main.go': goFile('main', ['fmt', 'example.com/api/web', 'example.com/common/platform', 'example.com/common/native', 'acmetools/shared'], '', 'func main() { fmt.Println(web.Static) }\n'),
    'services/api/api_test.go': goFile('main', ['testing', 'example.com/common/testutil'], '', 'func TestAPI(t *testing.T) { testutil.Check(t) }\n'),
    'services/api/api_ext_test.go': goFile('main_test', ['testing', 'example.com/common/testutil/more'], '', 'func TestExt(t *testing.T) {}\n'),
    'services/api/testdata/req.json': '{}\n',
    'services/api/testdata/deep/x.bin': 'x',
    'services/worker/go.mod': goMod('example.com/worker', '\nrequire example.com/legacy v0.1.0\n\nreplace example.com/legacy v0.1.0 => ../../third_party/legacy\n'),
    'services/worker/cmd/worker/main.go': goFile('main', ['example.com/legacy/old', 'example.com/thirdparty/tp', 'example.com/common/platform'], '', 'func main() { old.Old(); tp.TP() }\n'),
    'services/worker/cmd/worker/worker_test.go': goFile('main', ['testing'], '', 'func TestW(t *testing.T) {}\n'),
    'libs/common/go.mod': goMod('example.com/common', '\nrequire example.com/thirdparty v1.0.0\n'),
    'libs/common/testutil/testutil.go': goFile('testutil', ['testing'], '', 'func Check(t *testing.T) {}\n'),
    'libs/common/testutil/more/more.go': goFile('more', ['example.com/common/testutil'], '', ''),
    'tools/gen/go.mod': goMod('acmetools'),
    'tools/gen/main.go': goFile('main', ['acmetools/internal/gen'], '', 'func main() { gen.Gen() }\n'),
    'tools/gen/internal/gen/gen.go': goFile('gen', [], '', 'func Gen() {}\n'),
    'tools/gen/shared/shared.go': goFile('shared', [], '', ''),
    'third_party/thirdparty/go.mod': goMod('example.com/thirdparty'),
    'third_party/thirdparty/tp/tp.go': goFile('tp', [], '', 'func TP() {}\n'),
    'third_party/legacy/go.mod': 'module example.com/legacy\n\ngo 1.16\n',
    'third_party/legacy/old/old.go': goFile('old', [], '// +build !windows\n\n', 'func Old() {}\n'),
    'third_party/legacy/old/old_windows.go': goFile('old', [], '', 'func Old() {}\n'),
    'unused/go.mod': goMod('example.com/unused'),
    'unused/u.go': goFile('u'),
  };
  for (const [name, content] of Object.entries(PLATFORM_FILES)) files[`libs/common/platform/${name}`] = content;
  for (const [name, content] of Object.entries(WEB_FILES)) files[`services/api/web/${name}`] = content;
  for (const [name, content] of Object.entries(NATIVE_FILES)) files[`libs/common/native/${name}`] = content;
  // Symlinks: a symlinked Go file is a source file, a symlinked directory is not a subpackage,
  // and a symlink inside an embedded directory is skipped.
  files['libs/common/links/a.go'] = goFile('links', ['embed'], '', '//go:embed static\nvar Static embed.FS\n');
  files['libs/common/links/static/real.txt'] = 'real\n';
  files['libs/common/linktarget/b.go.txt'] = goFile('links', ['strings']);
  files['services/api/links.go'] = goFile('main', ['example.com/common/links']);
  await writeTree(root, files);
  await symlink('../linktarget/b.go.txt', path.join(root, 'libs/common/links/b.go'));
  await symlink('../linktarget', path.join(root, 'libs/common/links/subdir'));
  await symlink('real.txt', path.join(root, 'libs/common/links/static/ln.txt'));
  const roots = ['services/api', 'services/worker/cmd/worker', 'tools/gen'];
  return { roots, goListDirs: new Map(roots.map((r) => [r, ''])), goWork: 'auto' };
}

// --- (d) vendoring --------------------------------------------------------------------------------

/**
 * One module vendoring two fake external modules (written straight into vendor/ with a
 * matching modules.txt, so no network is needed), one under golang.org/x/ to check it is not
 * mistaken for the standard library.
 */
export async function writeVendorLayout(root: string): Promise<Layout> {
  await writeTree(root, {
    'go.mod': goMod('example.com/vend', '\nrequire (\n\texample.com/fake v1.0.0\n\tgolang.org/x/text v0.3.0\n)\n'),
    'cmd/vend/main.go': goFile('main', ['example.com/fake', 'example.com/fake/sub', 'example.com/vend/internal/own'], '', 'func main() { fake.F(); sub.S(); own.O() }\n'),
    'cmd/vend/main_test.go': goFile('main', ['testing', 'golang.org/x/text/width'], '', 'func TestV(t *testing.T) { _ = width.W }\n'),
    'internal/own/own.go': goFile('own', ['golang.org/x/text/width'], '', 'func O() { _ = width.W }\n'),
    'vendor/modules.txt': [
      '# example.com/fake v1.0.0',
      '## explicit; go 1.21',
      'example.com/fake',
      'example.com/fake/sub',
      '# golang.org/x/text v0.3.0',
      '## explicit; go 1.18',
      'golang.org/x/text/width',
      '',
    ].join('\n'),
    'vendor/example.com/fake/fake.go': goFile('fake', ['embed'], '', '//go:embed data.txt\nvar d string\n\nfunc F() {}\n'),
    'vendor/example.com/fake/data.txt': 'vendored data\n',
    'vendor/example.com/fake/fake_windows.go': goFile('fake'),
    'vendor/example.com/fake/sub/sub.go': goFile('sub', ['golang.org/x/text/width'], '', 'func S() { _ = width.W }\n'),
    'vendor/golang.org/x/text/width/width.go': goFile('width', [], '', 'const W = 1\n'),
    'vendor/golang.org/x/text/width/width_test.go': goFile('width', ['testing']),
  });
  return { roots: ['cmd/vend'], goListDirs: new Map([['cmd/vend', '']]), goWork: 'off' };
}

// --- (e) a vendored workspace ----------------------------------------------------------------------

/**
 * A go.work workspace vendored with `go work vendor` (go ≥ 1.22): the workspace's vendor/
 * directory serves every module outside the workspace, even one replaced by a local directory.
 */
export async function writeWorkspaceVendorLayout(root: string): Promise<Layout> {
  await writeTree(root, {
    'go.work': 'go 1.22\n\nuse (\n\t./a\n\t./b\n)\n\nreplace example.com/ext => ./ext\n',
    'a/go.mod': goMod('example.com/a', '\nrequire example.com/ext v1.0.0\n'),
    'a/cmd/a/main.go': goFile('main', ['example.com/ext/e', 'example.com/b'], '', 'func main() { e.E(); b.B() }\n'),
    'b/go.mod': goMod('example.com/b'),
    'b/b.go': goFile('b', [], '', 'func B() {}\n'),
    'ext/go.mod': goMod('example.com/ext'),
    'ext/e/e.go': goFile('e', [], '', 'func E() {}\n'),
    'vendor/modules.txt': '## workspace\n# example.com/ext v1.0.0 => ./ext\n## explicit; go 1.22\nexample.com/ext/e\n# example.com/ext => ./ext\n',
    'vendor/example.com/ext/e/e.go': goFile('e', [], '', 'func E() {}\n'),
    'vendor/example.com/ext/e/e_windows.go': goFile('e'),
  });
  return { roots: ['a/cmd/a'], goListDirs: new Map([['a/cmd/a', '']]), goWork: 'auto' };
}

// --- (f) module paths inside other modules' paths -------------------------------------------------

/**
 * Modules whose paths lie inside another module's path, as in u-root: the main module requires
 * `example.com/nest/sub` and replaces it with its own directory (`=> ./`), so an import of
 * `example.com/nest/sub/pkg` could be the main module's `sub/pkg` or the replacement's `pkg`; go
 * takes the one whose directory has Go files. A replacement directory may also declare another
 * module path than the one it replaces. With `vendored`, the same under -mod=vendor, where go
 * looks in the main module before vendor/.
 */
export async function writeNestedPathsLayout(root: string, opts: { vendored?: boolean } = {}): Promise<Layout> {
  const requires = '\nrequire (\n\texample.com/nest/sub v0.0.0-00010101000000-000000000000\n\texample.com/other v0.0.0-00010101000000-000000000000\n)\n';
  const replaces = '\nreplace example.com/nest/sub => ./\n\nreplace example.com/other => ./third_party/other\n';
  await writeTree(root, {
    'go.mod': goMod('example.com/nest', requires + replaces),
    'cmd/nest/main.go': goFile('main', ['example.com/nest/sub/pkg', 'example.com/nest/sub/only', 'example.com/other/o'], '', 'func main() { pkg.P(); only.O(); o.O() }\n'),
    // example.com/nest/sub/pkg: the main module's sub/pkg (the replacement has no pkg/).
    'sub/pkg/pkg.go': goFile('pkg', [], '', 'func P() {}\n'),
    // example.com/nest/sub/only: the replacement's only/ (the main module has no sub/only/).
    'only/only.go': goFile('only', [], '', 'func O() {}\n'),
    'third_party/other/go.mod': goMod('example.com/renamed'),
    'third_party/other/o/o.go': goFile('o', [], '', 'func O() {}\n'),
    ...(opts.vendored === true
      ? {
          'vendor/modules.txt': [
            '# example.com/nest/sub v0.0.0-00010101000000-000000000000 => ./',
            '## explicit; go 1.22',
            '# example.com/other v0.0.0-00010101000000-000000000000 => ./third_party/other',
            '## explicit; go 1.22',
            'example.com/other/o',
            '# example.com/nest/sub => ./',
            '# example.com/other => ./third_party/other',
            '',
          ].join('\n'),
          'vendor/example.com/other/o/o.go': goFile('o', [], '', 'func O() {}\n'),
          // go -mod=vendor takes example.com/nest/sub/only from vendor/, not from the replacement.
          'vendor/example.com/nest/sub/only/only.go': goFile('only', [], '', 'func O() {}\n'),
        }
      : {}),
  });
  return { roots: ['cmd/nest'], goListDirs: new Map([['cmd/nest', '']]), goWork: 'off' };
}
