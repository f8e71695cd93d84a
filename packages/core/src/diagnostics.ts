import type { Location } from './types.js';

/**
 * A problem the user can fix, pointing at the text that causes it. Config mistakes, bad labels
 * and cache warnings are all diagnostics; the CLI prints them with `formatDiagnostic`.
 */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** Stable machine-readable code, e.g. `unknown-key`, `bad-label`, `cycle`. */
  readonly code: string;
  readonly message: string;
  readonly location?: Location | undefined;
  readonly supplementalLocations?: readonly { readonly message: string; readonly location: Location }[] | undefined;
  /** One extra line of advice, e.g. "did you mean //services/payment?". */
  readonly hint?: string | undefined;
}

/**
 * Renders a diagnostic like a compiler would:
 *
 *     services/payment/BUILD.yaml:4:5: error: unknown key "pakage" (expected one of: ...)
 *         pakage: ./cmd
 *         ^^^^^^
 *
 * `source` maps a location's file to its text (when available) so the line can be shown.
 */
export function formatDiagnostic(d: Diagnostic, source?: (file: string) => string | undefined): string {
  const out: string[] = [];
  out.push(`${locationPrefix(d.location)}${d.severity}: ${d.message}`);
  out.push(...snippet(d.location, source));
  for (const s of d.supplementalLocations ?? []) {
    out.push(`${locationPrefix(s.location)}note: ${s.message}`);
    out.push(...snippet(s.location, source));
  }
  if (d.hint !== undefined) out.push(`    hint: ${d.hint}`);
  return out.join('\n');
}

function locationPrefix(loc: Location | undefined): string {
  if (loc === undefined) return '';
  if (loc.range === undefined) return `${loc.file}: `;
  return `${loc.file}:${loc.range.start.line}:${loc.range.start.column}: `;
}

function snippet(loc: Location | undefined, source?: (file: string) => string | undefined): string[] {
  if (loc?.range === undefined || source === undefined) return [];
  const text = source(loc.file);
  if (text === undefined) return [];
  const lines = text.split(/\r?\n/);
  const { start, end } = loc.range;
  const line = lines[start.line - 1];
  if (line === undefined) return [];
  const endCol = end.line === start.line ? Math.max(end.column, start.column + 1) : line.length + 1;
  const width = Math.max(1, Math.min(endCol, line.length + 1) - start.column);
  // Tabs before the range stay tabs under it, so the carets line up however tabs are shown.
  const pad = line.slice(0, start.column - 1).replace(/[^\t]/g, ' ');
  return [`    ${line}`, `    ${pad}${'^'.repeat(width)}`];
}
