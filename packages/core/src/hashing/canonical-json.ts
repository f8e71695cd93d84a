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
  const out: string[] = [];
  write(value, '$', out, new Set());
  return out.join('');
}

/** SHA-256 of `canonicalJson(value)`: the action key layer's hash of a key manifest. */
export function sha256Canonical(value: unknown): Sha256 {
  return hashBytes(canonicalJson(value));
}

function write(value: unknown, at: string, out: string[], ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(at, `${String(value)} is not a finite number`);
      out.push(JSON.stringify(value));
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      writeObject(value, at, out, ancestors);
      return;
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new CanonicalJsonError(at, `${typeof value} is not JSON data`);
  }
}

function writeObject(value: object, at: string, out: string[], ancestors: Set<object>): void {
  if (ancestors.has(value)) throw new CanonicalJsonError(at, 'the value contains a cycle');
  ancestors.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], `${at}[${i}]`, out, ancestors);
    }
    out.push(']');
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor?.name;
      throw new CanonicalJsonError(at, `${typeof ctor === 'string' ? ctor : 'object'} is not a plain object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) {
      throw new CanonicalJsonError(at, 'symbol-keyed properties are not JSON data');
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out.push('{');
    keys.forEach((key, i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      write(record[key], `${at}[${JSON.stringify(key)}]`, out, ancestors);
    });
    out.push('}');
  }
  ancestors.delete(value);
}
