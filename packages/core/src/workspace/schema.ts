/**
 * The JSON Schema shipped in packages/core/schema/gob.schema.json (the one editors use) and its
 * validators. The package build compiles the schema into standalone validator code
 * (scripts/compile-schema.mjs → generated/schema-validators.js), so a normal run neither loads
 * ajv nor compiles the schema; without that file (tests run before a build) the schema is
 * compiled here with the same options. schema-errors.ts turns ajv's errors into diagnostics.
 */
import { readFileSync } from 'node:fs';
import type { AnySchemaObject, ErrorObject } from 'ajv';

/** Which file a document is: selects the schema's `$defs` entry. */
export type ConfigFileKind = 'gob.yaml' | 'BUILD.yaml';

const SCHEMA_ID = 'gob.schema.json';
const DEFS: Record<ConfigFileKind, string> = { 'gob.yaml': 'gobFile', 'BUILD.yaml': 'buildFile' };

/**
 * gob's own schema annotation: the words used in messages for what a value must look like
 * ("a Go duration such as …"). Editors ignore it.
 */
export const EXPECTED_KEYWORD = 'x-expected';

// Same relative position from src/workspace/ (tests) and dist/workspace/ (the built package).
const SCHEMA_URL = new URL('../../schema/gob.schema.json', import.meta.url);
const GENERATED_URL = new URL('../../generated/schema-validators.js', import.meta.url);

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null | undefined;
}

let schemaDoc: AnySchemaObject | undefined;

/** The schema document itself (parsed JSON). */
export function gobSchema(): AnySchemaObject {
  schemaDoc ??= JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as AnySchemaObject;
  return schemaDoc;
}

/** Which implementation validates: the build's precompiled code, or ajv at run time. */
export let validatorSource: 'precompiled' | 'runtime' = 'precompiled';

const validators: Record<ConfigFileKind, Validator> = await loadValidators();

/** Validates plain data; returns ajv's errors (empty when valid). */
export function validateConfig(kind: ConfigFileKind, data: unknown): ErrorObject[] {
  const validate = validators[kind];
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

async function loadValidators(): Promise<Record<ConfigFileKind, Validator>> {
  if (process.env.GOB_SCHEMA_RUNTIME !== '1') {
    try {
      const m = (await import(GENERATED_URL.href)) as Record<string, Validator | undefined>;
      const gob = m[DEFS['gob.yaml']];
      const build = m[DEFS['BUILD.yaml']];
      if (gob !== undefined && build !== undefined) return { 'gob.yaml': gob, 'BUILD.yaml': build };
    } catch {
      // Not built yet: compile below.
    }
  }
  validatorSource = 'runtime';
  return compileAtRuntime();
}

/** Keep these options identical to scripts/compile-schema.mjs. */
export async function compileAtRuntime(): Promise<Record<ConfigFileKind, Validator>> {
  const { Ajv } = await import('ajv');
  // verbose: errors carry the failing value and the schema object around it, which the messages
  // need. allowUnionTypes: cache.max_size is a string or an integer.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addVocabulary([EXPECTED_KEYWORD]);
  ajv.addSchema(gobSchema());
  const get = (kind: ConfigFileKind): Validator => {
    const v = ajv.getSchema(`${SCHEMA_ID}#/$defs/${DEFS[kind]}`);
    if (v === undefined) throw new Error(`gob.schema.json has no $defs/${DEFS[kind]}`);
    return v;
  };
  return { 'gob.yaml': get('gob.yaml'), 'BUILD.yaml': get('BUILD.yaml') };
}
