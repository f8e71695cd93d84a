import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GO_HEADER_DERIVE, goIOFromHasher, loadModules } from '../golang/index.js';
import { FileHasher } from '../hashing/index.js';
import { resolvePatterns } from '../labels/index.js';
import type { Platform } from '../types.js';
import { loadWorkspace } from '../workspace/index.js';
import { planBuild } from './plan.js';

/**
 * Changes one input at a time on a copy of the example monorepo and checks that the action key
 * of //services/payment changes exactly when an input that can change the binary changes.
 */

const EXAMPLE = fileURLToPath(new URL('../../../../examples/monorepo', import.meta.url));
const PAYMENT = '//services/payment:payment';
let fakeGoDir: string;

interface KeyOptions {
  readonly label?: string;
  readonly goBin?: string;
  readonly platforms?: Platform[];
  readonly profile?: string;
}

async function keyOf(root: string, opts: KeyOptions = {}): Promise<string> {
  const ws = await loadWorkspace({ cwd: root });
  if (!ws.ok) throw new Error(JSON.stringify(ws.error));
  const targets = resolvePatterns(ws.value, [opts.label ?? PAYMENT], '');
  if (!targets.ok) throw new Error(JSON.stringify(targets.error));
  const hasher = new FileHasher({ root, derive: GO_HEADER_DERIVE });
  const plan = await planBuild({
    workspace: ws.value,
    targets: targets.value,
    profile: opts.profile ?? 'default',
    platforms: opts.platforms,
    modules: (mode) => loadModules(root, mode),
    hasher,
    goIO: goIOFromHasher(root, hasher),
    env: process.env,
    goBin: opts.goBin,
  });
  if (!plan.ok) throw new Error(JSON.stringify(plan.error));
  const action = plan.value.actions[0];
  if (action === undefined) throw new Error('no action planned');
  return action.key;
}

async function copyExample(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-key-'));
  await fs.cp(EXAMPLE, dir, { recursive: true, filter: (p) => !p.includes(`${path.sep}gob-out`) });
  return dir;
}

const append = (text: string) => async (root: string, rel: string) => {
  await fs.appendFile(path.join(root, rel), text);
};

/** Adds a line under the payment go_binary target (which is not the file's last target). */
const paymentField = (line: string) => async (root: string) => {
  const f = path.join(root, 'services/payment/BUILD.yaml');
  await fs.writeFile(f, (await fs.readFile(f, 'utf8')).replace('kind: go_binary\n', `kind: go_binary\n    ${line}\n`));
};

const noChange = (): Promise<void> => Promise.resolve();

let baseline: string;
beforeAll(async () => {
  const root = await copyExample();
  baseline = await keyOf(root);
  // A go that reports another version but is otherwise the real one.
  fakeGoDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-fakego-'));
  const realGo = (await import('node:child_process')).execFileSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).trim();
  await fs.writeFile(
    path.join(fakeGoDir, 'go'),
    `#!/bin/sh\nif [ "$1" = env ]; then "${realGo}" "$@" | sed 's/"GOVERSION": "go[0-9.]*"/"GOVERSION": "go1.99.0"/'; else exec "${realGo}" "$@"; fi\n`,
    { mode: 0o755 },
  );
  await fs.rm(root, { recursive: true });
});
afterAll(async () => {
  await fs.rm(fakeGoDir, { recursive: true, force: true });
});

async function keyAfter(change: (root: string) => Promise<void>, opts: KeyOptions = {}): Promise<string> {
  const root = await copyExample();
  try {
    await change(root);
    return await keyOf(root, opts);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

describe('action key', () => {
  it('is deterministic across checkouts at different paths', async () => {
    expect(await keyAfter(noChange)).toBe(baseline);
  });

  const changes: [string, (root: string) => Promise<void>][] = [
    ['a source file of the service', (r) => append('\n// edit\n')(r, 'services/payment/main.go')],
    ['a file of a transitively imported library (httpx → logx)', (r) => append('\n// edit\n')(r, 'libs/logx/logx.go')],
    ['an embedded file', (r) => append('extra line\n')(r, 'services/payment/templates/receipt.txt')],
    ['go.sum', (r) => append('example.com/x v1.0.0 h1:AAAA=\n')(r, 'libs/go.sum')],
    ['go.mod', (r) => append('\n// edit\n')(r, 'services/go.mod')],
    ['go.work', (r) => append('\n// edit\n')(r, 'go.work')],
    ['an env var in gob.yaml', (r) => fs.writeFile(path.join(r, 'gob.yaml'), 'version: 1\ngo:\n  env: { CGO_ENABLED: "0", GODEBUG: "x=1" }\n')],
    ['a tag', paymentField('tags: [netgo]')],
    ['ldflags', paymentField('ldflags: ["-s"]')],
    ['the target env', paymentField('env: { GOGC: "50" }')],
    ['a default.pgo in the main package directory (go builds with it)', (r) => fs.writeFile(path.join(r, 'services/payment/default.pgo'), 'profile')],
  ];
  for (const [what, change] of changes) {
    it(`changes with ${what}`, async () => {
      expect(await keyAfter(change)).not.toBe(baseline);
    });
  }

  it('changes with the toolchain version', async () => {
    expect(await keyAfter(noChange, { goBin: path.join(fakeGoDir, 'go') })).not.toBe(baseline);
  });

  it('changes with the platform', async () => {
    const arm = await keyAfter(noChange, { platforms: [{ goos: 'linux', goarch: 'arm64' }] });
    expect(arm).not.toBe(baseline);
    const darwin = await keyAfter(noChange, { platforms: [{ goos: 'darwin', goarch: 'arm64' }] });
    expect(darwin).not.toBe(arm);
  });

  it('with cgo on, changes with the C flags even for a binary with no cgo files of its own', async () => {
    const gobYaml = (cflags: string) => (r: string) =>
      fs.writeFile(path.join(r, 'gob.yaml'), `version: 1\ngo:\n  env: { CGO_ENABLED: "1", CGO_CFLAGS: "${cflags}" }\n`);
    expect(await keyAfter(gobYaml('-O2 -g'))).not.toBe(await keyAfter(gobYaml('-O0 -g')));
  });

  it('follows GOFLAGS -pgo: the contents of -pgo=FILE are in the key, default.pgo is not with -pgo=off', async () => {
    const goflags = (flags: string, files: Record<string, string>) => async (r: string) => {
      await fs.writeFile(path.join(r, 'gob.yaml'), `version: 1\ngo:\n  env: { GOFLAGS: "${flags}" }\n`);
      for (const [f, text] of Object.entries(files)) {
        await fs.mkdir(path.dirname(path.join(r, f)), { recursive: true });
        await fs.writeFile(path.join(r, f), text);
      }
    };
    const named = (text: string) => goflags('-pgo=profiles/cpu.pprof', { 'profiles/cpu.pprof': text });
    expect(await keyAfter(named('one'))).not.toBe(await keyAfter(named('two')));
    const off = await keyAfter(goflags('-pgo=off', {}));
    expect(await keyAfter(goflags('-pgo=off', { 'services/payment/default.pgo': 'profile' }))).toBe(off);
  });

  it("selects files with GOFLAGS' -tags and -race, as go does: a file only they select is an input", async () => {
    // The example's libs/money/legacy_ignore.go is excluded by `//go:build ignore`; a tag selects this one.
    const gated = (text: string, goflags: string) => async (r: string) => {
      await fs.writeFile(path.join(r, 'gob.yaml'), `version: 1\ngo:\n  env: { GOFLAGS: "${goflags}" }\n`);
      await fs.writeFile(path.join(r, 'libs/money/gated.go'), `//go:build prod || race\n\npackage money\n\n// ${text}\n`);
    };
    expect(await keyAfter(gated('one', '-tags=prod'))).not.toBe(await keyAfter(gated('two', '-tags=prod')));
    expect(await keyAfter(gated('one', '-race'))).not.toBe(await keyAfter(gated('two', '-race')));
    // Without the tag the file is not selected, and its contents do not matter.
    expect(await keyAfter(gated('one', '-trimpath'))).toBe(await keyAfter(gated('two', '-trimpath')));
  });

  it('changes with the profile', async () => {
    expect(await keyAfter(noChange, { profile: 'release' })).not.toBe(baseline);
  });

  const nonChanges: [string, (root: string) => Promise<void>][] = [
    ['a file excluded by build constraints', (r) => append('\n// edit\n')(r, 'libs/money/legacy_ignore.go')],
    ['an unrelated service', (r) => append('\n// edit\n')(r, 'services/notify/main.go')],
    ['a _test.go file of the service', (r) => append('\n// edit\n')(r, 'services/payment/handlers_test.go')],
    ['a README', (r) => fs.writeFile(path.join(r, 'services/payment/README.md'), '# payment\n')],
    ['a default.pgo in a library directory (go ignores it)', (r) => fs.writeFile(path.join(r, 'libs/money/default.pgo'), 'profile')],
    ['a testdata file', (r) => fs.writeFile(path.join(r, 'libs/money/testdata/new.txt'), 'x\n')],
    ['the user\'s shell environment', () => {
      process.env.GOB_KEY_TEST_NOISE = '1';
      return Promise.resolve();
    }],
    ['a file\'s mtime alone', async (r) => { const f = path.join(r, 'services/payment/main.go'); const t = new Date(Date.now() + 60_000); await fs.utimes(f, t, t); }],
    ['an x_def with a stamp placeholder (unstamped build)', async (r) => {
      const f = path.join(r, 'services/payment/BUILD.yaml');
      await fs.writeFile(f, (await fs.readFile(f, 'utf8')).replace('{GIT_COMMIT}', '{BUILD_USER}'));
    }],
  ];
  for (const [what, change] of nonChanges) {
    it(`does not change with ${what}`, async () => {
      expect(await keyAfter(change)).toBe(baseline);
    });
  }

  it('a file selected only for another OS changes that OS\'s key, not this one\'s', async () => {
    const label = '//services/inventory:inventory';
    const darwin: Platform[] = [{ goos: 'darwin', goarch: 'arm64' }];
    const [linuxBefore, darwinBefore] = [await keyAfter(noChange, { label }), await keyAfter(noChange, { label, platforms: darwin })];
    const edit = append('\n// edit\n');
    expect(await keyAfter((r) => edit(r, 'libs/platform/proc_other.go'), { label })).toBe(linuxBefore);
    expect(await keyAfter((r) => edit(r, 'libs/platform/proc_other.go'), { label, platforms: darwin })).not.toBe(darwinBefore);
    expect(await keyAfter((r) => edit(r, 'libs/platform/proc_linux.go'), { label })).not.toBe(linuxBefore);
  });
});
