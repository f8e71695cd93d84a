/**
 * Several real processes sharing one cache directory, each running the real LocalCache code.
 *
 * Node 20 cannot import .ts files and vitest's transform does not reach child processes, so
 * `beforeAll` transpiles local-cache.ts and everything it imports (types only stripped, via the
 * TypeScript compiler's transpileModule) into a temp directory, and the children run a small
 * worker script against that copy. Nothing is re-implemented for the test.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeActionResult } from './action-result-json.js';

const SRC = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ENTRY = path.join(SRC, 'cache', 'local-cache.ts');

/** Transpiles `entry` and its relative imports, keeping paths, so `.js` imports resolve. */
async function transpileClosure(entry: string, outDir: string): Promise<void> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await fs.readFile(file, 'utf8');
    for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      queue.push(path.resolve(path.dirname(file), `${m[1] ?? ''}.ts`));
    }
    const js = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    }).outputText;
    const out = path.join(outDir, path.relative(SRC, file)).replace(/\.ts$/, '.js');
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, js);
  }
  await fs.writeFile(path.join(outDir, 'package.json'), '{"type":"module"}');
}

/**
 * The worker: for 3 rounds over 50 actions (starting at a different action per worker, so
 * they collide on different entries at different moments) it looks the action up and, on a
 * miss, "builds" it: puts the output blob, moves a staged log file in, writes the result. Then
 * it reads the blob back and restores it. It reports what went wrong instead of throwing.
 * `strict` means every lookup after a put must hit; `tolerant` (while another process trims)
 * allows misses but still never wrong bytes.
 */
const WORKER = `
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { LocalCache } from './cache/local-cache.js';
import { hashBytes } from './hashing/hash-bytes.js';

const [dir, id, scratch, mode, maxSize] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const warnings = [];
const problems = [];
if (mode === 'trimmer') {
  const cache = new LocalCache({ dir, maxSizeBytes: Number(maxSize), onWarning: (d) => warnings.push(d) });
  // At least 60 rounds, and on until something was evicted: on a loaded machine the writers may
  // start only after 60 quick rounds over an empty cache are over (capped at 60 s).
  let removed = 0;
  const until = Date.now() + 60_000;
  for (let i = 0; i < 60 || (removed === 0 && Date.now() < until); i++) {
    removed += (await cache.trim()).removedEntries;
    await sleep(2);
  }
  process.stdout.write(JSON.stringify({ id, removed, warnings, problems }));
  process.exit(0);
}
const N = 50;
const cache = new LocalCache({ dir, onWarning: (d) => warnings.push(d) });
const outDir = path.join(scratch, 'w' + id);
await mkdir(outDir, { recursive: true });
const binOf = (i) => Buffer.from(('output ' + i + ' ').repeat(200 + 37 * i));
const logOf = (i) => Buffer.from(('log of action ' + i + '\\n').repeat(10 + i));
let hits = 0, puts = 0, misses = 0;
for (let round = 0; round < 3; round++) {
  for (let j = 0; j < N; j++) {
    const i = (j + Number(id) * 17) % N;
    const key = hashBytes('concurrency key ' + i);
    let result = await cache.getActionResult(key);
    if (result === undefined) {
      const bin = await cache.putBlob(binOf(i));
      const staged = path.join(outDir, 'log-' + i + '-' + round);
      await writeFile(staged, logOf(i));
      const log = await cache.putBlobFromFile(staged, { move: true });
      await cache.putActionResult(key, {
        outputs: [{ path: 'bin', digest: bin.digest, size: bin.size, executable: true }],
        exitCode: 0, stderrDigest: log.digest, durationMs: 1, createdAt: '2025-01-01T00:00:00.000Z',
      });
      puts++;
      result = await cache.getActionResult(key);
      if (result === undefined) {
        misses++;
        if (mode === 'strict') problems.push('miss right after put of ' + i);
        continue;
      }
    } else hits++;
    const out = result.outputs[0];
    const blob = await cache.getBlob(out.digest);
    if (blob === undefined) { misses++; if (mode === 'strict') problems.push('blob missing for ' + i); }
    else if (!blob.equals(binOf(i))) problems.push('wrong blob for ' + i);
    const dest = path.join(outDir, 'bin-' + i);
    if (await cache.materializeBlob(out.digest, dest, { executable: true })) {
      if (!(await readFile(dest)).equals(binOf(i))) problems.push('wrong restored bytes for ' + i);
    } else {
      misses++;
      if (mode === 'strict') problems.push('could not restore ' + i);
    }
  }
}
process.stdout.write(JSON.stringify({ id, hits, puts, misses, warnings, problems }));
`;

interface WorkerReport {
  readonly id: string;
  readonly hits?: number;
  readonly puts?: number;
  readonly removed?: number;
  readonly warnings: unknown[];
  readonly problems: string[];
}

let compiled: string;
let dir: string;
let scratch: string;

beforeAll(async () => {
  compiled = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-cache-compiled-'));
  await transpileClosure(ENTRY, compiled);
  await fs.writeFile(path.join(compiled, 'worker.mjs'), WORKER);
});
afterAll(async () => {
  await fs.rm(compiled, { recursive: true, force: true });
});
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-cache-shared-'));
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-cache-workers-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rm(scratch, { recursive: true, force: true });
});

function runWorker(args: string[]): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(compiled, 'worker.mjs'), dir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let errText = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (errText += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${args[0] ?? ''} exited with ${String(code)}: ${errText}`));
      else resolve(JSON.parse(out) as WorkerReport);
    });
  });
}

/** Every entry left in the cache is whole: blobs match their names, results parse, no temp files. */
async function expectCacheConsistent(): Promise<{ blobs: number; results: number }> {
  let blobs = 0;
  let results = 0;
  for (const kind of ['cas', 'ac'] as const) {
    const top = path.join(dir, kind);
    const shards = await fs.readdir(top).catch(() => []);
    for (const shard of shards) {
      for (const name of await fs.readdir(path.join(top, shard))) {
        const file = path.join(top, shard, name);
        const data = await fs.readFile(file);
        expect((await fs.stat(file)).mode & 0o777).toBe(0o444);
        if (kind === 'cas') {
          expect(createHash('sha256').update(data).digest('hex')).toBe(name);
          blobs++;
        } else {
          expect(decodeActionResult(data.toString('utf8'))).toBeDefined();
          results++;
        }
      }
    }
  }
  expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
  return { blobs, results };
}

describe('LocalCache shared by several processes', () => {
  it('4 processes putting and getting the same 50 actions all succeed, with no damaged entries', async () => {
    const reports = await Promise.all(['0', '1', '2', '3'].map((id) => runWorker([id, scratch, 'strict'])));
    for (const r of reports) {
      expect(r.problems).toEqual([]);
      expect(r.warnings).toEqual([]);
      expect((r.hits ?? 0) + (r.puts ?? 0)).toBe(150);
    }
    // Every action was built at least once, and most lookups were hits from someone's put.
    expect(reports.reduce((n, r) => n + (r.hits ?? 0), 0)).toBeGreaterThanOrEqual(4 * 150 - 4 * 50);
    expect(await expectCacheConsistent()).toEqual({ blobs: 100, results: 50 });
  });

  it('3 writers and a process trimming to a tiny bound never see wrong bytes or damage', async () => {
    const reports = await Promise.all([
      ...['0', '1', '2'].map((id) => runWorker([id, scratch, 'tolerant'])),
      runWorker(['trimmer', scratch, 'trimmer', '20000']),
    ]);
    for (const r of reports) {
      expect(r.problems).toEqual([]);
      expect(r.warnings).toEqual([]);
    }
    expect(reports[3]?.removed ?? 0).toBeGreaterThan(0);
    await expectCacheConsistent();
  });
});
