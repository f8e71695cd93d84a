import type { Sha256 } from '../types.js';
import { hashBytes } from './hash-bytes.js';

/**
 * A value that cannot be written as canonical JSON. Building a key from such a value is a bug in
 * the code that builds it, so this is thrown rather than returned.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  constructor(
    /** Where in the value the problem is, e.g. `$.files["a.go"]`. */
    readonly jsonPath: string,
    problem: string,
  ) {
    super(`cannot encode ${jsonPath} as canonical JSON: ${problem}`);
  }
}

/**
 * The canonical JSON text of `value`: object keys sorted (by UTF-16 code unit, recursively),
 * no whitespace, arrays in order, strings and numbers as `JSON.stringify` writes them.
 *
 * Only plain data is accepted: `null`, booleans, finite numbers, strings, arrays and plain
 * objects. Everything else is rejected with a `CanonicalJsonError` instead of being silently
 * dropped or coerced the way `JSON.stringify` would: `undefined` (also as a property value or an
 * array hole — `{a: undefined}` and `{}` must not quietly give the same key), functions,
 * symbols, bigints, NaN and ±Infinity, class instances (Map, Set, Date…), symbol-keyed
 * properties and cycles.
 */
export function canonicalJson(value: unknown): string {
  return write(value, undefined, new Set());
}

/** SHA-256 of `canonicalJson(value)`: the action key layer's hash of a key manifest. */
export function sha256Canonical(value: unknown): Sha256 {
  return hashBytes(canonicalJson(value));
}

/**
 * Where a value sits, built only when an error needs it: a manifest holds thousands of file
 * names, and formatting a path for each would cost more than writing the JSON.
 */
interface At {
  readonly parent: At | undefined;
  readonly key: string | number;
}

function formatAt(at: At | undefined): string {
  const parts: string[] = [];
  for (let a = at; a !== undefined; a = a.parent) parts.push(typeof a.key === 'number' ? `[${String(a.key)}]` : `[${JSON.stringify(a.key)}]`);
  return `$${parts.reverse().join('')}`;
}

function write(value: unknown, at: At | undefined, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(formatAt(at), `${String(value)} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      return value === null ? 'null' : writeObject(value, at, ancestors);
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new CanonicalJsonError(formatAt(at), `${typeof value} is not JSON data`);
  }
}

function writeObject(value: object, at: At | undefined, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJsonError(formatAt(at), 'the value contains a cycle');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i], { parent: at, key: i }, ancestors);
    }
    out += ']';
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor?.name;
      throw new CanonicalJsonError(formatAt(at), `${typeof ctor === 'string' ? ctor : 'object'} is not a plain object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw new CanonicalJsonError(formatAt(at), 'symbol-keyed properties are not JSON data');
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const v = record[key];
      if (i > 0) out += ',';
      // Strings, the bulk of a manifest (file names to digests), without a call per value.
      out += `${JSON.stringify(key)}:${typeof v === 'string' ? JSON.stringify(v) : write(v, { parent: at, key }, ancestors)}`;
    }
    out += '}';
  }
  ancestors.delete(value);
  return out;
}
