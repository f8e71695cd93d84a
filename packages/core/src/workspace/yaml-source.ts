/**
 * A parsed YAML file that remembers where every node came from, so later stages can point a
 * diagnostic at the exact key or value. Syntax errors and duplicate keys become diagnostics
 * here; nothing is thrown for bad input.
 */
import { LineCounter, isAlias, isCollection, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import type { Location, SourceRange } from '../types.js';

export interface YamlSource {
  /** Path used in diagnostics (workspace-relative). */
  readonly file: string;
  readonly text: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  /**
   * The document as plain data, with later duplicate keys dropped and an empty document read as
   * `{}`; undefined when the file has syntax errors (validating a half-parsed file would only
   * add noise).
   */
  readonly data: unknown;
  readonly diagnostics: readonly Diagnostic[];
}

/** A node found by path: the key it is stored under (if in a map) and its value. */
export interface FoundNode {
  readonly key: Node | undefined;
  readonly value: Node | undefined;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, prettyErrors: false, uniqueKeys: false });
  const diagnostics: Diagnostic[] = [];
  const at = (start: number, end: number): Location => ({ file, range: toRange(lineCounter, start, end) });

  for (const e of doc.errors) {
    diagnostics.push({ severity: 'error', code: 'yaml-syntax', message: `YAML syntax error: ${sentence(e.message)}`, location: at(e.pos[0], e.pos[1]) });
  }
  for (const w of doc.warnings) {
    diagnostics.push({ severity: 'warning', code: 'yaml-warning', message: sentence(w.message), location: at(w.pos[0], w.pos[1]) });
  }
  diagnostics.push(...unresolvedAliases(doc, at));
  const syntaxOk = !diagnostics.some((d) => d.severity === 'error');
  diagnostics.push(...dropDuplicateKeys(doc, at));

  let data: unknown;
  if (syntaxOk) {
    try {
      data = doc.toJS({ maxAliasCount: 1000 }) ?? {};
    } catch (e: unknown) {
      // toJS throws only for pathological input (alias bombs); report it like a syntax error.
      diagnostics.push({ severity: 'error', code: 'yaml-syntax', message: `cannot read YAML: ${e instanceof Error ? e.message : String(e)}`, location: { file } });
    }
  }
  return { file, text, doc, lineCounter, data, diagnostics };
}

/** Converts a [start, end) offset pair to a SourceRange. */
export function toRange(lineCounter: LineCounter, start: number, end: number): SourceRange {
  return { start: toPosition(lineCounter, start), end: toPosition(lineCounter, Math.max(start, end)) };
}

function toPosition(lineCounter: LineCounter, offset: number): { line: number; column: number; offset: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col, offset };
}

/** The location of a node's own text (for a collection: from its first to its last item). */
export function nodeLocation(src: YamlSource, node: Node | undefined): Location {
  const r = node?.range;
  if (r === undefined || r === null) return { file: src.file };
  return { file: src.file, range: toRange(src.lineCounter, r[0], r[1]) };
}

/** Walks `path` (map keys and sequence indexes, as strings) from the document's root. */
export function findNode(src: YamlSource, path: readonly string[]): FoundNode | undefined {
  let key: Node | undefined;
  let value: unknown = src.doc.contents;
  for (const seg of path) {
    value = deref(src.doc, value);
    if (isMap(value)) {
      const pair: Pair | undefined = value.items.find((p) => keyText(p.key) === seg);
      if (pair === undefined) return undefined;
      key = asNode(pair.key);
      value = pair.value;
    } else if (isSeq(value)) {
      key = undefined;
      value = value.items[Number(seg)];
    } else {
      return undefined;
    }
  }
  return { key, value: asNode(deref(src.doc, value)) };
}

/**
 * The best location for a diagnostic about the node at `path`: its key (`'key'`) or its value
 * (`'value'`). Falls back to the other one, then to the nearest ancestor, when a node has no
 * text of its own (an empty value such as `package:`).
 */
export function locationAt(src: YamlSource, path: readonly string[], part: 'key' | 'value'): Location {
  for (let n = path.length; n >= 0; n--) {
    const found = findNode(src, path.slice(0, n));
    if (found === undefined) continue;
    const order = part === 'key' || n < path.length ? [found.key, found.value] : [found.value, found.key];
    for (const node of order) {
      const r = node?.range;
      if (r !== undefined && r !== null && r[1] > r[0]) return nodeLocation(src, node);
    }
  }
  return { file: src.file };
}

/** A map key as the data sees it (`toJS` turns scalar keys into strings). */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (isCollection(key)) return key.toString();
  return typeof key === 'string' ? key : undefined;
}

function deref(doc: Document, value: unknown): unknown {
  return isAlias(value) ? value.resolve(doc) : value;
}

function asNode(value: unknown): Node | undefined {
  return isMap(value) || isSeq(value) || isScalar(value) || isAlias(value) ? value : undefined;
}

/** `*name` without an `&name` before it: yaml only notices when converting to data. */
function unresolvedAliases(doc: Document, at: (start: number, end: number) => Location): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) !== undefined) return;
      const [start, end] = alias.range ?? [0, 0];
      diagnostics.push({
        severity: 'error',
        code: 'yaml-syntax',
        message: `YAML alias *${alias.source} refers to no anchor &${alias.source} defined before it`,
        location: at(start, end),
      });
    },
  });
  return diagnostics;
}

/**
 * Reports every repeated key at its second (and later) occurrence and removes it, so the data
 * keeps the first definition, which is the one the earlier lines describe.
 */
function dropDuplicateKeys(doc: Document, at: (start: number, end: number) => Location): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const targetsMap: unknown = isMap(doc.contents) ? doc.contents.get('targets', true) : undefined;
  visit(doc, {
    Map(_, map) {
      const first = new Map<string, Node>();
      const keep: typeof map.items = [];
      for (const pair of map.items) {
        const text = keyText(pair.key);
        const keyNode = asNode(pair.key);
        const prev = text === undefined ? undefined : first.get(text);
        if (text === undefined || keyNode === undefined) {
          keep.push(pair);
        } else if (prev === undefined) {
          first.set(text, keyNode);
          keep.push(pair);
        } else {
          const [start, end] = keyNode.range ?? [0, 0];
          const [pStart, pEnd] = prev.range ?? [0, 0];
          const prevLoc = at(pStart, pEnd);
          const what = map === targetsMap ? 'target name' : 'key';
          diagnostics.push({
            severity: 'error',
            code: 'duplicate-key',
            message: `duplicate ${what} "${text}": it is already defined on line ${prevLoc.range?.start.line ?? 0}`,
            location: at(start, end),
            supplementalLocations: [{ message: `"${text}" is first defined here`, location: prevLoc }],
          });
        }
      }
      map.items = keep;
    },
  });
  return diagnostics;
}

/** yaml's messages sometimes end with a period and sometimes not; make them consistent. */
function sentence(message: string): string {
  return message.trim().replace(/\.$/, '');
}
