import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  writeMonoModuleLayout,
  writeReplaceModulesLayout,
  writeTree,
  writeWorkspaceLayout,
  type Layout,
} from '../../core/src/golang/testing/generate-layouts.js';
import { buildFinished, gob, tempDir } from './harness.js';

/** Every BUILD.yaml under root with its text, for "running init twice changes nothing". */
async function buildFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && (e.name === 'BUILD.yaml' || e.name === 'gob.yaml')) {
      const abs = path.join(e.parentPath, e.name);
      out.set(path.relative(root, abs), await fs.readFile(abs, 'utf8'));
    }
  }
  return out;
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function fresh(write: (root: string) => Promise<Layout>): Promise<{ root: string; cache: string; layout: Layout }> {
  const root = await tempDir('gob-init-');
  const cache = await tempDir('gob-cache-');
  dirs.push(root, cache);
  return { root, cache, layout: await write(root) };
}

const main = (imports: string[], body: string): string =>
  `package main\n\nimport (\n${imports.map((i) => `\t"${i}"\n`).join('')})\n\nfunc main() { ${body} }\n`;

/** One module, many cmd/* mains sharing internal libraries; compiles. */
async function writeManyMains(root: string): Promise<Layout> {
  const files: Record<string, string> = {
    'go.mod': 'module example.com/many\n\ngo 1.26\n',
    'internal/greet/greet.go': 'package greet\n\nimport "example.com/many/internal/words"\n\nfunc Hello() string { return words.Hi + "!" }\n',
    'internal/words/words.go': 'package words\n\nconst Hi = "hi"\n',
    'internal/words/words_test.go': 'package words\n\nimport "testing"\n\nfunc TestHi(t *testing.T) {}\n',
    'tools/gen/main.go': main(['fmt'], 'fmt.Println("gen")'),
  };
  const roots = ['tools/gen'];
  for (let i = 0; i < 8; i++) {
    files[`cmd/app${i}/main.go`] = main(['fmt', 'example.com/many/internal/greet'], 'fmt.Println(greet.Hello())');
    roots.push(`cmd/app${i}`);
  }
  await writeTree(root, files);
  return { roots, goListDirs: new Map(), goWork: 'off' };
}

/** A go.work over two modules, with a main at the workspace root too; compiles. */
async function writeGoWork(root: string): Promise<Layout> {
  await writeTree(root, {
    'go.work': 'go 1.26\n\nuse (\n\t.\n\t./lib\n\t./svc\n)\n',
    'go.mod': 'module example.com/top\n\ngo 1.26\n',
    'main.go': main(['fmt', 'example.com/lib/text'], 'fmt.Println(text.Upper("top"))'),
    'lib/go.mod': 'module example.com/lib\n\ngo 1.26\n',
    'lib/text/text.go': 'package text\n\nimport "strings"\n\nfunc Upper(s string) string { return strings.ToUpper(s) }\n',
    'svc/go.mod': 'module example.com/svc\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n',
    'svc/api/main.go': main(['fmt', 'example.com/lib/text'], 'fmt.Println(text.Upper("api"))'),
    'svc/worker/main.go': main(['fmt'], 'fmt.Println("worker")'),
    'svc/worker/_old/main.go': main(['fmt'], 'fmt.Println("ignored: underscore dir")'),
  });
  return { roots: ['', 'svc/api', 'svc/worker'], goListDirs: new Map(), goWork: 'auto' };
}

describe('gob init', () => {
  const layouts: [string, (root: string) => Promise<Layout>][] = [
    ['one module with many cmd/* mains', writeManyMains],
    ['a go.work workspace with a main at its root', writeGoWork],
    ['independent modules joined by replace directives', writeReplaceModulesLayout],
  ];
  for (const [name, write] of layouts) {
    it(`targets every main package of ${name}, and gob build builds them all`, async () => {
      const { root, cache, layout } = await fresh(write);
      const init = await gob(['init'], { cwd: root, cacheDir: cache });
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      const files = await buildFiles(root);
      expect(files.has('gob.yaml')).toBe(true);
      const targeted = [...files.keys()].filter((f) => f.endsWith('BUILD.yaml')).map((f) => path.dirname(f).replace(/^\.$/, ''));
      expect(targeted.sort()).toEqual([...layout.roots].sort());

      const built = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache });
      expect(built.stderr).toBe('');
      expect(built.code, built.stdout).toBe(0);
      const finished = buildFinished(built.events);
      expect(finished.counts.built).toBe(layout.roots.length);
      for (const out of finished.outputs) await fs.access(path.join(root, out));

      // Running it again changes nothing.
      const again = await gob(['init'], { cwd: root, cacheDir: cache });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`0 target(s) added, ${layout.roots.length} already had one`);
      expect(await buildFiles(root)).toEqual(files);
    });
  }

  it('finds only buildable main packages in a layout exercising every file selection rule', async () => {
    const { root, cache, layout } = await fresh(writeWorkspaceLayout);
    const init = await gob(['init'], { cwd: root, cacheDir: cache });
    expect(init.code).toBe(0);
    const targeted = [...(await buildFiles(root)).keys()].filter((f) => f.endsWith('BUILD.yaml')).map((f) => path.dirname(f).replace(/^\.$/, ''));
    // The fixture's roots include packages that are main only on other platforms or with cgo;
    // init targets the ones that are main on this machine, and no others.
    expect(targeted.length).toBeGreaterThan(0);
    for (const dir of targeted) expect(layout.roots).toContain(dir);
  });

  it('never changes hand-written targets', async () => {
    const { root, cache, layout } = await fresh((r) => writeMonoModuleLayout(r, { mains: 2, libs: 2 }));
    const [first, second] = layout.roots;
    if (first === undefined || second === undefined) throw new Error('layout has fewer than two mains');
    const handWritten = '# ours\ntargets:\n  custom:\n    kind: go_binary\n    out: renamed\n';
    await fs.writeFile(path.join(root, first, 'BUILD.yaml'), handWritten);
    const testOnly = '# tests only\ntargets:\n  unit:\n    kind: go_test\n    race: true\n';
    await fs.writeFile(path.join(root, second, 'BUILD.yaml'), testOnly);

    const init = await gob(['init'], { cwd: root, cacheDir: cache });
    expect(init.code).toBe(0);
    expect(await fs.readFile(path.join(root, first, 'BUILD.yaml'), 'utf8')).toBe(handWritten);
    const updated = await fs.readFile(path.join(root, second, 'BUILD.yaml'), 'utf8');
    expect(updated.startsWith(testOnly.trimEnd())).toBe(true);
    expect(updated).toContain('kind: go_binary');
    expect(init.stdout).toContain(`updated ${second}/BUILD.yaml`);
  });

  it("keeps out of another tool's BUILD.yaml files: gob's targets go in BUILD.gob.yaml, and gob build builds them", async () => {
    const leeway = 'packages:\n  - name: app\n    type: go\n    srcs: ["**/*.go", "go.mod"]\n    config:\n      buildCommand: ["go", "build", "-trimpath", "-ldflags", "-buildid= -w -s"]\n';
    const { root, cache } = await fresh(async (r) => {
      await writeTree(r, {
        'go.mod': 'module example.com/lw\n\ngo 1.26\n',
        'BUILD.yaml': 'packages:\n  - name: all\n    type: generic\n',
        'app/BUILD.yaml': leeway,
        'app/main.go': main(['fmt'], 'fmt.Println("app")'),
        'tool/main.go': main(['fmt'], 'fmt.Println("tool")'),
      });
      return { roots: ['app', 'tool'], goListDirs: new Map(), goWork: 'off' };
    });
    const init = await gob(['init'], { cwd: root, cacheDir: cache });
    expect(init.code).toBe(0);
    expect(init.stderr).toContain("2 BUILD.yaml files are another tool's (BUILD.yaml, app/BUILD.yaml)");
    expect(await fs.readFile(path.join(root, 'app/BUILD.yaml'), 'utf8')).toBe(leeway);
    const build = await gob(['build', '//...', '--ui=json'], { cwd: root, cacheDir: cache });
    expect(build.code, build.stderr).toBe(0);
    expect(buildFinished(build.events).counts).toMatchObject({ built: 2, failed: 0 });
    await fs.access(path.join(root, 'gob-out/bin/app/app'));
  });
});
