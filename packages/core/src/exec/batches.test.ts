import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../actions/plan.js';
import type { ActionKey, Label } from '../types.js';
import { binaryName, groupIntoBatches } from './batches.js';

/** A planned action with only what batching looks at filled in meaningfully. */
function action(importPath: string, over: { cwd?: string; flags?: string[]; env?: Record<string, string>; id?: string; localPackages?: number } = {}): PlannedAction {
  const env = over.env ?? { GOOS: 'linux', GOARCH: 'amd64', PATH: '/bin' };
  const id = over.id ?? `//${importPath}@linux/amd64`;
  return {
    id,
    label: `//${importPath}:x` as Label,
    platform: { goos: env.GOOS ?? 'linux', goarch: env.GOARCH ?? 'amd64' },
    key: 'k' as ActionKey,
    manifest: {} as PlannedAction['manifest'],
    go: {
      bin: 'go',
      flags: over.flags ?? ['-trimpath'],
      cwd: over.cwd ?? '/ws',
      packageArg: `./${importPath}`,
      importPath: `example.com/${importPath}`,
      env,
      setEnv: {},
      cIncludePackages: [],
    },
    outName: 'x',
    output: 'gob-out/bin/x',
    depLabels: [],
    deps: [],
    packages: new Map([[`example.com/${importPath}`, importPath], ...Array.from({ length: (over.localPackages ?? 1) - 1 }, (_, i): [string, string] => [`example.com/lib${String(i)}`, `lib${String(i)}`])]),
    packageManifests: [],
  };
}

const ids = (batches: ReturnType<typeof groupIntoBatches>) => batches.map((b) => b.actions.map((a) => a.go.importPath));

describe('groupIntoBatches', () => {
  it('puts actions that go would run alike into one batch', () => {
    const batches = groupIntoBatches([action('svc/a'), action('svc/b'), action('tools/c')], { batching: true });
    expect(ids(batches)).toEqual([['example.com/svc/a', 'example.com/svc/b', 'example.com/tools/c']]);
  });

  it('separates actions whose flags, environment, working directory or go binary differ', () => {
    const batches = groupIntoBatches(
      [
        action('a'),
        action('b', { flags: ['-trimpath', '-tags=netgo'] }),
        action('c', { env: { GOOS: 'linux', GOARCH: 'arm64', PATH: '/bin' } }),
        action('d', { cwd: '/ws/other-module' }),
        action('e'),
      ],
      { batching: true },
    );
    expect(ids(batches)).toEqual([['example.com/a', 'example.com/e'], ['example.com/b'], ['example.com/c'], ['example.com/d']]);
  });

  it('never puts two packages with the same binary name into one batch', () => {
    const batches = groupIntoBatches([action('a/cmd/server'), action('b/cmd/server'), action('c/cmd/worker'), action('c/cmd/server')], { batching: true });
    expect(ids(batches)).toEqual([
      ['example.com/a/cmd/server', 'example.com/c/cmd/worker'],
      ['example.com/b/cmd/server'],
      ['example.com/c/cmd/server'],
    ]);
  });

  it('keeps the package with the most workspace packages in the first batch when binary names collide', () => {
    // traefik: a one-file generator at the root and the server in cmd/traefik are both `traefik`.
    const batches = groupIntoBatches(
      [
        action('traefik'),
        action('cmd/gen'),
        action('x/cmd/traefik', { localPackages: 140 }),
        action('y/traefik', { localPackages: 3 }),
        action('other', { cwd: '/elsewhere' }),
        action('z/cmd/traefik', { cwd: '/elsewhere', localPackages: 9 }),
      ],
      { batching: true },
    );
    expect(ids(batches)).toEqual([
      ['example.com/x/cmd/traefik', 'example.com/cmd/gen'],
      ['example.com/y/traefik'],
      ['example.com/traefik'],
      ['example.com/other', 'example.com/z/cmd/traefik'],
    ]);
  });

  it('lets two targets of one package share its binary', () => {
    const batches = groupIntoBatches([action('svc/a', { id: 'one' }), action('svc/a', { id: 'two' })], { batching: true });
    expect(batches.map((b) => b.actions.map((a) => a.id))).toEqual([['one', 'two']]);
  });

  it('gives every action its own batch without batching', () => {
    expect(ids(groupIntoBatches([action('a'), action('b')], { batching: false }))).toEqual([['example.com/a'], ['example.com/b']]);
  });
});

describe('binaryName', () => {
  it('is go build -o DIR naming: last element, major version suffix skipped, .exe on Windows', () => {
    expect(binaryName(action('svc/payment'))).toBe('payment');
    expect(binaryName({ ...action('x'), go: { ...action('x').go, importPath: 'example.com/tool/v2' } })).toBe('tool');
    expect(binaryName(action('svc/payment', { env: { GOOS: 'windows', GOARCH: 'amd64' } }))).toBe('payment.exe');
  });
});
