/**
 * Finds dependency cycles through `deps`. Each cycle is reported once, at the dep item that
 * closes it, with a note at every other edge so the whole loop can be followed in the files.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Label } from '../types.js';
import type { DepEdge } from './targets.js';

/**
 * Depth-first search in label order, iterative so a long dependency chain cannot overflow the
 * stack. A back edge (to a label still on the path) closes a cycle.
 */
export function findCycles(graph: ReadonlyMap<Label, readonly DepEdge[]>): Diagnostic[] {
  const state = new Map<Label, 'active' | 'done'>();
  const diagnostics: Diagnostic[] = [];
  for (const start of [...graph.keys()].sort()) {
    if (state.has(start)) continue;
    // path[i] was reached from path[i - 1] through via[i].
    const path: Label[] = [start];
    const via: (DepEdge | undefined)[] = [undefined];
    const next: number[] = [0];
    state.set(start, 'active');
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] as Label;
      const edges = graph.get(node) ?? [];
      const i = next[top] ?? 0;
      if (i >= edges.length) {
        state.set(node, 'done');
        path.pop();
        via.pop();
        next.pop();
        continue;
      }
      next[top] = i + 1;
      const edge = edges[i] as DepEdge;
      const s = state.get(edge.to);
      if (s === 'active') {
        diagnostics.push(cycleDiagnostic(path.slice(path.indexOf(edge.to)), via.slice(path.indexOf(edge.to) + 1), edge));
      } else if (s === undefined && graph.has(edge.to)) {
        state.set(edge.to, 'active');
        path.push(edge.to);
        via.push(edge);
        next.push(0);
      }
    }
  }
  return diagnostics;
}

function cycleDiagnostic(loop: readonly Label[], edges: readonly (DepEdge | undefined)[], closing: DepEdge): Diagnostic {
  const text = [...loop, closing.to].join(' -> ');
  const notes = edges.flatMap((e, i) =>
    e === undefined ? [] : [{ message: `${loop[i] ?? ''} depends on ${e.to}`, location: e.location }],
  );
  return {
    severity: 'error',
    code: 'cycle',
    message: `dependency cycle: ${text}`,
    location: closing.location,
    supplementalLocations: notes,
    hint: 'remove one of these deps; a target cannot depend on itself, directly or through others',
  };
}
