/**
 * Keeps docs/build-yaml.md and the schema in step: every field the schema accepts is documented
 * in the doc's field tables, and every documented field exists. The tables that list fields
 * follow a `<!-- schema: <$defs name> -->` marker; their first column is the field in backticks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gobSchema } from './schema.js';

interface Node {
  properties?: Record<string, Node>;
  additionalProperties?: boolean | Node;
  $ref?: string;
}

const DOC = readFileSync(new URL('../../../../docs/build-yaml.md', import.meta.url), 'utf8');
const defs = (gobSchema() as { $defs: Record<string, Node> }).$defs;

/** Dotted field paths of a schema object; map entries appear as `<name>`. */
function fields(node: Node, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const p = `${prefix}${name}`;
    out.push(p);
    out.push(...fields(child, `${p}.`));
    const entry = child.additionalProperties;
    // A map of named sub-objects (profiles) documents its entries' fields too; a map of
    // targets is documented per kind, in its own table.
    if (typeof entry === 'object' && entry.$ref === '#/$defs/profile') {
      out.push(...fields(defs.profile ?? {}, `${p}.<name>.`));
    }
  }
  return out;
}

/** The first-column fields of each table that follows a schema marker. */
function documented(): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  const lines = DOC.split('\n');
  lines.forEach((line, i) => {
    const m = /^<!-- schema: (\w+) -->$/.exec(line.trim());
    if (m?.[1] === undefined) return;
    const rows: string[] = [];
    for (let j = i + 1; j < lines.length && (lines[j] ?? '').startsWith('|'); j++) {
      const cell = /^\|\s*`([^`]+)`\s*\|/.exec(lines[j] ?? '');
      if (cell?.[1] !== undefined) rows.push(cell[1]);
    }
    tables.set(m[1], rows);
  });
  return tables;
}

describe('docs/build-yaml.md', () => {
  const tables = documented();
  const expected: Record<string, string[]> = {
    gobFile: fields(defs.gobFile ?? {}),
    buildFile: fields(defs.buildFile ?? {}),
    goBinaryTarget: fields(defs.goBinaryTarget ?? {}),
    goTestTarget: fields(defs.goTestTarget ?? {}),
  };

  it('has a field table for gob.yaml, BUILD.yaml and each target kind', () => {
    expect([...tables.keys()].sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))('documents every field of %s, and only those', (def) => {
    const schemaFields = expected[def] ?? [];
    const docFields = tables.get(def) ?? [];
    expect(schemaFields.length).toBeGreaterThan(0);
    expect(docFields.filter((f) => !schemaFields.includes(f)), 'documented but not in the schema').toEqual([]);
    expect(schemaFields.filter((f) => !docFields.includes(f)), 'in the schema but not documented').toEqual([]);
    expect(new Set(docFields).size, 'documented twice').toBe(docFields.length);
  });

  it('documents every diagnostic code the schema mapping can produce', () => {
    for (const code of ['unknown-key', 'missing-key', 'wrong-type', 'invalid-value', 'invalid-key', 'unknown-kind', 'bad-target-name']) {
      expect(DOC).toContain(`| \`${code}\` |`);
    }
  });
});
