import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE, gob, tempCopy, tempDir } from './harness.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

describe('under GitHub Actions', () => {
  it('annotates compile errors at repository paths and writes the step summary', async () => {
    const ws = await tempCopy(EXAMPLE);
    const cache = await tempDir('gob-cache-');
    dirs.push(ws, cache);
    const summary = path.join(cache, 'summary.md');
    await fs.appendFile(path.join(ws, 'services/payment/main.go'), '\nfunc broken() int { return "nope" }\n');
    const r = await gob(['build', '//services/payment', '//services/notify', '-k'], {
      cwd: ws,
      cacheDir: cache,
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^::group::FAILED \/\/services\/payment:payment \(linux\/amd64\)$/m);
    expect(r.stderr).toMatch(/^::error file=services\/payment\/main\.go,line=\d+,col=\d+::/m);
    expect(r.stdout).toContain('1 built, 0 cached, 1 failed');
    const md = await fs.readFile(summary, 'utf8');
    expect(md).toContain('//services/payment:payment');
    expect(md).toContain('//services/notify:notify');
  });
});
