/**
 * Turns ajv's validation errors into diagnostics a person can act on: each points at the YAML
 * key or value at fault and says what was expected in words ("expected a list of strings, got a
 * number"), never as a JSON pointer. One function per ajv keyword gob's schema uses; anything
 * else still gets a readable fallback.
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import type { Location } from '../types.js';
import { closest, didYouMean } from '../labels/suggest.js';
import { EXPECTED_KEYWORD, gobSchema } from './schema.js';
import type { ConfigFileKind } from './schema.js';
import { findNode, locationAt } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

/** The parts of a JSON Schema object the messages read. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly title?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly propertyNames?: SchemaNode;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minLength?: number;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
  readonly [EXPECTED_KEYWORD]?: string;
}

/** One ajv error, decoded. */
interface SchemaError {
  readonly keyword: string;
  /** Path of the failing value in the document: map keys and list indexes. */
  readonly path: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
  /** The schema object holding the failing keyword. */
  readonly schema: SchemaNode;
  readonly schemaPath: string;
  /** The failing value. */
  readonly data: unknown;
  readonly message: string;
}

const FILE_DEFS: Record<ConfigFileKind, string> = { 'gob.yaml': 'gobFile', 'BUILD.yaml': 'buildFile' };

/** Keys whose *names* are checked (propertyNames), and what a name is called in messages. */
const NAME_NOUNS: Readonly<Record<string, string>> = {
  targets: 'target name',
  profiles: 'profile name',
  env: 'environment variable name',
  x_defs: 'x_defs name',
};

/** Variables gob sets itself for every go command (the schema refuses them in `env`), and why. */
const RESERVED_ENV: Readonly<Record<string, { why: string; hint: string }>> = {
  GOOS: {
    why: 'gob sets GOOS and GOARCH for each platform it builds',
    hint: 'build for another platform with "platforms: [windows/amd64]" on the target, or gob build --platform windows/amd64',
  },
  GOARCH: {
    why: 'gob sets GOOS and GOARCH for each platform it builds',
    hint: 'build for another platform with "platforms: [linux/arm64]" on the target, or gob build --platform linux/arm64',
  },
  GOTOOLCHAIN: {
    why: 'gob runs the go found on PATH, with GOTOOLCHAIN=local, so that the toolchain in every key is the one that builds',
    hint: 'put the go you want first on PATH; go.toolchain in gob.yaml makes gob refuse any other version',
  },
};

export function schemaDiagnostics(src: YamlSource, fileKind: ConfigFileKind, errors: readonly ErrorObject[]): Diagnostic[] {
  const ctx = new Context(src, fileKind);
  return selectErrors(errors.map(decode), src.data).map((e) => ctx.diagnose(e));
}

function decode(e: ErrorObject): SchemaError {
  return {
    keyword: e.keyword,
    path: decodePointer(e.instancePath),
    params: e.params as Record<string, unknown>,
    schema: (e.parentSchema ?? {}) as SchemaNode,
    schemaPath: e.schemaPath,
    data: e.data,
    message: e.message ?? 'is invalid',
  };
}

/**
 * Drops errors that only restate another one: ajv's "must match then" wrappers, the inner half
 * of propertyNames errors, the target-level key check when the kind's own check reports the same
 * key more precisely, repeats, and anything else about a value whose type is already wrong.
 */
function selectErrors(errors: readonly SchemaError[], data: unknown): SchemaError[] {
  const seen = new Set<string>();
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.path.join('\0')));
  const out: SchemaError[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.schemaPath.includes('/propertyNames/')) continue;
    if (e.keyword !== 'type' && wrongType.has(e.path.join('\0'))) continue;
    if (e.keyword === 'propertyNames' && isKindDispatch(e.schema) && hasKnownKind(valueAt(data, e.path), e.schema)) continue;
    const id = `${e.path.join('\0')}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(e);
  }
  return out;
}

class Context {
  constructor(
    private readonly src: YamlSource,
    private readonly fileKind: ConfigFileKind,
  ) {}

  diagnose(e: SchemaError): Diagnostic {
    switch (e.keyword) {
      case 'additionalProperties':
        return this.unknownKey(e, String(e.params.additionalProperty), Object.keys(e.schema.properties ?? {}));
      case 'propertyNames':
        return this.badKeyName(e);
      case 'required':
        return this.missingKey(e);
      case 'type':
        return this.wrongType(e);
      case 'enum':
        return this.notOneOf(e);
      case 'const':
        return this.invalid(e, `invalid value ${show(e.data)} for ${this.field(e.path)}; expected ${show(e.schema.const)}`);
      case 'minItems':
        return this.invalid(e, `${this.field(e.path)} cannot be an empty list; expected ${expected(e.schema)}`, {
          hint: e.path.at(-1) === 'platforms' ? 'leave "platforms" out to build for the host platform' : undefined,
        });
      case 'minLength':
        return this.invalid(e, `${this.field(e.path)} cannot be empty; expected ${expected(e.schema)}`);
      case 'pattern':
      case 'minimum':
        return this.invalid(e, `invalid value ${show(e.data)} for ${this.field(e.path)}; expected ${expected(e.schema)}`, {
          hint: patternHint(e),
        });
      default:
        return this.invalid(e, `invalid value for ${this.field(e.path)}: ${e.message}`);
    }
  }

  private unknownKey(e: SchemaError, key: string, allowed: readonly string[]): Diagnostic {
    const inTarget = this.isTarget(e.path);
    const listed = inTarget ? allowed.filter((k) => k !== 'kind') : allowed;
    const near = closest(key, listed);
    // A file named BUILD.yaml with other top-level keys may be another tool's (leeway's, say).
    const foreignFile =
      this.fileKind === 'BUILD.yaml' && e.path.length === 0 && (this.src.file === 'BUILD.yaml' || this.src.file.endsWith('/BUILD.yaml'))
        ? `if this file belongs to another tool, give gob's files another name: build_file: BUILD.gob.yaml in gob.yaml`
        : undefined;
    const hint = didYouMean(near, quote) ?? (inTarget ? otherKindHint(key, this.targetKind(e.path)) : foreignFile);
    return {
      severity: 'error',
      code: 'unknown-key',
      message: `unknown key "${key}" in ${this.owner(e.path)}; expected one of: ${listed.join(', ')}`,
      location: this.at([...e.path, key], 'key'),
      hint,
    };
  }

  private badKeyName(e: SchemaError): Diagnostic {
    const name = String(e.params.propertyName);
    if (isKindDispatch(e.schema)) {
      const allowed = (e.schema.propertyNames?.enum ?? []).map(String);
      return this.unknownKey(e, name, allowed);
    }
    const noun = NAME_NOUNS[e.path.at(-1) ?? ''] ?? 'key';
    const reserved = noun === 'environment variable name' ? RESERVED_ENV[name] : undefined;
    if (reserved !== undefined) {
      const nested = (e.path[0] === 'targets' || e.path[0] === 'profiles') && e.path.length > 2;
      const where = nested ? `${this.field(e.path)} of ${this.owner(e.path.slice(0, 2))}` : this.field(e.path);
      return { severity: 'error', code: 'reserved-env', message: `${name} cannot be set in ${where}: ${reserved.why}`, location: this.at([...e.path, name], 'key'), hint: reserved.hint };
    }
    const rule = e.schema.propertyNames?.[EXPECTED_KEYWORD] ?? 'a different name';
    return {
      severity: 'error',
      code: noun === 'target name' ? 'bad-target-name' : 'invalid-key',
      message: `invalid ${noun} "${name}"; expected ${rule}`,
      location: this.at([...e.path, name], 'key'),
    };
  }

  private missingKey(e: SchemaError): Diagnostic {
    const key = String(e.params.missingProperty);
    const kinds = (e.schema.properties?.kind?.enum ?? []).map(String);
    const isKind = key === 'kind' && kinds.length > 0;
    return {
      severity: 'error',
      code: 'missing-key',
      message: isKind
        ? `${this.owner(e.path)} has no "kind"; expected one of: ${kinds.join(', ')}`
        : `missing key "${key}" in ${this.owner(e.path)}`,
      location: this.at(e.path, 'key'),
      hint: isKind ? `add a line such as "kind: ${kinds[0] ?? ''}"` : undefined,
    };
  }

  private wrongType(e: SchemaError): Diagnostic {
    const last = e.path.at(-1);
    const parent = this.parentSchema(e);
    const inList = last !== undefined && /^\d+$/.test(last) && parent?.items !== undefined;
    const got = describeValue(e.data);
    const message = inList
      ? `expected ${expected(parent)} for ${this.field(e.path.slice(0, -1))}, but item ${Number(last) + 1} is ${got}`
      : `expected ${expected(e.schema)} for ${this.field(e.path)}, got ${got}`;
    return {
      severity: 'error',
      code: 'wrong-type',
      message,
      location: this.at(e.path, 'value'),
      hint: typeHint(e, this.sourceText(e.path)),
    };
  }

  private notOneOf(e: SchemaError): Diagnostic {
    const allowed = (e.schema.enum ?? []).map(String);
    const near = typeof e.data === 'string' ? closest(e.data, allowed) : [];
    if (e.path.at(-1) === 'kind' && this.isTarget(e.path.slice(0, -1))) {
      return {
        severity: 'error',
        code: 'unknown-kind',
        message: `unknown target kind ${show(e.data)}; expected one of: ${allowed.join(', ')}`,
        location: this.at(e.path, 'value'),
        hint: didYouMean(near, quote),
      };
    }
    return this.invalid(e, `invalid value ${show(e.data)} for ${this.field(e.path)}; expected one of: ${allowed.join(', ')}`, {
      hint: didYouMean(near, quote),
    });
  }

  private invalid(e: SchemaError, message: string, extra: { hint?: string | undefined } = {}): Diagnostic {
    return { severity: 'error', code: 'invalid-value', message, location: this.at(e.path, 'value'), hint: extra.hint };
  }

  private at(path: readonly string[], part: 'key' | 'value'): Location {
    return locationAt(this.src, path, part);
  }

  private sourceText(path: readonly string[]): string | undefined {
    const r = findNode(this.src, path)?.value?.range;
    return r === undefined || r === null ? undefined : this.src.text.slice(r[0], r[1]);
  }

  private isTarget(path: readonly string[]): boolean {
    return this.fileKind === 'BUILD.yaml' && path.length === 2 && path[0] === 'targets';
  }

  private targetKind(path: readonly string[]): string | undefined {
    const kind = valueAt(this.src.data, [...path, 'kind']);
    return typeof kind === 'string' ? kind : undefined;
  }

  /** What holds the keys at `path`: `go_binary target "payment"`, `profile "debug"`, `"cache.remote"`. */
  private owner(path: readonly string[]): string {
    if (path.length === 0) return this.fileKind;
    const name = path[1] ?? '';
    if (this.isTarget(path)) {
      const kind = this.targetKind(path);
      return kind === 'go_binary' || kind === 'go_test' ? `${kind} target "${name}"` : `target "${name}"`;
    }
    if (this.fileKind === 'gob.yaml' && path.length === 2 && path[0] === 'profiles') return `profile "${name}"`;
    return `"${dotted(path)}"`;
  }

  /**
   * How messages name the value at `path`: relative to its target or profile (`"tags"`,
   * `"env.CGO_ENABLED"`), else from the file's root (`"cache.max_size"`).
   */
  private field(path: readonly string[]): string {
    const last = path.at(-1);
    if (last !== undefined && /^\d+$/.test(last)) return `item ${Number(last) + 1} of ${this.field(path.slice(0, -1))}`;
    const nested = (path[0] === 'targets' || path[0] === 'profiles') && path.length > 2;
    if (path.length === 0) return this.fileKind;
    if ((path[0] === 'targets' || path[0] === 'profiles') && path.length === 2) return this.owner(path);
    return `"${dotted(nested ? path.slice(2) : path)}"`;
  }

  /** The schema one level up from the failing keyword's schema (the list around an item). */
  private parentSchema(e: SchemaError): SchemaNode | undefined {
    const parts = e.schemaPath.replace(/^#\/?/, '').split('/').map(unescapePointer);
    // schemaPath ends in <...>/items/type for an item; the list's schema is two levels above.
    if (parts.length < 3 || parts.at(-2) !== 'items') return undefined;
    const root = gobSchema() as SchemaNode;
    let node: unknown = parts[0] === '$defs' ? root : root.$defs?.[FILE_DEFS[this.fileKind]];
    for (const p of parts.slice(0, -2)) {
      node = isRecord(node) ? node[p] : undefined;
    }
    return isRecord(node) ? node : undefined;
  }
}

function isKindDispatch(schema: SchemaNode): boolean {
  return schema.propertyNames?.enum !== undefined && schema.properties?.kind?.enum !== undefined;
}

function hasKnownKind(value: unknown, schema: SchemaNode): boolean {
  const kind = isRecord(value) ? value.kind : undefined;
  return (schema.properties?.kind?.enum ?? []).includes(kind);
}

/** For a key that is valid in another target kind: say so instead of just "unknown". */
function otherKindHint(key: string, kind: string | undefined): string | undefined {
  const defs = (gobSchema() as SchemaNode).$defs ?? {};
  const owners = Object.values(defs)
    .filter((d) => d.title !== undefined && d.title !== `${kind ?? ''} target` && d.properties?.kind?.const !== undefined)
    .filter((d) => d.properties?.[key] !== undefined)
    .map((d) => String(d.properties?.kind?.const));
  if (owners.length === 0) return undefined;
  return `"${key}" is a key of ${owners.join(' and ')} targets${kind === undefined ? '' : `, not of ${kind} targets`}`;
}

/** Words for what a schema accepts: its x-expected annotation, else derived from its type. */
function expected(schema: SchemaNode | undefined): string {
  if (schema === undefined) return 'a different value';
  const words = schema[EXPECTED_KEYWORD];
  if (words !== undefined) return words;
  const types = schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
  const one = (t: string): string => {
    switch (t) {
      case 'string':
        return (schema.minLength ?? 0) > 0 ? 'a non-empty string' : 'a string';
      case 'boolean':
        return 'true or false';
      case 'integer':
        return 'a whole number';
      case 'number':
        return 'a number';
      case 'array':
        return schema.items?.type === 'string' ? 'a list of strings' : 'a list';
      case 'object':
        return 'a map';
      default:
        return t;
    }
  };
  if (schema.const !== undefined) return show(schema.const);
  return types.length === 0 ? 'a different value' : types.map(one).join(' or ');
}

/** Words for a value's YAML type: "a number", "a list", "nothing (an empty value)". */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (an empty value)';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return `a boolean (${String(v)})`;
    case 'object':
      return 'a map';
    default:
      return typeof v;
  }
}

/** Advice for the wrong-type mistakes YAML makes easy. */
function typeHint(e: SchemaError, text: string | undefined): string | undefined {
  const wants = typeof e.schema.type === 'string' ? [e.schema.type] : (e.schema.type ?? []);
  const key = e.path.at(-1) ?? '';
  if (wants.includes('string') && (typeof e.data === 'number' || typeof e.data === 'boolean') && text !== undefined) {
    if (key === 'timeout' && typeof e.data === 'number') return `add a unit, e.g. timeout: ${String(e.data)}s`;
    const label = /^\d+$/.test(key) ? '' : `${key}: `;
    return `YAML reads ${text} as ${describeValue(e.data)}; quote it to make it a string: ${label}"${text}"`;
  }
  if (wants.includes('array') && typeof e.data === 'string') return `write a list, even for one item: ${key}: [${e.data}]`;
  return undefined;
}

function patternHint(e: SchemaError): string | undefined {
  if (typeof e.data !== 'string') return undefined;
  if (e.schemaPath.includes('/tags/') && /[\s,]/.test(e.data)) {
    return `write each tag as its own list item: [${e.data.split(/[\s,]+/).filter((t) => t !== '').join(', ')}]`;
  }
  return undefined;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let v = data;
  for (const seg of path) {
    if (Array.isArray(v)) v = v[Number(seg)];
    else if (isRecord(v)) v = v[seg];
    else return undefined;
  }
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `["targets", "x", "tags", "0"]` → `targets.x.tags[0]`. */
function dotted(path: readonly string[]): string {
  let out = '';
  for (const seg of path) out += /^\d+$/.test(seg) ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

function decodePointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
}

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function quote(s: string): string {
  return `"${s}"`;
}
