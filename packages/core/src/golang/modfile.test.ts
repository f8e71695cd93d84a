import { describe, expect, it } from 'vitest';
import { compareGoVersions, compareSemver, ignoredByModule, isLocalModPath, parseGoMod, parseGoWork, parseVendorModules, toolchainGoVersion } from './modfile.js';

describe('parseGoMod', () => {
  it('reads every directive gob uses, in single and block form', () => {
    const r = parseGoMod(
      [
        '// leading comment',
        'module "example.com/m" // quoted',
        '',
        'go 1.22.3',
        'toolchain go1.26.8',
        'godebug default=go1.21',
        '',
        'require example.com/a v1.2.3',
        'require (',
        '\texample.com/b v0.1.0 // indirect',
        '\texample.com/c v2.0.0+incompatible // indirect; reason',
        '\t`example.com/d` v0.0.0-20240101000000-abcdefabcdef',
        ')',
        '',
        'replace example.com/a => ../a',
        'replace (',
        '\texample.com/b v0.1.0 => example.com/fork/b v0.1.1',
        '\texample.com/c => /abs/c',
        ')',
        'exclude example.com/a v1.0.0',
        'retract [v1.0.0, v1.1.0] // broken',
        'retract (',
        '\tv0.9.0 // oops',
        ')',
        'tool example.com/a/cmd/gen',
        'ignore ./node_modules',
      ].join('\n'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const f = r.value;
    expect(f.module).toBe('example.com/m');
    expect(f.go).toBe('1.22.3');
    expect(f.toolchain).toBe('go1.26.8');
    expect(f.requires).toEqual([
      { path: 'example.com/a', version: 'v1.2.3', indirect: false },
      { path: 'example.com/b', version: 'v0.1.0', indirect: true },
      { path: 'example.com/c', version: 'v2.0.0+incompatible', indirect: true },
      { path: 'example.com/d', version: 'v0.0.0-20240101000000-abcdefabcdef', indirect: false },
    ]);
    expect(f.replaces).toEqual([
      { oldPath: 'example.com/a', oldVersion: undefined, newPath: '../a', newVersion: undefined, isLocal: true },
      { oldPath: 'example.com/b', oldVersion: 'v0.1.0', newPath: 'example.com/fork/b', newVersion: 'v0.1.1', isLocal: false },
      { oldPath: 'example.com/c', oldVersion: undefined, newPath: '/abs/c', newVersion: undefined, isLocal: true },
    ]);
    expect(f.excludes).toEqual([{ path: 'example.com/a', version: 'v1.0.0' }]);
    expect(f.ignores).toEqual(['./node_modules']);
  });

  it('accepts an empty block', () => {
    const r = parseGoMod('module m\nrequire ()\nreplace (\n)\n');
    expect(r.ok && r.value.requires).toEqual([]);
  });

  it('tolerates CRLF line endings', () => {
    const r = parseGoMod('module m\r\n\r\nrequire (\r\n\tx.org/y v1.0.0\r\n)\r\n');
    expect(r.ok && r.value.requires).toEqual([{ path: 'x.org/y', version: 'v1.0.0', indirect: false }]);
  });

  it.each([
    ['an unknown directive', 'module m\nfrobnicate x\n', 'unknown directive: frobnicate'],
    ['a require without version', 'module m\nrequire x.org/y\n', 'usage: require'],
    ['an unterminated block', 'module m\nrequire (\n\tx.org/y v1\n', 'unterminated require block'],
    ['a module replacement without version', 'module m\nreplace a => b\n', 'must be directory path'],
    ['an unterminated string', 'module "m\n', 'unterminated quoted string'],
  ])('reports %s with its position', (_n, text, message) => {
    const r = parseGoMod(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain(message);
      expect(r.error.range.start.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('parseGoWork', () => {
  it('reads go, toolchain, use (single, block, quoted) and replace', () => {
    const r = parseGoWork('go 1.23\ntoolchain go1.26.8\n\nuse ./a\nuse (\n\t./b // comment\n\t"./c d"\n)\n\nreplace x.org/y v1.0.0 => ./forks/y\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      go: '1.23',
      goRange: { start: { line: 1, column: 4, offset: 3 }, end: { line: 1, column: 8, offset: 7 } },
      toolchain: 'go1.26.8',
      use: ['./a', './b', './c d'],
      useRanges: [
        { start: { line: 4, column: 5, offset: 32 }, end: { line: 4, column: 8, offset: 35 } },
        { start: { line: 6, column: 2, offset: 43 }, end: { line: 6, column: 5, offset: 46 } },
        { start: { line: 7, column: 2, offset: 59 }, end: { line: 7, column: 9, offset: 66 } },
      ],
      replaces: [{ oldPath: 'x.org/y', oldVersion: 'v1.0.0', newPath: './forks/y', newVersion: undefined, isLocal: true }],
    });
  });

  it('rejects go.mod directives', () => {
    expect(parseGoWork('module x\n').ok).toBe(false);
  });
});

describe('parseVendorModules', () => {
  it('reads modules, annotations, replacements and packages', () => {
    const m = parseVendorModules(
      [
        '# example.com/a v1.0.0',
        '## explicit; go 1.21',
        'example.com/a',
        'example.com/a/sub',
        '# example.com/b v0.2.0 => ../b',
        '## explicit',
        'example.com/b',
        '# example.com/c => example.com/c2 v1.1.0',
        'example.com/c/x',
        '# example.com/unused v0.0.1',
        '',
      ].join('\n'),
    );
    expect(m.modules.map((x) => [x.path, x.version, x.explicit, x.goVersion, x.replacement])).toEqual([
      ['example.com/a', 'v1.0.0', true, '1.21', undefined],
      ['example.com/b', 'v0.2.0', true, undefined, { path: '../b', version: undefined }],
      ['example.com/c', undefined, false, undefined, { path: 'example.com/c2', version: 'v1.1.0' }],
      ['example.com/unused', 'v0.0.1', false, undefined, undefined],
    ]);
    expect(m.packageModule.get('example.com/a/sub')).toBe('example.com/a');
    expect(m.packageModule.get('example.com/c/x')).toBe('example.com/c');
  });
});

describe('versions', () => {
  it('orders Go versions as go does', () => {
    // [a, b, the sign of compareGoVersions(a, b)]
    const cases: [string, string, number][] = [
      ['1.14', '1.13.15', 1],
      ['1.22rc1', '1.22.0', -1],
      ['1.100.0', '1.99.9', 1],
      // From 1.21 on, "1.21" is the language version: below its release candidates and releases.
      ['1.21', '1.21rc1', -1],
      ['1.21', '1.21.0', -1],
      ['1.27', '1.26.8', 1],
      // Before, "1.20" was the release itself.
      ['1.20', '1.20.0', 0],
      ['1', '1.0.0', 0],
      ['1.21beta1', '1.21rc1', -1],
      ['go1.22.1', '1.22.1', 0],
      // Malformed versions sort below every version, and equal each other.
      ['1.x', '1.0', -1],
      ['01.2', 'junk', 0],
      ['1.21.3rc1', '1.0', -1],
    ];
    expect(cases.map(([a, b]) => [a, b, Math.sign(compareGoVersions(a, b))])).toEqual(cases);
  });

  it("takes a toolchain's GOVERSION for the version go compares with", () => {
    const cases: [string, string | undefined][] = [
      ['go1.26.8', '1.26.8'],
      ['go1.27rc1', '1.27rc1'],
      ['go1.26.8-bigcorp', '1.26.8'],
      ['go1.26.8 X:boringcrypto', '1.26.8'],
      ['devel go1.27-1a2b3c Mon Dec 7 2026', undefined],
      ['go1.26.8/x', undefined],
    ];
    expect(cases.map(([v]) => [v, toolchainGoVersion(v)])).toEqual(cases);
  });

  it("records where the go line's version is written", () => {
    const mod = parseGoMod('module example.com/m\n\ngo   1.26.8 // comment\n');
    expect(mod.ok && mod.value.goRange).toMatchObject({ start: { line: 3, column: 6 }, end: { line: 3, column: 12 } });
    const work = parseGoWork('use ./a\ngo 1.27\n');
    expect(work.ok && work.value.goRange).toMatchObject({ start: { line: 2, column: 4 }, end: { line: 2, column: 8 } });
  });

  it('orders semantic versions, pre-releases and pseudo-versions', () => {
    expect(compareSemver('v1.10.0', 'v1.9.9')).toBeGreaterThan(0);
    expect(compareSemver('v1.0.0-rc.1', 'v1.0.0')).toBeLessThan(0);
    expect(compareSemver('v0.0.0-20240102-abc', 'v0.0.0-20240101-abc')).toBeGreaterThan(0);
    expect(compareSemver('v2.0.0+incompatible', 'v2.0.0')).toBe(0);
  });

  it('recognises local paths', () => {
    expect(isLocalModPath('./x')).toBe(true);
    expect(isLocalModPath('../x')).toBe(true);
    expect(isLocalModPath('/x')).toBe(true);
    expect(isLocalModPath('example.com/x')).toBe(false);
  });
});

describe('ignoredByModule', () => {
  it("leaves out what go's ./... leaves out: ./x at the module root, x anywhere", () => {
    const ignores = ['./web', 'node_modules', 'gen/old'];
    expect(ignoredByModule(ignores, 'web')).toBe(true);
    expect(ignoredByModule(ignores, 'web/cmd/tool')).toBe(true);
    expect(ignoredByModule(ignores, 'website')).toBe(false);
    expect(ignoredByModule(ignores, 'svc/web')).toBe(false);
    expect(ignoredByModule(ignores, 'ui/node_modules/x')).toBe(true);
    expect(ignoredByModule(ignores, 'a/gen/old/cmd')).toBe(true);
    expect(ignoredByModule(ignores, 'a/gen/older')).toBe(false);
    expect(ignoredByModule(ignores, '')).toBe(false);
    expect(ignoredByModule([], 'web')).toBe(false);
  });
});

