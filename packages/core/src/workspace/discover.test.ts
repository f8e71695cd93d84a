import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fg from 'fast-glob';
import { afterEach, describe, expect, it } from 'vitest';
import { ALWAYS_SKIPPED_DIRS, BUILD_FILE_NAME, discoverBuildFiles } from './discover.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = fs.mkdtempSync(path.join(tmpdir(), 'gob-discover-'));
  roots.push(root);
  return root;
}

/**
 * The search as gob made it with fast-glob before it had its own loop: the reference its
 * results must equal, whatever the tree and the ignore globs.
 */
function fastGlobSearch(root: string, ignore: readonly string[]): string[] {
  const patterns = ignore.flatMap((glob) => {
    const p = glob.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (p === '') return [];
    return p.endsWith('/**') || p === '**' ? [p] : [p, `${p}/**`];
  });
  return fg
    .sync(`**/${BUILD_FILE_NAME}`, {
      cwd: root,
      dot: false,
      onlyFiles: true,
      followSymbolicLinks: false,
      caseSensitiveMatch: true,
      ignore: [...ALWAYS_SKIPPED_DIRS.map((d) => `**/${d}/**`), ...patterns],
    })
    .sort();
}

async function search(root: string, ignore: readonly string[]): Promise<string[]> {
  const r = await discoverBuildFiles(root, ignore);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A small deterministic generator (mulberry32), so that a failure can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'svc', 'lib', 'gen', 'x.tmp', 'third_party', 'experiments', 'generated', 'vendor', 'testdata', '.hidden', '.git', 'node_modules', 'gob-out', '_old', 'Lib', 'tools', 'old'];
const IGNORES = ['third_party/**', 'experiments', '/tools/old', '**/generated/**', '*.tmp', 'svc/*', './lib/', 'a/**/gen', '{a,b}/svc', '**/Lib', 'x.tmp/**', '_*', '**', 'nothing-here', 'a/b/', 'lib/a'];

/** Writes a random tree under `root`: directories, BUILD.yaml files, look-alikes and symbolic links. */
function randomTree(root: string, rnd: () => number): void {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const dirs = [''];
  for (let i = 0; i < 40; i++) {
    const parent = pick(dirs);
    const dir = parent === '' ? pick(NAMES) : `${parent}/${pick(NAMES)}`;
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    dirs.push(dir);
  }
  for (const dir of new Set(dirs)) {
    const abs = path.join(root, dir);
    if (rnd() < 0.6) fs.writeFileSync(path.join(abs, BUILD_FILE_NAME), 'targets: {}\n');
    if (rnd() < 0.1) fs.writeFileSync(path.join(abs, 'build.yaml'), '');
    if (rnd() < 0.1) fs.writeFileSync(path.join(abs, 'main.go'), 'package main\n');
    if (rnd() < 0.1 && !fs.existsSync(path.join(abs, 'BUILD.yaml'))) fs.mkdirSync(path.join(abs, 'BUILD.yaml'));
  }
  // Links are never followed: one to a directory with a BUILD.yaml, one named BUILD.yaml.
  const target = pick(dirs);
  fs.symlinkSync(path.join(root, target), path.join(root, pick(dirs), `link-${dirs.length}`));
  const linkDir = pick(dirs);
  if (!fs.existsSync(path.join(root, linkDir, BUILD_FILE_NAME))) {
    fs.symlinkSync(path.join(root, target, BUILD_FILE_NAME), path.join(root, linkDir, BUILD_FILE_NAME));
  }
}

describe('discoverBuildFiles', () => {
  it('finds what the fast-glob search found, over random trees and ignore globs', async () => {
    let compared = 0;
    let nonEmpty = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = random(seed);
      const root = tempRoot();
      randomTree(root, rnd);
      const ignoreSets: string[][] = [[], ...Array.from({ length: 4 }, () => IGNORES.filter(() => rnd() < 0.2))];
      for (const ignore of ignoreSets) {
        const want = fastGlobSearch(root, ignore);
        expect({ seed, ignore, found: await search(root, ignore) }).toEqual({ seed, ignore, found: want });
        compared++;
        if (want.length > 0) nonEmpty++;
      }
    }
    expect(compared).toBe(150);
    // The comparison means something only if most searches find files.
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it('skips dot directories, the usual directories, ignored ones and links, and sorts', async () => {
    const root = tempRoot();
    const files = ['BUILD.yaml', 'b/BUILD.yaml', 'a/BUILD.yaml', 'a/b/BUILD.yaml', '.x/BUILD.yaml', 'a/vendor/BUILD.yaml', 'gob-out/BUILD.yaml', 'skip/me/BUILD.yaml', 'real/BUILD.yaml'];
    for (const f of files) {
      fs.mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), '');
    }
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    expect(await search(root, ['skip'])).toEqual(['BUILD.yaml', 'a/BUILD.yaml', 'a/b/BUILD.yaml', 'b/BUILD.yaml', 'real/BUILD.yaml']);
  });

  it('lists each directory it searches through the file system it is given, once, and no ignored one', async () => {
    const root = tempRoot();
    for (const d of ['a/b', 'c', 'd/e', 'vendor/x', '.git/y']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, 'a/b/BUILD.yaml'), '');
    const listed: string[] = [];
    const r = await discoverBuildFiles(root, ['d'], {
      readdirSync(dir, opts) {
        listed.push(path.relative(root, dir));
        return fs.readdirSync(dir, opts);
      },
    });
    expect(r).toEqual({ ok: true, value: ['a/b/BUILD.yaml'] });
    expect(listed.sort()).toEqual(['', 'a', 'a/b', 'c']);
  });

  it('answers an ignore glob it cannot compile with a diagnostic, not an exception', async () => {
    const r = await discoverBuildFiles(tempRoot(), ['a'.repeat(70_000)]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^cannot search .* for BUILD\.yaml files: .*exceeds maximum allowed length/);
  });

  it('reports a directory it cannot list, and passes over one removed while it searched', async () => {
    const root = tempRoot();
    fs.mkdirSync(path.join(root, 'gone'));
    fs.mkdirSync(path.join(root, 'locked'));
    const failing = (code: string) => ({
      readdirSync(dir: string, opts: { withFileTypes: true }) {
        if (dir.endsWith(`${path.sep}gone`) || dir.endsWith(`${path.sep}locked`)) {
          throw Object.assign(new Error(`${code}: scandir '${dir}'`), { code });
        }
        return fs.readdirSync(dir, opts);
      },
    });
    expect(await discoverBuildFiles(root, [], failing('ENOENT'))).toEqual({ ok: true, value: [] });
    const r = await discoverBuildFiles(root, [], failing('EACCES'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('read-error');
      expect(r.error.message).toContain(`cannot search ${root} for BUILD.yaml files: EACCES`);
    }
  });
});
