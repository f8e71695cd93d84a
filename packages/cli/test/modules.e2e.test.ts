import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE, GOB_MAIN, buildFinished, parseEvents, tempCopy, tempDir } from './harness.js';

const HOOK = fileURLToPath(new URL('./fixtures/record-modules.mjs', import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

/** Runs gob recording every module it loads. */
function gobWithModules(args: string[], cwd: string, cache: string, log: string): Promise<{ code: number | null; stdout: string; modules: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, GOB_MAIN, ...args], {
      cwd,
      env: { ...process.env, GOB_CACHE_DIR: cache, CI: 'true', GOB_TEST_MODULE_LOG: log },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.on('error', reject);
    child.on('close', (code) => {
      fs.readFile(log, 'utf8').then((text) => {
        resolve({ code, stdout, modules: text.split('\n').filter((l) => l !== '') });
      }, reject);
    });
  });
}

describe('what a build loads', () => {
  it('a build that reuses its plan loads neither the YAML parser, the schema, fast-glob nor the Go model', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    const logs = await tempDir('gob-modules-');
    dirs.push(ws, cache, logs);
    const first = await gobWithModules(['build', '//...', '--ui=json'], ws, cache, path.join(logs, 'first'));
    expect(first.code).toBe(0);
    // Planning from scratch loads them (the check below is only meaningful if this holds).
    const heavy = (m: string) => /node_modules\/(yaml|fast-glob|ajv)\/|core\/(dist|generated)\/(workspace\/load-workspace|golang\/graph|golang\/modules|labels\/resolve|actions\/plan|schema-validators)/.test(m);
    expect(first.modules.filter(heavy).length).toBeGreaterThan(0);

    const again = await gobWithModules(['build', '//...', '--ui=json'], ws, cache, path.join(logs, 'again'));
    expect(again.code).toBe(0);
    expect(buildFinished(parseEvents(again.stdout)).counts).toMatchObject({ built: 0, cached: 7 });
    expect(again.modules.filter(heavy)).toEqual([]);
  });
});
