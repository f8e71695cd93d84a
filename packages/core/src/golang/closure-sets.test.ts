import { describe, expect, it } from 'vitest';
import type { WorkspacePath } from '../types.js';
import { closureSets, type Closure, type ClosureEdge } from './closure-sets.js';
import { sortedUnique, sortGoStrings } from './go-strings.js';

type Edges = Map<WorkspacePath, Map<string, ClosureEdge>>;

/** The closure walked from one root, the plain way. */
function walked(edges: Edges, importPath: string, dir: WorkspacePath): Closure {
  const members = new Map<string, WorkspacePath>([[importPath, dir]]);
  const std = new Set<string>();
  const external = new Map<string, string | undefined>();
  const queue = [dir];
  for (let i = 0; i < queue.length; i++) {
    for (const e of edges.get(queue[i] as WorkspacePath)?.values() ?? []) {
      if (e.kind === 'pkg' && !members.has(e.importPath)) {
        members.set(e.importPath, e.dir);
        queue.push(e.dir);
      } else if (e.kind === 'std') std.add(e.importPath);
      else if (e.kind === 'external') external.set(e.modulePath, e.version);
    }
  }
  const sorted = <V>(m: Map<string, V>): Map<string, V> => new Map(sortGoStrings([...m.keys()]).map((k) => [k, m.get(k) as V]));
  return { members: sorted(members), std: sortedUnique(std), external: sorted(external) };
}

/** A deterministic pseudo-random generator (xorshift), so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** A random layered graph: package i imports only packages of lower numbers, some std and external. */
function randomGraph(seed: number, n: number): Edges {
  const r = rng(seed);
  const edges: Edges = new Map();
  for (let i = 0; i < n; i++) {
    const m = new Map<string, ClosureEdge>();
    const k = Math.floor(r() * 6);
    for (let j = 0; j < k && i > 0; j++) {
      const t = Math.floor(r() * i);
      // Names that sort differently from their numbers, non-ASCII ones included.
      const ip = `example.com/${t % 3 === 0 ? 'z' : 'a'}/p${String(t)}${t % 7 === 0 ? 'é' : ''}`;
      m.set(ip, { kind: 'pkg', importPath: ip, dir: `d${String(t)}` });
    }
    if (r() < 0.7) m.set(`std${String(Math.floor(r() * 9))}`, { kind: 'std', importPath: `std${String(Math.floor(r() * 9))}` });
    if (r() < 0.2) {
      const mod = `ext.org/m${String(Math.floor(r() * 4))}`;
      m.set(`${mod}/x`, { kind: 'external', modulePath: mod, version: 'v1.0.0' });
    }
    if (r() < 0.1) m.set('C', { kind: 'none' });
    edges.set(`d${String(i)}`, m);
  }
  return edges;
}

const nameOf = (i: number): string => `example.com/${i % 3 === 0 ? 'z' : 'a'}/p${String(i)}${i % 7 === 0 ? 'é' : ''}`;

describe('closureSets', () => {
  it('gives every root the closure walking it gives, on random acyclic graphs', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const n = 5 + seed * 7;
      const edges = randomGraph(seed, n);
      const roots = Array.from({ length: n }, (_, i) => ({ importPath: nameOf(i), dir: `d${String(i)}` }));
      const sets = closureSets(edges, roots);
      expect(sets).toBeDefined();
      for (const root of roots) {
        expect({ seed, root: root.importPath, closure: sets?.closureOf(root.importPath) }).toEqual({
          seed,
          root: root.importPath,
          closure: walked(edges, root.importPath, root.dir),
        });
      }
    }
  });

  it('gives up on an import cycle, an import path in two directories, a module in two versions', () => {
    const pkg = (ip: string): ClosureEdge => ({ kind: 'pkg', importPath: ip, dir: ip });
    const cycle: Edges = new Map([
      ['a', new Map([['b', pkg('b')]])],
      ['b', new Map([['c', pkg('c')]])],
      ['c', new Map([['a', pkg('a')]])],
    ]);
    expect(closureSets(cycle, [{ importPath: 'a', dir: 'a' }])).toBeUndefined();
    const twoDirs: Edges = new Map([['a', new Map<string, ClosureEdge>([['b', { kind: 'pkg', importPath: 'b', dir: 'elsewhere' }]])]]);
    expect(closureSets(twoDirs, [{ importPath: 'a', dir: 'a' }, { importPath: 'b', dir: 'b' }])).toBeUndefined();
    const ext = (v: string): ClosureEdge => ({ kind: 'external', modulePath: 'm', version: v });
    const twoVersions: Edges = new Map([
      ['a', new Map([['m/x', ext('v1')], ['b', pkg('b')]])],
      ['b', new Map([['m/y', ext('v2')]])],
    ]);
    expect(closureSets(twoVersions, [{ importPath: 'a', dir: 'a' }])).toBeUndefined();
    expect(closureSets(randomGraph(3, 40), [{ importPath: nameOf(0), dir: 'd0' }], 10)).toBeUndefined();
  });

  it('answers nothing for a package it does not know', () => {
    expect(closureSets(new Map(), [{ importPath: 'a', dir: 'a' }])?.closureOf('b')).toBeUndefined();
  });
});
