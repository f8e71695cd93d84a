/**
 * Turns a target's flags into the exact `go build` argument list. Kept separate from planning
 * so the rules (how lists are joined, how -X values are quoted) are in one place and tested.
 */

export interface GoBuildFlags {
  readonly trimpath: boolean;
  readonly buildvcs: boolean;
  readonly tags: readonly string[];
  readonly gcflags: readonly string[];
  readonly ldflags: readonly string[];
  /** `-X` definitions, already resolved (no placeholders left). */
  readonly xDefs: Readonly<Record<string, string>>;
  /** `-a`: rebuild every package, ignoring go's own build cache. */
  readonly forceRebuild: boolean;
}

/**
 * Flags for `go build`, without `-o` and the package (the caller adds those). Items of gcflags
 * with a package pattern (`all=-N -l`) are passed as their own flag; plain items are joined
 * into one, because go applies only the last matching -gcflags to a package.
 */
export function goBuildFlags(f: GoBuildFlags): string[] {
  const args: string[] = [];
  if (f.forceRebuild) args.push('-a');
  if (f.trimpath) args.push('-trimpath');
  args.push(`-buildvcs=${String(f.buildvcs)}`);
  const tags = [...new Set(f.tags)].sort();
  if (tags.length > 0) args.push(`-tags=${tags.join(',')}`);
  args.push(...perPackageFlag('-gcflags', f.gcflags, []));
  const xs: string[] = [];
  for (const name of Object.keys(f.xDefs).sort()) xs.push('-X', quoteFlagValue(`${name}=${f.xDefs[name] ?? ''}`));
  args.push(...perPackageFlag('-ldflags', f.ldflags, xs));
  return args;
}

/**
 * The build tags go selects files with for a build given `tags` on the command line (gob's
 * `-tags`) and the effective `goflags` (GOFLAGS, from the environment or `go env -w`): the
 * command line's when it has any (go applies GOFLAGS first, so a command-line flag overrides
 * it), else the last `-tags` of GOFLAGS; plus `race`, `msan` and `asan` when GOFLAGS turns those
 * modes on (cmd/go adds each as a tool tag).
 */
export function selectionBuildTags(tags: readonly string[], goflags: string): string[] {
  const fromGoflags = (goFlagValue(goflags, 'tags') ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  const modes = ['race', 'msan', 'asan'].filter((mode) => {
    const v = goFlagValue(goflags, mode);
    return v !== undefined && ['', 'true', '1', 't', 'T', 'TRUE', 'True'].includes(v);
  });
  return [...(tags.length > 0 ? tags : fromGoflags), ...modes];
}

/**
 * The value GOFLAGS gives flag `name` (`-name=value` or `--name=value`; `''` for a bare
 * `-name`), the last one when it is there twice, as go reads it; undefined when absent.
 */
export function goFlagValue(goflags: string, name: string): string | undefined {
  let value: string | undefined;
  for (const word of goflags.split(/\s+/)) {
    const m = /^--?([A-Za-z0-9_-]+)(?:=(.*))?$/.exec(word);
    if (m?.[1] === name) value = m[2] ?? '';
  }
  return value;
}

/** `extra` always joins the plain group: `-X name=value` must never be read as a pattern. */
function perPackageFlag(flag: string, items: readonly string[], extra: readonly string[]): string[] {
  const patterned = items.filter((i) => /^[^-=\s][^=\s]*=/.test(i));
  const plain = [...items.filter((i) => !patterned.includes(i)), ...extra];
  const out = patterned.map((i) => `${flag}=${i}`);
  if (plain.length > 0) out.push(`${flag}=${plain.join(' ')}`);
  return out;
}

/** Quotes a value for go's flag-list splitting (cmd/internal/quoted) when it needs it. */
export function quoteFlagValue(v: string): string {
  if (!/[\s'"]/.test(v)) return v;
  if (!v.includes("'")) return `'${v}'`;
  if (!v.includes('"')) return `"${v}"`;
  throw new Error(`value contains both quote kinds and cannot be passed to go: ${v}`);
}

/** Fills `{VAR}` placeholders; returns undefined when a value has any and stamping is off. */
export function resolveXDefs(
  xDefs: Readonly<Record<string, string>>,
  stamp: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(xDefs)) {
    const hasVars = /\{[A-Za-z_][A-Za-z0-9_]*\}/.test(value);
    if (!hasVars) {
      out[name] = value;
    } else if (stamp !== undefined) {
      out[name] = value.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, k: string) => stamp[k] ?? '');
    }
    // Unstamped builds leave placeholder variables at their source default, so that the
    // commit hash does not change every binary's key (like Bazel without --stamp).
  }
  return out;
}
