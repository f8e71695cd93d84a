/**
 * "Did you mean …?" support: an edit distance and a ranking of near matches. Used for labels,
 * unknown YAML keys, target kinds, platforms and directory names. It does not know what the
 * strings mean; callers pick the candidates and how to show them.
 */

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and transpositions of
 * two adjacent characters each cost 1 (so `pakcage` is 1 away from `package`).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the one before the previous is needed for transpositions.
  let prevPrev: number[] = new Array<number>(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur: number[] = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      }
      cur[j] = d;
    }
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[b.length] ?? 0;
}

/** The largest distance still worth suggesting for a query of this length. */
export function suggestionThreshold(query: string): number {
  return Math.max(1, Math.floor(query.length / 3));
}

export interface ClosestOptions {
  /** How many suggestions at most (default 3). */
  readonly max?: number;
  /** Largest distance accepted (default: `suggestionThreshold(query)`). */
  readonly maxDistance?: number;
}

/**
 * The candidates nearest to `query`, best first (ties broken alphabetically), excluding exact
 * matches of `query` itself and anything farther than the threshold.
 */
export function closest(query: string, candidates: Iterable<string>, opts: ClosestOptions = {}): string[] {
  const maxDistance = opts.maxDistance ?? suggestionThreshold(query);
  const scored: { candidate: string; distance: number }[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (candidate === query || seen.has(candidate)) continue;
    seen.add(candidate);
    const distance = editDistance(query, candidate);
    if (distance <= maxDistance) scored.push({ candidate, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || compareStrings(x.candidate, y.candidate));
  return scored.slice(0, opts.max ?? 3).map((s) => s.candidate);
}

/** `did you mean "x"?` / `did you mean one of: "x", "y"?`, or undefined with no suggestion. */
export function didYouMean(suggestions: readonly string[], quote: (s: string) => string = (s) => s): string | undefined {
  if (suggestions.length === 0) return undefined;
  if (suggestions.length === 1) return `did you mean ${quote(suggestions[0] ?? '')}?`;
  return `did you mean one of: ${suggestions.map(quote).join(', ')}?`;
}

/** Code-unit order: stable whatever the locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
