import { execFile } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTree, type FileTree } from '../golang/testing/generate-layouts.js';
import { initWorkspace } from './init-workspace.js';

const execFileAsync = promisify(execFile);
const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh workspace whose directory name (`gob-init-checkout-…`) is not the module's name. */
async function tree(files: FileTree): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gob-init-checkout-'));
  tmpDirs.push(root);
  await writeTree(root, files);
  return root;
}

async function init(root: string) {
  const r = await initWorkspace({ root, env: process.env });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const MAIN = 'package main\n\nfunc main() {}\n';

describe('gob init target names', () => {
  it('names a main package at the workspace root after its module path, not the checkout directory', async () => {
    const root = await tree({
      'go.mod': 'module example.com/org/tool/v3\n\ngo 1.22\n',
      'main.go': MAIN,
      'cmd/helper/main.go': MAIN,
    });
    const r = await init(root);
    expect([...r.created].sort()).toEqual(['BUILD.yaml', 'cmd/helper/BUILD.yaml']);
    // `go build` in the root names the binary "tool" (the /v3 major version suffix is skipped).
    expect(await readFile(path.join(root, 'BUILD.yaml'), 'utf8')).toBe('targets:\n  tool:\n    kind: go_binary\n');
    expect(await readFile(path.join(root, 'cmd/helper/BUILD.yaml'), 'utf8')).toBe('targets:\n  helper:\n    kind: go_binary\n');
  });

  it('uses the root module of a go.work workspace, and keeps version-like names that are not major versions', async () => {
    const root = await tree({
      'go.work': 'go 1.22\n\nuse (\n\t.\n\t./lib\n)\n',
      'go.mod': 'module example.com/v1\n\ngo 1.22\n',
      'main.go': MAIN,
      'lib/go.mod': 'module example.com/lib\n\ngo 1.22\n',
      'lib/lib.go': 'package lib\n',
    });
    await init(root);
    // v1 is not a major version suffix for cmd/go, so the binary is called v1.
    expect(await readFile(path.join(root, 'BUILD.yaml'), 'utf8')).toBe('targets:\n  v1:\n    kind: go_binary\n');
  });

  it('skips directories whose only main files are tests or for other platforms: go has no binary to build there', async () => {
    const root = await tree({
      'go.mod': 'module example.com/m\n\ngo 1.22\n',
      'cmd/app/main.go': MAIN,
      'cmd/app/main_test.go': 'package main\n',
      'examples/a/example_test.go': 'package main\n\nfunc Example() {}\n',
      'suite/suite_test.go': '//go:build !windows\n\npackage main\n',
      'winsvc/main.go': `//go:build windows\n\n${MAIN}`,
    });
    const r = await init(root);
    expect(r.created).toEqual(['cmd/app/BUILD.yaml']);
  });

  it('warns about Go code in no module (GOPATH code), which it does not look into', async () => {
    const root = await tree({
      'tool/go.mod': 'module example.com/tool\n\ngo 1.22\n',
      'tool/main.go': MAIN,
      'cmd/legacy/main.go': MAIN,
      'pkg/util/util.go': 'package util\n',
      // Kept out of the module above by a go.mod without a module line, as go does: not GOPATH code.
      'tool/fixtures/go.mod': '',
      'tool/fixtures/main.go': MAIN,
    });
    const r = await init(root);
    expect(r.created).toEqual(['tool/BUILD.yaml']);
    expect(r.warnings.map((w) => [w.code, w.message])).toEqual([
      ['init-no-module', '2 directories with Go files (cmd/legacy, pkg/util) are in no Go module, with no go.mod in them or above: gob init looked for main packages in modules only'],
    ]);
    const inModule = await tree({ 'go.mod': 'module example.com/m\n\ngo 1.22\n', 'main.go': MAIN });
    expect((await init(inModule)).warnings).toEqual([]);
  });

  it('warns, as gob build would fail, about a go.mod that needs a newer go than the one on PATH', async () => {
    const root = await tree({
      'go.mod': 'module example.com/m\n\ngo 1.999.0\n',
      'cmd/a/main.go': MAIN,
      'cmd/b/main.go': MAIN,
    });
    const r = await init(root);
    expect([...r.created].sort()).toEqual(['cmd/a/BUILD.yaml', 'cmd/b/BUILD.yaml']);
    // Once, although two targets are in that module.
    expect(r.warnings.map((w) => [w.severity, w.code, w.location?.file])).toEqual([['warning', 'go-version-too-new', 'go.mod']]);
  });

  it("skips what go.mod's ignore directives leave out of ./..., in the module they belong to", async () => {
    const root = await tree({
      'go.mod': 'module example.com/m\n\ngo 1.25\n\nignore (\n\t./third_party\n\tscratch\n)\n',
      'cmd/app/main.go': MAIN,
      'third_party/tool/main.go': MAIN,
      'cmd/scratch/main.go': MAIN,
      'cmd/scratchpad/main.go': MAIN,
      // A nested module's main packages follow its own go.mod, which ignores nothing.
      'sub/go.mod': 'module example.com/sub\n\ngo 1.25\n',
      'sub/third_party/tool/main.go': MAIN,
    });
    const r = await init(root);
    expect([...r.created].sort()).toEqual(['cmd/app/BUILD.yaml', 'cmd/scratchpad/BUILD.yaml', 'sub/third_party/tool/BUILD.yaml']);
    // As go lists them.
    const { stdout } = await execFileAsync('go', ['list', '-f', '{{if eq .Name "main"}}{{.Dir}}{{end}}', './...'], { cwd: root, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' } });
    const real = await realpath(root);
    expect(stdout.split('\n').filter((l) => l !== '').map((d) => path.relative(real, d)).sort()).toEqual(['cmd/app', 'cmd/scratchpad']);
  });
});

describe('gob init and BUILD.yaml files that are already there', () => {
  it('adds its target as text, leaving comments, flow lists and long lines as they were', async () => {
    const long = `"${'x'.repeat(120)}"`;
    const tests = `# hand-written\ntargets:\n  unit:   # the fast ones\n    kind: go_test\n    tags: [integration, "long tag"]\n    env: { LONG: ${long} }\n# trailing comment\n`;
    const onlyComments = '# nothing here yet\n';
    const crlf = 'targets:\r\n  unit:\r\n    kind: go_test\r\n';
    const root = await tree({
      'go.mod': 'module example.com/m\n\ngo 1.22\n',
      'a/main.go': MAIN,
      'a/BUILD.yaml': tests,
      'b/main.go': MAIN,
      'b/BUILD.yaml': onlyComments,
      'c/main.go': MAIN,
      'c/BUILD.yaml': crlf,
    });
    const r = await init(root);
    expect([...r.updated].sort()).toEqual(['a/BUILD.yaml', 'b/BUILD.yaml', 'c/BUILD.yaml']);
    expect(await readFile(path.join(root, 'a/BUILD.yaml'), 'utf8')).toBe(
      `# hand-written\ntargets:\n  unit:   # the fast ones\n    kind: go_test\n    tags: [integration, "long tag"]\n    env: { LONG: ${long} }\n  a:\n    kind: go_binary\n# trailing comment\n`,
    );
    expect(await readFile(path.join(root, 'b/BUILD.yaml'), 'utf8')).toBe('# nothing here yet\ntargets:\n  b:\n    kind: go_binary\n');
    expect(await readFile(path.join(root, 'c/BUILD.yaml'), 'utf8')).toBe('targets:\r\n  unit:\r\n    kind: go_test\r\n  c:\r\n    kind: go_binary\r\n');
    // Running it again changes nothing.
    const again = await init(root);
    expect(again.updated).toEqual([]);
    expect([...again.unchanged].sort()).toEqual(['a', 'b', 'c']);
  });

  it("leaves another tool's BUILD.yaml files alone: a new gob.yaml names BUILD.gob.yaml for gob's", async () => {
    // leeway (gitpod's build tool) keeps its packages in BUILD.yaml files too.
    const leeway = 'packages:\n  - name: app\n    type: go\n    config:\n      buildCommand: ["go", "build", "-trimpath", "-ldflags", "-buildid= -w -s -X \'example.com/m/cmd.Version=commit-${__git_commit}\'"]\n';
    const files = { 'go.mod': 'module example.com/m\n\ngo 1.22\n', 'app/main.go': MAIN, 'app/BUILD.yaml': leeway, 'tool/main.go': MAIN, 'BUILD.yaml': 'packages: []\n' };
    const root = await tree(files);
    const r = await init(root);
    expect(await readFile(path.join(root, 'app/BUILD.yaml'), 'utf8')).toBe(leeway);
    expect(r.updated).toEqual([]);
    expect([...r.created].sort()).toEqual(['app/BUILD.gob.yaml', 'tool/BUILD.gob.yaml']);
    expect(await readFile(path.join(root, 'gob.yaml'), 'utf8')).toMatch(/^build_file: BUILD\.gob\.yaml$/m);
    expect(r.warnings).toMatchObject([{ code: 'init-foreign-build-files' }]);
    expect(r.warnings[0]?.message).toContain('2 BUILD.yaml files are another tool\'s (BUILD.yaml, app/BUILD.yaml)');
    // Again: nothing changes, and nothing more is said.
    const again = await init(root);
    expect([again.created, again.updated, again.warnings]).toEqual([[], [], []]);

    // With a gob.yaml of its own that keeps BUILD.yaml, init adds no target to another tool's file, and says why gob build will stop.
    const kept = await tree({ ...files, 'gob.yaml': 'version: 1\n' });
    const k = await init(kept);
    expect(await readFile(path.join(kept, 'app/BUILD.yaml'), 'utf8')).toBe(leeway);
    expect(k.created).toEqual(['tool/BUILD.yaml']);
    expect(k.warnings).toMatchObject([{ code: 'init-foreign-build-files' }]);
    expect(k.warnings[0]?.hint).toContain('build_file: BUILD.gob.yaml');
  });
});
