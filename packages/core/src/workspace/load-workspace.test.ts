import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import type { GoBinaryTarget, GoTestTarget, Workspace } from '../types.js';
import { findWorkspaceRoot, loadWorkspace } from './load-workspace.js';
import type { LoadWorkspaceOptions } from './load-workspace.js';

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

/** Writes a workspace to a fresh temp dir. Keys ending in "/" are empty directories. */
async function writeTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'gob-ws-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    const abs = path.join(root, ...file.split('/'));
    if (file.endsWith('/')) {
      await mkdir(abs, { recursive: true });
    } else {
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, text);
    }
  }
  return root;
}

async function load(files: Record<string, string>, cwd = '', opts: Partial<LoadWorkspaceOptions> = {}): Promise<Workspace> {
  const root = await writeTree(files);
  const r = await loadWorkspace({ ...opts, cwd: path.join(root, cwd) });
  if (!r.ok) throw new Error(`unexpected diagnostics:\n${r.error.map((d) => formatDiagnostic(d)).join('\n')}`);
  return r.value;
}

/** Loads a workspace expected to fail; returns the diagnostics and a printer with sources. */
async function fail(files: Record<string, string>, opts: Partial<LoadWorkspaceOptions> = {}) {
  const root = await writeTree(files);
  const sources = new Map<string, string>();
  const r = await loadWorkspace({ ...opts, cwd: root, sources });
  if (r.ok) throw new Error('expected diagnostics, got a workspace');
  const print = (d: Diagnostic | undefined): string => (d === undefined ? '' : formatDiagnostic(d, (f) => sources.get(f)));
  const where = (d: Diagnostic | undefined): string => {
    const s = d?.location?.range?.start;
    return `${d?.location?.file ?? ''}:${s?.line ?? 0}:${s?.column ?? 0}`;
  };
  return { diagnostics: r.error, root, print, where, codes: r.error.map((d) => d.code) };
}

const MAIN = 'package main\n\nfunc main() {}\n';

describe('loadWorkspace: finding the workspace', () => {
  it('walks up from the cwd to the nearest gob.yaml', async () => {
    const ws = await load({ 'gob.yaml': '', 'services/payment/cmd/': '' }, 'services/payment/cmd');
    expect(path.basename(ws.root)).toMatch(/^gob-ws-/);
    expect(ws.configFile).toBe('gob.yaml');
    expect(await findWorkspaceRoot(path.join(ws.root, 'services/payment/cmd'))).toBe(ws.root);
  });

  it('reports no-workspace with a hint to run gob init', async () => {
    const root = await writeTree({ 'a/b/': '' });
    const cwd = path.join(root, 'a', 'b');
    const r = await loadWorkspace({ cwd });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual([
      {
        severity: 'error',
        code: 'no-workspace',
        message: `no gob.yaml found in ${cwd} or any directory above it`,
        hint: 'run "gob init" at the root of your repository to create one',
      },
    ]);
  });
});

describe('loadWorkspace: defaults', () => {
  it('applies every gob.yaml default to an empty file, with the built-in profiles', async () => {
    const ws = await load({ 'gob.yaml': '' });
    expect(ws.config).toEqual({
      version: 1,
      go: { toolchain: 'local', env: {}, trimpath: true, buildvcs: false },
      profiles: {
        debug: { gcflags: ['all=-N -l'], trimpath: false },
        release: { ldflags: ['-s', '-w'] },
      },
      stamp: undefined,
      cache: { dir: undefined, maxSizeBytes: undefined, remote: undefined },
      buildFile: 'BUILD.yaml',
      ignore: [],
    });
    expect(ws.targets.size).toBe(0);
    expect(ws.buildFiles).toEqual([]);
  });

  it('reads every gob.yaml field; a declared profile replaces the built-in one', async () => {
    const ws = await load({
      'gob.yaml': [
        'version: 1',
        'go:',
        '  toolchain: go1.26.8',
        '  env: { CGO_ENABLED: "0", GOFLAGS: -mod=mod }',
        '  trimpath: false',
        '  buildvcs: true',
        'profiles:',
        '  release: { ldflags: ["-s"], tags: [prod] }',
        '  race: { env: { GORACE: "halt_on_error=1" }, trimpath: true }',
        'stamp: { command: ./tools/stamp.sh }',
        'cache:',
        '  dir: ~/.cache/gob',
        '  max_size: 10GiB',
        '  remote: { url: grpc://127.0.0.1:9092, read_only: true }',
        'build_file: BUILD.gob.yaml',
        'ignore: ["third_party/**"]',
        '',
      ].join('\n'),
    });
    expect(ws.config).toEqual({
      version: 1,
      go: { toolchain: 'go1.26.8', env: { CGO_ENABLED: '0', GOFLAGS: '-mod=mod' }, trimpath: false, buildvcs: true },
      profiles: {
        debug: { gcflags: ['all=-N -l'], trimpath: false },
        release: { ldflags: ['-s'], tags: ['prod'] },
        race: { env: { GORACE: 'halt_on_error=1' }, trimpath: true },
      },
      stamp: { command: './tools/stamp.sh' },
      cache: { dir: '~/.cache/gob', maxSizeBytes: 10 * 2 ** 30, remote: { url: 'grpc://127.0.0.1:9092', readOnly: true } },
      buildFile: 'BUILD.gob.yaml',
      ignore: ['third_party/**'],
    });
  });

  it('applies target defaults and derives labels, dirs and packages', async () => {
    const ws = await load({
      'gob.yaml': 'version: 1\n',
      'BUILD.yaml': 'targets:\n  tool:\n    kind: go_binary\n',
      'main.go': MAIN,
      'services/payment/BUILD.yaml': [
        'targets:',
        '  payment:',
        '    kind: go_binary',
        '    package: ./cmd/payment/',
        '  payment_test:',
        '    kind: go_test',
        '',
      ].join('\n'),
      'services/payment/cmd/payment/main.go': MAIN,
    });
    expect([...ws.targets.keys()]).toEqual(['//:tool', '//services/payment:payment', '//services/payment:payment_test']);
    const tool = ws.targets.get('//:tool' as never) as GoBinaryTarget;
    expect(tool).toEqual({
      label: '//:tool',
      name: 'tool',
      dir: '',
      buildFile: 'BUILD.yaml',
      location: {
        file: 'BUILD.yaml',
        range: { start: { line: 2, column: 3, offset: 11 }, end: { line: 2, column: 7, offset: 15 } },
      },
      kind: 'go_binary',
      goPackage: '',
      out: 'tool',
      tags: [],
      gcflags: [],
      ldflags: [],
      deps: [],
      env: {},
      xDefs: {},
      platforms: undefined,
      packageLocation: tool.location,
    });
    const payment = ws.targets.get('//services/payment:payment' as never) as GoBinaryTarget;
    expect(payment.goPackage).toBe('services/payment/cmd/payment');
    expect(payment.packageLocation?.range?.start).toEqual({ line: 4, column: 14, offset: 53 });
    const test = ws.targets.get('//services/payment:payment_test' as never) as GoTestTarget;
    expect(test).toMatchObject({ kind: 'go_test', packages: ['.'], race: false, timeout: undefined, dir: 'services/payment' });
    expect(ws.buildFiles).toEqual(['BUILD.yaml', 'services/payment/BUILD.yaml']);
  });

  it('keeps every field as written', async () => {
    const ws = await load({
      'gob.yaml': '',
      'svc/BUILD.yaml': [
        'targets:',
        '  server:',
        '    kind: go_binary',
        '    package: ../libs/../svc/cmd',
        '    out: srv',
        '    tags: [netgo, osusergo]',
        '    gcflags: ["all=-N -l"]',
        '    ldflags: ["-s", "-w"]',
        '    x_defs: { main.version: "{GIT_COMMIT}", example.com/svc/build.Date: today }',
        '    env: { CGO_ENABLED: "0" }',
        '    platforms: [linux/amd64, darwin/arm64, linux/amd64]',
        '    deps: [gen, tests, "//svc/gen"]',
        '  gen:',
        '    kind: go_test',
        '    packages: ["./...", ./cmd]',
        '    race: true',
        '    timeout: 1h30m',
        '    deps: [":tests"]',
        '  tests:',
        '    kind: go_test',
        '',
      ].join('\n'),
      'svc/cmd/main.go': MAIN,
      'svc/gen/BUILD.yaml': 'targets:\n  gen:\n    kind: go_test\n',
    });
    const server = ws.targets.get('//svc:server' as never) as GoBinaryTarget;
    expect(server).toMatchObject({
      goPackage: 'svc/cmd',
      out: 'srv',
      tags: ['netgo', 'osusergo'],
      gcflags: ['all=-N -l'],
      ldflags: ['-s', '-w'],
      xDefs: { 'main.version': '{GIT_COMMIT}', 'example.com/svc/build.Date': 'today' },
      env: { CGO_ENABLED: '0' },
      // Duplicates dropped, order kept.
      platforms: [
        { goos: 'linux', goarch: 'amd64' },
        { goos: 'darwin', goarch: 'arm64' },
      ],
      // A bare name is a directory first (gen → //svc/gen:gen), else a target of this
      // BUILD.yaml (tests → //svc:tests); repeats are dropped.
      deps: ['//svc/gen:gen', '//svc:tests'],
    });
    expect(ws.targets.get('//svc:gen' as never)).toMatchObject({
      packages: ['./...', './cmd'],
      race: true,
      timeout: '1h30m',
      deps: ['//svc:tests'],
    });
  });

  it('fills the sources map with the text of every file read', async () => {
    const sources = new Map<string, string>();
    await load({ 'gob.yaml': 'version: 1\n', 'a/BUILD.yaml': 'targets: {}\n' }, '', { sources });
    expect([...sources.keys()].sort()).toEqual(['a/BUILD.yaml', 'gob.yaml']);
    expect(sources.get('gob.yaml')).toBe('version: 1\n');
  });

  it('passes YAML warnings to onWarning when loading succeeds', async () => {
    const warnings: Diagnostic[] = [];
    await load({ 'gob.yaml': 'ignore: !custom [x]\n' }, '', { onWarning: (d) => warnings.push(d) });
    expect(warnings.map((w) => [w.severity, w.code])).toEqual([['warning', 'yaml-warning']]);
  });
});

describe('loadWorkspace: discovery', () => {
  it('finds BUILD.yaml files, honouring ignore and skipping the usual directories', async () => {
    const build = 'targets: {}\n';
    const ws = await load({
      'gob.yaml': 'ignore: ["third_party/**", experiments, "/tools/old", "**/generated/**"]\n',
      'BUILD.yaml': build,
      'a/BUILD.yaml': build,
      'a/b/c/BUILD.yaml': build,
      'a/BUILD.yml': build,
      'a/build.yaml': build,
      'third_party/x/BUILD.yaml': build,
      'experiments/BUILD.yaml': build,
      'experiments/deep/BUILD.yaml': build,
      'experiments2/BUILD.yaml': build,
      'tools/old/BUILD.yaml': build,
      'tools/new/BUILD.yaml': build,
      'svc/generated/BUILD.yaml': build,
      '.git/BUILD.yaml': build,
      '.hidden/x/BUILD.yaml': build,
      'node_modules/pkg/BUILD.yaml': build,
      'svc/vendor/x/BUILD.yaml': build,
      'vendor/BUILD.yaml': build,
      'svc/testdata/BUILD.yaml': build,
      'gob-out/bin/BUILD.yaml': build,
    });
    expect(ws.buildFiles).toEqual(['BUILD.yaml', 'a/BUILD.yaml', 'a/b/c/BUILD.yaml', 'experiments2/BUILD.yaml', 'tools/new/BUILD.yaml']);
  });

  it("reads targets from the files build_file names, and leaves files named BUILD.yaml to another tool", async () => {
    const leeway = 'packages:\n  - name: app\n    type: go\n';
    const ws = await load({
      'gob.yaml': 'build_file: BUILD.gob.yaml\n',
      'BUILD.yaml': leeway,
      'app/BUILD.yaml': leeway,
      'app/BUILD.gob.yaml': 'targets:\n  app: { kind: go_binary }\n',
      'app/main.go': MAIN,
    });
    expect(ws.buildFiles).toEqual(['app/BUILD.gob.yaml']);
    expect([...ws.targets.keys()]).toEqual(['//app:app']);

    // Without it, gob stops at the other tool's key, and says what to do.
    const { diagnostics, print } = await fail({ 'gob.yaml': '', 'app/BUILD.yaml': leeway });
    expect(print(diagnostics[0])).toBe(
      [
        'app/BUILD.yaml:1:1: error: unknown key "packages" in BUILD.yaml; expected one of: targets',
        '    packages:',
        '    ^^^^^^^^',
        "    hint: if this file belongs to another tool, give gob's files another name: build_file: BUILD.gob.yaml in gob.yaml",
      ].join('\n'),
    );

    for (const bad of ['sub/BUILD.yaml', 'gob.yaml', '..']) {
      const r = await fail({ 'gob.yaml': `build_file: "${bad}"\n` });
      expect(r.print(r.diagnostics[0])).toContain('expected a plain file name (no directories), not gob.yaml');
    }
  });

  it('sorts targets by label across files', async () => {
    const ws = await load({
      'gob.yaml': '',
      'b/BUILD.yaml': 'targets:\n  z: { kind: go_test }\n  a: { kind: go_test }\n',
      'a/BUILD.yaml': 'targets:\n  y: { kind: go_test }\n',
      'BUILD.yaml': 'targets:\n  x: { kind: go_test }\n',
    });
    expect([...ws.targets.keys()]).toEqual(['//:x', '//a:y', '//b:a', '//b:z']);
  });
});

describe('loadWorkspace: schema diagnostics', () => {
  it('reports an unknown key at the key, with the expected keys and a did-you-mean', async () => {
    const { diagnostics, print } = await fail({
      'gob.yaml': '',
      'services/payment/BUILD.yaml': [
        'targets:',
        '  payment:',
        '    kind: go_binary',
        '    pakage: ./cmd/payment',
        '',
      ].join('\n'),
    });
    expect(diagnostics).toHaveLength(1);
    expect(print(diagnostics[0])).toBe(
      [
        'services/payment/BUILD.yaml:4:5: error: unknown key "pakage" in go_binary target "payment"; expected one of: package, out, tags, gcflags, ldflags, x_defs, env, platforms, deps',
        '        pakage: ./cmd/payment',
        '        ^^^^^^',
        '    hint: did you mean "package"?',
      ].join('\n'),
    );
    expect(diagnostics[0]?.code).toBe('unknown-key');
  });

  it('says when an unknown key belongs to the other kind', async () => {
    const { diagnostics } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_test\n    out: x\n',
    });
    expect(diagnostics[0]?.message).toBe(
      'unknown key "out" in go_test target "t"; expected one of: packages, tags, gcflags, ldflags, env, platforms, deps, race, timeout',
    );
    expect(diagnostics[0]?.hint).toBe('"out" is a key of go_binary targets, not of go_test targets');
  });

  it('refuses GOOS, GOARCH and GOTOOLCHAIN in env, which gob sets itself, and says what to do instead', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': 'version: 1\ngo:\n  env: { GOOS: windows }\nprofiles:\n  new: { env: { GOTOOLCHAIN: go1.27.3 } }\n',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_binary\n    env: { GOARCH: arm64, GOOSE: "1" }\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message, d.hint])).toEqual([
      [
        'gob.yaml:3:10',
        'reserved-env',
        'GOOS cannot be set in "go.env": gob sets GOOS and GOARCH for each platform it builds',
        'build for another platform with "platforms: [windows/amd64]" on the target, or gob build --platform windows/amd64',
      ],
      [
        'gob.yaml:5:17',
        'reserved-env',
        'GOTOOLCHAIN cannot be set in "env" of profile "new": gob runs the go found on PATH, with GOTOOLCHAIN=local, so that the toolchain in every key is the one that builds',
        'put the go you want first on PATH; go.toolchain in gob.yaml makes gob refuse any other version',
      ],
      [
        'BUILD.yaml:4:12',
        'reserved-env',
        'GOARCH cannot be set in "env" of go_binary target "t": gob sets GOOS and GOARCH for each platform it builds',
        'build for another platform with "platforms: [linux/arm64]" on the target, or gob build --platform linux/arm64',
      ],
    ]);
  });

  it('reports unknown keys in gob.yaml sections', async () => {
    const { diagnostics, where } = await fail({ 'gob.yaml': 'version: 1\ngo:\n  toolchian: local\nprofile: {}\n' });
    expect(diagnostics.map((d) => [where(d), d.code, d.message, d.hint])).toEqual([
      ['gob.yaml:3:3', 'unknown-key', 'unknown key "toolchian" in "go"; expected one of: toolchain, env, trimpath, buildvcs', 'did you mean "toolchain"?'],
      [
        'gob.yaml:4:1',
        'unknown-key',
        'unknown key "profile" in gob.yaml; expected one of: version, go, profiles, stamp, cache, build_file, ignore',
        'did you mean "profiles"?',
      ],
    ]);
  });

  it('reports a wrong type at the value, in words', async () => {
    const { diagnostics, print } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_binary\n    tags: 5\n',
    });
    expect(print(diagnostics[0])).toBe(
      ['BUILD.yaml:4:11: error: expected a list of strings for "tags", got a number', '        tags: 5', '              ^'].join('\n'),
    );
    expect(diagnostics[0]?.code).toBe('wrong-type');
  });

  it('explains YAML-typed values that should be strings, and list items of the wrong type', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': 'go:\n  env: { CGO_ENABLED: 0 }\n',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_test\n    tags: [netgo, 1]\n    packages: ./...\n    timeout: 300\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message, d.hint])).toEqual([
      [
        'gob.yaml:2:23',
        'wrong-type',
        'expected a string for "go.env.CGO_ENABLED", got a number',
        'YAML reads 0 as a number; quote it to make it a string: CGO_ENABLED: "0"',
      ],
      ['BUILD.yaml:4:19', 'wrong-type', 'expected a list of strings for "tags", but item 2 is a number', 'YAML reads 1 as a number; quote it to make it a string: "1"'],
      [
        'BUILD.yaml:5:15',
        'wrong-type',
        'expected a list of package patterns such as ["./..."] for "packages", got a string',
        'write a list, even for one item: packages: [./...]',
      ],
      ['BUILD.yaml:6:14', 'wrong-type', 'expected a Go duration such as "90s", "5m" or "1h30m" for "timeout", got a number', 'add a unit, e.g. timeout: 300s'],
    ]);
  });

  it('reports values of the wrong form', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': 'version: 2\ncache:\n  max_size: 10 gigs\n  remote: { url: ftp://x }\n',
      'BUILD.yaml': [
        'targets:',
        '  t:',
        '    kind: go_test',
        '    timeout: 5 minutes',
        '    tags: ["netgo,osusergo"]',
        '    platforms: [linux-amd64]',
        '    env: { "BAD-NAME": x }',
        '',
      ].join('\n'),
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message])).toEqual([
      ['gob.yaml:1:10', 'invalid-value', 'invalid value 2 for "version"; expected 1'],
      [
        'gob.yaml:3:13',
        'invalid-value',
        'invalid value "10 gigs" for "cache.max_size"; expected a size such as "10GiB" or "500MB" (units B, kB, MB, GB, TB, KiB, MiB, GiB, TiB), or a number of bytes',
      ],
      ['gob.yaml:4:18', 'invalid-value', 'invalid value "ftp://x" for "cache.remote.url"; expected a URL starting with grpc://, grpcs://, http:// or https://'],
      ['BUILD.yaml:4:14', 'invalid-value', 'invalid value "5 minutes" for "timeout"; expected a Go duration such as "90s", "5m" or "1h30m"'],
      [
        'BUILD.yaml:5:12',
        'invalid-value',
        'invalid value "netgo,osusergo" for item 1 of "tags"; expected a Go build tag (letters, digits, "_" and "."; one tag per list item)',
      ],
      ['BUILD.yaml:6:17', 'invalid-value', 'invalid value "linux-amd64" for item 1 of "platforms"; expected a platform written as os/arch, e.g. "linux/amd64"'],
      [
        'BUILD.yaml:7:12',
        'invalid-key',
        'invalid environment variable name "BAD-NAME"; expected an environment variable name (letters, digits and "_", not starting with a digit)',
      ],
    ]);
    expect(diagnostics[4]?.hint).toBe('write each tag as its own list item: [netgo, osusergo]');
  });

  it('reports an unknown kind at the kind value, listing the valid kinds', async () => {
    const { diagnostics, print } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  lib:\n    kind: go_libary\n    package: .\n',
    });
    expect(diagnostics).toHaveLength(1);
    expect(print(diagnostics[0])).toBe(
      [
        'BUILD.yaml:3:11: error: unknown target kind "go_libary"; expected one of: go_binary, go_test',
        '        kind: go_libary',
        '              ^^^^^^^^^',
        '    hint: did you mean "go_binary"?',
      ].join('\n'),
    );
    expect(diagnostics[0]?.code).toBe('unknown-kind');
  });

  it('reports a missing kind, a target that is not a map and a bad target name at the name', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  a:\n    package: .\n  b:\n  "my app": { kind: go_test }\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message])).toEqual([
      ['BUILD.yaml:2:3', 'missing-key', 'target "a" has no "kind"; expected one of: go_binary, go_test'],
      ['BUILD.yaml:4:3', 'wrong-type', 'expected a map with a "kind" key (go_binary or go_test) for target "b", got nothing (an empty value)'],
      [
        'BUILD.yaml:5:3',
        'bad-target-name',
        'invalid target name "my app"; expected a target name: a name made of letters, digits, "_", ".", "+" and "-", not starting with ".", "+" or "-"',
      ],
    ]);
  });

  it('reports a missing required key and empty values', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': 'cache:\n  remote: { read_only: true }\n',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_binary\n    package: ""\n    platforms: []\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message, d.hint])).toEqual([
      ['gob.yaml:2:3', 'missing-key', 'missing key "url" in "cache.remote"', undefined],
      ['BUILD.yaml:4:14', 'invalid-value', '"package" cannot be empty; expected a non-empty string', undefined],
      [
        'BUILD.yaml:5:16',
        'invalid-value',
        '"platforms" cannot be an empty list; expected a list of platforms such as ["linux/amd64", "darwin/arm64"]',
        'leave "platforms" out to build for the host platform',
      ],
    ]);
  });

  it('reports a document of the wrong shape', async () => {
    const { diagnostics, where } = await fail({ 'gob.yaml': '- a\n- b\n', 'BUILD.yaml': 'targets: [a]\n' });
    expect(diagnostics.map((d) => [where(d), d.code, d.message])).toEqual([
      ['gob.yaml:1:1', 'wrong-type', 'expected a map of gob.yaml settings (version, go, profiles, stamp, cache, ignore) for gob.yaml, got a list'],
      ['BUILD.yaml:1:10', 'wrong-type', 'expected a map of target names to targets for "targets", got a list'],
    ]);
  });
});

describe('loadWorkspace: YAML diagnostics', () => {
  it('reports a duplicate target name at its second occurrence, with a note at the first', async () => {
    const { diagnostics, print } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  api:\n    kind: go_test\n  api:\n    kind: go_binary\n',
    });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.code).toBe('duplicate-key');
    expect(print(diagnostics[0])).toBe(
      [
        'BUILD.yaml:4:3: error: duplicate target name "api": it is already defined on line 2',
        '      api:',
        '      ^^^',
        'BUILD.yaml:2:3: note: "api" is first defined here',
        '      api:',
        '      ^^^',
      ].join('\n'),
    );
  });

  it('reports duplicate keys inside a target and keeps checking the first definition', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_test\n    race: true\n    race: 1\n    racy: x\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message])).toEqual([
      ['BUILD.yaml:5:5', 'duplicate-key', 'duplicate key "race": it is already defined on line 4'],
      ['BUILD.yaml:6:5', 'unknown-key', expect.stringContaining('unknown key "racy"')],
    ]);
  });

  it('reports YAML syntax errors at the position the parser gives', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_test\n   bad: [x\n',
    });
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.code === 'yaml-syntax' && d.message.startsWith('YAML syntax error: '))).toBe(true);
    expect(where(diagnostics[0])).toMatch(/^BUILD\.yaml:4:\d+$/);
  });

  it('reports an alias without an anchor at the alias', async () => {
    const { diagnostics, where } = await fail({ 'gob.yaml': '', 'BUILD.yaml': 'targets:\n  t: { kind: go_test, deps: [*gen] }\n' });
    expect(diagnostics.map((d) => [where(d), d.code, d.message])).toEqual([
      ['BUILD.yaml:2:30', 'yaml-syntax', 'YAML alias *gen refers to no anchor &gen defined before it'],
    ]);
  });

  it('reads anchors and aliases like plain values', async () => {
    const ws = await load({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  a: &common { kind: go_test, tags: [x] }\n  b: *common\n',
    });
    expect(ws.targets.get('//:b' as never)?.tags).toEqual(['x']);
  });

  it('reports a file that cannot be read', async () => {
    const root = await writeTree({ 'gob.yaml': '', 'a/BUILD.yaml': 'targets: {}\n' });
    const r = await loadWorkspace({
      cwd: root,
      fs: {
        readFile: (p) => (p.endsWith('BUILD.yaml') ? Promise.reject(new Error('EACCES: permission denied')) : Promise.resolve('')),
      },
    });
    expect(!r.ok && r.error).toEqual([
      { severity: 'error', code: 'read-error', message: 'cannot read a/BUILD.yaml: EACCES: permission denied', location: { file: 'a/BUILD.yaml' } },
    ]);
  });
});

describe('loadWorkspace: semantic checks', () => {
  it('reports a missing package directory at the package value, with near directories', async () => {
    const { diagnostics, print } = await fail({
      'gob.yaml': '',
      'services/payment/BUILD.yaml': 'targets:\n  payment:\n    kind: go_binary\n    package: ./cmd/paymnt\n',
      'services/payment/cmd/payment/main.go': MAIN,
    });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.code).toBe('missing-package');
    expect(print(diagnostics[0])).toBe(
      [
        'services/payment/BUILD.yaml:4:14: error: package directory services/payment/cmd/paymnt does not exist',
        '        package: ./cmd/paymnt',
        '                 ^^^^^^^^^^^^',
        '    hint: did you mean services/payment/cmd/payment?',
      ].join('\n'),
    );
  });

  it('reports package paths that are files, absolute or outside the workspace, and test package dirs', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': [
        'targets:',
        '  a: { kind: go_binary, package: ./main.go }',
        '  b: { kind: go_binary, package: /usr/src }',
        '  c: { kind: go_binary, package: ../.. }',
        '  d: { kind: go_test, packages: [./..., ./store/..., ./api] }',
        '  e: { kind: go_binary }',
        '',
      ].join('\n'),
      'main.go': MAIN,
      'api/': '',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message])).toEqual([
      ['BUILD.yaml:2:34', 'bad-package', 'package path main.go is not a directory'],
      ['BUILD.yaml:3:34', 'bad-package', 'package directory "/usr/src" must be a relative path with "/" separators'],
      ['BUILD.yaml:4:34', 'bad-package', 'package directory "../.." is outside the workspace'],
      ['BUILD.yaml:5:41', 'missing-package', 'package directory store does not exist'],
    ]);
  });

  it('reports an out that is a path', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': '',
      'svc/BUILD.yaml': 'targets:\n  s:\n    kind: go_binary\n    out: bin/s\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message, d.hint])).toEqual([
      ['svc/BUILD.yaml:4:10', 'bad-out', '"out" must be a plain file name, got "bin/s"', 'outputs always go to gob-out/bin/svc/; write just the name, e.g. out: s'],
    ]);
  });

  it('reports unknown platforms with a suggestion', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_test\n    platforms: [linux/amd64, linux/amd46, linx/arm64, foo/bar]\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message, d.hint])).toEqual([
      ['BUILD.yaml:4:30', 'bad-platform', 'unknown platform "linux/amd46": unknown GOARCH "amd46"', 'did you mean linux/amd64?'],
      ['BUILD.yaml:4:43', 'bad-platform', 'unknown platform "linx/arm64": unknown GOOS "linx"', 'did you mean linux/arm64?'],
      ['BUILD.yaml:4:55', 'bad-platform', 'unknown platform "foo/bar": unknown GOOS "foo" and unknown GOARCH "bar"', 'platforms are written os/arch, e.g. linux/amd64'],
    ]);
  });

  it('reports a malformed label in deps at the item', async () => {
    const { diagnostics, print } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_test\n    deps: [":ok", "//a//b", "//libs/..."]\n  ok: { kind: go_test }\n',
    });
    expect(diagnostics.map((d) => d.code)).toEqual(['bad-label', 'bad-label']);
    expect(print(diagnostics[0])).toBe(
      [
        'BUILD.yaml:4:19: error: invalid label "//a//b": empty path element ("//") inside the label',
        '        deps: [":ok", "//a//b", "//libs/..."]',
        '                      ^^^^^^^^',
      ].join('\n'),
    );
    expect(diagnostics[1]?.message).toContain('a single target is needed here');
  });

  it('reports deps on unknown targets with did-you-mean', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': '',
      'services/payment/BUILD.yaml': 'targets:\n  payment:\n    kind: go_test\n    deps: ["//libs/gen:gen", "//libs/gn", ":paymnt"]\n',
      'libs/gen/BUILD.yaml': 'targets:\n  gen:\n    kind: go_test\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message, d.hint])).toEqual([
      ['services/payment/BUILD.yaml:4:30', 'unknown-dep', 'unknown dependency //libs/gn: there is no libs/gn/BUILD.yaml', 'did you mean //libs/gen?'],
      [
        'services/payment/BUILD.yaml:4:43',
        'unknown-dep',
        'unknown dependency //services/payment:paymnt: services/payment/BUILD.yaml has no target named "paymnt"',
        'did you mean //services/payment?',
      ],
    ]);
  });

  it('does not call deps on targets with their own errors unknown', async () => {
    const { codes } = await fail({
      'gob.yaml': '',
      'a/BUILD.yaml': 'targets:\n  a:\n    kind: go_test\n    deps: ["//b", "//c:c"]\n',
      'b/BUILD.yaml': 'targets:\n  b:\n    kind: go_test\n    race: maybe\n',
      'c/BUILD.yaml': 'targets: {\n',
    });
    expect(codes).toEqual(['wrong-type', 'yaml-syntax']);
  });

  it('reports a dependency cycle once, at the dep that closes it, with a note per edge', async () => {
    const { diagnostics, print } = await fail({
      'gob.yaml': '',
      'a/BUILD.yaml': 'targets:\n  x:\n    kind: go_test\n    deps: ["//b:y"]\n',
      'b/BUILD.yaml': 'targets:\n  y:\n    kind: go_test\n    deps: ["//c:z"]\n',
      'c/BUILD.yaml': 'targets:\n  z:\n    kind: go_test\n    deps: ["//a:x"]\n',
    });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.code).toBe('cycle');
    expect(print(diagnostics[0])).toBe(
      [
        'c/BUILD.yaml:4:12: error: dependency cycle: //a:x -> //b:y -> //c:z -> //a:x',
        '        deps: ["//a:x"]',
        '               ^^^^^^^',
        'a/BUILD.yaml:4:12: note: //a:x depends on //b:y',
        '        deps: ["//b:y"]',
        '               ^^^^^^^',
        'b/BUILD.yaml:4:12: note: //b:y depends on //c:z',
        '        deps: ["//c:z"]',
        '               ^^^^^^^',
        '    hint: remove one of these deps; a target cannot depend on itself, directly or through others',
      ].join('\n'),
    );
  });

  it('reports a target depending on itself', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': '',
      'BUILD.yaml': 'targets:\n  t:\n    kind: go_test\n    deps: [":t"]\n',
    });
    expect(diagnostics.map((d) => [where(d), d.code, d.message])).toEqual([['BUILD.yaml:4:12', 'cycle', 'dependency cycle: //:t -> //:t']]);
  });

  it('rejects a BUILD.yaml in a directory that labels cannot name', async () => {
    const { diagnostics } = await fail({
      'gob.yaml': '',
      'my dir/BUILD.yaml': 'targets:\n  t: { kind: go_test }\n',
      'ok/BUILD.yaml': 'targets:\n  t: { kind: go_test, deps: ["//ok:t2"] }\n  t2: { kind: go_test }\n',
    });
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'bad-directory',
        message: 'the targets of my dir/BUILD.yaml cannot have labels: invalid label "//my dir/...": invalid character a space in the directory part',
        location: { file: 'my dir/BUILD.yaml' },
        hint: 'rename the directory (letters, digits and _ . + - @ ~ = , are allowed) or add it to "ignore" in gob.yaml',
      },
    ]);
  });

  it('rejects a target named all', async () => {
    const { diagnostics, where } = await fail({ 'gob.yaml': '', 'x/BUILD.yaml': 'targets:\n  all: { kind: go_test }\n' });
    expect(diagnostics.map((d) => [where(d), d.code, d.message])).toEqual([
      ['x/BUILD.yaml:2:3', 'reserved-name', '"all" cannot be a target name: //x:all means every target of the directory'],
    ]);
  });

  it('collects every diagnostic from every file, in file order then position', async () => {
    const { diagnostics, where } = await fail({
      'gob.yaml': 'go:\n  trimpath: yes\n',
      'a/BUILD.yaml': 'targets:\n  a:\n    kind: go_binary\n    pakage: .\n  b:\n    kind: go_tset\n',
      'b/BUILD.yaml': 'targets:\n  c:\n    kind: go_test\n    deps: [//nope]\n  d:\n    kind: go_binary\n    out: x/y\n',
    });
    expect(diagnostics.map((d) => `${where(d)} ${d.code}`)).toEqual([
      'gob.yaml:2:13 wrong-type',
      'a/BUILD.yaml:4:5 unknown-key',
      'a/BUILD.yaml:6:11 unknown-kind',
      'b/BUILD.yaml:4:12 unknown-dep',
      'b/BUILD.yaml:7:10 bad-out',
    ]);
  });
});
