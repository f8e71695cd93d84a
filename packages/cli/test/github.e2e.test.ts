import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE, gob, parseEvents, tempCopy, tempDir } from './harness.js';

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

  it("places a C compiler's errors in a cgo package on the C files, which it names relative to the package", async () => {
    const ws = await tempDir('gob-cgo-');
    const cache = await tempDir('gob-cache-');
    dirs.push(ws, cache);
    const files: Record<string, string> = {
      'go.mod': 'module example.com/cg\n\ngo 1.26\n',
      'gob.yaml': 'version: 1\ngo:\n  env: { CGO_ENABLED: "1" }\n',
      'cmd/app/BUILD.yaml': 'targets:\n  app: { kind: go_binary }\n',
      'cmd/app/main.go': 'package main\n\nimport (\n\t"example.com/cg/lib/cc"\n\t"example.com/cg/lib/hh"\n)\n\nfunc main() { println(cc.F() + hh.G()) }\n',
      'lib/cc/cc.go': 'package cc\n\n// int f(void);\nimport "C"\n\nfunc F() int { return int(C.f()) }\n',
      'lib/cc/f.c': 'int f(void) {\n  return undefined_in_c;\n}\n',
      'lib/hh/hh.go': 'package hh\n\n// #include "inc.h"\nimport "C"\n\nfunc G() int { return int(C.g()) }\n',
      'lib/hh/inc.h': 'static int g(void) { return undefined_in_header; }\n',
    };
    for (const [name, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(ws, name)), { recursive: true });
      await fs.writeFile(path.join(ws, name), text);
    }
    const events = path.join(cache, 'events.jsonl');
    const r = await gob(['build', '//cmd/app', '--events', events], { cwd: ws, cacheDir: cache, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    // gcc names them `f.c` and `./inc.h`, from each package's directory, where go runs it.
    expect(r.stderr).toMatch(/^f\.c:2:10: /m);
    expect(r.stderr).toMatch(/^\.\/inc\.h:1:\d+: /m);
    expect(r.stderr).toMatch(/^::error file=lib\/hh\/inc\.h,line=1,col=\d+::.*undefined_in_header/m);
    expect(r.stderr).toMatch(/^::error file=lib\/cc\/f\.c,line=2,col=10::.*undefined_in_c/m);
    const failed = parseEvents(await fs.readFile(events, 'utf8')).find((e) => e.type === 'action.finished');
    expect(failed).toMatchObject({
      status: 'failed',
      packageDirs: { 'example.com/cg/lib/cc': path.join(ws, 'lib/cc'), 'example.com/cg/lib/hh': path.join(ws, 'lib/hh') },
    });
  });
});
