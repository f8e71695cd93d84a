import { describe, expect, it } from 'vitest';
import { TARGET_KINDS } from '../types.js';
import { TARGET_NAME_PATTERN } from '../labels/label.js';
import { parseSize } from './config.js';
import { gobSchema, validateConfig } from './schema.js';

interface Node {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Node>;
  additionalProperties?: boolean | Node;
  propertyNames?: Node & { enum?: string[] };
  pattern?: string;
  enum?: string[];
  [key: string]: unknown;
}

const schema = gobSchema() as Node & { $defs: Record<string, Node> };
const defs = schema.$defs;

/** Every schema object in the document, with its JSON pointer, skipping `if` conditions. */
function walk(node: unknown, at = '#', out: [string, Node][] = []): [string, Node][] {
  if (Array.isArray(node)) {
    node.forEach((n, i) => walk(n, `${at}/${String(i)}`, out));
  } else if (typeof node === 'object' && node !== null) {
    out.push([at, node as Node]);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'if' || k === 'enum' || k === 'const') continue;
      walk(v, `${at}/${k}`, out);
    }
  }
  return out;
}

function props(def: string): string[] {
  return Object.keys(defs[def]?.properties ?? {});
}

describe('gob.schema.json', () => {
  it('describes every property, for editors', () => {
    const missing: string[] = [];
    for (const [at, node] of walk(schema)) {
      for (const [name, p] of Object.entries(node.properties ?? {})) {
        if (typeof p.description !== 'string' || p.description.length < 10) missing.push(`${at}/properties/${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('closes every object: fixed keys are additionalProperties: false, maps check their key names', () => {
    const open: string[] = [];
    for (const [at, node] of walk(schema)) {
      const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
      if (!isObject || at === '#') continue;
      const closed =
        node.additionalProperties === false ||
        (typeof node.additionalProperties === 'object' && node.propertyNames !== undefined && node.properties === undefined) ||
        // The target dispatcher: its keys are closed by a list here and per kind below.
        Array.isArray(node.propertyNames?.enum);
      if (!closed) open.push(at);
    }
    expect(open).toEqual([]);
  });

  it('agrees with the code on kinds, target names and the keys a target may have', () => {
    expect(defs.target?.properties?.kind?.enum).toEqual([...TARGET_KINDS]);
    expect(defs.buildFile?.properties?.targets?.propertyNames?.pattern).toBe(TARGET_NAME_PATTERN.source);
    const union = [...new Set([...props('goBinaryTarget'), ...props('goTestTarget')])].sort();
    expect([...(defs.target?.propertyNames?.enum ?? [])].sort()).toEqual(union);
  });

  it('accepts exactly the sizes parseSize understands', () => {
    const pattern = new RegExp(defs.gobFile?.properties?.cache?.properties?.max_size?.pattern ?? '', 'u');
    for (const s of ['10GiB', '500MB', '1.5 GB', '1024', '0B', '2TiB', '7kB', '10 gigs', 'GB', '1.GB', '-1MB', '10gib', '3 PB']) {
      expect(pattern.test(s), s).toBe(parseSize(s) !== undefined);
    }
  });

  it('accepts the examples of DESIGN.md §3', () => {
    expect(
      validateConfig('gob.yaml', {
        version: 1,
        go: { toolchain: 'local', env: { CGO_ENABLED: '0' }, trimpath: true, buildvcs: false },
        profiles: { debug: { gcflags: ['all=-N -l'], trimpath: false }, release: { ldflags: ['-s', '-w'] } },
        stamp: { command: './tools/stamp.sh' },
        cache: { dir: '~/.cache/gob', max_size: '10GiB', remote: { url: 'grpc://127.0.0.1:9092', read_only: false } },
        ignore: ['third_party/**'],
      }),
    ).toEqual([]);
    expect(
      validateConfig('BUILD.yaml', {
        targets: {
          payment: {
            kind: 'go_binary',
            package: './cmd/payment',
            out: 'payment',
            tags: ['netgo'],
            gcflags: [],
            ldflags: [],
            x_defs: { 'main.version': '{GIT_COMMIT}' },
            env: { CGO_ENABLED: '0' },
            platforms: ['linux/amd64', 'linux/arm64'],
            deps: [],
          },
          payment_test: { kind: 'go_test', packages: ['./...'], race: false, timeout: '5m' },
        },
      }),
    ).toEqual([]);
    expect(validateConfig('gob.yaml', {})).toEqual([]);
    expect(validateConfig('BUILD.yaml', {})).toEqual([]);
  });

  it.each([
    ['5m', true],
    ['90s', true],
    ['1h30m', true],
    ['1.5h', true],
    ['250ms', true],
    ['0', true],
    ['5', false],
    ['5 m', false],
    ['-5m', false],
    ['5min', false],
  ])('timeout %j valid: %s', (timeout, valid) => {
    expect(validateConfig('BUILD.yaml', { targets: { t: { kind: 'go_test', timeout } } }).length === 0).toBe(valid);
  });
});
