/**
 * Resolves command-line patterns to the workspace's targets, with "did you mean" suggestions
 * when a pattern selects nothing. Pure: it reads only the loaded Workspace.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Label, Target, TargetKind, Workspace, WorkspacePath } from '../types.js';
import { err, ok } from '../util/result.js';
import type { Result } from '../util/result.js';
import { bareNameLabel, formatPattern, labelDir, labelName, parsePattern, shortLabel } from './label.js';
import type { TargetPattern } from './label.js';
import { closest, compareStrings, didYouMean, editDistance, suggestionThreshold } from './suggest.js';
import { BUILD_FILE_NAME } from '../workspace/discover.js';

/**
 * The targets selected by `patterns` (resolved against `currentDir`, the workspace-relative
 * cwd): their union, without duplicates, in the order the patterns first select them (each
 * pattern's own matches sorted by label). Every pattern that is malformed or selects nothing
 * is reported; none is silently dropped.
 */
export function resolvePatterns(
  workspace: Workspace,
  patterns: readonly string[],
  currentDir: WorkspacePath,
): Result<Target[], Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const selected = new Map<Label, Target>();
  for (const text of patterns) {
    const parsed = parsePattern(text, currentDir);
    if (!parsed.ok) {
      diagnostics.push(parsed.error);
      continue;
    }
    const matched = match(workspace, parsed.value, text, currentDir);
    if (!matched.ok) {
      diagnostics.push(matched.error);
      continue;
    }
    for (const t of matched.value) if (!selected.has(t.label)) selected.set(t.label, t);
  }
  return diagnostics.length > 0 ? err(diagnostics) : ok([...selected.values()]);
}

/**
 * Looks up one label, applying the bare-name fallback (`gen` → `//cwd:gen` when `//cwd/gen:gen`
 * does not exist). Returns the label that exists, or undefined.
 */
export function lookupLabel(
  targets: ReadonlyMap<Label, unknown>,
  label: Label,
  text: string,
  currentDir: WorkspacePath,
): Label | undefined {
  if (targets.has(label)) return label;
  const alt = bareNameLabel(text, currentDir);
  return alt !== undefined && targets.has(alt) ? alt : undefined;
}

/** Diagnostic for a label that names no target, with up to three suggestions. */
export function unknownTargetDiagnostic(
  labels: Iterable<Label>,
  buildFiles: readonly WorkspacePath[],
  label: Label,
  what = 'unknown target',
  fileName = BUILD_FILE_NAME,
): Diagnostic {
  const dir = labelDir(label);
  const buildFile = dir === '' ? fileName : `${dir}/${fileName}`;
  const why = buildFiles.includes(buildFile)
    ? `${buildFile} has no target named "${labelName(label)}"`
    : `there is no ${buildFile}`;
  const hint = didYouMean(suggestLabels(label, labels));
  return { severity: 'error', code: 'unknown-target', message: `${what} ${shortLabel(label)}: ${why}`, hint };
}

/**
 * Up to `max` labels near `query`, written short (`//services/payment`). A candidate is near when
 * the whole label is within a few edits, or when its last path element is (so `//payment` finds
 * `//services/payment`).
 */
export function suggestLabels(query: Label, candidates: Iterable<Label>, max = 3): string[] {
  const q = shortLabel(query);
  const scored: { label: string; score: number }[] = [];
  for (const c of candidates) {
    const s = shortLabel(c);
    if (c === query) continue;
    // Compare both spellings: `//a:paymnt` is near `//a:payment` but far from `//a`.
    let score = Infinity;
    for (const [x, y] of [
      [q, s],
      [query, c],
    ] as const) {
      // Labels share long prefixes, so the whole-label threshold is tighter than for words.
      const whole = editDistance(x, y);
      if (whole <= Math.max(1, Math.floor(x.length / 6))) score = Math.min(score, whole);
      // Slightly behind a whole-label match at the same distance.
      const d = editDistance(tail(x), tail(y));
      if (d <= Math.max(1, Math.floor(tail(x).length / 5))) score = Math.min(score, d + 0.5);
    }
    if (score !== Infinity) scored.push({ label: s, score });
  }
  scored.sort((a, b) => a.score - b.score || compareStrings(a.label, b.label));
  return scored.slice(0, max).map((s) => s.label);
}

/** The last path element of a label, with its name: `//a/b` → `b`, `//a/b:c` → `b:c`. */
function tail(label: string): string {
  return label.slice(label.lastIndexOf('/') + 1);
}

/** The targets of the given kinds, in their original order, typed by kind. */
export function filterByKind<K extends TargetKind>(
  targets: Iterable<Target>,
  kinds: K | readonly K[],
): Extract<Target, { kind: K }>[] {
  const wanted = new Set<TargetKind>(typeof kinds === 'string' ? [kinds] : kinds);
  const out: Extract<Target, { kind: K }>[] = [];
  for (const t of targets) if (wanted.has(t.kind)) out.push(t as Extract<Target, { kind: K }>);
  return out;
}

function match(
  workspace: Workspace,
  p: TargetPattern,
  text: string,
  currentDir: WorkspacePath,
): Result<Target[], Diagnostic> {
  switch (p.kind) {
    case 'target': {
      const found = lookupLabel(workspace.targets, p.label, text, currentDir);
      const target = found === undefined ? undefined : workspace.targets.get(found);
      if (target !== undefined) return ok([target]);
      return err(unknownTargetDiagnostic(workspace.targets.keys(), workspace.buildFiles, p.label, undefined, workspace.config.buildFile));
    }
    case 'package': {
      const found = [...workspace.targets.values()].filter((t) => t.dir === p.dir);
      if (found.length > 0) return ok(sortByLabel(found));
      const name = workspace.config.buildFile;
      const buildFile = p.dir === '' ? name : `${p.dir}/${name}`;
      const why = workspace.buildFiles.includes(buildFile) ? `${buildFile} declares no targets` : `there is no ${buildFile}`;
      const hint = didYouMean(closest(p.dir, targetDirs(workspace)).map((d) => `//${d}:all`));
      return err({ severity: 'error', code: 'no-match', message: `no targets in ${formatPattern(p)}: ${why}`, hint });
    }
    case 'recursive': {
      const prefix = p.dir === '' ? '' : `${p.dir}/`;
      const found = [...workspace.targets.values()].filter((t) => t.dir === p.dir || t.dir.startsWith(prefix));
      if (found.length > 0) return ok(sortByLabel(found));
      const dirs = new Set<string>();
      for (const d of targetDirs(workspace)) for (const a of ancestors(d)) dirs.add(a);
      const near = closest(p.dir, dirs);
      // Also match on the last path element: //payment/... → //services/payment/...
      const last = lastDirElement(p.dir);
      for (const d of dirs) {
        if (near.length >= 3) break;
        if (!near.includes(d) && d !== p.dir && editDistance(last, lastDirElement(d)) <= suggestionThreshold(last)) near.push(d);
      }
      const hint = didYouMean(near.map((d) => `//${d}/...`));
      return err({
        severity: 'error',
        code: 'no-match',
        message: `no targets under ${formatPattern(p)}${workspace.targets.size === 0 ? ': the workspace has no targets' : ''}`,
        hint,
      });
    }
  }
}

function sortByLabel(targets: Target[]): Target[] {
  return targets.sort((a, b) => compareStrings(a.label, b.label));
}

function targetDirs(workspace: Workspace): Set<string> {
  return new Set([...workspace.targets.values()].map((t) => t.dir).filter((d) => d !== ''));
}

/** `a/b/c` → `a`, `a/b`, `a/b/c`. */
function ancestors(dir: string): string[] {
  const parts = dir.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

function lastDirElement(dir: string): string {
  return dir.slice(dir.lastIndexOf('/') + 1);
}
