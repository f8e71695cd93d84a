import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../actions/plan.js';
import type { GobEvent } from '../events.js';
import { messagesFor, packageDirsNamed, warnUnread } from './run-build.js';

describe('packageDirsNamed', () => {
  it('finds the workspace directories of the Go files go names by position, relative to where go ran', () => {
    // What go printed when it could not load a batch (GOPROXY=off), plus other shapes of message.
    const text = [
      'go: downloading example.invalid/nope v1.0.0',
      'libs/ids/ids.go:7:2: example.invalid/nope@v1.0.0: module lookup disabled by GOPROXY=off',
      '\tsvc/x.go:3:8: no required module provides package example.com/y',
      '/ws/tools/cli/main.go:5:2: package example.com/z is not in std',
      'main.go:4:2: example.invalid/nope@v1.0.0: module lookup disabled by GOPROXY=off',
      '/home/u/go/pkg/mod/example.com/m@v1.0.0/m.go:3:2: outside the workspace',
      'go: example.invalid/nope@v1.0.0: missing go.sum entry',
      'libs/ids/other.go:9: a position without a column',
    ].join('\n');
    expect(packageDirsNamed(text, '/ws/sub', '/ws').sort()).toEqual(['sub', 'sub/libs/ids', 'sub/svc', 'tools/cli']);
    expect(packageDirsNamed(text, '/ws', '/ws').sort()).toEqual(['', 'libs/ids', 'svc', 'tools/cli']);
    expect(packageDirsNamed('go: cannot find main module\n', '/ws', '/ws')).toEqual([]);
  });
});

describe('messagesFor', () => {
  const text = [
    'go: downloading example.invalid/nope v1.0.0',
    'libs/ids/ids.go:7:2: example.invalid/nope@v1.0.0: reading https://proxy.example/nope/@v/v1.0.0.mod: 403 Forbidden',
    '\tserver response: This module version is not available.',
    'services/a/nope.go:3:8: example.invalid/nope@v1.0.0: reading https://proxy.example/nope/@v/v1.0.0.mod: 403 Forbidden',
    '\tserver response: This module version is not available.',
    '/home/u/go/pkg/mod/example.com/m@v1.0.0/m.go:3:2: outside the workspace',
    'go: some other trouble',
    '',
  ].join('\n');

  it("keeps the positioned messages of the action's own packages, with their indented lines, and every unpositioned line", () => {
    expect(messagesFor(text, '/ws', '/ws', new Set(['libs/ids', 'services/b']))).toBe(
      [
        'go: downloading example.invalid/nope v1.0.0',
        'libs/ids/ids.go:7:2: example.invalid/nope@v1.0.0: reading https://proxy.example/nope/@v/v1.0.0.mod: 403 Forbidden',
        '\tserver response: This module version is not available.',
        '/home/u/go/pkg/mod/example.com/m@v1.0.0/m.go:3:2: outside the workspace',
        'go: some other trouble',
        '',
      ].join('\n'),
    );
    expect(messagesFor(text, '/ws', '/ws', new Set(['libs/ids', 'services/a']))).toBe(text);
    // Relative to where go ran.
    expect(messagesFor(text, '/ws/sub', '/ws', new Set(['sub/services/a']))).not.toContain('libs/ids/ids.go');
    expect(messagesFor(text, '/ws/sub', '/ws', new Set(['sub/services/a']))).toContain('services/a/nope.go');
  });
});

describe('warnUnread', () => {
  const action = (name: string, unreadModules?: string[]) =>
    ({ id: `//${name}:${name}@linux/amd64`, label: `//${name}:${name}`, platform: { goos: 'linux', goarch: 'amd64' }, unreadModules }) as unknown as PlannedAction;

  it('warns once per set of modules go could not download, naming up to three actions', () => {
    const events: GobEvent[] = [];
    warnUnread(
      [action('a', ['x@v1']), action('b'), action('c', ['x@v1']), action('d', ['x@v1', 'y@v2']), action('e', ['x@v1']), action('f', ['x@v1'])],
      (e) => events.push(e),
    );
    expect(events.map((e) => (e.type === 'log' ? [e.level, e.message] : e.type))).toEqual([
      [
        'warn',
        '//a:a (linux/amd64), //c:c (linux/amd64), //e:e (linux/amd64) and 1 more: not cached: go could not download x@v1, so gob cannot tell which local packages go compiles through it',
      ],
      ['warn', '//d:d (linux/amd64): not cached: go could not download x@v1, y@v2, so gob cannot tell which local packages go compiles through them'],
    ]);
    expect(events[0]).toMatchObject({ data: { actions: ['//a:a@linux/amd64', '//c:c@linux/amd64', '//e:e@linux/amd64', '//f:f@linux/amd64'], modules: ['x@v1'] } });
  });

  it('says nothing when go could download everything', () => {
    const events: GobEvent[] = [];
    warnUnread([action('a'), action('b')], (e) => events.push(e));
    expect(events).toEqual([]);
  });
});
