import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashBytes } from '../hashing/index.js';
import { goIOFromHasher, GO_HEADER_DERIVE } from './hasher-io.js';
import { loadGoPackages, type PackageGraph } from './graph.js';
import { nodeGoIO } from './io.js';
import { loadModules, type ModuleSet } from './modules.js';
import type { BuildContext } from './scanner.js';
import { writeTree } from './testing/generate-layouts.js';
import { memoryGoIO, type MemoryIO, type MemoryNode } from './testing/memory-io.js';

const CTX: BuildContext = { goos: 'linux', goarch: 'amd64', cgoEnabled: false, compiler: 'gc', goVersion: 'go1.26.8', experiments: [], tags: [] };

const TREE: Record<string, MemoryNode> = {
  'go.mod': 'module example.com/m\n\ngo 1.22\n\nrequire example.com/ext v1.4.0\n',
  'go.sum': 'example.com/ext v1.4.0 h1:x\n',
  'cmd/a/main.go': 'package main\n\nimport (\n\t"fmt"\n\t"example.com/m/lib"\n\t"example.com/ext/pkg"\n)\n',
  'cmd/a/main_windows.go': 'package main\n\nimport "example.com/m/winonly"\n',
  'cmd/a/_scratch.go': 'package main\n',
  'cmd/a/.#lock.go': 'package main\n',
  'cmd/a/a_test.go': 'package main\n\nimport ("testing"; "example.com/m/testlib")\n',
  'cmd/a/x_test.go': 'package main_test\n\nimport ("testing"; "example.com/m/xtestlib")\n',
  'cmd/a/testdata/in.json': '{}',
  'cmd/a/testdata/deep/more.txt': 'x',
  'cmd/a/README.md': 'docs',
  'cmd/b/main.go': 'package main\n\nimport "example.com/m/lib"\n',
  'lib/lib.go': 'package lib\n\nimport ("strings"; "example.com/m/lib/inner")\n',
  'lib/lib_test.go': 'package lib\n\nimport "example.com/m/onlylibtests"\n',
  'lib/asm_amd64.s': '#include "textflag.h"\n',
  'lib/asm_arm64.s': '#include "textflag.h"\n',
  'lib/gated.s': '//go:build ignore\n\nnothing\n',
  'lib/inner/inner.go': 'package inner\n',
  'testlib/t.go': 'package testlib\n',
  'xtestlib/t.go': 'package xtestlib\n',
  'onlylibtests/o.go': 'package onlylibtests\n',
  'winonly/w.go': 'package winonly\n',
};

async function setup(tree: Record<string, MemoryNode> = TREE): Promise<{ io: MemoryIO; modules: ModuleSet }> {
  const io = memoryGoIO(tree);
  const m = await loadModules('/nonexistent-root', { io, goWork: 'off' });
  if (!m.ok) throw new Error(JSON.stringify(m.error));
  // Count only what the graph does.
  io.readdirCalls.clear();
  io.headerCalls.clear();
  io.inFlight.max = 0;
  return { io, modules: m.value };
}

async function graphOf(roots: string[], opts: { includeTests?: boolean; ctx?: BuildContext; tree?: Record<string, MemoryNode> } = {}): Promise<{ graph: PackageGraph; io: MemoryIO }> {
  const { io, modules } = await setup(opts.tree);
  const r = await loadGoPackages({ roots, ctx: opts.ctx ?? CTX, modules, includeTests: opts.includeTests }, io);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { graph: r.value, io };
}

describe('loadGoPackages', () => {
  it('walks imports from the roots, stopping at std and external modules', async () => {
    const { graph } = await graphOf(['cmd/a', 'cmd/b']);
    expect(graph.packages.map((p) => p.importPath)).toEqual(['example.com/m/cmd/a', 'example.com/m/cmd/b', 'example.com/m/lib', 'example.com/m/lib/inner']);
    const a = graph.roots[0];
    expect(a?.importPath).toBe('example.com/m/cmd/a');
    expect([...(a?.packages ?? new Map())]).toEqual([
      ['example.com/m/cmd/a', 'cmd/a'],
      ['example.com/m/lib', 'lib'],
      ['example.com/m/lib/inner', 'lib/inner'],
    ]);
    expect(a?.std).toEqual(['fmt', 'strings']);
    expect([...(a?.externalModules ?? new Map())]).toEqual([['example.com/ext', 'v1.4.0']]);
    expect(a?.moduleStateFiles).toEqual(['go.mod', 'go.sum']);
    expect(a?.inputFiles).toEqual(['cmd/a/main.go', 'lib/asm_amd64.s', 'lib/inner/inner.go', 'lib/lib.go']);
    expect(graph.roots[1]?.externalModules.size).toBe(0);
    expect(graph.externalModules.get('example.com/ext')).toBe('v1.4.0');
    expect([...graph.std]).toEqual(['fmt', 'strings']);
    const lib = graph.packageByDir.get('lib');
    expect(lib?.sFiles).toEqual(['asm_amd64.s']);
    expect(lib?.ignoredOtherFiles).toEqual(['asm_arm64.s', 'gated.s']);
    expect(lib?.testImports).toEqual(['example.com/m/onlylibtests']);
    expect(lib?.testInputFiles).toEqual([]);
  });

  it('follows test imports of the roots only, and adds their test inputs', async () => {
    const { graph } = await graphOf(['cmd/a'], { includeTests: true });
    const a = graph.roots[0];
    expect([...(a?.packages.keys() ?? [])]).toEqual(['example.com/m/cmd/a', 'example.com/m/lib', 'example.com/m/lib/inner', 'example.com/m/testlib', 'example.com/m/xtestlib']);
    const root = graph.packageByDir.get('cmd/a');
    expect(root?.testInputFiles).toEqual(['cmd/a/a_test.go', 'cmd/a/testdata/deep/more.txt', 'cmd/a/testdata/in.json', 'cmd/a/x_test.go']);
    expect(a?.inputFiles).toContain('cmd/a/x_test.go');
    expect(a?.std).toEqual(['fmt', 'strings', 'testing']);
  });

  it('reads each directory and header once, and never reads files it cannot select', async () => {
    const { io } = await graphOf(['cmd/a', 'cmd/b'], { includeTests: true });
    for (const [dir, n] of io.readdirCalls) expect(n, dir).toBe(1);
    for (const [file, n] of io.headerCalls) expect(n, file).toBe(1);
    const read = [...io.headerCalls.keys()].sort();
    expect(read).not.toContain('cmd/a/_scratch.go');
    expect(read).not.toContain('cmd/a/.#lock.go');
    expect(read).not.toContain('cmd/a/README.md');
    expect(read).not.toContain('lib/asm_arm64.s');
    // Go files excluded by name are still read: the go command reports their header errors.
    expect(read).toContain('cmd/a/main_windows.go');
    expect(read).toContain('lib/gated.s');
  });

  it('keeps I/O within the concurrency limit', async () => {
    const tree: Record<string, MemoryNode> = { 'go.mod': 'module m\n\ngo 1.22\n' };
    const imports: string[] = [];
    for (let i = 0; i < 40; i++) {
      imports.push(`\t_ "m/p${i}"`);
      for (let f = 0; f < 5; f++) tree[`p${i}/f${f}.go`] = `package p${i}\n`;
    }
    tree['main.go'] = `package main\n\nimport (\n${imports.join('\n')}\n)\n`;
    const { io, modules } = await setup(tree);
    io.delayMs = 2;
    const r = await loadGoPackages({ roots: [''], ctx: CTX, modules }, io, { concurrency: 6 });
    expect(r.ok).toBe(true);
    expect(io.inFlight.max).toBeLessThanOrEqual(6);
    expect(io.inFlight.max).toBeGreaterThan(1);
    if (r.ok) expect(r.value.packages).toHaveLength(41);
  });

  it('turns I/O failures into diagnostics', async () => {
    const { io, modules } = await setup();
    io.failing.add('lib/inner');
    io.failing.add('cmd/a/main_windows.go');
    const r = await loadGoPackages({ roots: ['cmd/a'], ctx: CTX, modules }, io);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.map((d) => d.code).sort()).toEqual(['import-not-found', 'invalid-go-file', 'io-error']);
      expect(r.error.find((d) => d.code === 'invalid-go-file')?.message).toContain('EIO');
    }
  });

  it('rejects roots outside every module and directories without Go files', async () => {
    const tree = { ...TREE, 'other/go.txt': 'x' };
    const { io, modules } = await setup({ ...Object.fromEntries(Object.entries(tree).filter(([k]) => k !== 'go.mod')), 'sub/go.mod': 'module s\n' });
    const r = await loadGoPackages({ roots: ['cmd/a'], ctx: CTX, modules }, io);
    expect(!r.ok && r.error[0]?.code).toBe('not-in-module');
    const { io: io2, modules: m2 } = await setup(tree);
    const r2 = await loadGoPackages({ roots: ['other'], ctx: CTX, modules: m2 }, io2);
    expect(!r2.ok && r2.error[0]?.code).toBe('no-go-files');
  });

  it("adds the files a cgo package's C code includes, and the libraries it links, from other directories to its inputs", async () => {
    const tree: Record<string, MemoryNode> = {
      'go.mod': 'module example.com/m\n\ngo 1.22\n',
      'cmd/a/main.go': 'package main\n\nimport (\n\t"example.com/m/native"\n\t"example.com/m/plain"\n)\n',
      'native/native.go':
        'package native\n\n// #cgo CFLAGS: -I${SRCDIR}/../csrc -I/usr/include\n// #cgo LDFLAGS: -L${SRCDIR}/prebuilt -lval ${SRCDIR}/../third/libz.a -lm\n// #include "inc/x.h"\n// #include <shared.h>\n// #include <stdio.h>\n// #include "own.h"\nimport "C"\n',
      'native/prebuilt/libval.a': '!<arch>\n',
      'native/prebuilt/notes.txt': '',
      'third/libz.a': '!<arch>\n',
      'native/own.h': '#include "inc/z.h"\n',
      'native/helper.c': '#include "../csrc/direct.h"\n',
      'native/inc/x.h': '#include "y.h"\n#include "missing.h"\n',
      'native/inc/y.h': '#include "x.h"\n',
      'native/inc/z.h': '',
      'native/inc/unused.h': '',
      'csrc/shared.h': '#include "nested.inc"\n',
      'csrc/nested.inc': '#define N 1\n',
      'csrc/direct.h': '',
      'csrc/unused.h': '',
      'plain/plain.go': 'package plain\n\n// #include "csrc/never.h" only counts in packages that import "C"\nimport "fmt"\n',
      'plain/asm.h': '#include "../csrc/unused.h"\n',
    };
    const { graph } = await graphOf(['cmd/a'], { tree, ctx: { ...CTX, cgoEnabled: true } });
    const native = graph.packageByDir.get('native');
    expect(native?.cgoExtraFiles).toEqual([
      'csrc/direct.h',
      'csrc/nested.inc',
      'csrc/shared.h',
      'native/inc/x.h',
      'native/inc/y.h',
      'native/inc/z.h',
      'native/prebuilt/libval.a',
      'third/libz.a',
    ]);
    expect(native?.inputFiles).toEqual([
      'csrc/direct.h',
      'csrc/nested.inc',
      'csrc/shared.h',
      'native/helper.c',
      'native/inc/x.h',
      'native/inc/y.h',
      'native/inc/z.h',
      'native/native.go',
      'native/own.h',
      'native/prebuilt/libval.a',
      'third/libz.a',
    ]);
    expect(graph.packageByDir.get('plain')?.cgoExtraFiles).toEqual([]);
    expect(graph.packageByDir.get('cmd/a')?.cgoExtraFiles).toEqual([]);
    expect(graph.roots[0]?.inputFiles).toContain('csrc/nested.inc');
    // With cgo off, native.go is not compiled and nothing is included.
    const off = await graphOf(['native'], { tree: { ...tree, 'native/nocgo.go': 'package native\n' } });
    expect(off.graph.packageByDir.get('native')?.cgoExtraFiles).toEqual([]);
  });

  it('marks vendored packages and puts vendor/modules.txt in the module state', async () => {
    const { graph } = await graphOf([''], {
      tree: {
        'go.mod': 'module v\n\ngo 1.22\n\nrequire example.com/dep v0.1.0\n',
        'main.go': 'package main\n\nimport "example.com/dep/x"\n',
        'vendor/modules.txt': '# example.com/dep v0.1.0\n## explicit\nexample.com/dep/x\n',
        'vendor/example.com/dep/x/x.go': 'package x\n',
      },
    });
    const x = graph.packageByDir.get('vendor/example.com/dep/x');
    expect(x?.vendored).toBe(true);
    expect(x?.importPath).toBe('example.com/dep/x');
    expect(graph.roots[0]?.moduleStateFiles).toEqual(['go.mod', 'vendor/modules.txt']);
    expect(graph.roots[0]?.inputFiles).toEqual(['main.go', 'vendor/example.com/dep/x/x.go']);
  });
});

describe('real file system I/O', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('reads sources whole: constraints at the top, #include and //go:embed lines anywhere', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'gob-io-'));
    dirs.push(root);
    await writeFile(path.join(root, 'big.s'), `// Copyright\n\n//go:build amd64\n\n${'MOVQ AX, BX\n'.repeat(50_000)}#include "late.h"\n`);
    await writeFile(path.join(root, 'a.go'), 'package a\n\nimport "embed"\n\n' + '// filler\n'.repeat(20_000) + '//go:embed a.go\nvar f embed.FS\n');
    const io = nodeGoIO(root);
    expect((await io.readHeader('big.s')).goBuild).toBe('//go:build amd64');
    expect((await io.readHeader('big.s')).cIncludes).toEqual(['"late.h"']);
    expect((await io.readHeader('a.go')).embeds.map((e) => e.pattern)).toEqual(['a.go']);
    expect(await io.readdir('missing')).toBeUndefined();
    expect((await io.readdir(''))?.map((e) => e.name).sort()).toEqual(['a.go', 'big.s']);
  });

  it('serves headers from the content hasher’s derived values', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'gob-io-'));
    dirs.push(root);
    await writeFile(path.join(root, 'a.go'), 'package a\n');
    const derived: string[] = [];
    const hasher = {
      derived: (p: string) => {
        derived.push(p);
        return Promise.resolve({ digest: hashBytes('package fromhasher\n'), value: GO_HEADER_DERIVE.fn(p, Buffer.from('package fromhasher\n')) });
      },
    };
    const io = goIOFromHasher(root, hasher);
    expect((await io.readHeader('a.go')).packageName).toBe('fromhasher');
    expect(derived).toEqual(['a.go']);
    // The digest of the content the header came from is known without another lookup.
    expect(io.knownDigest('a.go')).toBe(hashBytes('package fromhasher\n'));
    expect(io.knownDigest('b.go')).toBeUndefined();
    expect(GO_HEADER_DERIVE.fn('x/logo.png', Buffer.from('x'))).toBeNull();
    // A hasher without the derive hook: fall back to reading the file.
    const plain = { derived: () => Promise.resolve({ digest: hashBytes(''), value: null }) };
    expect((await goIOFromHasher(root, plain).readHeader('a.go')).packageName).toBe('a');
  });

  it('asks the hasher and the disk once per file and directory for all the graphs of one plan', async () => {
    // A monorepo: many mains sharing libraries. The plan loads one graph per target through one
    // GoIO; shared packages must not be listed and stat'ed again for every target.
    const root = await mkdtemp(path.join(os.tmpdir(), 'gob-io-'));
    dirs.push(root);
    const files: Record<string, string> = {
      'go.mod': 'module example.com/m\n\ngo 1.22\n',
      'lib/a/a.go': 'package a\n\nimport "example.com/m/lib/b"\n\nvar X = b.Y\n',
      'lib/b/b.go': 'package b\n\nvar Y = 1\n',
    };
    for (let i = 0; i < 5; i++) files[`cmd/c${String(i)}/main.go`] = 'package main\n\nimport "example.com/m/lib/a"\n\nvar _ = a.X\n\nfunc main() {}\n';
    await writeTree(root, files);
    const derived: string[] = [];
    let failNext = true;
    const hasher = {
      async derived(p: string) {
        derived.push(p);
        if (p === 'lib/b/b.go' && failNext) {
          failNext = false;
          throw new Error('transient');
        }
        const content = await readFile(path.join(root, p));
        return { digest: hashBytes(content), value: GO_HEADER_DERIVE.fn(p, content) };
      },
    };
    const io = goIOFromHasher(root, hasher);
    // A failed lookup is not remembered.
    await expect(io.readHeader('lib/b/b.go')).rejects.toThrow('transient');
    derived.length = 0;
    const modules = await loadModules(root);
    if (!modules.ok) throw new Error(JSON.stringify(modules.error));
    for (let i = 0; i < 5; i++) {
      const g = await loadGoPackages({ roots: [`cmd/c${String(i)}`], ctx: CTX, modules: modules.value }, io);
      if (!g.ok) throw new Error(JSON.stringify(g.error));
      expect(g.value.packages.map((p) => p.dir)).toEqual([`cmd/c${String(i)}`, 'lib/a', 'lib/b']);
    }
    expect(derived.sort()).toEqual(['cmd/c0/main.go', 'cmd/c1/main.go', 'cmd/c2/main.go', 'cmd/c3/main.go', 'cmd/c4/main.go', 'lib/a/a.go', 'lib/b/b.go']);
    // The instance is the plan's snapshot; a new instance (the next build) sees the disk again.
    await writeFile(path.join(root, 'lib/b/b.go'), 'package renamed\n');
    await writeFile(path.join(root, 'lib/b/new.go'), 'package b\n');
    expect((await io.readHeader('lib/b/b.go')).packageName).toBe('b');
    expect((await io.readdir('lib/b'))?.map((e) => e.name)).toEqual(['b.go']);
    const next = goIOFromHasher(root, hasher);
    expect((await next.readHeader('lib/b/b.go')).packageName).toBe('renamed');
    expect((await next.readdir('lib/b'))?.map((e) => e.name).sort()).toEqual(['b.go', 'new.go']);
  });
});
