/**
 * The acceptance test of the Go model: for every main package of each layout, gob's closure of
 * workspace packages and each package's files, imports and embeds must equal what
 * `go list -deps -json` reports — on several platforms, with cgo on and off, with and without
 * tests.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadModules } from './modules.js';
import {
  writeMonoModuleLayout,
  writeNestedPathsLayout,
  writeReplaceModulesLayout,
  writeVendorLayout,
  writeWorkspaceLayout,
  writeWorkspaceVendorLayout,
  type Layout,
} from './testing/generate-layouts.js';
import { compareWithGoList, type Platform } from './testing/golist.js';

const HOST_CGO: Platform = { name: 'linux/amd64 cgo', goos: 'linux', goarch: 'amd64', cgo: true };
const HOST_NOCGO: Platform = { name: 'linux/amd64', goos: 'linux', goarch: 'amd64', cgo: false };
const DARWIN_CGO: Platform = { name: 'darwin/arm64 cgo', goos: 'darwin', goarch: 'arm64', cgo: true };
const DARWIN_NOCGO: Platform = { name: 'darwin/arm64', goos: 'darwin', goarch: 'arm64', cgo: false };
const WINDOWS: Platform = { name: 'windows/amd64', goos: 'windows', goarch: 'amd64', cgo: false };
const BASE_PLATFORMS = [HOST_CGO, HOST_NOCGO, DARWIN_CGO, DARWIN_NOCGO, WINDOWS];
/** Extra configurations for the layout that exercises every selection rule. */
const RULE_PLATFORMS: Platform[] = [
  { name: 'linux/amd64 v3 +customtag', goos: 'linux', goarch: 'amd64', cgo: true, tags: ['customtag', 'purego'], env: { GOAMD64: 'v3' } },
  // ios/arm64 must link externally: without cgo its main packages are an error (graph.test.ts).
  { name: 'ios/arm64 cgo', goos: 'ios', goarch: 'arm64', cgo: true },
  { name: 'android/arm64', goos: 'android', goarch: 'arm64', cgo: false },
  { name: 'illumos/amd64', goos: 'illumos', goarch: 'amd64', cgo: false },
  { name: 'linux/arm64 v8.1', goos: 'linux', goarch: 'arm64', cgo: false, env: { GOARM64: 'v8.1' } },
  { name: 'linux/arm goarm6', goos: 'linux', goarch: 'arm', cgo: false, env: { GOARM: '6' } },
  { name: 'windows/amd64 boringcrypto', goos: 'windows', goarch: 'amd64', cgo: false, env: { GOEXPERIMENT: 'boringcrypto,nogreenteagc' } },
];

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function layoutDir(write: (root: string) => Promise<Layout>): Promise<{ root: string; layout: Layout }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gob-golist-'));
  tmpDirs.push(root);
  return { root, layout: await write(root) };
}

async function expectAgreement(root: string, layout: Layout, platforms: readonly Platform[], online = false): Promise<number> {
  let compared = 0;
  // Two cores: run the go list invocations of a layout two at a time.
  const jobs = platforms.flatMap((platform) => [false, true].map((includeTests) => ({ platform, includeTests })));
  const results = [];
  for (let i = 0; i < jobs.length; i += 2) {
    results.push(
      ...(await Promise.all(
        jobs.slice(i, i + 2).map((j) =>
          compareWithGoList({ root, roots: layout.roots, goListDirs: layout.goListDirs, goWork: layout.goWork, platform: j.platform, includeTests: j.includeTests, online }),
        ),
      )),
    );
  }
  expect(results.flatMap((r) => r.mismatches)).toEqual([]);
  for (const r of results) compared += r.packagesCompared;
  expect(compared).toBeGreaterThan(0);
  return compared;
}

describe('gob agrees with go list -deps', () => {
  it('(a) one module with many mains and internal libraries', async () => {
    const { root, layout } = await layoutDir((r) => writeMonoModuleLayout(r, { mains: 10, libs: 30 }));
    await expectAgreement(root, layout, [HOST_CGO, HOST_NOCGO, DARWIN_NOCGO, WINDOWS]);
  });

  it('(b) independent modules joined by replace directives', async () => {
    const { root, layout } = await layoutDir(writeReplaceModulesLayout);
    await expectAgreement(root, layout, BASE_PLATFORMS);
  });

  it('(c) a go.work workspace exercising every file selection rule', async () => {
    const { root, layout } = await layoutDir(writeWorkspaceLayout);
    await expectAgreement(root, layout, [...BASE_PLATFORMS, ...RULE_PLATFORMS]);
  });

  it('(d) a vendored module', async () => {
    const { root, layout } = await layoutDir(writeVendorLayout);
    await expectAgreement(root, layout, BASE_PLATFORMS);
  });

  it('(e) a vendored go.work workspace', async () => {
    const { root, layout } = await layoutDir(writeWorkspaceVendorLayout);
    await expectAgreement(root, layout, [HOST_NOCGO, WINDOWS]);
  });

  it('(f) module paths inside other modules\' paths: go takes the module whose directory has the package', async () => {
    const { root, layout } = await layoutDir(writeNestedPathsLayout);
    await expectAgreement(root, layout, [HOST_NOCGO]);
  });

  it('(g) the same, vendored: the main module first, then vendor/', async () => {
    const { root, layout } = await layoutDir((r) => writeNestedPathsLayout(r, { vendored: true }));
    await expectAgreement(root, layout, [HOST_NOCGO]);
  });
});

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../examples/monorepo');

/**
 * The example's go_binary targets (BUILD.yaml `package:`, default the BUILD.yaml's directory),
 * or undefined while the example has no Go workspace yet.
 */
async function exampleRoots(): Promise<Layout | undefined> {
  if (!existsSync(path.join(EXAMPLE, 'go.work')) && !existsSync(path.join(EXAMPLE, 'go.mod'))) return undefined;
  const roots: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(path.join(EXAMPLE, rel), { withFileTypes: true });
    if (entries.some((e) => e.name === 'BUILD.yaml')) {
      const doc = parseYaml(await readFile(path.join(EXAMPLE, rel, 'BUILD.yaml'), 'utf8')) as { targets?: Record<string, { kind?: string; package?: string }> } | null;
      for (const t of Object.values(doc?.targets ?? {})) {
        if (t.kind === 'go_binary') roots.push(path.posix.join(rel, t.package ?? '.').replace(/^\.$/, ''));
      }
    }
    for (const e of entries) {
      if (e.isDirectory() && !['vendor', 'testdata', 'node_modules', 'gob-out'].includes(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_')) {
        await walk(rel === '' ? e.name : `${rel}/${e.name}`);
      }
    }
  };
  await walk('');
  const modules = await loadModules(EXAMPLE, { goWork: 'auto' });
  if (!modules.ok) throw new Error(`example modules: ${JSON.stringify(modules.error)}`);
  const goListDirs = new Map<string, string>();
  for (const r of roots) goListDirs.set(r, modules.value.mode === 'workspace' ? '' : (modules.value.moduleForDir(r)?.dir ?? ''));
  return { roots: [...new Set(roots)].sort(), goListDirs, goWork: 'auto' };
}

describe('gob agrees with go list on examples/monorepo', () => {
  it('every main package with a BUILD.yaml, host and darwin/arm64, cgo on and off', async () => {
    const layout = await exampleRoots();
    if (layout === undefined || layout.roots.length === 0) {
      // The example is written by another part of the project; nothing to compare until it exists.
      expect(existsSync(path.join(EXAMPLE, 'go.work')) && layout !== undefined).toBe(false);
      return;
    }
    // The example requires a real external module: let go download it if the cache lacks it.
    await expectAgreement(EXAMPLE, layout, [HOST_CGO, HOST_NOCGO, DARWIN_NOCGO], true);
  });
});
