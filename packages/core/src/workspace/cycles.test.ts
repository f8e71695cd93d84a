import { describe, expect, it } from 'vitest';
import type { Label } from '../types.js';
import { findCycles } from './cycles.js';
import type { DepEdge } from './targets.js';

/** A graph from `a -> b` strings; each edge's location is named after it. */
function graph(...edges: string[]): Map<Label, DepEdge[]> {
  const g = new Map<Label, DepEdge[]>();
  for (const e of edges) {
    const [from, to] = e.split(' -> ') as [Label, Label];
    if (!g.has(to)) g.set(to, []);
    const list = g.get(from) ?? [];
    list.push({ to, location: { file: e } });
    g.set(from, list);
  }
  return g;
}

describe('findCycles', () => {
  it('finds nothing in a DAG with shared deps', () => {
    expect(findCycles(graph('//:a -> //:b', '//:a -> //:c', '//:b -> //:d', '//:c -> //:d'))).toEqual([]);
  });

  it('reports each cycle once, at the closing edge, with notes for the others', () => {
    const d = findCycles(graph('//:a -> //:b', '//:b -> //:c', '//:c -> //:a', '//:c -> //:d'));
    expect(d).toHaveLength(1);
    expect(d[0]?.message).toBe('dependency cycle: //:a -> //:b -> //:c -> //:a');
    expect(d[0]?.location).toEqual({ file: '//:c -> //:a' });
    expect(d[0]?.supplementalLocations).toEqual([
      { message: '//:a depends on //:b', location: { file: '//:a -> //:b' } },
      { message: '//:b depends on //:c', location: { file: '//:b -> //:c' } },
    ]);
  });

  it('reports separate cycles separately, and self-dependencies', () => {
    const d = findCycles(graph('//:a -> //:b', '//:b -> //:a', '//:x -> //:x', '//:y -> //:z', '//:z -> //:y'));
    expect(d.map((x) => x.message)).toEqual([
      'dependency cycle: //:a -> //:b -> //:a',
      'dependency cycle: //:x -> //:x',
      'dependency cycle: //:y -> //:z -> //:y',
    ]);
  });

  it('handles a very long chain without recursion', () => {
    const edges = Array.from({ length: 50_000 }, (_, i) => `//:n${String(i)} -> //:n${String(i + 1)}`);
    edges.push('//:n50000 -> //:n0');
    const d = findCycles(graph(...edges));
    expect(d).toHaveLength(1);
    expect(d[0]?.supplementalLocations).toHaveLength(50_000);
  });
});
