import { describe, expect, it } from 'vitest';
import { parseSourceFileHeader } from './header.js';
import {
  archFeatureTags,
  classifyPackageFiles,
  goodOSArchFile,
  matchFile,
  needsHeader,
  releaseTags,
  tagMatcher,
  toolTags,
  type BuildContext,
  type DirFile,
} from './scanner.js';
import { goEnvFor } from './testing/golist.js';
import { runCommand } from './toolchain.js';

const ctx = (over: Partial<BuildContext> = {}): BuildContext => ({
  goos: 'linux',
  goarch: 'amd64',
  cgoEnabled: true,
  compiler: 'gc',
  goVersion: 'go1.26.8',
  experiments: ['greenteagc'],
  tags: [],
  ...over,
});

describe('file-name GOOS/GOARCH suffixes', () => {
  const good = (name: string, c: BuildContext) => goodOSArchFile(name, tagMatcher(c));

  it.each([
    ['a.go', true],
    ['a_linux.go', true],
    ['a_darwin.go', false],
    ['a_amd64.go', true],
    ['a_arm64.go', false],
    ['a_linux_amd64.go', true],
    ['a_linux_arm64.go', false],
    ['a_darwin_amd64.go', false],
    ['a_linux_test.go', true],
    ['a_windows_test.go', false],
    ['a_linux_amd64_test.go', true],
    ['a_test_linux.go', true],
    ['linux.go', true],
    ['_linux.go', true],
    ['a_unix.go', true],
    ['a_linux_unknown.go', true],
    ['a_unknown_amd64.go', true],
    ['a_android.go', false],
    ['a_amd64p32.go', false],
    ['a_linux.s', true],
    ['a_windows.syso', false],
    ['a_windows.x.go', false],
  ])('%s on linux/amd64 → %s', (name, want) => {
    expect(good(name, ctx())).toBe(want);
  });

  it('applies the android→linux, ios→darwin and illumos→solaris implications', () => {
    expect(good('a_linux.go', ctx({ goos: 'android' }))).toBe(true);
    expect(good('a_android.go', ctx({ goos: 'linux' }))).toBe(false);
    expect(good('a_darwin_arm64.go', ctx({ goos: 'ios', goarch: 'arm64' }))).toBe(true);
    expect(good('a_ios.go', ctx({ goos: 'darwin' }))).toBe(false);
    expect(good('a_solaris.go', ctx({ goos: 'illumos' }))).toBe(true);
  });
});

describe('tags', () => {
  it('satisfies GOOS, GOARCH, gc, cgo, unix, release, experiment and user tags', () => {
    const m = tagMatcher(ctx({ tags: ['netgo'] }));
    for (const t of ['linux', 'amd64', 'gc', 'cgo', 'unix', 'go1.1', 'go1.26', 'amd64.v1', 'goexperiment.greenteagc', 'netgo']) expect(m(t), t).toBe(true);
    for (const t of ['darwin', 'arm64', 'gccgo', 'go1.27', 'amd64.v2', 'goexperiment.arenas', 'ignore', 'boringcrypto']) expect(m(t), t).toBe(false);
    expect(tagMatcher(ctx({ cgoEnabled: false }))('cgo')).toBe(false);
    expect(tagMatcher(ctx({ goos: 'windows' }))('unix')).toBe(false);
    expect(tagMatcher(ctx({ goos: 'js', goarch: 'wasm' }))('unix')).toBe(false);
    expect(tagMatcher(ctx({ experiments: ['boringcrypto'] }))('boringcrypto')).toBe(true);
  });

  it('derives release tags from the toolchain version', () => {
    expect(releaseTags('go1.3')).toEqual(['go1.1', 'go1.2', 'go1.3']);
    expect(releaseTags('go1.26.8').at(-1)).toBe('go1.26');
    expect(releaseTags('go1.27rc1').at(-1)).toBe('go1.27');
  });

  it.each([
    ['amd64', undefined, ['amd64.v1']],
    ['amd64', 'v3', ['amd64.v1', 'amd64.v2', 'amd64.v3']],
    ['arm', '6', ['arm.5', 'arm.6']],
    ['arm', '7,softfloat', ['arm.5', 'arm.6', 'arm.7']],
    ['arm64', 'v8.2,lse', ['arm64.v8.0', 'arm64.v8.1', 'arm64.v8.2']],
    ['arm64', 'v9.1', ['arm64.v9.0', 'arm64.v9.1', 'arm64.v8.0', 'arm64.v8.1', 'arm64.v8.2', 'arm64.v8.3', 'arm64.v8.4', 'arm64.v8.5', 'arm64.v8.6']],
    ['386', 'softfloat', ['386.softfloat']],
    ['ppc64le', 'power9', ['ppc64le.power8', 'ppc64le.power9']],
    ['riscv64', 'rva22u64', ['riscv64.rva20u64', 'riscv64.rva22u64']],
    ['mips64le', undefined, ['mips64le.hardfloat']],
    ['wasm', undefined, ['wasm.satconv', 'wasm.signext']],
    ['s390x', undefined, []],
  ])('arch feature tags for %s %s', (goarch, level, want) => {
    expect(archFeatureTags(goarch, level)).toEqual(want);
  });

  it('computes the same tool tags as the go command', async () => {
    const configs: [string, string, Record<string, string>][] = [
      ['linux', 'amd64', { GOAMD64: 'v2' }],
      ['linux', 'arm64', { GOARM64: 'v9.2' }],
      ['linux', 'arm', { GOARM: '6' }],
      ['linux', 'riscv64', { GORISCV64: 'rva23u64' }],
      ['linux', 'ppc64le', { GOPPC64: 'power10' }],
      ['js', 'wasm', {}],
    ];
    for (const [goos, goarch, extra] of configs) {
      const env = { ...goEnvFor({ name: '', goos, goarch, cgo: false, env: extra }, 'off') };
      const r = await runCommand('go', ['list', '-f', '{{join context.ToolTags " "}}', 'unsafe'], { cwd: '/', env });
      const goTags = r.stdout.trim().split(' ').filter((t) => !t.startsWith('goexperiment.'));
      const level = Object.values(extra)[0];
      expect(toolTags(ctx({ goos, goarch, archLevel: level, experiments: [] })), `${goos}/${goarch} ${level ?? ''}`).toEqual(goTags);
    }
  });
});

function files(entries: Record<string, string | null>, c: BuildContext): DirFile[] {
  return Object.entries(entries).map(([name, text]) => ({
    name,
    header: text === null || !needsHeader(name, c) ? undefined : parseSourceFileHeader(name, text),
  }));
}

describe('matchFile', () => {
  it('skips _ and . prefixes and unknown extensions, then applies names and constraints', () => {
    const c = ctx();
    const h = (t: string) => parseSourceFileHeader('x.go', t);
    expect(matchFile('_a.go', h('package p'), c)).toEqual({ match: false, reason: 'not-source' });
    expect(matchFile('.a.go', h('package p'), c)).toEqual({ match: false, reason: 'not-source' });
    expect(matchFile('a.txt', undefined, c)).toEqual({ match: false, reason: 'not-source' });
    expect(matchFile('a_windows.go', h('package p'), c)).toEqual({ match: false, reason: 'os-arch' });
    expect(matchFile('a.go', h('//go:build !linux\n\npackage p'), c)).toEqual({ match: false, reason: 'constraint' });
    expect(matchFile('a.go', h('// +build windows\n\npackage p'), c)).toEqual({ match: false, reason: 'constraint' });
    expect(matchFile('a.go', h('//go:build linux && (amd64 || arm64)\n\npackage p'), c)).toEqual({ match: true });
    expect(matchFile('a.go', h('//go:build (\n\npackage p'), c)).toMatchObject({ match: false, reason: 'bad-constraint' });
    expect(matchFile('a.syso', undefined, c)).toEqual({ match: true });
    expect(matchFile('a.go', h('//go:build a\n//go:build b\n\npackage p'), c)).toMatchObject({ match: false, reason: 'bad-constraint' });
    expect(matchFile('a.s', parseSourceFileHeader('a.s', '//go:build a\n//go:build b\n'), c)).toEqual({ match: true });
  });

  it('reads headers of every Go file but only of other sources not excluded by name', () => {
    const c = ctx();
    expect(needsHeader('a_windows.go', c)).toBe(true);
    expect(needsHeader('_a.go', c)).toBe(false);
    expect(needsHeader('a_windows.s', c)).toBe(false);
    expect(needsHeader('a.s', c)).toBe(true);
    expect(needsHeader('a.syso', c)).toBe(false);
    expect(needsHeader('README.md', c)).toBe(false);
  });
});

describe('classifyPackageFiles', () => {
  it('sorts files into go list’s lists', () => {
    const c = ctx();
    const pf = classifyPackageFiles(
      files(
        {
          'b.go': 'package p\nimport "strings"',
          'a.go': 'package p\nimport ("fmt"; "os")',
          'c_windows.go': 'package p',
          'doc.go': 'package documentation',
          'cg.go': 'package p\nimport "C"\nimport "unsafe"',
          'p_test.go': 'package p\nimport "testing"',
          'x_test.go': 'package p_test\nimport ("testing"; "example.com/p")',
          'a.c': 'int a;',
          'a.h': '',
          'a.s': '',
          'b.S': '',
          'a.cc': '',
          'a.syso': null,
          'notes.md': null,
          '_skip.go': null,
        },
        c,
      ),
      c,
    );
    expect(pf.name).toBe('p');
    expect(pf.goFiles).toEqual(['a.go', 'b.go']);
    expect(pf.cgoFiles).toEqual(['cg.go']);
    expect(pf.ignoredGoFiles).toEqual(['c_windows.go', 'doc.go']);
    expect(pf.testGoFiles).toEqual(['p_test.go']);
    expect(pf.xTestGoFiles).toEqual(['x_test.go']);
    expect(pf.cFiles).toEqual(['a.c']);
    expect(pf.cxxFiles).toEqual(['a.cc']);
    expect(pf.hFiles).toEqual(['a.h']);
    expect(pf.sFiles).toEqual(['a.s', 'b.S']);
    expect(pf.sysoFiles).toEqual(['a.syso']);
    expect([...pf.imports.keys()]).toEqual(['C', 'fmt', 'os', 'strings', 'unsafe']);
    expect([...pf.testImports.keys()]).toEqual(['testing']);
    expect([...pf.xTestImports.keys()]).toEqual(['example.com/p', 'testing']);
    expect(pf.errors).toEqual([]);
  });

  it('drops cgo files and C-compiled sources when cgo is disabled', () => {
    const c = ctx({ cgoEnabled: false });
    const pf = classifyPackageFiles(files({ 'a.go': 'package p', 'cg.go': 'package p\nimport "C"\nimport "os"', 'a.c': '', 'a.h': '', 'a.s': '', 'b.S': '', 'a.syso': null }, c), c);
    expect(pf.cgoFiles).toEqual([]);
    expect(pf.ignoredGoFiles).toEqual(['cg.go']);
    expect([...pf.imports.keys()]).toEqual([]);
    expect(pf.cFiles).toEqual([]);
    expect(pf.hFiles).toEqual(['a.h']);
    expect(pf.sFiles).toEqual(['a.s']);
    expect(pf.ignoredOtherFiles).toEqual(['b.S']);
    expect(pf.sysoFiles).toEqual(['a.syso']);
  });

  it('names the package after the first file and flags the others', () => {
    const c = ctx();
    const pf = classifyPackageFiles(files({ 'a.go': 'package a', 'b.go': 'package b' }, c), c);
    expect(pf.name).toBe('a');
    expect(pf.goFiles).toEqual(['a.go', 'b.go']);
    expect(pf.invalidGoFiles).toEqual(['b.go']);
    expect(pf.errors[0]).toMatchObject({ code: 'mixed-packages', file: 'b.go' });
  });

  it('takes an external test file first in order as the package name minus _test', () => {
    const c = ctx();
    const pf = classifyPackageFiles(files({ 'a_test.go': 'package q_test', 'q.go': 'package q' }, c), c);
    expect(pf.name).toBe('q');
    expect(pf.xTestGoFiles).toEqual(['a_test.go']);
    expect(pf.errors).toEqual([]);
  });

  it('reports a directory without buildable Go files', () => {
    const c = ctx();
    expect(classifyPackageFiles(files({ 'a_windows.go': 'package p' }, c), c).errors[0]).toMatchObject({ code: 'no-go-files', message: 'build constraints exclude all Go files' });
    expect(classifyPackageFiles(files({ 'a.c': '' }, c), c).errors[0]).toMatchObject({ code: 'no-go-files', message: 'no Go files' });
  });

  it('collects embed patterns per kind of file', () => {
    const c = ctx();
    const pf = classifyPackageFiles(
      files(
        {
          'a.go': 'package p\nimport "embed"\n//go:embed a.txt b.txt\nvar x embed.FS',
          'a_test.go': 'package p\nimport "embed"\n//go:embed t.txt\nvar y embed.FS',
          'x_test.go': 'package p_test\nimport _ "embed"\n//go:embed x.txt\nvar z string',
        },
        c,
      ),
      c,
    );
    expect([...pf.embedPatterns.keys()]).toEqual(['a.txt', 'b.txt']);
    expect([...pf.testEmbedPatterns.keys()]).toEqual(['t.txt']);
    expect([...pf.xTestEmbedPatterns.keys()]).toEqual(['x.txt']);
  });
});
