import { describe, expect, it } from 'vitest';
import { isBadEmbedName, pathMatch, resolveEmbedPatterns, validEmbedPattern } from './embed.js';
import { memoryGoIO, type MemoryNode } from './testing/memory-io.js';

describe('pathMatch (Go path.Match)', () => {
  it.each([
    ['abc', 'abc', 'match'],
    ['*', 'abc', 'match'],
    ['*c', 'abc', 'match'],
    ['a*', 'a', 'match'],
    ['a*', 'ab/c', 'no-match'],
    ['a*/b', 'abc/b', 'match'],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', 'match'],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', 'match'],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', 'no-match'],
    ['a*b?c*x', 'abxbbxdbxebxczzx', 'match'],
    ['a*b?c*x', 'abxbbxdbxebxczzy', 'no-match'],
    ['ab[c]', 'abc', 'match'],
    ['ab[b-d]', 'abc', 'match'],
    ['ab[e-g]', 'abc', 'no-match'],
    ['ab[^c]', 'abc', 'no-match'],
    ['ab[^b-d]', 'abc', 'no-match'],
    ['ab[^e-g]', 'abc', 'match'],
    ['a\\*b', 'a*b', 'match'],
    ['a\\*b', 'ab', 'no-match'],
    ['a?b', 'a☺b', 'match'],
    ['a[^a]b', 'a☺b', 'match'],
    ['a???b', 'a☺b', 'no-match'],
    ['[a-ζ]*', 'α', 'match'],
    ['*[a-ζ]', 'A', 'no-match'],
    ['a?b', 'a/b', 'no-match'],
    ['a*b', 'a/b', 'no-match'],
    ['[\\]a]', ']', 'match'],
    ['[\\-]', '-', 'match'],
    ['[x\\-]', 'z', 'no-match'],
    ['[\\-x]', 'a', 'no-match'],
    ['[]a]', ']', 'bad-pattern'],
    ['[-]', '-', 'bad-pattern'],
    ['[x-]', 'x', 'bad-pattern'],
    ['[a-b-c]', 'a', 'bad-pattern'],
    ['[', 'a', 'bad-pattern'],
    ['[^', 'a', 'bad-pattern'],
    ['[^bc', 'a', 'bad-pattern'],
    ['a[', 'a', 'bad-pattern'],
    ['a[', 'ab', 'bad-pattern'],
    ['a[', 'x', 'bad-pattern'],
    ['a/b[', 'x', 'bad-pattern'],
    ['*x', 'xxx', 'match'],
    ['\\', 'a', 'bad-pattern'],
  ])('%j vs %j → %s', (pattern, name, want) => {
    expect(pathMatch(pattern, name)).toBe(want);
  });
});

describe('embed pattern validity', () => {
  it.each([
    ['a.txt', true],
    ['dir/*.txt', true],
    ['.', false],
    ['', false],
    ['/abs', false],
    ['a/', false],
    ['a//b', false],
    ['../x', false],
    ['a/./b', false],
  ])('%j → %s', (p, ok) => {
    expect(validEmbedPattern(p)).toBe(ok);
  });

  it('knows names that cannot be embedded', () => {
    for (const bad of ['.git', '.hg', '.svn', '.bzr', 'CON', 'com1.txt', 'a.', 'a"b', 'a*b', 'a:b', '..']) expect(isBadEmbedName(bad), bad).toBe(true);
    for (const good of ['.env', '_x', 'a b.txt', 'élan.txt', 'a+b=c@d.txt', 'CVS', 'console.txt']) expect(isBadEmbedName(good), good).toBe(false);
  });
});

const TREE: Record<string, MemoryNode> = {
  'p/p.go': 'package p',
  'p/static/index.html': 'x',
  'p/static/_partial.html': 'x',
  'p/static/.env': 'x',
  'p/static/sub/a.css': 'x',
  'p/static/.hidden/b.css': 'x',
  'p/static/_under/c.css': 'x',
  'p/static/nested/go.mod': 'module n',
  'p/static/nested/n.txt': 'x',
  'p/static/.git/HEAD': 'x',
  'p/static/link.txt': { symlink: 'file' },
  'p/static/fifo': { irregular: true },
  'p/empty/_only.txt': 'x',
  'p/files/a.json': 'x',
  'p/files/b.json': 'x',
  'p/files/name with space.txt': 'x',
  'p/files/.dot.json': 'x',
  'p/leaf-link.txt': { symlink: 'file' },
  'p/dirlink': { symlink: 'dir' },
  'p/dirlink/in.txt': 'x',
  'p/other/go.mod': 'module o',
  'p/other/o.txt': 'x',
  'p/CON.txt': 'x',
  'p/weird/CON.txt': 'x',
};

async function resolve(patterns: string[]) {
  return resolveEmbedPatterns('p', patterns, memoryGoIO(TREE));
}

describe('resolveEmbedPatterns', () => {
  it('walks directories, skipping hidden names, other modules, symlinks and irregular files', async () => {
    const r = await resolve(['static']);
    expect(r.ok && r.value.files).toEqual(['static/index.html', 'static/sub/a.css']);
    expect(r.ok && r.value.paths).toEqual(['p/static/index.html', 'p/static/sub/a.css']);
  });

  it('keeps hidden names under all:, but never .git', async () => {
    const r = await resolve(['all:static']);
    expect(r.ok && r.value.files).toEqual([
      'static/.env',
      'static/.hidden/b.css',
      'static/_partial.html',
      'static/_under/c.css',
      'static/index.html',
      'static/sub/a.css',
    ]);
  });

  it('matches hidden files with explicit globs and merges patterns', async () => {
    const r = await resolve(['files/*.json', 'files/a.json', 'files/name with space.txt']);
    expect(r.ok && r.value.files).toEqual(['files/.dot.json', 'files/a.json', 'files/b.json', 'files/name with space.txt']);
    expect(r.ok && r.value.byPattern.get('files/a.json')).toEqual(['files/a.json']);
  });

  it.each([
    [['nothing*.txt'], 'pattern nothing*.txt: no matching files found'],
    [['../x'], 'pattern ../x: invalid pattern syntax'],
    [['a['], 'pattern a[: invalid pattern syntax'],
    [['empty'], 'pattern empty: cannot embed directory empty: contains no embeddable files'],
    [['leaf-link.txt'], 'pattern leaf-link.txt: cannot embed irregular file leaf-link.txt'],
    [['static/fifo'], 'pattern static/fifo: cannot embed irregular file static/fifo'],
    [['other'], 'pattern other: cannot embed directory other: in different module'],
    [['other/o.txt'], 'pattern other/o.txt: cannot embed file other/o.txt: in different module'],
    [['dirlink/in.txt'], 'pattern dirlink/in.txt: cannot embed file dirlink/in.txt: in non-directory dirlink'],
    [['static/.git/HEAD'], 'pattern static/.git/HEAD: cannot embed file static/.git/HEAD: in invalid directory .git'],
    [['CON.txt'], 'pattern CON.txt: cannot embed file CON.txt: invalid name CON.txt'],
    [['weird'], 'pattern weird: cannot embed file weird/CON.txt: invalid name CON.txt'],
  ])('rejects %j', async (patterns, message) => {
    const r = await resolve(patterns);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });
});
