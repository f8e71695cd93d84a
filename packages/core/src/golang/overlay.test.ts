import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashBytes } from '../hashing/hash-bytes.js';
import { overlayInputs } from './overlay.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function tmp(): Promise<string> {
  const d = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'gob-overlay-')));
  dirs.push(d);
  return d;
}

describe('overlayInputs', () => {
  it("names replaced files as go resolves them (against go's directory), workspace-relative inside the workspace, and keys their replacements' content", async () => {
    const root = await tmp();
    const outside = await tmp();
    await fs.mkdir(path.join(root, 'mod'), { recursive: true });
    await fs.writeFile(path.join(outside, 'a.go'), 'package a\n');
    await fs.writeFile(path.join(root, 'mod', 'b.go'), 'package b\n');
    await fs.writeFile(
      path.join(root, 'mod', 'ov.json'),
      JSON.stringify({
        Replace: {
          'x/a.go': path.join(outside, 'a.go'),
          [path.join(root, 'mod', 'y', 'b.go')]: 'b.go',
          'gone.go': '',
          [path.join(outside, 'std.go')]: 'missing.go',
        },
      }),
    );
    expect(await overlayInputs('ov.json', path.join(root, 'mod'), root)).toEqual({
      'mod/x/a.go': hashBytes('package a\n'),
      'mod/y/b.go': hashBytes('package b\n'),
      'mod/gone.go': 'deleted',
      [path.join(outside, 'std.go')]: 'unreadable: ENOENT',
    });
  });

  it('keys an overlay that cannot be read or parsed by its own path', async () => {
    const root = await tmp();
    expect(await overlayInputs('none.json', root, root)).toEqual({ 'none.json': 'unreadable: ENOENT' });
    await fs.writeFile(path.join(root, 'bad.json'), '{');
    const bad = await overlayInputs(path.join(root, 'bad.json'), path.join(root, 'sub'), root);
    expect(Object.keys(bad)).toEqual(['bad.json']);
    expect(bad['bad.json']).toMatch(/^unreadable: /);
  });
});
