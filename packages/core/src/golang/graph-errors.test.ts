/**
 * Broken packages: gob must refuse exactly where the go command refuses, with a diagnostic that
 * names the problem and points at the importing file. Each case is checked against
 * `go list -e -deps` too, so a case that go accepts cannot slip in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { loadGoPackages } from './graph.js';
import { nodeGoIO } from './io.js';
import { loadModules } from './modules.js';
import { standardLibrary } from './toolchain.js';
import type { BuildContext } from './scanner.js';
import { writeTree, type FileTree } from './testing/generate-layouts.js';
import { goEnvFor, goListDeps } from './testing/golist.js';

const LINUX: BuildContext = { goos: 'linux', goarch: 'amd64', cgoEnabled: true, compiler: 'gc', goVersion: 'go1.26.8', experiments: [], tags: [] };

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface ErrorCase {
  readonly name: string;
  readonly files: FileTree;
  readonly code: string;
  /** Substring of the diagnostic's location file. */
  readonly at?: string;
  readonly includeTests?: boolean;
  readonly ctx?: Partial<BuildContext>;
  /** Symlinks to create: link path → target. */
  readonly symlinks?: Record<string, string>;
}

const mod = 'module example.com/e\n\ngo 1.22\n';
const main = (imports: string[]) => `package main\n\nimport (\n${imports.map((i) => `\t_ "${i}"\n`).join('')})\n\nfunc main() {}\n`;

const GOROOT = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();

const CASES: ErrorCase[] = [
  { name: 'import of a missing directory', code: 'import-not-found', at: 'cmd/x/main.go', files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/missing']) } },
  { name: 'import of a directory without Go files', code: 'no-go-files', at: 'cmd/x/main.go', files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/empty']), 'empty/README': 'x' } },
  {
    name: 'import of a package whose files are all excluded',
    code: 'no-go-files',
    at: 'cmd/x/main.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/win']), 'win/w_windows.go': 'package win\n' },
  },
  {
    name: 'mixed package names',
    code: 'mixed-packages',
    at: 'lib/b.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/lib']), 'lib/a.go': 'package lib\n', 'lib/b.go': 'package other\n' },
  },
  {
    name: 'two //go:build lines, even in a file excluded by name',
    code: 'invalid-go-file',
    at: 'lib/two_windows.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/lib']), 'lib/a.go': 'package lib\n', 'lib/two_windows.go': '//go:build a\n//go:build b\n\npackage lib\n' },
  },
  {
    name: 'a syntax error in an import block',
    code: 'invalid-go-file',
    at: 'lib/bad.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/lib']), 'lib/a.go': 'package lib\n', 'lib/bad.go': 'package lib\n\nimport "fmt\n' },
  },
  {
    name: 'a malformed //go:build expression',
    code: 'bad-build-constraint',
    at: 'lib/c.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/lib']), 'lib/a.go': 'package lib\n', 'lib/c.go': '//go:build linux &&\n\npackage lib\n' },
  },
  {
    name: 'an embed pattern matching nothing',
    code: 'embed-pattern',
    at: 'cmd/x/main.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': 'package main\n\nimport _ "embed"\n\n//go:embed nothing*.txt\nvar s string\n\nfunc main() {}\n' },
  },
  {
    name: 'an invalid embed pattern',
    code: 'embed-pattern',
    at: 'cmd/x/main.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': 'package main\n\nimport _ "embed"\n\n//go:embed ../go.mod\nvar s string\n\nfunc main() {}\n' },
  },
  {
    name: 'embedding a directory of another module',
    code: 'embed-pattern',
    at: 'cmd/x/main.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': 'package main\n\nimport "embed"\n\n//go:embed sub\nvar s embed.FS\n\nfunc main() {}\n', 'cmd/x/sub/go.mod': 'module x\n', 'cmd/x/sub/a.txt': 'a' },
  },
  {
    name: 'embedding a symlink',
    code: 'embed-pattern',
    at: 'cmd/x/main.go',
    symlinks: { 'cmd/x/link.txt': 'real.txt' },
    files: { 'go.mod': mod, 'cmd/x/main.go': 'package main\n\nimport _ "embed"\n\n//go:embed link.txt\nvar s string\n\nfunc main() {}\n', 'cmd/x/real.txt': 'r' },
  },
  {
    name: 'an import cycle',
    code: 'import-cycle',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/a']), 'a/a.go': 'package a\n\nimport _ "example.com/e/b"\n', 'b/b.go': 'package b\n\nimport _ "example.com/e/a"\n' },
  },
  {
    name: 'an import cycle through an internal test',
    code: 'import-cycle',
    includeTests: true,
    files: {
      'go.mod': mod,
      'lib/lib.go': 'package lib\n',
      'lib/lib_test.go': 'package lib\n\nimport _ "example.com/e/user"\n',
      'user/user.go': 'package user\n\nimport _ "example.com/e/lib"\n',
    },
  },
  {
    name: 'use of another subtree’s internal package',
    code: 'internal-import',
    at: 'cmd/x/main.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/lib/internal/secret']), 'lib/internal/secret/s.go': 'package secret\n' },
  },
  { name: 'use of a standard-library internal package', code: 'internal-import', at: 'cmd/x/main.go', files: { 'go.mod': mod, 'cmd/x/main.go': main(['internal/cpu']) } },
  { name: 'use of a package the standard library vendors', code: 'internal-import', at: 'cmd/x/main.go', files: { 'go.mod': mod, 'cmd/x/main.go': main(['vendor/golang.org/x/net/idna']) } },
  {
    name: 'import of a main package',
    code: 'import-main',
    at: 'cmd/x/main.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/cmd/y']), 'cmd/y/main.go': 'package main\n\nfunc main() {}\n' },
  },
  { name: 'import no module provides', code: 'no-required-module', at: 'cmd/x/main.go', files: { 'go.mod': mod, 'cmd/x/main.go': main(['github.com/nobody/nothing']) } },
  { name: 'a relative import', code: 'relative-import', at: 'cmd/x/main.go', files: { 'go.mod': mod, 'cmd/x/main.go': main(['./sub']), 'cmd/x/sub/s.go': 'package sub\n' } },
  {
    name: 'import of a directory inside a nested module',
    code: 'nested-module',
    at: 'cmd/x/main.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/nested/x']), 'nested/go.mod': 'module example.com/e/nested\n\ngo 1.22\n', 'nested/x/x.go': 'package x\n' },
  },
  {
    name: 'cgo in a test file of a dependency',
    code: 'cgo-in-test',
    at: 'lib/c_test.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/lib']), 'lib/a.go': 'package lib\n', 'lib/c_test.go': 'package lib\n\nimport "C"\n' },
  },
  {
    name: 'C files in a package without cgo',
    code: 'c-without-cgo',
    at: 'lib/x.c',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['example.com/e/lib']), 'lib/a.go': 'package lib\n', 'lib/x.c': 'int x;\n' },
  },
  {
    name: 'a main package for ios/arm64 without cgo',
    code: 'needs-cgo',
    ctx: { goos: 'ios', goarch: 'arm64', cgoEnabled: false },
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['fmt']) },
  },
  // TinyGo's examples import packages only TinyGo's standard library has.
  { name: 'import of a package the standard library does not have', code: 'import-not-found', at: 'cmd/x/main.go', files: { 'go.mod': mod, 'cmd/x/main.go': main(['machine']) } },
  // Dagger's documentation snippets import a package their code generator writes; go reports it missing, not internal.
  {
    name: 'import of an internal package the standard library does not have',
    code: 'import-not-found',
    at: 'cmd/x/main.go',
    files: { 'go.mod': mod, 'cmd/x/main.go': main(['dagger/my-module/internal/dagger']) },
  },
];

async function runCase(c: ErrorCase): Promise<{ diagnostics: readonly Diagnostic[]; goListErrors: string[] }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gob-graph-err-'));
  tmpDirs.push(root);
  await writeTree(root, c.files);
  for (const [link, target] of Object.entries(c.symlinks ?? {})) await symlink(target, path.join(root, link));
  const ctx: BuildContext = { ...LINUX, ...c.ctx };
  const rootDir = 'lib/lib.go' in c.files ? 'lib' : 'cmd/x';
  const modules = await loadModules(root, { goWork: 'off' });
  if (!modules.ok) throw new Error(JSON.stringify(modules.error));
  const graph = await loadGoPackages({ roots: [rootDir], ctx, modules: modules.value, includeTests: c.includeTests, standardLibrary: standardLibrary(GOROOT) }, nodeGoIO(root));
  const env = goEnvFor({ name: '', goos: ctx.goos, goarch: ctx.goarch, cgo: ctx.cgoEnabled }, 'off');
  const entries = await goListDeps({ cwd: root, env, dirs: [rootDir], test: c.includeTests === true, tags: [] });
  const goListErrors = entries
    .filter((e) => e.Standard !== true)
    .flatMap((e) => [e.Error?.Err, ...((e.DepsErrors as { Err: string }[] | undefined) ?? []).map((d) => d.Err)])
    .filter((x): x is string => x !== undefined);
  return { diagnostics: graph.ok ? [] : graph.error, goListErrors };
}

describe('loadGoPackages reports what the go command rejects', () => {
  it.each(CASES)('$name', async (c) => {
    const { diagnostics, goListErrors } = await runCase(c);
    expect(goListErrors.length, 'go list accepts this case').toBeGreaterThan(0);
    const d = diagnostics.find((x) => x.code === c.code);
    expect(d, `expected a ${c.code} diagnostic, got ${JSON.stringify(diagnostics)}`).toBeDefined();
    expect(d?.severity).toBe('error');
    if (c.at !== undefined) expect(d?.location?.file).toBe(c.at);
  });

  it('points at the import with a line and column', async () => {
    const { diagnostics } = await runCase(CASES[0] as ErrorCase);
    const d = diagnostics[0];
    expect(d?.location?.range?.start).toEqual({ line: 4, column: 4, offset: 26 });
    expect(d?.message).toContain('example.com/e/missing');
  });
});
