import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTree } from './testing/generate-layouts.js';
import { downloadDirs, moduleErrors } from './module-download.js';

const tmpDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('moduleErrors', () => {
  it("reads go's reason for each module from `go list -m -json` and `go mod download -json`", () => {
    // As go prints them: one indented object after the other.
    const list = [
      '{',
      '\t"Path": "example.com/nope",',
      '\t"Version": "v1.0.0",',
      '\t"Error": {',
      '\t\t"Err": "example.com/nope@v1.0.0: module lookup disabled by GOPROXY=off"',
      '\t}',
      '}',
      '{',
      '\t"Path": "example.com/ok",',
      '\t"Version": "v1.2.0",',
      '\t"GoMod": "/cache/download/example.com/ok/@v/v1.2.0.mod"',
      '}',
      '',
    ].join('\n');
    expect(moduleErrors(list)).toEqual({ modules: 2, errors: new Map([['example.com/nope@v1.0.0', 'example.com/nope@v1.0.0: module lookup disabled by GOPROXY=off']]) });
    const download = '{\n\t"Path": "example.com/gone",\n\t"Version": "v0.1.0",\n\t"Error": "example.com/gone@v0.1.0: reading https://proxy/example.com/gone/@v/v0.1.0.zip: 410 Gone"\n}\n';
    expect(moduleErrors(download).errors.get('example.com/gone@v0.1.0')).toBe('example.com/gone@v0.1.0: reading https://proxy/example.com/gone/@v/v0.1.0.zip: 410 Gone');
  });

  it('counts no module where go printed none', () => {
    expect(moduleErrors('')).toEqual({ modules: 0, errors: new Map() });
    expect(moduleErrors('go: errors parsing go.mod\n')).toEqual({ modules: 0, errors: new Map() });
  });
});

describe('downloadDirs', () => {
  it('asks for each module in the first module whose go.sum lists it (its go.mod line is enough), else in the fallback', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'gob-dl-'));
    tmpDirs.push(root);
    await writeTree(root, {
      'a/go.sum': 'example.com/x v1.0.0 h1:aaa=\nexample.com/x v1.0.0/go.mod h1:bbb=\n',
      'b/go.sum': 'example.com/x v1.0.0/go.mod h1:bbb=\nexample.com/y v0.2.0/go.mod h1:ccc=\n',
    });
    const [a, b, none] = [path.join(root, 'a'), path.join(root, 'b'), path.join(root, 'none')];
    const mods = [none, a, b].map((dir) => ({ dir, sum: path.join(dir, 'go.sum') }));
    const dirs = downloadDirs(['example.com/x@v1.0.0', 'example.com/y@v0.2.0', 'example.com/z@v3.0.0'], mods, root);
    expect(Object.fromEntries(dirs)).toEqual({ [a]: ['example.com/x@v1.0.0'], [b]: ['example.com/y@v0.2.0'], [root]: ['example.com/z@v3.0.0'] });
    expect(Object.fromEntries(downloadDirs(['example.com/z@v3.0.0'], mods, root))).toEqual({ [root]: ['example.com/z@v3.0.0'] });
  });
});

