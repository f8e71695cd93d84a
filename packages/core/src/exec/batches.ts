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
 * its import path), so a name already taken pushes an action into the next batch. Two targets of
 * one package (say with different `out` names) share its binary.
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
  for (const a of actions) {
    const key = compatibilityKey(a);
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

/** The file go writes for this action's package with `-o DIR`. */
export function binaryName(a: PlannedAction): string {
  return goExecName(a.go.importPath, a.go.env.GOOS);
}

function compatibilityKey(a: PlannedAction): string {
  const env = Object.entries(a.go.env).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify([a.go.bin, a.go.cwd, env, a.go.flags]);
}
