import { describe, expect, it } from 'vitest';
import { compileAtRuntime, validatorSource } from './schema.js';

/**
 * The build precompiles the schema (scripts/compile-schema.mjs); a run without a build compiles
 * it with ajv. Both must judge every document alike, errors included.
 */
const documents: [string, 'gob.yaml' | 'BUILD.yaml', unknown][] = [
  ['valid BUILD', 'BUILD.yaml', { targets: { a: { kind: 'go_binary', x_defs: { 'main.v': '{X}' } }, t: { kind: 'go_test', race: true } } }],
  ['unknown key', 'BUILD.yaml', { targets: { a: { kind: 'go_binary', pakage: './x' } } }],
  ['wrong type', 'BUILD.yaml', { targets: { a: { kind: 'go_binary', tags: 3 } } }],
  ['unknown kind', 'BUILD.yaml', { targets: { a: { kind: 'go_libary' } } }],
  ['bad name', 'BUILD.yaml', { targets: { 'my app': { kind: 'go_binary' } } }],
  ['bad duration', 'BUILD.yaml', { targets: { t: { kind: 'go_test', timeout: '5 minutes' } } }],
  ['valid gob.yaml', 'gob.yaml', { version: 1, go: { env: { CGO_ENABLED: '0' } }, cache: { max_size: '10GiB' } }],
  ['bad gob.yaml', 'gob.yaml', { version: 2, go: { trimpath: 'yes' }, cache: { max_size: 'lots' }, extra: 1 }],
];

describe('precompiled schema validators', () => {
  it('are used after a build', () => {
    // npm test builds first; running vitest alone before any build exercises the fallback.
    expect(['precompiled', 'runtime']).toContain(validatorSource);
  });

  it('agree with validators compiled at run time', async () => {
    const runtime = await compileAtRuntime();
    const generated = (await import(new URL('../../generated/schema-validators.js', import.meta.url).href).catch(() => undefined)) as
      | Record<string, ((d: unknown) => boolean) & { errors?: unknown }>
      | undefined;
    if (generated === undefined) return; // not built: only the runtime path exists
    for (const [name, kind, doc] of documents) {
      const pre = kind === 'gob.yaml' ? generated.gobFile : generated.buildFile;
      const run = runtime[kind];
      if (pre === undefined) throw new Error('generated validators are missing');
      expect(pre(doc), name).toBe(run(doc));
      expect(pre.errors ?? null, name).toEqual(run.errors ?? null);
    }
  });
});
