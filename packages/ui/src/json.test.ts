import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION, type StampedEvent } from '@gob/core';
import { JsonLinesReporter } from './json.js';

/**
 * The JSON lines reporter on event streams recorded from the real gob (see fixtures/README.md),
 * and docs/events.md checked against the event contract in packages/core/src/events.ts.
 */

const read = (relative: string): string => fs.readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');

const FIXTURES = ['success.jsonl', 'failure.jsonl', 'failure-stop.jsonl', 'failure-payment.jsonl', 'config-error.jsonl', 'example.jsonl'];
const fixture = (name: string): string => read(`./fixtures/${name}`);
const parse = (text: string): StampedEvent[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as StampedEvent);

const EVENTS_TS = read('../../core/src/events.ts');
const DIAGNOSTICS_TS = read('../../core/src/diagnostics.ts');
const TYPES_TS = read('../../core/src/types.ts');
const DOC = read('../../../docs/events.md');

// ---------------------------------------------------------------------------------------------
// A small reader for the TypeScript declarations (enough for events.ts, diagnostics.ts, types.ts)

interface Declared {
  readonly name: string;
  readonly extends: readonly string[];
  /** The body without comments, nested object types included. */
  readonly body: string;
}

function withoutComments(ts: string): string {
  return ts.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

function interfaces(ts: string): Map<string, Declared> {
  const src = withoutComments(ts);
  const found = new Map<string, Declared>();
  for (const m of src.matchAll(/\binterface\s+(\w+)(?:\s+extends\s+([\w\s,]+?))?\s*\{/g)) {
    const name = m[1] ?? '';
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; depth > 0 && i < src.length; i++) {
      if (src[i] === '{') depth++;
      else if (src[i] === '}') depth--;
    }
    const ext = (m[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    found.set(name, { name, extends: ext, body: src.slice(start, i - 1) });
  }
  return found;
}

const fieldNames = (body: string): string[] => [...body.matchAll(/\breadonly\s+(\w+)\??\s*:/g)].map((m) => m[1] ?? '');
const literals = (text: string): string[] => [...text.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');

/** `export type X = 'a' | 'b';` → X → [a, b] */
function literalAliases(ts: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of withoutComments(ts).matchAll(/export\s+type\s+(\w+)\s*=\s*('[^']*'(?:\s*\|\s*'[^']*')*)\s*;/g)) {
    out.set(m[1] ?? '', literals(m[2] ?? ''));
  }
  return out;
}

const EVENT_INTERFACES = interfaces(EVENTS_TS);
const ALIASES = literalAliases(EVENTS_TS);

/** Own and inherited fields of an interface. */
function allFields(d: Declared): string[] {
  const inherited = d.extends.flatMap((e) => {
    const base = EVENT_INTERFACES.get(e);
    if (base === undefined) throw new Error(`${d.name} extends ${e}, which events.ts does not declare`);
    return allFields(base);
  });
  return [...inherited, ...fieldNames(d.body)];
}

/** The event interfaces named in the `GobEvent` union. */
function unionMembers(): string[] {
  const m = /export\s+type\s+GobEvent\s*=([^;]+);/.exec(withoutComments(EVENTS_TS));
  return (m?.[1] ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** docs/events.md's `### \`<type>\`` section (up to the next `##`/`###` heading). */
function section(type: string): string | undefined {
  const parts = DOC.split(/^(?=#{2,3} )/m);
  return parts.find((p) => p.startsWith(`### \`${type}\``));
}

/** `name` in backticks, alone or as the last part of a dotted path (`counts.built`). */
const mentions = (text: string, name: string): boolean => new RegExp(`\`(?:[\\w.]+\\.)?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``).test(text);

const EVENT_TYPES = [...EVENT_INTERFACES.values()]
  .map((d) => /\breadonly\s+type\s*:\s*'([^']+)'/.exec(d.body)?.[1])
  .filter((t): t is string => t !== undefined);

// ---------------------------------------------------------------------------------------------

describe('JsonLinesReporter on recorded streams', () => {
  for (const name of FIXTURES) {
    it(`${name}: writes each event back as the very line gob wrote`, async () => {
      const text = fixture(name);
      let out = '';
      let closed = 0;
      const r = new JsonLinesReporter({ write: (t) => (out += t) }, () => {
        closed++;
        return Promise.resolve();
      });
      for (const e of parse(text)) r.onEvent(e);
      await r.close();
      expect(out).toBe(text);
      expect(closed).toBe(1);
    });

    it(`${name}: every line is one event with type, an ISO 8601 time and the schema version`, () => {
      const lines = fixture(name).split('\n');
      expect(lines.pop()).toBe(''); // the stream ends with a newline
      let last = '';
      for (const line of lines) {
        const e = JSON.parse(line) as Record<string, unknown>;
        expect(EVENT_TYPES).toContain(e.type);
        expect(typeof e.time).toBe('string');
        const time = e.time as string;
        expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(new Date(time).toISOString()).toBe(time);
        expect(time >= last).toBe(true);
        last = time;
        expect(e.v).toBe(EVENT_SCHEMA_VERSION);
      }
    });
  }

  it('keeps text with newlines, quotes and non-ASCII on one line', () => {
    let out = '';
    const r = new JsonLinesReporter({ write: (t) => (out += t) });
    const event = { type: 'log', level: 'warn', message: 'a\nb "c" é \u2028 ✓', time: '2026-01-01T00:00:00.000Z', v: EVENT_SCHEMA_VERSION } as const;
    r.onEvent(event);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(out)).toEqual(event);
  });

  it('close without a callback resolves', async () => {
    await expect(new JsonLinesReporter({ write: () => undefined }).close()).resolves.toBeUndefined();
  });
});

describe('docs/events.md follows the event contract (packages/core/src/events.ts)', () => {
  it('the reader of events.ts finds every member of the GobEvent union', () => {
    const members = unionMembers();
    expect(members.length).toBeGreaterThanOrEqual(9);
    for (const m of members) expect(EVENT_INTERFACES.has(m), m).toBe(true);
    expect(EVENT_TYPES.length).toBe(members.length);
  });

  it('documents the envelope and the current schema version', () => {
    for (const f of ['type', 'time', 'v']) expect(mentions(DOC, f), f).toBe(true);
    expect(DOC).toContain(`The current version is \`${EVENT_SCHEMA_VERSION}\`.`);
    expect(DOC).toContain('--ui=json');
    expect(DOC).toContain('--events FILE');
  });

  for (const member of unionMembers()) {
    it(`${member}: a section for its type, naming every field and every value it can take`, () => {
      const d = EVENT_INTERFACES.get(member);
      if (d === undefined) throw new Error(`no interface ${member}`);
      const type = /\breadonly\s+type\s*:\s*'([^']+)'/.exec(d.body)?.[1] ?? '';
      const text = section(type);
      expect(text, `docs/events.md has no "### \`${type}\`" section`).toBeDefined();
      const missing = [
        ...allFields(d).filter((f) => !mentions(text ?? '', f)),
        ...literals(d.body).filter((l) => !mentions(text ?? '', l)),
        ...[...ALIASES]
          .filter(([alias]) => new RegExp(`\\b${alias}\\b`).test(d.body))
          .flatMap(([, values]) => values)
          .filter((l) => !mentions(text ?? '', l)),
      ];
      expect(missing, `not in the ${type} section of docs/events.md`).toEqual([]);
    });
  }

  it('the diagnostic section covers Diagnostic, Location, SourceRange and Position', () => {
    const text = section('diagnostic') ?? '';
    const diag = interfaces(DIAGNOSTICS_TS).get('Diagnostic');
    const types = interfaces(TYPES_TS);
    const parts = [diag, types.get('Location'), types.get('SourceRange'), types.get('Position')];
    expect(parts.every((p) => p !== undefined)).toBe(true);
    const names = parts.flatMap((p) => (p === undefined ? [] : [...fieldNames(p.body), ...literals(p.body)]));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !mentions(text, n))).toEqual([]);
  });

  it('every event type is mentioned, and nothing documented as an event type is missing from the contract', () => {
    for (const t of EVENT_TYPES) expect(mentions(DOC, t), t).toBe(true);
    const documented = [...DOC.matchAll(/^### `([\w.]+)`/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('the examples are real recorded events', () => {
    const blocks = [...DOC.matchAll(/^```jsonl\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
    expect(blocks.length).toBe(2);
    expect(blocks[0]).toBe(fixture('example.jsonl'));
    expect(fixture('config-error.jsonl').split('\n')).toContain(blocks[1]?.trimEnd());
  });
});
