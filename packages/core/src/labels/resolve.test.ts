import { describe, expect, it } from 'vitest';
import type { Label, Target, TargetKind, Workspace } from '../types.js';
import { toWorkspaceConfig } from '../workspace/config.js';
import { makeLabel } from './label.js';
import { filterByKind, resolvePatterns, suggestLabels } from './resolve.js';
import { closest, didYouMean, editDistance } from './suggest.js';

function target(dir: string, name: string, kind: TargetKind = 'go_binary'): Target {
  const common = {
    label: makeLabel(dir, name),
    name,
    dir,
    buildFile: dir === '' ? 'BUILD.yaml' : `${dir}/BUILD.yaml`,
    location: { file: dir === '' ? 'BUILD.yaml' : `${dir}/BUILD.yaml` },
    deps: [],
    env: {},
    tags: [],
    gcflags: [],
    ldflags: [],
    platforms: undefined,
  };
  return kind === 'go_binary'
    ? { ...common, kind, goPackage: dir, out: name, xDefs: {} }
    : { ...common, kind, packages: ['./...'], race: false, timeout: undefined };
}

function workspace(targets: Target[], extraBuildFiles: string[] = []): Workspace {
  const sorted = [...targets].sort((a, b) => (a.label < b.label ? -1 : 1));
  return {
    root: '/ws',
    configFile: 'gob.yaml',
    config: toWorkspaceConfig({}),
    targets: new Map(sorted.map((t) => [t.label, t])),
    buildFiles: [...new Set([...targets.map((t) => t.buildFile), ...extraBuildFiles])].sort(),
  };
}

const ws = workspace(
  [
    target('', 'tool'),
    target('services/payment', 'payment'),
    target('services/payment', 'payment_test', 'go_test'),
    target('services/payment/cmd/migrate', 'migrate'),
    target('services/orders', 'orders'),
    target('services/orders', 'orders_test', 'go_test'),
    target('libs/log', 'log_test', 'go_test'),
  ],
  ['libs/empty/BUILD.yaml'],
);

function labels(patterns: string[], cwd = ''): string[] {
  const r = resolvePatterns(ws, patterns, cwd);
  if (!r.ok) throw new Error(r.error.map((d) => d.message).join('\n'));
  return r.value.map((t) => t.label);
}

function failure(patterns: string[], cwd = ''): { code: string; message: string; hint: string | undefined }[] {
  const r = resolvePatterns(ws, patterns, cwd);
  if (r.ok) throw new Error(`expected failure, got ${r.value.map((t) => t.label).join(', ')}`);
  return r.error.map((d) => ({ code: d.code, message: d.message, hint: d.hint }));
}

describe('resolvePatterns', () => {
  it('resolves single labels, long and short', () => {
    expect(labels(['//services/payment'])).toEqual(['//services/payment:payment']);
    expect(labels(['//services/payment:payment_test'])).toEqual(['//services/payment:payment_test']);
    expect(labels(['//:tool'])).toEqual(['//:tool']);
  });

  it('resolves recursive patterns in label order', () => {
    expect(labels(['//services/...'])).toEqual([
      '//services/orders:orders',
      '//services/orders:orders_test',
      '//services/payment/cmd/migrate:migrate',
      '//services/payment:payment',
      '//services/payment:payment_test',
    ]);
    expect(labels(['//...'])).toHaveLength(7);
  });

  it('does not treat a directory prefix as a parent directory', () => {
    // //services/pay/... must not select services/payment.
    expect(failure(['//services/pay/...'])[0]?.code).toBe('no-match');
  });

  it('resolves :all and :* to the targets of one directory only', () => {
    const expected = ['//services/payment:payment', '//services/payment:payment_test'];
    expect(labels(['//services/payment:all'])).toEqual(expected);
    expect(labels(['//services/payment:*'])).toEqual(expected);
    expect(labels(['//:all'])).toEqual(['//:tool']);
  });

  it('resolves relative forms against the current directory', () => {
    expect(labels([':payment'], 'services/payment')).toEqual(['//services/payment:payment']);
    expect(labels(['cmd/migrate'], 'services/payment')).toEqual(['//services/payment/cmd/migrate:migrate']);
    expect(labels(['cmd/migrate:migrate'], 'services/payment')).toEqual(['//services/payment/cmd/migrate:migrate']);
    expect(labels(['...'], 'services/payment')).toEqual([
      '//services/payment/cmd/migrate:migrate',
      '//services/payment:payment',
      '//services/payment:payment_test',
    ]);
    expect(labels(['./...'], 'services/orders')).toEqual(['//services/orders:orders', '//services/orders:orders_test']);
    expect(labels(['orders/...'], 'services')).toEqual(['//services/orders:orders', '//services/orders:orders_test']);
    expect(labels([':all'], 'services/orders')).toEqual(['//services/orders:orders', '//services/orders:orders_test']);
    expect(labels(['../orders'], 'services/payment')).toEqual(['//services/orders:orders']);
    expect(labels(['.'], 'services/payment')).toEqual(['//services/payment:payment']);
  });

  it('falls back from a directory to a target of the current directory for a bare name', () => {
    // `payment_test` is not a directory, but it is a target of the current one.
    expect(labels(['payment_test'], 'services/payment')).toEqual(['//services/payment:payment_test']);
  });

  it('returns the union without duplicates, in first-selected order', () => {
    expect(labels(['//services/orders', '//services/orders:all', '//:tool', '//services/orders/...'])).toEqual([
      '//services/orders:orders',
      '//services/orders:orders_test',
      '//:tool',
    ]);
    expect(labels([])).toEqual([]);
  });

  it('reports an unknown label with did-you-mean suggestions', () => {
    expect(failure(['//services/paymnt'])).toEqual([
      {
        code: 'unknown-target',
        message: 'unknown target //services/paymnt: there is no services/paymnt/BUILD.yaml',
        hint: 'did you mean //services/payment?',
      },
    ]);
  });

  it('suggests by the last path element too', () => {
    expect(failure(['//payment'])[0]?.hint).toBe('did you mean //services/payment?');
    expect(failure(['//orders:orders_tst'])[0]?.hint).toBe('did you mean //services/orders:orders_test?');
  });

  it('says when the BUILD.yaml exists but the name does not', () => {
    expect(failure(['//services/payment:server'])[0]?.message).toBe(
      'unknown target //services/payment:server: services/payment/BUILD.yaml has no target named "server"',
    );
  });

  it('reports patterns that select nothing', () => {
    expect(failure(['//nothing/...'])).toEqual([{ code: 'no-match', message: 'no targets under //nothing/...', hint: undefined }]);
    expect(failure(['//servics/...'])[0]).toEqual({
      code: 'no-match',
      message: 'no targets under //servics/...',
      hint: 'did you mean //services/...?',
    });
    expect(failure(['//libs/empty:all'])[0]?.message).toBe('no targets in //libs/empty:all: libs/empty/BUILD.yaml declares no targets');
    expect(failure(['//libs/nope:all'])[0]?.message).toBe('no targets in //libs/nope:all: there is no libs/nope/BUILD.yaml');
  });

  it('reports every bad pattern, not only the first', () => {
    const errors = failure(['//services/payment', '///x', '//nope', '//a/...']);
    expect(errors.map((e) => e.code)).toEqual(['bad-label', 'unknown-target', 'no-match']);
  });

  it('says the workspace is empty when it is', () => {
    const r = resolvePatterns(workspace([]), ['//...'], '');
    expect(!r.ok && r.error[0]?.message).toBe('no targets under //...: the workspace has no targets');
  });
});

describe('filterByKind', () => {
  it('keeps the order and narrows the type', () => {
    const all = [...ws.targets.values()];
    const tests = filterByKind(all, 'go_test');
    expect(tests.map((t) => t.label)).toEqual(['//libs/log:log_test', '//services/orders:orders_test', '//services/payment:payment_test']);
    // Narrowed: `packages` exists only on go_test targets.
    expect(tests.every((t) => t.packages.length > 0)).toBe(true);
    expect(filterByKind(all, ['go_binary', 'go_test'])).toHaveLength(all.length);
    expect(filterByKind(all, [])).toEqual([]);
  });
});

describe('suggestions', () => {
  it('computes edit distance with transpositions', () => {
    expect(editDistance('package', 'package')).toBe(0);
    expect(editDistance('pakage', 'package')).toBe(1);
    expect(editDistance('pakcage', 'package')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('ranks near candidates and drops far ones', () => {
    expect(closest('pakage', ['package', 'packages', 'out', 'tags'])).toEqual(['package', 'packages']);
    expect(closest('zzz', ['package', 'out'])).toEqual([]);
    expect(closest('a', ['b', 'c', 'd', 'e'], { max: 2 })).toEqual(['b', 'c']);
  });

  it('phrases one or several suggestions', () => {
    expect(didYouMean([])).toBeUndefined();
    expect(didYouMean(['//a'])).toBe('did you mean //a?');
    expect(didYouMean(['a', 'b'], (s) => `"${s}"`)).toBe('did you mean one of: "a", "b"?');
  });

  it('suggests at most three labels, nearest first', () => {
    const many = ['//svc/a1', '//svc/a2', '//svc/a3', '//svc/a4'].map((s) => `${s}:${s.slice(-2)}` as Label);
    expect(suggestLabels('//svc/a0:a0' as Label, many)).toEqual(['//svc/a1', '//svc/a2', '//svc/a3']);
  });
});
