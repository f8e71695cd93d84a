import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromWorkspacePath, isIgnoredName, toWorkspacePath } from './fs-paths.js';

describe('fromWorkspacePath', () => {
  const roots = ['/w', '/w/', '/', '/a/b/../c', '/a//b', '/a/./b', 'rel/root', './x', '..'];
  const rels = ['a.go', 'a/b/c.go', 'a/.hidden/b', 'a/..b/c', 'a/b.', '..x', 'a/./b', 'a/../b', './a', '../a', 'a//b', 'a/', '/a', '.', '..', 'a/..', 'a\\b'];

  it('gives what path.join gives, on every root and path, clean or not', () => {
    for (const root of roots) {
      for (const rel of rels) {
        expect(fromWorkspacePath(root, rel), `${root} + ${rel}`).toBe(path.join(root, ...rel.split('/')));
      }
    }
  });

  it('gives the root for the empty path, and round-trips with toWorkspacePath', () => {
    expect(fromWorkspacePath('/w/x', '')).toBe('/w/x');
    for (const rel of ['a.go', 'a/b/c.go', 'services/payment/main.go']) {
      expect(toWorkspacePath('/w/x', fromWorkspacePath('/w/x', rel))).toBe(rel);
    }
  });
});

describe('isIgnoredName', () => {
  it("takes editors' swap, lock, backup and autosave files, and hidden directories; nothing go could build from", () => {
    for (const p of ['.main.go.swp', 'a/.#main.go', 'a/b/.idea', 'main.go~', 'a/#main.go#', 'a/.hidden.go']) expect(isIgnoredName(p), p).toBe(true);
    for (const p of ['main.go', 'a/#main.go', 'a/main#.go', 'a/#', 'a/~main.go', 'a.b/c.go', 'a/#x#/main.go', 'a~/main.go']) expect(isIgnoredName(p), p).toBe(false);
    // A directory is ignored only for its leading dot: `lib~` could be a package.
    expect(isIgnoredName('a/lib~', true)).toBe(false);
    expect(isIgnoredName('a/#x#', true)).toBe(false);
    expect(isIgnoredName('a/.git', true)).toBe(true);
  });
});
