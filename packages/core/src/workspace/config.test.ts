import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES, parseSize, toWorkspaceConfig } from './config.js';

describe('parseSize', () => {
  it.each<[string | number, number | undefined]>([
    ['10GiB', 10 * 2 ** 30],
    ['500MB', 500e6],
    ['1.5 GB', 1.5e9],
    ['7kB', 7000],
    ['7KB', 7000],
    ['2KiB', 2048],
    ['3TiB', 3 * 2 ** 40],
    ['1024', 1024],
    ['12B', 12],
    [4096, 4096],
    [0, 0],
    [-1, undefined],
    [1.5, undefined],
    ['10 gigs', undefined],
    ['10gib', undefined],
    ['GB', undefined],
  ])('%j → %s', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });
});

describe('toWorkspaceConfig', () => {
  it('always has the built-in profiles; a declared one replaces, not merges', () => {
    const c = toWorkspaceConfig({ profiles: { debug: { tags: ['dbg'] } } });
    expect(c.profiles).toEqual({ debug: { tags: ['dbg'] }, release: BUILTIN_PROFILES.release });
  });

  it('does not share arrays or maps with its input', () => {
    const ignore = ['a/**'];
    const env = { A: '1' };
    const c = toWorkspaceConfig({ ignore, go: { env } });
    ignore.push('b');
    env.A = '2';
    expect(c.ignore).toEqual(['a/**']);
    expect(c.go.env).toEqual({ A: '1' });
  });
});
