import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forgetExternalMemos, moduleCacheSource } from './external.js';
import type { BuildContext } from './scanner.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

const ctx: BuildContext = { goos: 'linux', goarch: 'amd64', cgoEnabled: false, compiler: 'gc', goVersion: 'go1.26.8', experiments: [], tags: [] };

/** A module cache holding example.com/Ext@v1.0.0, which requires and imports the local example.com/lib. */
async function moduleCache(): Promise<string> {
  const cache = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-modcache-'));
  dirs.push(cache);
  const goMod = 'module example.com/Ext\n\ngo 1.26\n\nrequire example.com/lib v1.0.0\n';
  const dir = path.join(cache, 'example.com/!ext@v1.0.0/sub');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(cache, 'example.com/!ext@v1.0.0/go.mod'), goMod);
  await fs.writeFile(path.join(dir, 'sub.go'), 'package sub\n\nimport (\n\t"fmt"\n\n\t"example.com/lib/only"\n)\n\nvar _ = fmt.Sprint(only.X)\n');
  await fs.writeFile(path.join(dir, 'sub_test.go'), 'package sub\n\nimport "example.com/lib/testonly"\n');
  await fs.mkdir(path.join(cache, 'cache/download/example.com/!ext/@v'), { recursive: true });
  await fs.writeFile(path.join(cache, 'cache/download/example.com/!ext/@v/v1.0.0.mod'), goMod);
  return cache;
}

describe('reading external modules in the module cache', () => {
  it('reads what a module that requires a local one imports, and remembers it for later processes', async () => {
    const cache = await moduleCache();
    const memoDir = path.join(cache, 'gob-memo');
    const local = new Set(['example.com/lib']);
    forgetExternalMemos();
    const first = moduleCacheSource(cache, local, memoDir);
    expect(first.mayImportLocal('example.com/Ext', 'v1.0.0')).toBe(true);
    expect(first.mayImportLocal('example.com/Ext', 'v1.0.0')).toBe(true);
    // Test files are not read: only what the package itself imports.
    expect(first.importsOf('example.com/Ext/sub', 'example.com/Ext', 'example.com/Ext', 'v1.0.0', ctx)).toEqual(['example.com/lib/only', 'fmt']);
    expect([...first.unread]).toEqual([]);
    await first.save();

    // A new process, and the module gone from the module cache: the answers come from gob's cache.
    forgetExternalMemos();
    await fs.rm(path.join(cache, 'example.com'), { recursive: true });
    await fs.rm(path.join(cache, 'cache'), { recursive: true });
    const later = moduleCacheSource(cache, local, memoDir);
    expect(later.mayImportLocal('example.com/Ext', 'v1.0.0')).toBe(true);
    expect(later.importsOf('example.com/Ext/sub', 'example.com/Ext', 'example.com/Ext', 'v1.0.0', ctx)).toEqual(['example.com/lib/only', 'fmt']);
    expect([...later.unread]).toEqual([]);

    // Without them, the module is one it could not read.
    forgetExternalMemos();
    const none = moduleCacheSource(cache, local);
    expect(none.mayImportLocal('example.com/Ext', 'v1.0.0')).toBeUndefined();
    expect([...none.unread]).toEqual(['example.com/Ext@v1.0.0']);
  });

  it('a recent go.mod that names no local module is not followed; one without a go line is', async () => {
    const cache = await moduleCache();
    forgetExternalMemos();
    expect(moduleCacheSource(cache, new Set(['example.com/other'])).mayImportLocal('example.com/Ext', 'v1.0.0')).toBe(false);
    await fs.writeFile(path.join(cache, 'cache/download/example.com/!ext/@v/v1.0.0.mod'), 'module example.com/Ext\n');
    forgetExternalMemos();
    expect(moduleCacheSource(cache, new Set(['example.com/other'])).mayImportLocal('example.com/Ext', 'v1.0.0')).toBe(true);
  });

  it('an answer that went through a go.mod not yet downloaded is not kept, even inside a requirement cycle', async () => {
    const cache = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-modcache-'));
    dirs.push(cache);
    const goMod = async (mod: string, text: string): Promise<void> => {
      const dir = path.join(cache, 'cache/download/example.com', mod, '@v');
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'v1.0.0.mod'), text);
    };
    // Modules from before go 1.17 list only what they import directly: p requires a and b, a
    // requires p back, and b (not downloaded yet) requires the local example.com/lib.
    await goMod('p', 'module example.com/p\n\ngo 1.16\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.0.0\n)\n');
    await goMod('a', 'module example.com/a\n\ngo 1.16\n\nrequire example.com/p v1.0.0\n');
    forgetExternalMemos();
    const source = moduleCacheSource(cache, new Set(['example.com/lib']));
    expect(source.mayImportLocal('example.com/p', 'v1.0.0')).toBeUndefined();
    expect([...source.unread]).toEqual(['example.com/b@v1.0.0']);
    // a looked like it could not reach lib only because p's answer was still open: that is no answer.
    expect(source.mayImportLocal('example.com/a', 'v1.0.0')).toBeUndefined();
    await goMod('b', 'module example.com/b\n\ngo 1.16\n\nrequire example.com/lib v1.0.0\n');
    const later = moduleCacheSource(cache, new Set(['example.com/lib']));
    expect(later.mayImportLocal('example.com/a', 'v1.0.0')).toBe(true);
    expect(later.mayImportLocal('example.com/p', 'v1.0.0')).toBe(true);
  });

  it('answers for the local modules of the build asking: a module the workspace holds but this main module takes as a published version is not local', async () => {
    const cache = await moduleCache();
    forgetExternalMemos();
    const source = moduleCacheSource(cache, new Set(['example.com/lib', 'example.com/other']));
    // Asked first for a build to which only example.com/other is local, then for one to which both are.
    expect(source.mayImportLocal('example.com/Ext', 'v1.0.0', new Set(['example.com/other']))).toBe(false);
    expect(source.mayImportLocal('example.com/Ext', 'v1.0.0')).toBe(true);
    expect(source.mayImportLocal('example.com/Ext', 'v1.0.0', new Set(['example.com/lib']))).toBe(true);
    expect(source.mayImportLocal('example.com/Ext', 'v1.0.0', new Set(['example.com/other']))).toBe(false);
  });
});
