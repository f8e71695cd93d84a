/**
 * The JSON Schema shipped in packages/core/schema/gob.schema.json (the one editors use), compiled
 * once with ajv. This module only runs the validation; schema-errors.ts turns ajv's errors into
 * diagnostics.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';

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

let compiled: { schema: AnySchemaObject; validators: Record<ConfigFileKind, ValidateFunction> } | undefined;

/** The schema document itself (parsed JSON). */
export function gobSchema(): AnySchemaObject {
  return load().schema;
}

/** Validates plain data; returns ajv's errors (empty when valid). */
export function validateConfig(kind: ConfigFileKind, data: unknown): ErrorObject[] {
  const validate = load().validators[kind];
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

function load(): NonNullable<typeof compiled> {
  if (compiled !== undefined) return compiled;
  const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as AnySchemaObject;
  // verbose: errors carry the failing value and the schema object around it, which the messages
  // need. allowUnionTypes: cache.max_size is a string or an integer.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addVocabulary([EXPECTED_KEYWORD]);
  ajv.addSchema(schema);
  const get = (kind: ConfigFileKind): ValidateFunction => {
    const v = ajv.getSchema(`${SCHEMA_ID}#/$defs/${DEFS[kind]}`);
    if (v === undefined) throw new Error(`gob.schema.json has no $defs/${DEFS[kind]}`);
    return v;
  };
  compiled = { schema, validators: { 'gob.yaml': get('gob.yaml'), 'BUILD.yaml': get('BUILD.yaml') } };
  return compiled;
}
