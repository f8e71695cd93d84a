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
