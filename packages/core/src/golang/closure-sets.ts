/**
 * The transitive closures of all the packages of one build at once, for the package graph's
 * roots: which workspace packages, standard-library packages and external modules each one
 * needs. A plan of hundreds of services asks this for every service, and their closures share
 * most of their packages; walking each root's closure on its own visits the shared edges once per
 * root. Here each package's closure is a bit set, made once from its imports' sets (children
 * first), so a root's closure costs one pass over its bits.
 *
 * It answers only for an acyclic graph in which an import path names one directory and a module
 * one version; otherwise (an import cycle, which is an error reported elsewhere, or more packages
 * than the bit sets should take memory for) `closureSets` gives undefined and the caller walks
 * each root.
 */
import type { WorkspacePath } from '../types.js';
import { sortGoStrings } from './go-strings.js';

/** What the closures are made from: a package's imports, resolved. */
export type ClosureEdge =
  | { readonly kind: 'pkg'; readonly dir: WorkspacePath; readonly importPath: string }
  | { readonly kind: 'std'; readonly importPath: string }
  | { readonly kind: 'external'; readonly modulePath: string; readonly version: string | undefined }
  | { readonly kind: 'none' };

export interface Closure {
  /** Import path → directory of every workspace package in the closure, itself included, in Go's string order. */
  readonly members: Map<string, WorkspacePath>;
  /** Standard-library packages imported from the closure, sorted. */
  readonly std: string[];
  /** External module path → version imported from the closure, sorted by path. */
  readonly external: Map<string, string | undefined>;
}

export interface ClosureSets {
  /** The closure of the package with this import path; undefined for one the sets do not know. */
  closureOf(importPath: string): Closure | undefined;
}

/** Beyond this many packages the sets (packages² bits) would take too much memory. */
export const MAX_CLOSURE_SET_PACKAGES = 16384;

/**
 * Closure sets for a build whose packages' imports are `edges` (by package directory), covering
 * every package reachable from `roots`; undefined when they cannot be made (see the module doc).
 */
export function closureSets(
  edges: ReadonlyMap<WorkspacePath, ReadonlyMap<string, ClosureEdge>>,
  roots: readonly { readonly importPath: string; readonly dir: WorkspacePath }[],
  maxPackages = MAX_CLOSURE_SET_PACKAGES,
): ClosureSets | undefined {
  // The packages, by import path: each must name one directory.
  const dirOf = new Map<string, WorkspacePath>();
  const versions = new Map<string, string | undefined>();
  const stdNames = new Set<string>();
  let consistent = true;
  const note = (importPath: string, dir: WorkspacePath): void => {
    const known = dirOf.get(importPath);
    if (known === undefined) dirOf.set(importPath, dir);
    else if (known !== dir) consistent = false;
  };
  for (const r of roots) note(r.importPath, r.dir);
  for (const imports of edges.values()) {
    for (const e of imports.values()) {
      if (e.kind === 'pkg') note(e.importPath, e.dir);
      else if (e.kind === 'std') stdNames.add(e.importPath);
      else if (e.kind === 'external') {
        if (versions.has(e.modulePath) && versions.get(e.modulePath) !== e.version) consistent = false;
        versions.set(e.modulePath, e.version);
      }
    }
  }
  if (!consistent || dirOf.size > maxPackages) return undefined;

  // Bits are numbered in Go's string order, so reading a set's bits in order lists it sorted.
  const names = sortGoStrings([...dirOf.keys()]);
  const stds = sortGoStrings([...stdNames]);
  const mods = sortGoStrings([...versions.keys()]);
  const index = new Map(names.map((n, i) => [n, i]));
  const stdIndex = new Map(stds.map((n, i) => [n, i]));
  const modIndex = new Map(mods.map((n, i) => [n, i]));
  const n = names.length;
  const pkgSets = new BitSets(n, n);
  const stdSets = new BitSets(n, stds.length);
  const modSets = new BitSets(n, mods.length);

  // Children before parents (iterative depth-first walk); meeting a package still being walked
  // means a cycle.
  const state = new Uint8Array(n); // 0 new, 1 on the walk, 2 done
  const children = (i: number): number[] => {
    const out: number[] = [];
    for (const e of edges.get(dirOf.get(names[i] as string) as WorkspacePath)?.values() ?? []) {
      if (e.kind === 'pkg') out.push(index.get(e.importPath) as number);
      else if (e.kind === 'std') stdSets.add(i, stdIndex.get(e.importPath) as number);
      else if (e.kind === 'external') modSets.add(i, modIndex.get(e.modulePath) as number);
    }
    return out;
  };
  for (let start = 0; start < n; start++) {
    if (state[start] !== 0) continue;
    const stack: { node: number; kids: number[]; next: number }[] = [{ node: start, kids: children(start), next: 0 }];
    state[start] = 1;
    pkgSets.add(start, start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: number; kids: number[]; next: number };
      if (top.next < top.kids.length) {
        const kid = top.kids[top.next++] as number;
        if (state[kid] === 1) return undefined;
        if (state[kid] === 0) {
          state[kid] = 1;
          pkgSets.add(kid, kid);
          stack.push({ node: kid, kids: children(kid), next: 0 });
        }
        continue;
      }
      for (const kid of top.kids) {
        pkgSets.merge(top.node, kid);
        stdSets.merge(top.node, kid);
        modSets.merge(top.node, kid);
      }
      state[top.node] = 2;
      stack.pop();
    }
  }

  return {
    closureOf(importPath) {
      const i = index.get(importPath);
      if (i === undefined) return undefined;
      const members = new Map<string, WorkspacePath>();
      pkgSets.forEach(i, (j) => {
        const name = names[j] as string;
        members.set(name, dirOf.get(name) as WorkspacePath);
      });
      const std: string[] = [];
      stdSets.forEach(i, (j) => std.push(stds[j] as string));
      const external = new Map<string, string | undefined>();
      modSets.forEach(i, (j) => {
        const m = mods[j] as string;
        external.set(m, versions.get(m));
      });
      return { members, std, external };
    },
  };
}

/** `rows` bit sets of `width` bits each, in one array. */
class BitSets {
  readonly #words: number;
  readonly #bits: Uint32Array;

  constructor(rows: number, width: number) {
    this.#words = (width + 31) >>> 5;
    this.#bits = new Uint32Array(rows * this.#words);
  }

  add(row: number, bit: number): void {
    const i = row * this.#words + (bit >>> 5);
    this.#bits[i] = (this.#bits[i] as number) | (1 << (bit & 31));
  }

  /** Row `into` |= row `from`. */
  merge(into: number, from: number): void {
    const w = this.#words;
    const bits = this.#bits;
    for (let k = 0, a = into * w, b = from * w; k < w; k++, a++, b++) bits[a] = (bits[a] as number) | (bits[b] as number);
  }

  /** Calls `f` with each bit set in `row`, in increasing order. */
  forEach(row: number, f: (bit: number) => void): void {
    const w = this.#words;
    for (let k = 0; k < w; k++) {
      let word = this.#bits[row * w + k] as number;
      while (word !== 0) {
        const low = word & -word;
        f((k << 5) + 31 - Math.clz32(low));
        word ^= low;
      }
    }
  }
}
