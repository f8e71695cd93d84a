import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTree } from '../../core/src/golang/testing/generate-layouts.js';
import { EXAMPLE, GOB_MAIN, buildFinished, finishedBy, gob, goBuildsRun, tempDir, writeModuleProxy } from './harness.js';

const execFileAsync = promisify(execFile);
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});
/** Builds `label` (exit 0 expected) and says what became of it: built, cached, … */
async function buildStatus(root: string, cache: string, label: string, flags: readonly string[] = [], env?: Record<string, string>): Promise<string | undefined> {
  const r = await gob(['build', label, '--ui=json', ...flags], { cwd: root, cacheDir: cache, env });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return finishedBy(r.events).get(label);
}

/** Builds `label` and runs the binary at `bin`: the action's status and what the binary printed (println goes to stderr). */
async function buildAndRun(
  root: string,
  cache: string,
  label: string,
  bin: string,
  flags: readonly string[] = [],
  env?: Record<string, string>,
): Promise<{ status: string | undefined; value: string }> {
  const status = await buildStatus(root, cache, label, flags, env);
  return { status, value: (await execFileAsync(path.join(root, bin))).stderr.trim() };
}

/**
 * An external module that requires example.com/lib and imports its package `only` (upper case in
 * its path: the module cache spells it example.com/!ext).
 */
const EXT_IMPORTING_LIB = {
  path: 'example.com/Ext',
  version: 'v1.0.0',
  files: {
    'go.mod': 'module example.com/Ext\n\ngo 1.26\n\nrequire example.com/lib v1.0.0\n',
    'ext.go': 'package ext\n\nimport "example.com/lib/only"\n\nfunc Name() string { return "ext+" + only.Name() }\n',
  },
};

/** An external module with no requirements: `dep.Name()` returns "dep". */
const DEP = {
  path: 'example.com/dep',
  version: 'v1.0.0',
  files: { 'go.mod': 'module example.com/dep\n\ngo 1.26\n', 'dep.go': 'package dep\n\nfunc Name() string { return "dep" }\n' },
};

/** The platform go builds for here, as gob names it (`linux/amd64`). */
async function hostPlatform(): Promise<string> {
  const { stdout } = await execFileAsync('go', ['env', 'GOOS', 'GOARCH']);
  return stdout.trim().split('\n').join('/');
}

async function fresh(): Promise<{ root: string; cache: string }> {
  const root = await tempDir('gob-rw-');
  const cache = await tempDir('gob-cache-');
  dirs.push(root, cache);
  return { root, cache };
}

/**
 * A module proxy serving `modules` (see writeModuleProxy) and an empty module cache, removed
 * after the test. `env` points go and gob at them; `tidy` completes a workspace's go.mod and
 * writes its go.sum, downloading into that cache (GOFLAGS `-modcacherw`, so it can be removed,
 * unless `goflags` says otherwise); `newModuleCache` makes another empty one.
 */
async function moduleProxy(modules: Parameters<typeof writeModuleProxy>[1]): Promise<{
  env: { GOPROXY: string; GOSUMDB: string; GOMODCACHE: string };
  tidy: (root: string, goflags?: string) => Promise<void>;
  newModuleCache: () => Promise<string>;
}> {
  const proxy = await tempDir('gob-proxy-');
  const moduleCache = await tempDir('gob-modcache-');
  dirs.push(proxy, moduleCache);
  await writeModuleProxy(proxy, modules);
  const env = { GOPROXY: `file://${proxy}`, GOSUMDB: 'off', GOMODCACHE: moduleCache };
  return {
    env,
    tidy: async (root, goflags = '-modcacherw') => {
      await execFileAsync('go', ['mod', 'tidy'], { cwd: root, env: { ...process.env, ...env, GOFLAGS: goflags, GOTOOLCHAIN: 'local' } });
    },
    newModuleCache: async () => {
      const dir = await tempDir('gob-modcache-');
      dirs.push(dir);
      return dir;
    },
  };
}

/** A main package with a cgo preamble and no other C, C++ or Fortran code. */
const CGO_MAIN = 'package main\n\n// static int one(void) { return 1; }\nimport "C"\n\nfunc main() { println(int(C.one())) }\n';

/** `gob build //...` (exit 0 expected): each target's status. */
async function statuses(root: string, cache: string, flags: readonly string[] = [], env?: Record<string, string>): Promise<Map<string, string>> {
  const r = await gob(['build', '//...', '--ui=json', ...flags], { cwd: root, cacheDir: cache, env });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return finishedBy(r.events);
}

describe('no-op builds', () => {
  it('read no file that was read before', async () => {
    const { root, cache } = await fresh();
    await fs.cp(EXAMPLE, root, { recursive: true, filter: (p) => !p.includes(`${path.sep}gob-out`) });
    // gob re-reads, once, files changed within 2 s of a read (a later edit in the same timestamp
    // tick could leave their stat unchanged). Let the fresh copy and the outputs age past that.
    await new Promise((r) => setTimeout(r, 2100));
    const first = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(first.code).toBe(0);
    const firstHashing = first.events.find((e) => e.type === 'log' && e.message === 'file hashing');
    const firstData = firstHashing?.type === 'log' ? (firstHashing.data as { entries: number; fileReads: number }) : undefined;
    // Each file is read once, however many targets share it.
    expect(firstData?.fileReads).toBe(firstData?.entries);
    await new Promise((r) => setTimeout(r, 2100));
    // The second build hashes the binaries the first one wrote (to know gob-out is up to date);
    // the third has read everything before and reads nothing.
    const second = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(second.code).toBe(0);
    const third = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(third.code).toBe(0);
    // The first build planned from scratch and said so before it started; the third reused
    // that plan, and says nothing about planning. Nothing had to be downloaded.
    const steps = (events: typeof first.events) => events.flatMap((e) => (e.type === 'plan.progress' ? [e.step] : []));
    expect(steps(first.events)).toEqual(['planning']);
    expect(first.events.findIndex((e) => e.type === 'plan.progress')).toBeLessThan(first.events.findIndex((e) => e.type === 'build.started'));
    expect(steps(third.events)).toEqual([]);
    const hashing = third.events.find((e) => e.type === 'log' && e.message === 'file hashing');
    expect(hashing?.type === 'log' ? hashing.data : undefined).toMatchObject({ fileReads: 0 });
    expect(goBuildsRun(third.events)).toBe(0);
  });
});

describe('repositories gob did not write', () => {
  it('keeps a directory with an empty go.mod out of the module, as go does, without failing the rest', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'go.mod': 'module example.com/app\n\ngo 1.26\n',
      'main.go': 'package main\n\nfunc main() { println("app") }\n',
      // An empty go.mod keeps gen out of example.com/app (go list ./... skips it too).
      'gen/go.mod': '',
      'gen/main.go': 'package main\n\nfunc main() { println("gen") }\n',
    });
    const init = await gob(['init'], { cwd: root, cacheDir: cache });
    expect(init.code, init.stderr).toBe(0);
    await expect(fs.stat(path.join(root, 'gen/BUILD.yaml'))).rejects.toThrow();
    expect(await buildAndRun(root, cache, '//:app', 'gob-out/bin/app')).toEqual({ status: 'built', value: 'app' });
    // A target inside it cannot build, with go or with gob: exit 2, naming the directory.
    await fs.writeFile(path.join(root, 'gen/BUILD.yaml'), 'targets:\n  gen:\n    kind: go_binary\n');
    const r = await gob(['build', '//gen'], { cwd: root, cacheDir: cache });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('directory gen is in the module at gen');
  });

  it('builds a vendored module offline and rebuilds when a vendored file changes', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'gob.yaml': 'version: 1\n',
      'go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/dep v1.2.0\n',
      'vendor/modules.txt': '# example.com/dep v1.2.0\n## explicit\nexample.com/dep\n',
      'vendor/example.com/dep/dep.go': 'package dep\n\nfunc Name() string { return "dep" }\n',
      'cmd/app/main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/dep"\n)\n\nfunc main() { fmt.Println(dep.Name()) }\n',
      'cmd/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    const first = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache, env: { GOPROXY: 'off' } });
    expect(first.code, first.stdout).toBe(0);
    expect((await execFileAsync(path.join(root, 'gob-out/bin/cmd/app/app'))).stdout).toBe('dep\n');
    await fs.writeFile(path.join(root, 'vendor/example.com/dep/dep.go'), 'package dep\n\nfunc Name() string { return "patched" }\n');
    const second = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache, env: { GOPROXY: 'off' } });
    expect(finishedBy(second.events).get('//cmd/app:app')).toBe('built');
    expect((await execFileAsync(path.join(root, 'gob-out/bin/cmd/app/app'))).stdout).toBe('patched\n');
  });

  it('builds a cgo binary and rebuilds when its C file changes', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { CGO_ENABLED: "1" }\n',
      'go.mod': 'module example.com/cgo\n\ngo 1.26\n',
      'native/add.c': 'int add(int a, int b) { return a + b; }\n',
      'native/add.h': 'int add(int a, int b);\n',
      'native/native.go': 'package native\n\n// #include "add.h"\nimport "C"\n\nfunc Add(a, b int) int { return int(C.add(C.int(a), C.int(b))) }\n',
      'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/cgo/native"\n)\n\nfunc main() { fmt.Println(native.Add(2, 3)) }\n',
      'BUILD.yaml': 'targets:\n  calc:\n    kind: go_binary\n',
    });
    const first = await gob(['build', '//:calc', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(first.code, first.stdout).toBe(0);
    const bin = path.join(root, 'gob-out/bin/calc');
    expect((await execFileAsync(bin)).stdout).toBe('5\n');
    await fs.writeFile(path.join(root, 'native/add.c'), 'int add(int a, int b) { return a + b + 100; }\n');
    const second = await gob(['build', '//:calc', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(buildFinished(second.events).counts.built).toBe(1);
    expect((await execFileAsync(bin)).stdout).toBe('105\n');
  });

  it("puts the C++ compiler's version in the key of a binary that may compile C++: with C++ files, or importing an external module", async () => {
    const { root, cache } = await fresh();
    // An external module with C++ files (a binding of a C++ library, say): gob does not read it.
    const modules = await moduleProxy([
      {
        path: 'example.com/extplus',
        version: 'v1.0.0',
        files: {
          'go.mod': 'module example.com/extplus\n\ngo 1.26\n',
          'mul.cc': 'extern "C" int mul(int a, int b) { return a * b; }\n',
          'extplus.go': 'package extplus\n\n// int mul(int a, int b);\nimport "C"\n\nfunc Mul(a, b int) int { return int(C.mul(C.int(a), C.int(b))) }\n',
        },
      },
    ]);
    const tools = await tempDir('gob-cxx-');
    dirs.push(tools);
    // A C++ compiler whose --version the test controls; it compiles with g++.
    const cxx = path.join(tools, 'cxx');
    await fs.writeFile(path.join(tools, 'version'), '1\n');
    await fs.writeFile(cxx, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "fake c++ $(cat '${tools}/version')"; exit 0; fi\nexec g++ "$@"\n`, { mode: 0o755 });
    const target = 'targets:\n  app:\n    kind: go_binary\n';
    await writeTree(root, {
      'gob.yaml': `version: 1\ngo:\n  env: { CGO_ENABLED: "1", CXX: "${cxx}" }\n`,
      'go.mod': 'module example.com/cxx\n\ngo 1.26\n',
      'plus/add.cc': 'extern "C" int add(int a, int b) { return a + b; }\n',
      'plus/plus.go': 'package plus\n\n// int add(int a, int b);\nimport "C"\n\nfunc Add(a, b int) int { return int(C.add(C.int(a), C.int(b))) }\n',
      'cmd/cpp/main.go': 'package main\n\nimport "example.com/cxx/plus"\n\nfunc main() { println(plus.Add(2, 3)) }\n',
      'cmd/cpp/BUILD.yaml': target,
      'cmd/c/main.go': CGO_MAIN,
      'cmd/c/BUILD.yaml': target,
      'cmd/ext/main.go': 'package main\n\nimport "example.com/extplus"\n\nfunc main() { println(extplus.Mul(2, 3)) }\n',
      'cmd/ext/BUILD.yaml': target,
    });
    await modules.tidy(root);
    const build = () => statuses(root, cache, [], modules.env);
    expect(await build()).toEqual(new Map([['//cmd/c:app', 'built'], ['//cmd/cpp:app', 'built'], ['//cmd/ext:app', 'built']]));
    expect((await execFileAsync(path.join(root, 'gob-out/bin/cmd/cpp/app'))).stderr).toBe('5\n');
    expect((await execFileAsync(path.join(root, 'gob-out/bin/cmd/ext/app'))).stderr).toBe('6\n');
    expect(await build()).toEqual(new Map([['//cmd/c:app', 'cached'], ['//cmd/cpp:app', 'cached'], ['//cmd/ext:app', 'cached']]));
    await fs.writeFile(path.join(tools, 'version'), '2\n');
    // The binary of C alone, without external modules, cannot compile C++: it stays.
    expect(await build()).toEqual(new Map([['//cmd/c:app', 'cached'], ['//cmd/cpp:app', 'built'], ['//cmd/ext:app', 'built']]));
  });

  it("puts the Fortran compiler go would use, and its version, in the key of a binary with Fortran files, and only there", async () => {
    const { root, cache } = await fresh();
    const tools = await tempDir('gob-fc-');
    dirs.push(tools);
    // Fortran compilers whose --version the test controls; they compile with gfortran. Named
    // gfortran, so that go links the Fortran runtime. go finds FC in its config file (GOENV),
    // which gob does not read itself: it asks go.
    const fc = async (dir: string): Promise<string> => {
      const bin = path.join(tools, dir, 'gfortran');
      await fs.mkdir(path.dirname(bin), { recursive: true });
      await fs.writeFile(bin, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "fake fortran $(cat '${tools}/version')"; exit 0; fi\nexec gfortran "$@"\n`, { mode: 0o755 });
      return bin;
    };
    const [first, second] = [await fc('a'), await fc('b')];
    await fs.writeFile(path.join(tools, 'version'), '1\n');
    const goenv = path.join(tools, 'goenv');
    await fs.writeFile(goenv, `FC=${first}\n`);
    const target = 'targets:\n  app:\n    kind: go_binary\n';
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { CGO_ENABLED: "1" }\n',
      'go.mod': 'module example.com/fortran\n\ngo 1.26\n',
      'fort/add.f90': 'function add(a, b) bind(c, name="add")\n  use iso_c_binding\n  integer(c_int), value :: a, b\n  integer(c_int) :: add\n  add = a + b\nend function add\n',
      'fort/fort.go': 'package fort\n\n// int add(int a, int b);\nimport "C"\n\nfunc Add(a, b int) int { return int(C.add(C.int(a), C.int(b))) }\n',
      'cmd/f/main.go': 'package main\n\nimport "example.com/fortran/fort"\n\nfunc main() { println(fort.Add(2, 3)) }\n',
      'cmd/f/BUILD.yaml': target,
      'cmd/c/main.go': CGO_MAIN,
      'cmd/c/BUILD.yaml': target,
    });
    const build = (...flags: string[]) => statuses(root, cache, flags, { GOENV: goenv });
    expect(await build()).toEqual(new Map([['//cmd/c:app', 'built'], ['//cmd/f:app', 'built']]));
    expect((await execFileAsync(path.join(root, 'gob-out/bin/cmd/f/app'))).stderr).toBe('5\n');
    expect(await build()).toEqual(new Map([['//cmd/c:app', 'cached'], ['//cmd/f:app', 'cached']]));
    // Another version of the same compiler; then another compiler that says the same version.
    await fs.writeFile(path.join(tools, 'version'), '2\n');
    expect(await build()).toEqual(new Map([['//cmd/c:app', 'cached'], ['//cmd/f:app', 'built']]));
    await fs.writeFile(goenv, `FC=${second}\n`);
    expect(await build('--dry-run')).toEqual(new Map([['//cmd/c:app', 'cached'], ['//cmd/f:app', 'would-build']]));
  });

  it('rebuilds a cgo package when a header it includes from another directory changes, as go would from scratch', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { CGO_ENABLED: "1" }\n',
      'go.mod': 'module example.com/cgo\n\ngo 1.26\n',
      // One header in a subdirectory of the package, one found through a #cgo -I directory,
      // which includes another: go's own build cache tracks none of them.
      'native/native.go':
        'package native\n\n// #cgo CFLAGS: -I${SRCDIR}/../csrc\n// #include "inc/x.h"\n// #include "shared.h"\nimport "C"\n\nfunc Value() int { return int(C.X) + int(C.Y) }\n',
      'native/inc/x.h': '#define X 40\n',
      'csrc/shared.h': '#include "nested.h"\n',
      'csrc/nested.h': '#define Y 2\n',
      'main.go': 'package main\n\nimport "example.com/cgo/native"\n\nfunc main() { println(native.Value()) }\n',
      'BUILD.yaml': 'targets:\n  calc:\n    kind: go_binary\n',
    });
    const bin = path.join(root, 'gob-out/bin/calc');
    const build = () => buildAndRun(root, cache, '//:calc', 'gob-out/bin/calc');
    expect(await build()).toEqual({ status: 'built', value: '42' });
    expect(await build()).toEqual({ status: 'cached', value: '42' });

    await fs.writeFile(path.join(root, 'csrc/nested.h'), '#define Y 5\n');
    expect(await build()).toEqual({ status: 'built', value: '45' });
    // The go command gob ran (as `-x` shows it) runs again as it is: its overlay is still there.
    const ran = await gob(['build', '//:calc', '--no-cache', '--ui=json'], { cwd: root, cacheDir: cache });
    const started = ran.events.find((e) => e.type === 'action.started');
    if (started?.type !== 'action.started') throw new Error('no action.started event');
    expect(started.command.some((a) => a.startsWith('-overlay='))).toBe(true);
    const [goBin, ...goArgs] = started.command;
    await execFileAsync(goBin ?? 'go', goArgs, { cwd: started.cwd, env: { ...process.env, ...started.env } });
    // The same bytes as go makes with nothing cached (gob's default flags).
    const gocache = await tempDir('gob-gocache-');
    dirs.push(gocache);
    const fromScratch = path.join(gocache, 'calc');
    await execFileAsync('go', ['build', '-trimpath', '-buildvcs=false', '-o', fromScratch, '.'], {
      cwd: root,
      env: { ...process.env, GOCACHE: gocache, CGO_ENABLED: '1', GOFLAGS: '', GOTOOLCHAIN: 'local' },
    });
    expect(Buffer.compare(await fs.readFile(fromScratch), await fs.readFile(bin))).toBe(0);

    await fs.writeFile(path.join(root, 'native/inc/x.h'), '#define X 50\n');
    expect(await build()).toEqual({ status: 'built', value: '55' });
    // Back to the first contents: the first build's result again.
    await fs.writeFile(path.join(root, 'native/inc/x.h'), '#define X 40\n');
    await fs.writeFile(path.join(root, 'csrc/nested.h'), '#define Y 2\n');
    expect(await build()).toEqual({ status: 'cached', value: '42' });

    // An overlay of the user's own (in GOFLAGS) still applies, merged with gob's.
    const userOverlay = path.join(gocache, 'user-overlay.json');
    await fs.writeFile(path.join(gocache, 'main.go'), 'package main\n\nimport "example.com/cgo/native"\n\nfunc main() { println(1000 + native.Value()) }\n');
    await fs.writeFile(userOverlay, JSON.stringify({ Replace: { [path.join(root, 'main.go')]: path.join(gocache, 'main.go') } }));
    await fs.writeFile(path.join(root, 'gob.yaml'), `version: 1\ngo:\n  env: { CGO_ENABLED: "1", GOFLAGS: "-overlay=${userOverlay}" }\n`);
    expect(await build()).toEqual({ status: 'built', value: '1042' });
    await fs.writeFile(path.join(root, 'csrc/nested.h'), '#define Y 9\n');
    expect(await build()).toEqual({ status: 'built', value: '1049' });
  });

  it('relinks a cgo binary when a prebuilt library its #cgo LDFLAGS name from the workspace changes', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { CGO_ENABLED: "1" }\n',
      'go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'native/native.go': 'package native\n\n// #cgo LDFLAGS: -L${SRCDIR}/prebuilt -lval\n// int val(void);\nimport "C"\n\nfunc Val() int { return int(C.val()) }\n',
      'main.go': 'package main\n\nimport "example.com/lib/native"\n\nfunc main() { println(native.Val()) }\n',
      'BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    const scratch = await tempDir('gob-lib-');
    dirs.push(scratch);
    await fs.mkdir(path.join(root, 'native/prebuilt'));
    const library = async (value: number): Promise<void> => {
      await fs.writeFile(path.join(scratch, 'v.c'), `int val(void) { return ${String(value)}; }\n`);
      await execFileAsync('gcc', ['-c', '-o', path.join(scratch, 'v.o'), path.join(scratch, 'v.c')]);
      await fs.rm(path.join(root, 'native/prebuilt/libval.a'), { force: true });
      await execFileAsync('ar', ['rcs', path.join(root, 'native/prebuilt/libval.a'), path.join(scratch, 'v.o')]);
    };
    const build = () => buildAndRun(root, cache, '//:app', 'gob-out/bin/app');
    await library(1);
    expect(await build()).toEqual({ status: 'built', value: '1' });
    await library(3);
    expect(await build()).toEqual({ status: 'built', value: '3' });
    expect(await build()).toEqual({ status: 'cached', value: '3' });
  });

  it('rebuilds a binary when the default.pgo go builds it with appears, changes or goes', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'gob.yaml': 'version: 1\n',
      'go.mod': 'module example.com/pgo\n\ngo 1.26\n',
      'cmd/app/main.go': 'package main\n\nfunc main() { println("pgo") }\n',
      'cmd/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    // CPU profiles from a program of their own (a profile needs no samples of the binary it tunes).
    const profiler = await tempDir('gob-profiler-');
    dirs.push(profiler);
    await writeTree(profiler, {
      'go.mod': 'module example.com/profiler\n\ngo 1.26\n',
      'main.go':
        'package main\n\nimport (\n\t"os"\n\t"runtime/pprof"\n\t"time"\n)\n\nfunc main() {\n\tf, _ := os.Create(os.Args[1])\n\t_ = pprof.StartCPUProfile(f)\n\tfor end := time.Now().Add(50 * time.Millisecond); time.Now().Before(end); {\n\t}\n\tpprof.StopCPUProfile()\n\t_ = f.Close()\n}\n',
    });
    const profile = path.join(root, 'cmd/app/default.pgo');
    const writeProfile = () => execFileAsync('go', ['run', '.', profile], { cwd: profiler });
    const bin = path.join(root, 'gob-out/bin/cmd/app/app');
    const build = () => buildStatus(root, cache, '//cmd/app:app');
    expect(await build()).toBe('built');
    const plain = await fs.readFile(bin);

    await writeProfile();
    expect(await build()).toBe('built');
    // What go builds with the profile (gob's default flags).
    const byGo = path.join(profiler, 'app');
    await execFileAsync('go', ['build', '-trimpath', '-buildvcs=false', '-o', byGo, './cmd/app'], { cwd: root, env: { ...process.env, GOFLAGS: '', GOTOOLCHAIN: 'local' } });
    expect(Buffer.compare(await fs.readFile(byGo), await fs.readFile(bin))).toBe(0);
    expect(Buffer.compare(plain, await fs.readFile(bin))).not.toBe(0);
    expect(await build()).toBe('cached');

    await writeProfile();
    expect(await build()).toBe('built');

    await fs.rm(profile);
    expect(await build()).toBe('cached');
    expect(Buffer.compare(plain, await fs.readFile(bin))).toBe(0);
  });

  it('with go.buildvcs, a binary carries the commit and state of the checkout it is built from, as go stamps them', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  buildvcs: true\n',
      'go.mod': 'module example.com/vcs\n\ngo 1.26\n',
      'cmd/app/main.go': 'package main\n\nfunc main() { println("vcs") }\n',
      'cmd/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
      'notes.txt': 'one\n',
      '.gitignore': 'gob-out/\n',
    });
    const git = (...args: string[]) => execFileAsync('git', ['-c', 'user.email=gob@example.com', '-c', 'user.name=gob', ...args], { cwd: root });
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-qm', 'one');
    const bin = path.join(root, 'gob-out/bin/cmd/app/app');
    const build = () => buildStatus(root, cache, '//cmd/app:app');
    const stamped = async (): Promise<{ revision: string | undefined; modified: string | undefined }> => {
      const { stdout } = await execFileAsync('go', ['version', '-m', bin]);
      return { revision: /vcs\.revision=(\w+)/.exec(stdout)?.[1], modified: /vcs\.modified=(\w+)/.exec(stdout)?.[1] };
    };
    const head = async (): Promise<string> => (await git('rev-parse', 'HEAD')).stdout.trim();

    expect(await build()).toBe('built');
    expect(await stamped()).toEqual({ revision: await head(), modified: 'false' });
    expect(await build()).toBe('cached');
    // A change anywhere in the checkout, then a commit of it: go would stamp both.
    await fs.appendFile(path.join(root, 'notes.txt'), 'two\n');
    expect(await build()).toBe('built');
    expect((await stamped()).modified).toBe('true');
    await git('commit', '-qam', 'two');
    expect(await build()).toBe('built');
    expect(await stamped()).toEqual({ revision: await head(), modified: 'false' });
    expect(await build()).toBe('cached');
    // The main module's version comes from the tags (go 1.24 and later): a pseudo-version
    // without one, the tag's version once the commit has one, and a pseudo-version based on it
    // after the next commit.
    const version = async (): Promise<string | undefined> => /\tmod\texample\.com\/vcs\t(\S+)/.exec((await execFileAsync('go', ['version', '-m', bin])).stdout)?.[1];
    expect(await version()).toMatch(/^v0\.0\.0-\d{14}-[0-9a-f]{12}$/);
    await git('tag', 'v1.2.3');
    expect(await build()).toBe('built');
    expect(await version()).toBe('v1.2.3');
    expect(await build()).toBe('cached');
    await fs.appendFile(path.join(root, 'notes.txt'), 'three\n');
    await git('commit', '-qam', 'three');
    expect(await build()).toBe('built');
    expect(await version()).toMatch(/^v1\.2\.4-0\.\d{14}-[0-9a-f]{12}$/);
  });

  it('with trimpath off, a binary carries the module cache paths of its dependencies: another GOMODCACHE builds again', async () => {
    const { root, cache } = await fresh();
    const modules = await moduleProxy([DEP]);
    await writeTree(root, {
      // -modcacherw: a module cache the test can delete.
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-modcacherw" }\n',
      'go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/dep v1.0.0\n',
      'cmd/app/main.go': 'package main\n\nimport "example.com/dep"\n\nfunc main() { println(dep.Name()) }\n',
      'cmd/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    await modules.tidy(root);
    const caches: Record<string, string> = { a: modules.env.GOMODCACHE, b: await modules.newModuleCache() };
    const moduleCache = (name: string): string => caches[name] ?? '';
    const goEnv = (name: string) => ({ ...modules.env, GOMODCACHE: moduleCache(name) });
    const bin = path.join(root, 'gob-out/bin/cmd/app/app');
    const build = async (name: string, profile: string): Promise<{ status: string | undefined; paths: string[] }> => {
      const status = await buildStatus(root, cache, '//cmd/app:app', ['-c', profile], goEnv(name));
      const text = (await fs.readFile(bin)).toString('latin1');
      return { status, paths: ['a', 'b'].filter((n) => text.includes(`${moduleCache(n)}/example.com/dep@v1.0.0/dep.go`)) };
    };
    // debug: no -trimpath, so go writes the dependency's source path into the binary.
    expect(await build('a', 'debug')).toEqual({ status: 'built', paths: ['a'] });
    expect(await build('b', 'debug')).toEqual({ status: 'built', paths: ['b'] });
    expect(await build('b', 'debug')).toEqual({ status: 'cached', paths: ['b'] });
    expect(await build('a', 'debug')).toEqual({ status: 'cached', paths: ['a'] });
    // With -trimpath the module cache's place is nowhere in the binary, nor in the key.
    expect(await build('a', 'default')).toEqual({ status: 'built', paths: [] });
    expect(await build('b', 'default')).toEqual({ status: 'cached', paths: [] });
  });

  it("follows GOWORK=off in gob.yaml's go.env: each module builds on its own, as go builds it, and go.work is no input", async () => {
    const { root, cache } = await fresh();
    const lib = (word: string) => `package lib\n\nfunc Name() string { return "${word}" }\n`;
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOWORK: "off" }\n',
      // In workspace mode go.work's replacement wins; with GOWORK=off, app's own go.mod decides.
      'go.work': 'go 1.26\n\nuse ./app\n\nreplace example.com/lib => ./lib2\n',
      'app/go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n',
      'app/main.go': 'package main\n\nimport "example.com/lib"\n\nfunc main() { println(lib.Name()) }\n',
      'app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib/lib.go': lib('lib'),
      'lib2/go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib2/lib.go': lib('lib2'),
    });
    const bin = 'gob-out/bin/app/app';
    expect(await buildAndRun(root, cache, '//app:app', bin)).toEqual({ status: 'built', value: 'lib' });
    // What go builds in the module with GOWORK=off.
    const byGo = path.join(root, 'by-go');
    await execFileAsync('go', ['build', '-trimpath', '-buildvcs=false', '-o', byGo, '.'], { cwd: path.join(root, 'app'), env: { ...process.env, GOWORK: 'off', GOFLAGS: '', GOTOOLCHAIN: 'local' } });
    expect(Buffer.compare(await fs.readFile(byGo), await fs.readFile(path.join(root, bin)))).toBe(0);
    // go reads neither go.work nor lib2 now: changing them changes nothing.
    await fs.writeFile(path.join(root, 'lib2/lib.go'), lib('lib2, edited'));
    await fs.appendFile(path.join(root, 'go.work'), '\n// a comment\n');
    expect(await buildStatus(root, cache, '//app:app')).toBe('cached');
    await fs.writeFile(path.join(root, 'lib/lib.go'), lib('lib, edited'));
    expect(await buildAndRun(root, cache, '//app:app', bin)).toEqual({ status: 'built', value: 'lib, edited' });
    // Without GOWORK=off, go.work's replacement applies.
    await fs.writeFile(path.join(root, 'gob.yaml'), 'version: 1\n');
    expect(await buildAndRun(root, cache, '//app:app', bin)).toEqual({ status: 'built', value: 'lib2, edited' });
  });

  it('says so when go would use a go.work above the workspace root, which gob does not read: exit 2', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'go.work': 'go 1.26\n\nuse ./ws\n',
      'ws/gob.yaml': 'version: 1\n',
      'ws/go.mod': 'module example.com/ws\n\ngo 1.26\n',
      'ws/app/main.go': 'package main\n\nfunc main() {}\n',
      'ws/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    const ws = path.join(root, 'ws');
    const refused = async (): Promise<void> => {
      const r = await gob(['build', '//...'], { cwd: ws, cacheDir: cache });
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toContain(`go uses the workspace file ${path.join(await fs.realpath(root), 'go.work')}, but gob reads only a go.work in the workspace root`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };
    await refused();
    // Without it, go builds the module alone; when it comes back, so does the answer (the go
    // env gob remembered and the plan it reuses both depend on it).
    await fs.rename(path.join(root, 'go.work'), path.join(root, 'go.work.away'));
    expect(await buildStatus(ws, cache, '//app:app')).toBe('built');
    expect(await buildStatus(ws, cache, '//app:app')).toBe('cached');
    await fs.rename(path.join(root, 'go.work.away'), path.join(root, 'go.work'));
    await refused();
    await fs.writeFile(path.join(ws, 'gob.yaml'), 'version: 1\ngo:\n  env: { GOWORK: "off" }\n');
    expect(await buildStatus(ws, cache, '//app:app')).toBe('built');
  });

  it('points at a replace into a directory outside the workspace, and says which workspace root would hold it: exit 2', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'shared/go.mod': 'module example.com/shared\n\ngo 1.26\n',
      'shared/s.go': 'package shared\n\nfunc Name() string { return "shared" }\n',
      'repo/gob.yaml': 'version: 1\n',
      'repo/go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../shared\n',
      'repo/main.go': 'package main\n\nimport "example.com/shared"\n\nfunc main() { println(shared.Name()) }\n',
      'repo/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    const r = await gob(['build', '//...'], { cwd: path.join(root, 'repo'), cacheDir: cache });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const real = await fs.realpath(root);
    expect(r.stderr).toContain(
      [
        'main.go:3:8: error: package example.com/app imports example.com/shared: example.com/shared is replaced by ../shared, which is outside the workspace root; gob cannot track its files',
        '    import "example.com/shared"',
        '           ^^^^^^^^^^^^^^^^^^^^',
        `    hint: gob reads no file outside the workspace root ${path.join(real, 'repo')}; to build with ${path.join(real, 'shared')}, use a workspace root that holds both, such as ${real} (the workspace root is where gob.yaml is; gob init writes one)`,
      ].join('\n'),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says before building that a go.mod needs a newer go than the one on PATH: exit 2, or with -k that target fails and the others build', async () => {
    const { root, cache } = await fresh();
    const running = (await execFileAsync('go', ['env', 'GOVERSION'])).stdout.trim().slice(2);
    const target = (name: string) => `targets:\n  ${name}:\n    kind: go_binary\n`;
    // Two modules without a go.work: each builds on its own, as go builds each.
    await writeTree(root, {
      'gob.yaml': 'version: 1\n',
      'new/go.mod': 'module example.com/new\n\ngo 1.999.0\n',
      'new/main.go': 'package main\n\nfunc main() {}\n',
      'new/BUILD.yaml': target('new'),
      'old/go.mod': `module example.com/old\n\ngo ${running}\n`,
      'old/main.go': 'package main\n\nfunc main() {}\n',
      'old/BUILD.yaml': target('old'),
    });
    const stopped = await gob(['build', '//...'], { cwd: root, cacheDir: cache });
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(2);
    expect(stopped.stderr).toContain(
      [
        `new/go.mod:3:4: error: new/go.mod requires go >= 1.999.0 (running go ${running}; GOTOOLCHAIN=local)`,
        '    go 1.999.0',
        '       ^^^^^^^',
        '    hint: put go 1.999.0 or newer first on PATH: gob runs the go on PATH with GOTOOLCHAIN=local, so go does not download a newer one',
      ].join('\n'),
    );
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
    await expect(fs.stat(path.join(root, 'gob-out/bin/old/old'))).rejects.toThrow();

    const kept = await gob(['build', '//...', '-k', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(kept.code, kept.stderr).toBe(1);
    expect(Object.fromEntries(finishedBy(kept.events))).toEqual({ '//new:new': 'failed', '//old:old': 'built' });
    expect(goBuildsRun(kept.events)).toBe(1);

    // In a go.work, a module that needs a newer go than go.work's go line is go's error too.
    await writeTree(root, { 'go.work': 'go 1.22\n\nuse ./old\n' });
    const work = await gob(['build', '//old'], { cwd: root, cacheDir: cache });
    expect(work.code, work.stdout + work.stderr).toBe(2);
    expect(work.stderr).toContain(`go.work:1:4: error: module old listed in go.work requires go >= ${running}, but go.work lists go 1.22`);
    expect(work.stderr).toContain(`old/go.mod:3:4: note: the go line of module old`);
    await writeTree(root, { 'go.work': `go ${running}\n\nuse ./old\n` });
    expect(await buildStatus(root, cache, '//old:old')).toBe('built');
  });

  it("follows GOFLAGS' -modfile: the module's requirements and replacements come from that file, which is an input, as go builds it", async () => {
    const { root, cache } = await fresh();
    const lib = (word: string) => `package lib\n\nfunc Name() string { return "${word}" }\n`;
    const mod = (dir: string) => `module example.com/app\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./${dir}\n`;
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-modfile=alt.mod" }\n',
      // go.mod only marks the module's directory: go reads alt.mod instead.
      'go.mod': mod('lib-a'),
      'alt.mod': mod('lib-b'),
      'lib-a/go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib-a/lib.go': lib('a'),
      'lib-b/go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib-b/lib.go': lib('b'),
      'cmd/app/main.go': 'package main\n\nimport "example.com/lib"\n\nfunc main() { println(lib.Name()) }\n',
      'cmd/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    const run = () => buildAndRun(root, cache, '//cmd/app:app', 'gob-out/bin/cmd/app/app');
    expect(await run()).toEqual({ status: 'built', value: 'b' });
    // What go does not read is no input; what it reads is.
    await fs.writeFile(path.join(root, 'lib-a/lib.go'), lib('a2'));
    await fs.appendFile(path.join(root, 'go.mod'), '// not read\n');
    expect(await run()).toEqual({ status: 'cached', value: 'b' });
    await fs.writeFile(path.join(root, 'lib-b/lib.go'), lib('b2'));
    expect(await run()).toEqual({ status: 'built', value: 'b2' });
    await fs.writeFile(path.join(root, 'alt.mod'), mod('lib-a'));
    expect(await run()).toEqual({ status: 'built', value: 'a2' });
  });

  it("keys what GOFLAGS' -overlay makes go read: a changed replacement builds again, an unchanged one stays cached", async () => {
    const { root, cache } = await fresh();
    // The replacements live outside the workspace, as an editor's unsaved buffers do.
    const buffers = await tempDir('gob-overlay-');
    dirs.push(buffers);
    const main = (word: string) => `package main\n\nimport "example.com/app/lib"\n\nfunc main() { println("${word}", lib.Name()) }\n`;
    const lib = (word: string) => `package lib\n\nfunc Name() string { return "${word}" }\n`;
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-overlay=overlay.json" }\n',
      'go.mod': 'module example.com/app\n\ngo 1.26\n',
      'cmd/app/main.go': main('disk'),
      'cmd/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
      'lib/lib.go': lib('disk'),
      // A file of lib's that the overlay tells go to leave out (it would not compile).
      'lib/broken.go': 'package lib\n\nvar broken = undefined\n',
    });
    const edited = path.join(buffers, 'main.go');
    await fs.writeFile(edited, main('buffer'));
    await fs.writeFile(path.join(buffers, 'lib.go'), lib('buffer'));
    // go resolves the overlay's paths against its own directory, here the module's (the root).
    await fs.writeFile(path.join(root, 'overlay.json'), JSON.stringify({ Replace: { 'cmd/app/main.go': edited, [path.join(root, 'lib/lib.go')]: path.join(buffers, 'lib.go'), 'lib/broken.go': '' } }));
    const run = () => buildAndRun(root, cache, '//cmd/app:app', 'gob-out/bin/cmd/app/app');
    expect(await run()).toEqual({ status: 'built', value: 'buffer buffer' });
    expect(await run()).toEqual({ status: 'cached', value: 'buffer buffer' });
    await fs.writeFile(edited, main('buffer2'));
    expect(await run()).toEqual({ status: 'built', value: 'buffer2 buffer' });
    await fs.writeFile(path.join(buffers, 'lib.go'), lib('buffer2'));
    expect(await run()).toEqual({ status: 'built', value: 'buffer2 buffer2' });
    // Without the replacement of main.go, go compiles the file on disk.
    await fs.writeFile(path.join(root, 'overlay.json'), JSON.stringify({ Replace: { 'lib/lib.go': path.join(buffers, 'lib.go'), 'lib/broken.go': '' } }));
    expect(await run()).toEqual({ status: 'built', value: 'disk buffer2' });
  });

  it("follows GOFLAGS' -mod=mod: go then takes modules from the module cache, not from vendor/", async () => {
    const { root, cache } = await fresh();
    const dep = (word: string) => `package dep\n\nfunc Name() string { return "${word}" }\n`;
    const modules = await moduleProxy([{ path: 'example.com/dep', version: 'v1.0.0', files: { 'go.mod': 'module example.com/dep\n\ngo 1.26\n', 'dep.go': dep('from the module cache') } }]);
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-mod=mod -modcacherw" }\n',
      'go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/dep v1.0.0\n',
      // A vendor/ directory go ignores with -mod=mod (left behind, or kept for other builds).
      'vendor/modules.txt': '# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n',
      'vendor/example.com/dep/dep.go': dep('from vendor'),
      'cmd/app/main.go': 'package main\n\nimport "example.com/dep"\n\nfunc main() { println(dep.Name()) }\n',
      'cmd/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    await modules.tidy(root, '-mod=mod -modcacherw');
    const run = () => buildAndRun(root, cache, '//cmd/app:app', 'gob-out/bin/cmd/app/app', [], modules.env);
    expect(await run()).toEqual({ status: 'built', value: 'from the module cache' });
    // vendor/ is no input of this build: go does not read it.
    await fs.rm(path.join(root, 'vendor/example.com/dep/dep.go'));
    expect(await run()).toEqual({ status: 'cached', value: 'from the module cache' });
  });

  it("gives each target that fails on a module go cannot download go's messages about its own files, not the others'", async () => {
    const { root, cache } = await fresh();
    const modules = await moduleProxy([
      { path: 'example.com/dep', version: 'v1.0.0', files: { 'go.mod': 'module example.com/dep\n\ngo 1.26\n', 'a/a.go': 'package a\n', 'b/b.go': 'package b\n' } },
    ]);
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-modcacherw" }\n',
      'go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/dep v1.0.0\n',
      'svc/one/main.go': 'package main\n\nimport _ "example.com/dep/a"\n\nfunc main() {}\n',
      'svc/one/BUILD.yaml': 'targets:\n  one:\n    kind: go_binary\n',
      'svc/two/main.go': 'package main\n\nimport _ "example.com/dep/b"\n\nfunc main() {}\n',
      'svc/two/BUILD.yaml': 'targets:\n  two:\n    kind: go_binary\n',
    });
    await modules.tidy(root);
    // The proxy still serves the module's go.mod but no longer its files, as when a proxy
    // refuses a version's zip: go, in one process for both, fails at each import of it.
    await fs.rm(path.join(new URL(modules.env.GOPROXY).pathname, 'example.com/dep/@v/v1.0.0.zip'));
    const r = await gob(['build', '//...', '-k', '--ui=json'], { cwd: root, cacheDir: cache, env: { ...modules.env, GOMODCACHE: await modules.newModuleCache() } });
    expect(r.code, r.stderr).toBe(1);
    expect(finishedBy(r.events)).toEqual(new Map([['//svc/one:one', 'failed'], ['//svc/two:two', 'failed']]));
    const output = new Map<string, string>();
    for (const e of r.events) if (e.type === 'action.output') output.set(e.label, (output.get(e.label) ?? '') + e.text);
    expect(output.get('//svc/one:one')).toMatch(/^svc\/one\/main\.go:3:8: example\.com\/dep@v1\.0\.0: /m);
    expect(output.get('//svc/one:one')).not.toContain('svc/two');
    expect(output.get('//svc/two:two')).toMatch(/^svc\/two\/main\.go:3:8: example\.com\/dep@v1\.0\.0: /m);
    expect(output.get('//svc/two:two')).not.toContain('svc/one');
  });

  it('rebuilds when a local package that only an external module imports changes (the external module requires a workspace module)', async () => {
    const { root, cache } = await fresh();
    // example.com/Ext (upper case: the module cache spells it example.com/!ext) imports
    // example.com/lib/only, which this workspace replaces with its own lib/: go compiles
    // lib/only from the checkout, though no package here imports it.
    const modules = await moduleProxy([
      EXT_IMPORTING_LIB,
      // A fork go.mod can replace example.com/Ext with: go then reads the fork's files, and
      // those import another package of lib.
      {
        path: 'example.com/ExtFork',
        version: 'v1.0.1',
        files: {
          'go.mod': 'module example.com/Ext\n\ngo 1.26\n\nrequire example.com/lib v1.0.0\n',
          'ext.go': 'package ext\n\nimport "example.com/lib/forked"\n\nfunc Name() string { return "fork+" + forked.Name() }\n',
        },
      },
    ]);
    const only = (word: string) => `package only\n\nfunc Name() string { return "${word}" }\n`;
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-modcacherw" }\n',
      'go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire (\n\texample.com/Ext v1.0.0\n\texample.com/lib v1.0.0\n)\n\nreplace example.com/lib => ./lib\n',
      'cmd/app/main.go': 'package main\n\nimport ext "example.com/Ext"\n\nfunc main() { println(ext.Name()) }\n',
      'cmd/app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
      // A binary that does not use example.com/Ext.
      'cmd/app2/main.go': 'package main\n\nimport ext "example.com/Ext"\n\nfunc main() { println(ext.Name()) }\n',
      'cmd/app2/BUILD.yaml': 'targets:\n  app2:\n    kind: go_binary\n',
      'cmd/other/main.go': 'package main\n\nfunc main() {}\n',
      'cmd/other/BUILD.yaml': 'targets:\n  other:\n    kind: go_binary\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib/only/only.go': only('one'),
      'lib/forked/forked.go': 'package forked\n\nfunc Name() string { return "forked" }\n',
    });
    await modules.tidy(root);
    const env = modules.env;
    const run = () => buildAndRun(root, cache, '//cmd/app:app', 'gob-out/bin/cmd/app/app', [], env);
    expect(await run()).toEqual({ status: 'built', value: 'ext+one' });
    expect(await run()).toEqual({ status: 'cached', value: 'ext+one' });
    await fs.writeFile(path.join(root, 'lib/only/only.go'), only('two'));
    expect(await run()).toEqual({ status: 'built', value: 'ext+two' });
    expect(await run()).toEqual({ status: 'cached', value: 'ext+two' });

    // A module cache that does not hold example.com/Ext yet (a fresh CI machine): gob has go
    // download it while planning (its go.mod, then, as it can import lib, its files), so the key
    // has lib/only and the binary built above is restored.
    const empty = await modules.newModuleCache();
    const restored = await gob(['build', '//cmd/app:app', '--ui=json'], { cwd: root, cacheDir: cache, env: { ...env, GOMODCACHE: empty } });
    expect(restored.code, restored.stderr).toBe(0);
    expect(finishedBy(restored.events).get('//cmd/app:app')).toBe('cached');
    expect((await execFileAsync(path.join(root, 'gob-out/bin/cmd/app/app'))).stderr.trim()).toBe('ext+two');
    await expect(fs.stat(path.join(empty, 'example.com/!ext@v1.0.0/ext.go'))).resolves.toBeTruthy();

    // Where go cannot download it (GOPROXY=off), the key may lack local packages: such a binary
    // is never restored. The module cache here is a doctored one whose example.com/Ext imports
    // nothing local, which gob keyed like that: without the rule, the empty cache below would
    // restore its binary under the same key.
    const doctored = await modules.newModuleCache();
    await fs.cp(empty, doctored, { recursive: true });
    await fs.writeFile(path.join(doctored, 'example.com/!ext@v1.0.0/ext.go'), 'package ext\n\nfunc Name() string { return "doctored" }\n');
    expect(await buildAndRun(root, cache, '//cmd/app:app', 'gob-out/bin/cmd/app/app', [], { ...env, GOMODCACHE: doctored })).toEqual({ status: 'built', value: 'doctored' });
    const offline = { ...env, GOPROXY: 'off', GOMODCACHE: await modules.newModuleCache() };
    expect(await buildStatus(root, cache, '//cmd/other:other', [], env)).toBe('built');
    const unsure = await gob(['build', '//...', '--dry-run', '--ui=json'], { cwd: root, cacheDir: cache, env: offline });
    expect(unsure.code, unsure.stderr).toBe(0);
    // Only the binaries that use the module are unsure (app2 was never built).
    expect(finishedBy(unsure.events)).toEqual(
      new Map([
        ['//cmd/app2:app2', 'would-build'],
        ['//cmd/app:app', 'would-build'],
        ['//cmd/other:other', 'cached'],
      ]),
    );
    const warnings = unsure.events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
    // go's reason, once, then what it means for the binaries, once for both.
    const host = await hostPlatform();
    expect(warnings).toEqual([
      'go could not download example.com/Ext@v1.0.0: module lookup disabled by GOPROXY=off',
      `//cmd/app2:app2 (${host}), //cmd/app:app (${host}): not cached: go could not download example.com/Ext@v1.0.0, so gob cannot tell which local packages go compiles through it`,
    ]);
    // Built, go fails as it cannot download the module either: go's error, exit 1.
    const failed = await gob(['build', '//cmd/app:app'], { cwd: root, cacheDir: cache, env: offline });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('cmd/app/main.go:3:8: module lookup disabled by GOPROXY=off');

    // Replaced by a fork: the files gob reads are the fork's, and the plan is remembered.
    await fs.appendFile(path.join(root, 'go.mod'), 'replace example.com/Ext => example.com/ExtFork v1.0.1\n');
    await modules.tidy(root);
    expect(await run()).toEqual({ status: 'built', value: 'fork+forked' });
    const again = await gob(['build', '//cmd/app:app', '--ui=json'], { cwd: root, cacheDir: cache, env });
    expect(again.events.some((e) => e.type === 'log' && e.message === 'plan reused')).toBe(true);
    await fs.writeFile(path.join(root, 'lib/forked/forked.go'), 'package forked\n\nfunc Name() string { return "forked, edited" }\n');
    expect(await run()).toEqual({ status: 'built', value: 'fork+forked, edited' });
    // The fork is downloaded while planning too: its go.mod names another module path.
    const forkCache = await modules.newModuleCache();
    expect(await buildAndRun(root, cache, '//cmd/app:app', 'gob-out/bin/cmd/app/app', [], { ...env, GOMODCACHE: forkCache })).toEqual({ status: 'cached', value: 'fork+forked, edited' });
  });

  it('without a go.work, a workspace module is local only to the main modules that replace it: the others use, and are keyed by, its published version', async () => {
    const { root, cache } = await fresh();
    const only = (word: string) => `package only\n\nfunc Name() string { return "${word}" }\n`;
    const modules = await moduleProxy([
      EXT_IMPORTING_LIB,
      { path: 'example.com/lib', version: 'v1.0.0', files: { 'go.mod': 'module example.com/lib\n\ngo 1.26\n', 'only/only.go': only('published') } },
    ]);
    const app = (name: string, replace: string) => ({
      [`${name}/go.mod`]: `module example.com/${name}\n\ngo 1.26\n\nrequire (\n\texample.com/Ext v1.0.0\n\texample.com/lib v1.0.0\n)\n${replace}`,
      [`${name}/main.go`]: 'package main\n\nimport ext "example.com/Ext"\n\nfunc main() { println(ext.Name()) }\n',
      [`${name}/BUILD.yaml`]: `targets:\n  ${name}:\n    kind: go_binary\n`,
    });
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-modcacherw" }\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib/only/only.go': only('checkout'),
      ...app('local', '\nreplace example.com/lib => ../lib\n'),
      ...app('published', ''),
    });
    await modules.tidy(path.join(root, 'local'));
    await modules.tidy(path.join(root, 'published'));
    const env = modules.env;
    const run = (name: string) => buildAndRun(root, cache, `//${name}:${name}`, `gob-out/bin/${name}/${name}`, [], env);
    expect(await run('local')).toEqual({ status: 'built', value: 'ext+checkout' });
    expect(await run('published')).toEqual({ status: 'built', value: 'ext+published' });
    await fs.writeFile(path.join(root, 'lib/only/only.go'), only('checkout, edited'));
    expect(await run('published')).toEqual({ status: 'cached', value: 'ext+published' });
    expect(await run('local')).toEqual({ status: 'built', value: 'ext+checkout, edited' });

    // On an empty module cache, planning the build that takes lib as a published version reads
    // only example.com/Ext's go.mod: what Ext imports cannot be local there, so its files are
    // not downloaded. The build that replaces lib needs them.
    const fresh1 = await modules.newModuleCache();
    const ext = path.join(fresh1, 'example.com/!ext@v1.0.0');
    // Each plan says what it waits for: one download of one module (Ext's go.mod, then its files).
    let steps: string[] = [];
    const dry = async (name: string): Promise<string | undefined> => {
      const r = await gob(['build', `//${name}:${name}`, '--dry-run', '--ui=json'], { cwd: root, cacheDir: cache, env: { ...env, GOMODCACHE: fresh1 } });
      expect(r.code, r.stderr).toBe(0);
      steps = r.events.flatMap((e) => (e.type === 'plan.progress' ? [e.step === 'planning' ? e.step : `downloading ${String(e.modules)}`] : []));
      return finishedBy(r.events).get(`//${name}:${name}`);
    };
    expect(await dry('published')).toBe('cached');
    expect(steps).toEqual(['planning', 'downloading 1', 'planning']);
    await expect(fs.stat(path.join(fresh1, 'cache/download/example.com/!ext/@v/v1.0.0.mod'))).resolves.toBeTruthy();
    await expect(fs.stat(ext)).rejects.toThrow();
    expect(await dry('local')).toBe('cached');
    expect(steps).toEqual(['planning', 'downloading 1', 'planning']);
    await expect(fs.stat(ext)).resolves.toBeTruthy();
  });

  it("keys the main module's go.sum, not that of a module it replaces with a directory, which go does not read", async () => {
    const { root, cache } = await fresh();
    const modules = await moduleProxy([DEP]);
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-modcacherw" }\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.26\n\nrequire example.com/dep v1.0.0\n',
      'lib/lib.go': 'package lib\n\nimport "example.com/dep"\n\nfunc Name() string { return "lib+" + dep.Name() }\n',
      'app/go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../lib\n',
      'app/main.go': 'package main\n\nimport "example.com/lib"\n\nfunc main() { println(lib.Name()) }\n',
      'app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    await modules.tidy(path.join(root, 'lib'));
    await modules.tidy(path.join(root, 'app'));
    const env = modules.env;
    const run = () => buildAndRun(root, cache, '//app:app', 'gob-out/bin/app/app', [], env);
    expect(await run()).toEqual({ status: 'built', value: 'lib+dep' });
    // go checks example.com/dep against app/go.sum only: lib/go.sum can go, and go still builds.
    await fs.writeFile(path.join(root, 'lib/go.sum'), '');
    await execFileAsync('go', ['build', '-o', path.join(root, 'app-by-go'), '.'], { cwd: path.join(root, 'app'), env: { ...process.env, ...env, GOFLAGS: '-modcacherw -mod=readonly', GOTOOLCHAIN: 'local' } });
    expect(await run()).toEqual({ status: 'cached', value: 'lib+dep' });
    await fs.appendFile(path.join(root, 'app/go.sum'), 'example.com/other v1.0.0/go.mod h1:AAAA=\n');
    expect(await run()).toEqual({ status: 'built', value: 'lib+dep' });
  });

  it("downloads what a nested module needs while planning in that module, whose go.sum verifies it, also when the root module is vendored", async () => {
    // At the root of a vendored module go defaults to -mod=vendor, where it will not look up a
    // module: gob's downloads, which run there, must still fetch what other modules require.
    const { root, cache } = await fresh();
    const modules = await moduleProxy([EXT_IMPORTING_LIB]);
    await writeTree(root, {
      'gob.yaml': 'version: 1\ngo:\n  env: { GOFLAGS: "-modcacherw" }\n',
      'go.mod': 'module example.com/root\n\ngo 1.26\n',
      'vendor/modules.txt': '',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib/only/only.go': 'package only\n\nfunc Name() string { return "checkout" }\n',
      'app/go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire (\n\texample.com/Ext v1.0.0\n\texample.com/lib v1.0.0\n)\n\nreplace example.com/lib => ../lib\n',
      'app/main.go': 'package main\n\nimport ext "example.com/Ext"\n\nfunc main() { println(ext.Name()) }\n',
      'app/BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    await modules.tidy(path.join(root, 'app'));
    const env = modules.env;
    expect(await buildAndRun(root, cache, '//app:app', 'gob-out/bin/app/app', [], env)).toEqual({ status: 'built', value: 'ext+checkout' });
    const r = await gob(['build', '//app:app', '--dry-run', '--ui=json'], { cwd: root, cacheDir: cache, env: { ...env, GOMODCACHE: await modules.newModuleCache() } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.events.filter((e) => e.type === 'log' && e.level === 'warn')).toEqual([]);
    expect(finishedBy(r.events).get('//app:app')).toBe('cached');
    // Where the checksum database cannot answer (here: one go cannot use), a download must not
    // need it: at the root, whose go.sum does not list example.com/Ext, go would ask it; in
    // app/, whose go.sum lists it, go checks against that.
    const unverifiable = { ...env, GOSUMDB: 'example.invalid+00000000+AAAA', GOMODCACHE: await modules.newModuleCache() };
    const s = await gob(['build', '//app:app', '--dry-run', '--ui=json'], { cwd: root, cacheDir: cache, env: unverifiable });
    expect(s.code, s.stderr).toBe(0);
    expect(s.events.filter((e) => e.type === 'log' && e.level === 'warn')).toEqual([]);
    expect(finishedBy(s.events).get('//app:app')).toBe('cached');
  });

  it('does not cache a binary when one of its inputs was saved while go built it', async () => {
    const { root, cache } = await fresh();
    const lib = (word: string) => `package lib\n\nfunc Name() string { return "${word}" }\n`;
    await writeTree(root, {
      'gob.yaml': 'version: 1\n',
      'go.mod': 'module example.com/app\n\ngo 1.26\n',
      'main.go': 'package main\n\nimport "example.com/app/lib"\n\nfunc main() { println(lib.Name()) }\n',
      'lib/lib.go': lib('one'),
      'BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n',
    });
    // An editor saving lib.go just as go starts: a `go` ahead of the real one on PATH moves the
    // file `next` (when there is one) over lib.go, then runs go; when `undo` is there too, it
    // writes lib.go's earlier content back once go is done. A program, not a script: gob keeps
    // no plan snapshot for a go it cannot identify without running it.
    const bin = await tempDir('gob-gowrap-');
    dirs.push(bin);
    const realGo = path.join((await execFileAsync('go', ['env', 'GOROOT'])).stdout.trim(), 'bin/go');
    const nextFile = path.join(bin, 'next');
    const [next, undo, libFile] = [nextFile, path.join(bin, 'undo'), path.join(root, 'lib/lib.go')].map((p) => JSON.stringify(p));
    const wrapper = path.join(bin, 'src');
    await writeTree(wrapper, {
      'go.mod': 'module wrapper\n\ngo 1.26\n',
      'main.go': `package main

import (
\t"os"
\t"os/exec"
)

func main() {
\tbefore, _ := os.ReadFile(${libFile})
\tswapped := len(os.Args) > 1 && os.Args[1] == "build" && os.Rename(${next}, ${libFile}) == nil
\tcmd := exec.Command(${JSON.stringify(realGo)}, os.Args[1:]...)
\tcmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
\terr := cmd.Run()
\tif swapped && os.Remove(${undo}) == nil {
\t\t_ = os.WriteFile(${libFile}, before, 0o644)
\t}
\tif err != nil {
\t\tos.Exit(cmd.ProcessState.ExitCode())
\t}
}
`,
    });
    await execFileAsync(realGo, ['build', '-o', path.join(bin, 'go'), '.'], { cwd: wrapper });
    const saveDuringBuild = (word: string) => fs.writeFile(nextFile, lib(word));
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    let reused = false;
    const run = async (): Promise<{ status: string | undefined; value: string; warnings: string[] }> => {
      const r = await gob(['build', '//:app', '--ui=json'], { cwd: root, cacheDir: cache, env });
      expect(r.code, r.stderr).toBe(0);
      reused = r.events.some((e) => e.type === 'log' && e.message === 'plan reused');
      const warnings = r.events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
      return { status: finishedBy(r.events).get('//:app'), value: (await execFileAsync(path.join(root, 'gob-out/bin/app'))).stderr.trim(), warnings };
    };

    // A plan made from scratch: the key says "one", go built "two".
    await saveDuringBuild('two');
    expect(await run()).toEqual({ status: 'built', value: 'two', warnings: [`//:app (${await hostPlatform()}): not cached: lib/lib.go changed while go was building it; the next build builds it again`] });
    expect(reused).toBe(false);
    // Back to "one" (an undo): the binary of "two" must not come back under the key of "one".
    await fs.writeFile(path.join(root, 'lib/lib.go'), lib('one'));
    expect(await run()).toEqual({ status: 'built', value: 'one', warnings: [] });
    expect(await run()).toEqual({ status: 'cached', value: 'one', warnings: [] });

    // The same with a plan reused from its snapshot: the key says "three", go built "four".
    await fs.writeFile(path.join(root, 'lib/lib.go'), lib('three'));
    await saveDuringBuild('four');
    const during = await run();
    expect(reused).toBe(true);
    expect(during).toMatchObject({ status: 'built', value: 'four' });
    expect(during.warnings).toHaveLength(1);
    await fs.writeFile(path.join(root, 'lib/lib.go'), lib('three'));
    expect(await run()).toEqual({ status: 'built', value: 'three', warnings: [] });

    // Saved and undone while go ran: the content is the keyed one again, but go may have read the
    // other (it did here), and the file's stat tells.
    await fs.writeFile(path.join(root, 'lib/lib.go'), lib('five'));
    await saveDuringBuild('six');
    await fs.writeFile(path.join(bin, 'undo'), '');
    const undone = await run();
    expect(undone).toMatchObject({ status: 'built', value: 'six' });
    expect(undone.warnings).toHaveLength(1);
    expect(await fs.readFile(path.join(root, 'lib/lib.go'), 'utf8')).toBe(lib('five'));
    expect(await run()).toEqual({ status: 'built', value: 'five', warnings: [] });
  });

  it('--stamp fills x_defs from stamp.command, and each stamp value has its own cache entry', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'gob.yaml': 'version: 1\nstamp:\n  command: cat stamp.txt\n',
      'stamp.txt': 'GIT_COMMIT abc123\nBUILD_USER someone with spaces\n',
      'go.mod': 'module example.com/stamped\n\ngo 1.26\n',
      'main.go': 'package main\n\nvar version = "dev"\nvar user = "nobody"\n\nfunc main() { println(version, user) }\n',
      'BUILD.yaml': 'targets:\n  app:\n    kind: go_binary\n    x_defs: { main.version: "{GIT_COMMIT}", main.user: "{BUILD_USER}" }\n',
    });
    const build = (...flags: string[]) => () => buildAndRun(root, cache, '//:app', 'gob-out/bin/app', flags);
    expect(await build()()).toEqual({ status: 'built', value: 'dev nobody' });
    expect(await build('--stamp')()).toEqual({ status: 'built', value: 'abc123 someone with spaces' });
    expect(await build('--stamp')()).toEqual({ status: 'cached', value: 'abc123 someone with spaces' });
    await fs.writeFile(path.join(root, 'stamp.txt'), 'GIT_COMMIT def456\nBUILD_USER someone with spaces\n');
    expect(await build('--stamp')()).toEqual({ status: 'built', value: 'def456 someone with spaces' });
    // Unstamped again: the first build's result (placeholders left out, not filled).
    expect(await build()()).toEqual({ status: 'cached', value: 'dev nobody' });

    // A command that fails, one that prints something else, and none at all: exit 2, saying why.
    const bad = async (command: string | undefined): Promise<string> => {
      await fs.writeFile(path.join(root, 'gob.yaml'), `version: 1\n${command === undefined ? '' : `stamp:\n  command: ${command}\n`}`);
      const r = await gob(['build', '//:app', '--stamp'], { cwd: root, cacheDir: cache });
      expect(r.code).toBe(2);
      return r.stderr;
    };
    expect(await bad('"echo oops >&2; exit 3"')).toMatch(/gob\.yaml.*stamp\.command `echo oops >&2; exit 3` exited with 3:\s+oops/s);
    expect(await bad('"echo not-a-pair=1"')).toContain('printed a line that is not "KEY value": "not-a-pair=1"');
    expect(await bad(undefined)).toContain('--stamp fills the {VARS} of x_defs from stamp.command, and gob.yaml has none');
  });

  it('says which target points at a package that is not main, exit 2', async () => {
    const { root, cache } = await fresh();
    await writeTree(root, {
      'gob.yaml': 'version: 1\n',
      'go.mod': 'module example.com/lib\n\ngo 1.26\n',
      'lib/lib.go': 'package lib\n',
      'lib/BUILD.yaml': 'targets:\n  lib:\n    kind: go_binary\n',
    });
    const r = await gob(['build', '//...'], { cwd: root, cacheDir: cache });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lib/BUILD.yaml:2:3');
    expect(r.stderr).toContain('is package lib, not a main package');
  });
});

describe('small commands', () => {
  it('gob version prints the version; gob clean removes gob-out and --cache empties the cache', async () => {
    const { root, cache } = await fresh();
    const v = await gob(['version'], { cwd: root, cacheDir: cache });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^gob \d+\.\d+\.\d+/);

    await fs.cp(EXAMPLE, root, { recursive: true });
    expect((await gob(['build', '//services/notify'], { cwd: root, cacheDir: cache })).code).toBe(0);
    await fs.access(path.join(root, 'gob-out'));
    expect((await gob(['clean'], { cwd: root, cacheDir: cache })).code).toBe(0);
    await expect(fs.access(path.join(root, 'gob-out'))).rejects.toThrow();
    const restored = await gob(['build', '//services/notify', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(buildFinished(restored.events).counts.cached).toBe(1);

    expect((await gob(['clean', '--cache'], { cwd: root, cacheDir: cache })).code).toBe(0);
    const cold = await gob(['build', '//services/notify', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(buildFinished(cold.events).counts.built).toBe(1);
  });

  it('stops quietly when its reader goes away (gob build --ui=json | head -1)', async () => {
    const { root, cache } = await fresh();
    await fs.cp(EXAMPLE, root, { recursive: true });
    const { stdout, stderr } = await execFileAsync('sh', ['-c', 'node "$GOB" build //... --ui=json | head -1'], {
      cwd: root,
      env: { ...process.env, GOB: GOB_MAIN, GOB_CACHE_DIR: cache, CI: 'true' },
    });
    // A fresh build's stream starts with its planning step (docs/events.md).
    expect(JSON.parse(stdout)).toMatchObject({ type: 'plan.progress', step: 'planning' });
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  it('bad usage exits 2 with a message, not a stack trace', async () => {
    const { root, cache } = await fresh();
    const r = await gob(['build', '--jobs', 'zero'], { cwd: root, cacheDir: cache });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jobs');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const unknown = await gob(['biuld'], { cwd: root, cacheDir: cache });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('build');
  });
});
