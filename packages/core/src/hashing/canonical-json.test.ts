import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError, sha256Canonical } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys recursively, keeps array order and writes no whitespace', () => {
    const value = { b: 1, a: { d: [3, 1, 2], c: 'x' }, 'A': null, '': true };
    expect(canonicalJson(value)).toBe('{"":true,"A":null,"a":{"c":"x","d":[3,1,2]},"b":1}');
  });

  it('does not depend on key insertion order', () => {
    const one = { x: 1, y: { p: 'a', q: 'b' } };
    const two = { y: { q: 'b', p: 'a' }, x: 1 };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(sha256Canonical(one)).toBe(sha256Canonical(two));
  });

  it('sorts keys by UTF-16 code unit, not by locale', () => {
    expect(canonicalJson({ b: 0, B: 0, 'é': 0, '_': 0, '10': 0, '9': 0 })).toBe('{"10":0,"9":0,"B":0,"_":0,"b":0,"é":0}');
  });

  it('escapes strings and writes numbers as JSON does', () => {
    expect(canonicalJson(['a"b\\c\n', 'ü', 1.5, -0, 1e21, false])).toBe('["a\\"b\\\\c\\n","ü",1.5,0,1e+21,false]');
  });

  it('accepts null-prototype objects and shared (acyclic) references', () => {
    const shared = { k: 1 };
    const bare = Object.create(null) as Record<string, unknown>;
    bare.z = shared;
    bare.y = shared;
    expect(canonicalJson(bare)).toBe('{"y":{"k":1},"z":{"k":1}}');
  });

  it.each([
    ['undefined at the top', undefined, '$'],
    ['an undefined property', { a: { b: undefined } }, '$["a"]["b"]'],
    ['an undefined array element', [1, undefined], '$[1]'],
    // eslint-disable-next-line no-sparse-arrays
    ['an array hole', [1, , 3], '$[1]'],
    ['a function', { f: () => 1 }, '$["f"]'],
    ['NaN', { n: Number.NaN }, '$["n"]'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0]'],
    ['a bigint', { n: 1n }, '$["n"]'],
    ['a symbol', { s: Symbol('s') }, '$["s"]'],
    ['a Map', { m: new Map() }, '$["m"]'],
    ['a Date', { d: new Date(0) }, '$["d"]'],
    ['a class instance', { c: new URL('https://example.com/') }, '$["c"]'],
    ['a symbol-keyed property', { [Symbol('k')]: 1 }, '$'],
  ])('rejects %s', (_name, value, at) => {
    let thrown: unknown;
    try {
      canonicalJson(value);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CanonicalJsonError);
    expect((thrown as CanonicalJsonError).jsonPath).toBe(at);
  });

  it('rejects cycles', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    expect(() => canonicalJson(a)).toThrow(/cycle/);
  });
});

describe('sha256Canonical', () => {
  const base = { schema: 1, label: '//svc:svc', files: { 'a.go': 'd1', 'b.go': 'd2' }, args: ['-trimpath'] };

  it('is the SHA-256 of the canonical text', () => {
    expect(sha256Canonical(base)).toBe(createHash('sha256').update(canonicalJson(base)).digest('hex'));
  });

  it('is deterministic', () => {
    expect(sha256Canonical(structuredClone(base))).toBe(sha256Canonical(base));
  });

  it.each([
    ['schema', { ...base, schema: 2 }],
    ['label', { ...base, label: '//svc:other' }],
    ['a file digest', { ...base, files: { 'a.go': 'd1', 'b.go': 'd3' } }],
    ['a file name', { ...base, files: { 'a.go': 'd1', 'c.go': 'd2' } }],
    ['an added file', { ...base, files: { ...base.files, 'c.go': 'd2' } }],
    ['argument order', { ...base, args: ['-trimpath', '-race'] }],
    ['a value type', { ...base, schema: '1' }],
  ])('changes when %s changes', (_name, changed) => {
    expect(sha256Canonical(changed)).not.toBe(sha256Canonical(base));
  });
});
