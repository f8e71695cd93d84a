/**
 * The plan snapshot against the real planner, on copies of examples/monorepo with the real go:
 * after each change of one input, a build either reuses the snapshot — and then every action
 * key equals the key of a plan made from scratch — or plans again, whichever the change needs.
 * Dry runs: nothing is built, the plan is the subject.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../engine.js';
import type { GobEvent } from '../events.js';

const EXAMPLE = fileURLToPath(new URL('../../../../examples/monorepo/', import.meta.url));

interface Run {
  readonly reused: boolean;
  readonly reason?: string | undefined;
  readonly changed: readonly string[];
  /** Action id → key. */
  readonly keys: Map<string, string>;
  readonly fileReads: number;
  readonly ok: boolean;
}

let cache: string;
const dirs: string[] = [];
beforeAll(async () => {
  cache = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-snap-cache-'));
});
afterAll(async () => {
  for (const d of [cache, ...dirs]) await fs.rm(d, { recursive: true, force: true });
});

async function workspace(): Promise<string> {
  const ws = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-snap-'));
  dirs.push(ws);
  await fs.cp(EXAMPLE, ws, { recursive: true, filter: (p) => !p.split(path.sep).includes('gob-out') });
  return ws;
}

async function dryRun(ws: string, over: Partial<BuildOptions> = {}): Promise<Run> {
  const events: GobEvent[] = [];
  const outcome = await build({
    cwd: ws,
    env: { ...process.env, GOB_CACHE_DIR: cache },
    onEvent: (e) => events.push(e),
    patterns: ['//...'],
    profile: 'default',
    jobs: 2,
    keepGoing: true,
    noCache: false,
    force: false,
    dryRun: true,
    ...over,
  });
  const log = (message: string) => events.find((e) => e.type === 'log' && e.message === message);
  const reused = log('plan reused');
  const again = log('planning again');
  const hashing = log('file hashing');
  const keys = new Map<string, string>();
  for (const e of events) if (e.type === 'action.queued') keys.set(e.id, e.key);
  return {
    reused: reused !== undefined,
    reason: again?.type === 'log' ? String(again.data?.reason) : undefined,
    changed: reused?.type === 'log' ? (reused.data?.changed as string[]) : [],
    keys,
    fileReads: hashing?.type === 'log' ? (hashing.data?.fileReads as number) : -1,
    ok: outcome.kind === 'done' && outcome.ok,
  };
}

/** A plan made from scratch (`noCache` skips the snapshot) for the same workspace. */
const fresh = (ws: string) => dryRun(ws, { noCache: true });

async function edit(ws: string, rel: string, f: (text: string) => string): Promise<void> {
  const file = path.join(ws, rel);
  const before = await fs.readFile(file, 'utf8');
  const after = f(before);
  expect(after).not.toBe(before);
  await fs.writeFile(file, after);
}

describe('plan snapshots', () => {
  let ws: string;
  beforeAll(async () => {
    ws = await workspace();
    const first = await dryRun(ws);
    expect(first.ok).toBe(true);
    expect(first.reused).toBe(false);
  });

  it('a second identical build reuses the plan: same keys, nothing changed', async () => {
    const before = await fresh(ws);
    const again = await dryRun(ws);
    expect(again.reused).toBe(true);
    expect(again.changed).toEqual([]);
    expect(again.keys).toEqual(before.keys);
  });

  it('an edit inside a function body is absorbed: only the keys of its importers change, as a fresh plan says', async () => {
    const before = await dryRun(ws);
    await edit(ws, 'libs/money/money.go', (t) => `${t}\nfunc snapshotEdit() int { return 42 }\n`);
    const after = await dryRun(ws);
    expect(after.reused).toBe(true);
    expect(after.changed).toEqual(['libs/money/money.go']);
    const scratch = await fresh(ws);
    expect(after.keys).toEqual(scratch.keys);
    const moved = [...after.keys].filter(([id, k]) => before.keys.get(id) !== k).map(([id]) => id.split('@')[0]);
    expect(moved.sort()).toEqual(['//services/orders:orders', '//services/payment:payment', '//tools/acmectl:acmectl']);
    // Saved again: the next build has nothing left to do.
    expect((await dryRun(ws)).changed).toEqual([]);
  });

  it('an edit of an embedded file is absorbed too', async () => {
    await edit(ws, 'services/payment/templates/receipt.txt', (t) => `${t}thank you\n`);
    const after = await dryRun(ws);
    expect(after.reused).toBe(true);
    expect(after.changed).toEqual(['services/payment/templates/receipt.txt']);
    expect(after.keys).toEqual((await fresh(ws)).keys);
  });

  it('touching a file (new mtime, same content) changes nothing', async () => {
    const before = await dryRun(ws);
    const t = new Date();
    await fs.utimes(path.join(ws, 'services/notify/main.go'), t, t);
    const after = await dryRun(ws);
    expect(after.reused).toBe(true);
    expect(after.changed).toEqual([]);
    expect(after.keys).toEqual(before.keys);
  });

  it("an editor's swap, lock, backup and autosave files in a package or the root change nothing; the same in an embedded directory plan again", async () => {
    const w = await workspace();
    expect((await dryRun(w)).reused).toBe(false);
    const before = await dryRun(w);
    expect(before.reused).toBe(true);
    // vim's swap file, emacs' lock (a dangling symlink), a hidden directory at the root.
    await fs.writeFile(path.join(w, 'services/notify/.render.go.swp'), 'swap');
    await fs.symlink('user@host.1234:1700000000', path.join(w, 'services/notify/.#render.go'));
    await fs.mkdir(path.join(w, '.idea'));
    // emacs' backup and autosave files.
    await fs.writeFile(path.join(w, 'services/notify/render.go~'), 'package main\n');
    await fs.writeFile(path.join(w, 'services/notify/#render.go#'), 'package main\n');
    await fs.writeFile(path.join(w, 'gob.yaml~'), 'version: 1\n');
    const after = await dryRun(w);
    expect(after.reused).toBe(true);
    expect(after.keys).toEqual(before.keys);
    expect(after.keys).toEqual((await fresh(w)).keys);
    // A directory named like one is no editor's file: it could be a package.
    await fs.mkdir(path.join(w, 'services/notify/sub~'));
    const withDir = await dryRun(w);
    expect(withDir.reused).toBe(false);
    expect(withDir.reason).toMatch(/entries of services\/notify changed/);
    // libs/config embeds defaults/*.json, which matches a hidden .json file too (go embeds it):
    // in a directory an embed pattern lists, every name counts.
    await fs.writeFile(path.join(w, 'libs/config/defaults/.extra.json'), '{}\n');
    const embedded = await dryRun(w);
    expect(embedded.reused).toBe(false);
    expect(embedded.reason).toMatch(/entries of libs\/config\/defaults changed/);
    expect(embedded.keys).toEqual((await fresh(w)).keys);
    expect([...embedded.keys].filter(([id, k]) => before.keys.get(id) !== k).length).toBeGreaterThan(0);
    // A backup file there plans again too (`defaults/*` would embed it); `*.json` does not match
    // it, so the keys are what a fresh plan gives.
    const settled = await dryRun(w);
    expect(settled.reused).toBe(true);
    await fs.writeFile(path.join(w, 'libs/config/defaults/x.json~'), '{}\n');
    const backup = await dryRun(w);
    expect(backup.reused).toBe(false);
    expect(backup.reason).toMatch(/entries of libs\/config\/defaults changed/);
    expect(backup.keys).toEqual((await fresh(w)).keys);
  });

  const replans: [string, (ws: string) => Promise<void>, RegExp][] = [
    ['a new import', (w) => edit(w, 'services/notify/render.go', (t) => t.replace(/^import \(/m, 'import (\n\t_ "os/user"')), /imports, build constraints, embeds or C includes/],
    ['a build constraint', (w) => edit(w, 'libs/platform/proc_other.go', (t) => t.replace('//go:build !linux', '//go:build !linux && !windows')), /imports, build constraints, embeds or C includes/],
    ['a new file in a package', (w) => fs.writeFile(path.join(w, 'services/notify/extra.go'), 'package main\n\nfunc extra() {}\n'), /entries of services\/notify changed/],
    ['a new file in an embedded directory', (w) => fs.writeFile(path.join(w, 'libs/config/defaults/orders.json'), '{}\n'), /entries of libs\/config\/defaults changed/],
    ['a BUILD.yaml', (w) => edit(w, 'services/notify/BUILD.yaml', (t) => `${t}\n# a comment\n`), /services\/notify\/BUILD.yaml changed/],
    ['gob.yaml', (w) => edit(w, 'gob.yaml', (t) => `${t}\n# a comment\n`), /gob.yaml changed/],
    ['a go.mod', (w) => edit(w, 'libs/go.mod', (t) => `${t}\n// a comment\n`), /libs\/go.mod changed/],
    ['a new BUILD.yaml', (w) => fs.writeFile(path.join(w, 'libs/money/BUILD.yaml'), 'targets: {}\n'), /entries of libs\/money changed/],
  ];
  for (const [what, change, reason] of replans) {
    it(`plans again after a change to ${what}`, async () => {
      const w = await workspace();
      expect((await dryRun(w)).reused).toBe(false);
      expect((await dryRun(w)).reused).toBe(true);
      await change(w);
      const after = await dryRun(w);
      expect(after.reused).toBe(false);
      expect(after.reason).toMatch(reason);
      expect(after.keys).toEqual((await fresh(w)).keys);
      // The new plan is remembered in turn.
      expect((await dryRun(w)).reused).toBe(true);
    });
  }

  it('is not used for another request: other patterns, profile, platforms, or environment', async () => {
    const w = await workspace();
    await dryRun(w);
    expect((await dryRun(w)).reused).toBe(true);
    expect((await dryRun(w, { patterns: ['//services/...'] })).reused).toBe(false);
    expect((await dryRun(w, { profile: 'release' })).reused).toBe(false);
    expect((await dryRun(w, { platforms: [{ goos: 'linux', goarch: 'arm64' }] })).reused).toBe(false);
    expect((await dryRun(w, { env: { ...process.env, GOB_CACHE_DIR: cache, GOPROXY: 'off' } })).reused).toBe(false);
    expect((await dryRun(w, { cwd: path.join(w, 'services') })).reused).toBe(false);
    // Each of them is remembered separately.
    expect((await dryRun(w, { profile: 'release' })).reused).toBe(true);
    expect((await dryRun(w)).reused).toBe(true);
  });

  it('a gob.yaml appearing between the working directory and the root moves the workspace: no reuse', async () => {
    const w = await workspace();
    const cwd = path.join(w, 'services', 'payment');
    await dryRun(w, { cwd });
    expect((await dryRun(w, { cwd })).reused).toBe(true);
    await fs.writeFile(path.join(w, 'services', 'gob.yaml'), 'version: 1\n');
    // The workspace is now services/: no BUILD.yaml of the old root applies, nor its snapshot.
    const after = await dryRun(w, { cwd });
    expect(after.reused).toBe(false);
  });

  it('a different go binary (another file at the same PATH entry) means planning again', async () => {
    const w = await workspace();
    const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-snap-go-'));
    dirs.push(bin);
    const realGo = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    await fs.symlink(path.join(realGo, 'bin', 'go'), path.join(bin, 'go'));
    const env = { ...process.env, GOB_CACHE_DIR: cache, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
    await dryRun(w, { env });
    expect((await dryRun(w, { env })).reused).toBe(true);
    // The same toolchain reached through a copy: a different file, so gob asks go again.
    await fs.rm(path.join(bin, 'go'));
    await fs.copyFile(path.join(realGo, 'bin', 'go'), path.join(bin, 'go'));
    await fs.chmod(path.join(bin, 'go'), 0o755);
    const after = await dryRun(w, { env });
    expect(after.reused).toBe(false);
    expect(after.reason).toMatch(/go toolchain changed/);
  });

  it('files written within the racy window are compared by content until they settle', async () => {
    // A fresh copy: every file was written just now, so its timestamps cannot be trusted yet.
    const w = await workspace();
    await dryRun(w);
    const soon = await dryRun(w);
    expect(soon.reused).toBe(true);
    expect(soon.fileReads).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2100));
    const settling = await dryRun(w);
    expect(settling.reused).toBe(true);
    expect(settling.fileReads).toBe(soon.fileReads);
    const settled = await dryRun(w);
    expect(settled.reused).toBe(true);
    expect(settled.fileReads).toBe(0);
    expect(settled.keys).toEqual(soon.keys);
  });

  it('follows symlinked package directories: edits and a retargeted link give the keys of a fresh plan', async () => {
    const w = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-snap-sym-'));
    dirs.push(w);
    const lib = (word: string) => `package lib\n\nfunc Word() string { return "${word}" }\n`;
    await fs.mkdir(path.join(w, 'real', 'one'), { recursive: true });
    await fs.mkdir(path.join(w, 'real', 'two'), { recursive: true });
    await fs.mkdir(path.join(w, 'cmd', 'app'), { recursive: true });
    await fs.writeFile(path.join(w, 'gob.yaml'), 'version: 1\n');
    await fs.writeFile(path.join(w, 'go.mod'), 'module example.com/sym\n\ngo 1.26\n');
    await fs.writeFile(path.join(w, 'real', 'one', 'lib.go'), lib('one'));
    await fs.writeFile(path.join(w, 'real', 'two', 'lib.go'), lib('two'));
    await fs.symlink('real/one', path.join(w, 'lib'));
    await fs.writeFile(path.join(w, 'cmd', 'app', 'main.go'), 'package main\n\nimport "example.com/sym/lib"\n\nfunc main() { println(lib.Word()) }\n');
    await fs.writeFile(path.join(w, 'cmd', 'app', 'BUILD.yaml'), 'targets:\n  app:\n    kind: go_binary\n');
    const first = await dryRun(w);
    expect(first.ok).toBe(true);
    const again = await dryRun(w);
    expect(again.reused).toBe(true);
    expect(again.keys).toEqual(first.keys);
    // An edit of the file behind the link.
    await fs.writeFile(path.join(w, 'real', 'one', 'lib.go'), lib('uno'));
    const edited = await dryRun(w);
    expect(edited.reused).toBe(true);
    expect(edited.keys).toEqual((await fresh(w)).keys);
    expect(edited.keys).not.toEqual(first.keys);
    // The link pointed elsewhere.
    await fs.rm(path.join(w, 'lib'));
    await fs.symlink('real/two', path.join(w, 'lib'));
    const moved = await dryRun(w);
    expect(moved.keys).toEqual((await fresh(w)).keys);
    expect(moved.keys).not.toEqual(edited.keys);
  });

  it('a deleted input means planning again, never a plan naming a missing file', async () => {
    const w = await workspace();
    await dryRun(w);
    await fs.rm(path.join(w, 'services/payment/templates/receipt.txt'));
    const after = await dryRun(w);
    expect(after.reused).toBe(false);
    expect(after.ok).toBe(false);
  });
});
