import type { PlannedAction } from '../actions/plan.js';
import { goExecName } from '../golang/exec-name.js';

/**
 * Groups actions that must run into batches, each built by one `go build -o DIR pkg…`.
 *
 * Why: go shares work between the packages of one invocation — every library in the batch's
 * closures is loaded, checked and compiled once, and the links run in parallel inside go's own
 * scheduler — but two go processes share nothing except what the first has already written to
 * GOCACHE. On a cold cache, N processes compile the standard library and the shared libraries
 * N times over at once; one invocation compiles them once.
 *
 * Actions can share a batch when go would run them identically apart from the package: the same
 * go binary, working directory (hence the same go.work or main module), environment and flags.
 * Within a batch no two packages may have the same binary name (`-o DIR` names each binary after
 * its import path), so a name already taken pushes an action into the next batch (the package
 * with the largest closure stays in the first). Two targets of one package (say with different
 * `out` names) share its binary.
 *
 * What it does not do: order by dependencies (the caller passes only actions that are ready) or
 * decide how many batches run at once.
 */
export interface Batch {
  readonly actions: readonly PlannedAction[];
}

export interface BatchOptions {
  /** False: one action per batch (`--no-batch`). */
  readonly batching: boolean;
}

/** The batches for `actions`, in a stable order (by the first action of each, as given). */
export function groupIntoBatches(actions: readonly PlannedAction[], opts: BatchOptions): Batch[] {
  if (!opts.batching) return actions.map((a) => ({ actions: [a] }));
  const groups = new Map<string, { names: Map<string, string>; actions: PlannedAction[] }[]>();
  const order: { actions: PlannedAction[] }[] = [];
  const keys = actions.map(compatibilityKey);
  for (const [i, a] of largestFirstAmongNamesakes(actions, keys).entries()) {
    const key = keys[i] as string;
    let batches = groups.get(key);
    if (batches === undefined) {
      batches = [];
      groups.set(key, batches);
    }
    const name = binaryName(a);
    let home = batches.find((b) => {
      const owner = b.names.get(name);
      return owner === undefined || owner === a.go.importPath;
    });
    if (home === undefined) {
      home = { names: new Map(), actions: [] };
      batches.push(home);
      order.push(home);
    }
    home.names.set(name, a.go.importPath);
    home.actions.push(a);
  }
  return order.map((b) => ({ actions: b.actions }));
}

/**
 * `actions` (with their compatibility keys `keys`), where those of one key whose packages differ
 * but have the same binary name are reordered among their own places: the one with the most
 * workspace packages first. It goes into the first of their batches, which compiles what they
 * share, and the later batches, which run after it, have the least left to compile alone —
 * traefik's one-file generator `traefik.go` at the root is built after `cmd/traefik`, mostly
 * from go's cache, rather than the whole server after the generator. Every other action keeps
 * its place; equal sizes keep their order.
 */
function largestFirstAmongNamesakes(actions: readonly PlannedAction[], keys: readonly string[]): PlannedAction[] {
  const places = new Map<string, { at: number[]; packages: Set<string> }>();
  for (const [i, a] of actions.entries()) {
    const k = `${keys[i] as string}\0${binaryName(a)}`;
    const seen = places.get(k);
    if (seen === undefined) places.set(k, { at: [i], packages: new Set([a.go.importPath]) });
    else {
      seen.at.push(i);
      seen.packages.add(a.go.importPath);
    }
  }
  const ordered = [...actions];
  for (const { at, packages } of places.values()) {
    if (packages.size < 2) continue;
    const largestFirst = at.map((i) => actions[i] as PlannedAction).sort((x, y) => y.packages.size - x.packages.size);
    for (const [j, i] of at.entries()) ordered[i] = largestFirst[j] as PlannedAction;
  }
  return ordered;
}

/** The file go writes for this action's package with `-o DIR`. */
export function binaryName(a: PlannedAction): string {
  return goExecName(a.go.importPath, a.go.env.GOOS);
}

function compatibilityKey(a: PlannedAction): string {
  const env = Object.entries(a.go.env).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify([a.go.bin, a.go.cwd, env, a.go.flags]);
}
