import { describe, expect, it } from 'vitest';
import type { Label } from '../types.js';
import { formatPattern, labelDir, labelName, makeLabel, parseLabel, parsePattern, shortLabel } from './label.js';
import type { TargetPattern } from './label.js';

describe('parseLabel', () => {
  it.each<[text: string, cwd: string, label: string]>([
    ['//services/payment:payment', '', '//services/payment:payment'],
    ['//services/payment', '', '//services/payment:payment'],
    ['//services/payment:server', 'libs', '//services/payment:server'],
    ['//:tool', 'services/payment', '//:tool'],
    ['//a/b/c', '', '//a/b/c:c'],
    [':c', 'a/b', '//a/b:c'],
    [':c', '', '//:c'],
    ['b:c', 'a', '//a/b:c'],
    ['b', 'a', '//a/b:b'],
    ['b/d', 'a', '//a/b/d:d'],
    ['./b:c', 'a', '//a/b:c'],
    ['.', 'a/b', '//a/b:b'],
    ['..', 'a/b', '//a:a'],
    ['../x:y', 'a/b', '//a/x:y'],
    ['//a/./b/../c', '', '//a/c:c'],
    ['//a:b.c+d-e_f', '', '//a:b.c+d-e_f'],
    ['//a-b/c_d.e:x', '', '//a-b/c_d.e:x'],
  ])('%s in %j → %s', (text, cwd, label) => {
    expect(parseLabel(text, cwd)).toEqual({ ok: true, value: label });
  });

  it.each<[text: string, cwd: string, reason: RegExp]>([
    ['', '', /cannot be empty/],
    ['///a', '', /too many slashes/],
    ['/a', '', /cannot be a file system path/],
    ['//a/', '', /cannot end its directory part with "\/"/],
    ['//a/:b', '', /cannot end its directory part with "\/"/],
    ['b/', 'a', /cannot end its directory part/],
    ['//a:', '', /":" must be followed by a target name/],
    [':', 'a', /":" must be followed by a target name/],
    ['//a:b:c', '', /at most one ":"/],
    ['//a//b', '', /empty path element/],
    ['//../a', '', /goes above the workspace root/],
    ['../../x', 'a', /goes above the workspace root/],
    ['//', '', /root has no directory name/],
    ['.', '', /root has no directory name/],
    ['//a b', '', /invalid character a space/],
    ['//a\tb', '', /invalid character whitespace/],
    ['//a:b c', '', /invalid character a space in the target name "b c"/],
    ['//a:-x', '', /cannot start with "-"/],
    ['//a:x/y', '', /invalid character "\/"/],
    ['//a$:x', '', /invalid character "\$"/],
    ['@repo//a:b', '', /other repositories/],
    ['//a/...', '', /a pattern that selects several targets/],
    ['//a:all', '', /a pattern that selects several targets/],
    ['//a/...:x', '', /cannot be followed by a target name/],
    ['//a/@x', '', /"@x" is not a valid target name/],
  ])('rejects %j (cwd %j)', (text, cwd, reason) => {
    const r = parseLabel(text, cwd);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad-label');
    expect(r.error.severity).toBe('error');
    expect(r.error.message).toMatch(reason);
    if (text !== '') expect(r.error.message).toContain(`invalid label ${JSON.stringify(text)}`);
  });

  it('gives a hint for the common slips', () => {
    const slash = parseLabel('///a/b', '');
    expect(!slash.ok && slash.error.hint).toBe('write //a/b');
    const trailing = parseLabel('//a/b/', '');
    expect(!trailing.ok && trailing.error.hint).toBe('write //a/b');
    const root = parseLabel('//', '');
    expect(!root.ok && root.error.hint).toBe('name the target explicitly: //:name');
  });
});

describe('parsePattern', () => {
  it.each<[text: string, cwd: string, pattern: TargetPattern]>([
    ['//...', 'a', { kind: 'recursive', dir: '' }],
    ['//a/...', '', { kind: 'recursive', dir: 'a' }],
    ['//a/b/...', 'x', { kind: 'recursive', dir: 'a/b' }],
    ['...', 'a/b', { kind: 'recursive', dir: 'a/b' }],
    ['./...', 'a/b', { kind: 'recursive', dir: 'a/b' }],
    ['...', '', { kind: 'recursive', dir: '' }],
    ['c/...', 'a/b', { kind: 'recursive', dir: 'a/b/c' }],
    ['../...', 'a/b', { kind: 'recursive', dir: 'a' }],
    ['//a/b:all', '', { kind: 'package', dir: 'a/b' }],
    ['//a/b:*', '', { kind: 'package', dir: 'a/b' }],
    ['//:all', 'x', { kind: 'package', dir: '' }],
    [':all', 'a', { kind: 'package', dir: 'a' }],
    [':*', 'a', { kind: 'package', dir: 'a' }],
    ['b:all', 'a', { kind: 'package', dir: 'a/b' }],
    ['//a/b', '', { kind: 'target', label: '//a/b:b' as Label }],
    [':c', 'a', { kind: 'target', label: '//a:c' as Label }],
  ])('%s in %j', (text, cwd, pattern) => {
    expect(parsePattern(text, cwd)).toEqual({ ok: true, value: pattern });
  });

  it.each(['', '///...', '//a/.../b', '//.../', '//a/...:all', '../...'])('rejects %j at the root', (text) => {
    const r = parsePattern(text, '');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('bad-label');
  });

  it('formats patterns canonically', () => {
    expect(formatPattern({ kind: 'recursive', dir: '' })).toBe('//...');
    expect(formatPattern({ kind: 'recursive', dir: 'a/b' })).toBe('//a/b/...');
    expect(formatPattern({ kind: 'package', dir: 'a' })).toBe('//a:all');
    expect(formatPattern({ kind: 'target', label: '//a:b' as Label })).toBe('//a:b');
  });
});

describe('label helpers', () => {
  it('splits and shortens labels', () => {
    const l = makeLabel('services/payment', 'payment');
    expect(l).toBe('//services/payment:payment');
    expect(labelDir(l)).toBe('services/payment');
    expect(labelName(l)).toBe('payment');
    expect(shortLabel(l)).toBe('//services/payment');
    expect(shortLabel(makeLabel('services/payment', 'server'))).toBe('//services/payment:server');
    expect(shortLabel(makeLabel('', 'tool'))).toBe('//:tool');
    expect(labelDir(makeLabel('', 'tool'))).toBe('');
  });
});
