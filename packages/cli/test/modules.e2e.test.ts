import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE, GOB_MAIN, REPO_ROOT, buildFinished, parseEvents, tempCopy, tempDir } from './harness.js';

const HOOK = fileURLToPath(new URL('./fixtures/record-modules.mjs', import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

/**
 * The modules behind the files a process loaded: gob runs bundled (packages/cli/scripts/bundle.mjs),
 * so each bundle file it loaded stands for the modules that went into it. Each appears once.
 */
async function sourceModules(urls: readonly string[]): Promise<string[]> {
  const dist = path.join(REPO_ROOT, 'packages/cli/dist');
  const bundled = JSON.parse(await fs.readFile(path.join(dist, 'bundle-modules.json'), 'utf8')) as Record<string, string[]>;
  const out = new Set<string>();
  for (const url of urls) {
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    const inputs = path.dirname(file) === dist ? bundled[path.basename(file)] : undefined;
    if (inputs === undefined) out.add(file);
    else for (const m of inputs) out.add(path.join(REPO_ROOT, m));
  }
  return [...out];
}

/** Runs gob recording every module it loads (see sourceModules). */
function gobWithModules(args: string[], cwd: string, cache: string, log: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; modules: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, GOB_MAIN, ...args], {
      cwd,
      env: { ...process.env, GOB_CACHE_DIR: cache, CI: 'true', GOB_TEST_MODULE_LOG: log, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.on('error', reject);
    child.on('close', (code) => {
      fs.readFile(log, 'utf8')
        .then((text) => sourceModules(text.split('\n').filter((l) => l !== '')))
        .then((modules) => {
          resolve({ code, stdout, modules });
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
    const heavy = (m: string) =>
      /node_modules\/(yaml|fast-glob|ajv)\/|core\/(dist|generated)\/(workspace\/load-workspace|golang\/(graph|modules|modfile|scanner|header|external)\.js|labels\/resolve|actions\/plan|schema-validators)/.test(m);
    expect(first.modules.filter(heavy).length).toBeGreaterThan(0);

    const again = await gobWithModules(['build', '//...', '--ui=json'], ws, cache, path.join(logs, 'again'));
    expect(again.code).toBe(0);
    expect(buildFinished(parseEvents(again.stdout)).counts).toMatchObject({ built: 0, cached: 7 });
    expect(again.modules.filter(heavy)).toEqual([]);
  });

  it('a served build loads none of gob but its client: no commander, engine, reporters or logger', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    const logs = await tempDir('gob-modules-');
    const serverDir = await tempDir('gob-srv-');
    const env = { GOB_SERVER: '1', GOB_SERVER_DIR: serverDir };
    try {
      const first = await gobWithModules(['build', '//...', '--ui=json'], ws, cache, path.join(logs, 'first'), env);
      expect(first.code).toBe(0);
      expect(buildFinished(parseEvents(first.stdout)).counts).toMatchObject({ built: 7 });
      const client = (m: string) => /node_modules\/(commander|pino|ink|react|yaml)\/|core\/dist\/(engine|index)\.js|ui\/dist\/|cli\/dist\/(cli|commands)/.test(m);
      expect(first.modules.filter(client)).toEqual([]);
      // It was the server that built: the client ran none of that, yet the build happened.
      expect(first.modules.filter((m) => m.includes('cli/dist/server/client.js'))).toHaveLength(1);
    } finally {
      await new Promise((resolve) => {
        spawn(process.execPath, [GOB_MAIN, 'server', 'stop'], { cwd: ws, env: { ...process.env, GOB_SERVER_DIR: serverDir }, stdio: 'ignore' }).on('close', resolve);
      });
      for (const d of [ws, cache, logs, serverDir]) await fs.rm(d, { recursive: true, force: true });
    }
  });
});

