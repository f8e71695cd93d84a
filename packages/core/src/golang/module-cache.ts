/**
 * Where the module cache (GOMODCACHE) keeps a module, in the few lines a reused plan needs
 * without loading gob's Go model (see external.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Which files of the modules `ids` (`path@version`) the module cache holds: its go.mod copy in
 * cache/download and the module's directory, one pair of bits per module. A plan made while some
 * were missing records this, and is made again once they are there.
 */
export function moduleCacheState(moduleCache: string, ids: readonly string[]): string {
  return ids
    .map((id) => {
      const at = id.lastIndexOf('@');
      const [p, v] = [id.slice(0, at), id.slice(at + 1)];
      return `${fs.existsSync(cachedGoModFile(moduleCache, p, v)) ? 1 : 0}${fs.existsSync(moduleDir(moduleCache, p, v)) ? 1 : 0}`;
    })
    .join(' ');
}

/** The directory the module cache extracts `modulePath@version` into. */
export function moduleDir(moduleCache: string, modulePath: string, version: string): string {
  return path.join(moduleCache, `${escapeModulePath(modulePath)}@${escapeModulePath(version)}`);
}

/** The copy of the module's go.mod that go keeps as soon as it loads the module graph, before (or without) downloading the module. */
export function cachedGoModFile(moduleCache: string, modulePath: string, version: string): string {
  return path.join(moduleCache, 'cache', 'download', escapeModulePath(modulePath), '@v', `${escapeModulePath(version)}.mod`);
}

/** The module cache's spelling of a module path or version: each upper-case letter as `!` and its lower case. */
export function escapeModulePath(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
