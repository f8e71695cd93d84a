import { describe, expect, it } from 'vitest';
import { goBuildFlags, goFlagValue, quoteFlagValue, resolveXDefs, selectionBuildTags } from './go-args.js';

const base = { trimpath: true, buildvcs: false, tags: [], gcflags: [], ldflags: [], xDefs: {}, forceRebuild: false };

describe('goBuildFlags', () => {
  it('has stable defaults', () => {
    expect(goBuildFlags(base)).toEqual(['-trimpath', '-buildvcs=false']);
  });
  it('sorts and dedupes tags', () => {
    expect(goBuildFlags({ ...base, tags: ['netgo', 'a', 'netgo'] })).toContain('-tags=a,netgo');
  });
  it('keeps patterned gcflags separate and joins the rest', () => {
    expect(goBuildFlags({ ...base, gcflags: ['all=-N -l', '-m'] })).toEqual(['-trimpath', '-buildvcs=false', '-gcflags=all=-N -l', '-gcflags=-m']);
  });
  it('puts x_defs into ldflags in name order, quoting values with spaces', () => {
    const args = goBuildFlags({ ...base, ldflags: ['-s', '-w'], xDefs: { 'main.z': '1', 'main.a': 'two words' } });
    expect(args.at(-1)).toBe("-ldflags=-s -w -X 'main.a=two words' -X main.z=1");
  });
  it('adds -a only when forced', () => {
    expect(goBuildFlags({ ...base, forceRebuild: true })[0]).toBe('-a');
  });
});

describe('quoteFlagValue', () => {
  it('quotes only when needed', () => {
    expect(quoteFlagValue('a=b')).toBe('a=b');
    expect(quoteFlagValue("it's here")).toBe('"it\'s here"');
  });
});

describe('resolveXDefs', () => {
  it('fills placeholders when stamping and drops placeholder values otherwise', () => {
    const defs = { 'main.version': '{GIT_COMMIT}', 'main.name': 'pay' };
    expect(resolveXDefs(defs, undefined)).toEqual({ 'main.name': 'pay' });
    expect(resolveXDefs(defs, { GIT_COMMIT: 'abc' })).toEqual({ 'main.version': 'abc', 'main.name': 'pay' });
  });
});

describe('selectionBuildTags', () => {
  it("takes GOFLAGS' -tags when gob passes none, and gob's when it does (the command line overrides GOFLAGS)", () => {
    expect(selectionBuildTags([], '-tags=prod,linux_extra -trimpath')).toEqual(['prod', 'linux_extra']);
    expect(selectionBuildTags([], '-tags=a -tags=b')).toEqual(['b']);
    expect(selectionBuildTags(['netgo'], '--tags=prod')).toEqual(['netgo']);
    expect(selectionBuildTags([], '')).toEqual([]);
  });
  it('adds the tool tags of -race, -msan and -asan in GOFLAGS', () => {
    expect(selectionBuildTags(['netgo'], '-race -mod=mod')).toEqual(['netgo', 'race']);
    expect(selectionBuildTags([], '-msan=true -asan -asan=false')).toEqual(['msan']);
  });
});

describe('goFlagValue', () => {
  it('reads the last value GOFLAGS gives a flag, with one dash or two', () => {
    expect(goFlagValue('-pgo=a.pprof -trimpath --pgo=b.pprof', 'pgo')).toBe('b.pprof');
    expect(goFlagValue('-race', 'race')).toBe('');
    expect(goFlagValue('-mod=mod', 'pgo')).toBeUndefined();
    expect(goFlagValue('', 'overlay')).toBeUndefined();
  });
});
