import { execFile, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { StampedEvent } from '@gob/core';
import { EXAMPLE, GOB_MAIN, REPO_ROOT, buildFinished, gob, interruptOnceBuilding, tempCopy, tempDir, type GobOptions } from './harness.js';

/**
 * The gob server (docs/server.md): `gob build` outside CI goes to a resident gob of the
 * workspace. These tests run the real client against the real server it starts, with its socket
 * in a temp dir of their own (GOB_SERVER_DIR), and stop every server they started.
 */
const execFileAsync = promisify(execFile);
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Served {
  readonly ws: string;
  readonly cache: string;
  readonly serverDir: string;
  readonly run: (args: readonly string[], extra?: Partial<GobOptions> & { env?: Record<string, string> }) => ReturnType<typeof gob>;
  readonly status: () => Promise<{ code: number | null; stdout: string; pid: number | undefined }>;
}

async function served(extraEnv: Record<string, string> = {}): Promise<Served> {
  const ws = await tempCopy(EXAMPLE);
  const cache = await tempDir('gob-cache-');
  const serverDir = await tempDir('gob-srv-');
  const env = { GOB_SERVER: '1', GOB_SERVER_DIR: serverDir, ...extraEnv };
  const run: Served['run'] = (args, extra = {}) => gob(args, { cwd: ws, cacheDir: cache, ...extra, env: { ...env, ...extra.env } });
  const status: Served['status'] = async () => {
    const r = await run(['server', 'status']);
    const m = /pid\s+(\d+)/.exec(r.stdout);
    return { code: r.code, stdout: r.stdout, pid: m === null ? undefined : Number(m[1]) };
  };
  cleanups.push(async () => {
    const s = await status();
    await run(['server', 'stop']);
    if (s.pid !== undefined) await waitForExit(s.pid);
    for (const d of [ws, cache, serverDir]) await fs.rm(d, { recursive: true, force: true });
  });
  return { ws, cache, serverDir, run, status };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

function logMessages(events: readonly { type: string; message?: string }[]): string[] {
  return events.filter((e) => e.type === 'log').map((e) => e.message ?? '');
}

describe('gob server', () => {
  it('serves builds from one resident process, and a served build sees every edit', async () => {
    const s = await served();
    expect((await s.status()).code).toBe(1); // none yet

    const first = await s.run(['build', '//...', '--ui=json']);
    expect(first.code).toBe(0);
    expect(buildFinished(first.events).counts).toMatchObject({ built: 7, cached: 0, failed: 0 });
    const st = await s.status();
    expect(st.code).toBe(0);
    expect(st.stdout).toContain(`gob server running for ${s.ws}`);
    const pid = st.pid ?? -1;
    expect(alive(pid)).toBe(true);

    const again = await s.run(['build', '//...', '--ui=json']);
    expect(buildFinished(again.events).counts).toMatchObject({ built: 0, cached: 7 });
    expect(logMessages(again.events)).toContain('plan reused');

    // A build in its own process meanwhile finds it all up to date, although the server may not
    // have written its newest plan yet.
    const inProcess = await s.run(['build', '//...', '--ui=json', '--no-server']);
    expect(buildFinished(inProcess.events).counts).toMatchObject({ built: 0, cached: 7 });

    // An edit is seen by the next served build: exactly that target rebuilds, with the edit in it.
    const main = path.join(s.ws, 'services/payment/main.go');
    await fs.writeFile(main, (await fs.readFile(main, 'utf8')).replace('fmt.Printf("payment %s\\n"', 'fmt.Printf("payment-edited %s\\n"'));
    const edited = await s.run(['build', '//...', '--ui=json']);
    expect(edited.code).toBe(0);
    expect(buildFinished(edited.events).counts).toMatchObject({ built: 1, cached: 6 });
    const { stdout } = await execFileAsync(path.join(s.ws, 'gob-out/bin/services/payment/payment'), ['-version']);
    expect(stdout).toMatch(/^payment-edited /);

    // The same server served all of it.
    const later = await s.status();
    expect(later.pid).toBe(pid);
    expect(later.stdout).toMatch(/commands\s+3/);


    // A stopped server has written its plans: a build in its own process reuses the newest one,
    // the edit included, with nothing changed since.
    await s.run(['server', 'stop']);
    await waitForExit(pid);
    const after = await s.run(['build', '//...', '--ui=json', '--no-server']);
    expect(buildFinished(after.events).counts).toMatchObject({ built: 0, cached: 7 });
    const reused = after.events.find((e) => e.type === 'log' && e.message === 'plan reused');
    expect(reused?.type === 'log' ? reused.data?.changed : undefined).toEqual([]);
  });

  it('with its file watcher, a build stats only what changed, and every kind of change gives the keys of a fresh plan', async () => {
    // The server's temporary directory, where the watcher keeps its sync files.
    const tmp = await tempDir('gob-tmp-');
    cleanups.push(() => fs.rm(tmp, { recursive: true, force: true }));
    const s = await served({ TMPDIR: tmp });
    const keysOf = (events: readonly StampedEvent[]) => new Map(events.flatMap((e) => (e.type === 'action.queued' ? [[e.id, e.key] as const] : [])));
    const logData = (events: readonly StampedEvent[], message: string) => {
      const e = events.find((x) => x.type === 'log' && x.message === message);
      return e?.type === 'log' ? e.data : undefined;
    };
    /** A served dry run: was the watcher used, how many stats, which keys. */
    const servedPlan = async () => {
      const r = await s.run(['build', '//...', '--dry-run', '--ui=json']);
      expect(r.code).toBe(0);
      const hashing = logData(r.events, 'file hashing');
      return { watched: logData(r.events, 'plan reused')?.watched, again: logData(r.events, 'planning again'), statCalls: Number(hashing?.statCalls), entries: Number(hashing?.entries), keys: keysOf(r.events) };
    };
    const freshKeys = async () => keysOf((await s.run(['build', '//...', '--dry-run', '--no-cache', '--no-server', '--ui=json'])).events);

    const file = (rel: string) => path.join(s.ws, rel);
    // A package directory reached through a symlink (retargeted at the end).
    await fs.rename(file('libs/platform'), file('libs/.platform-a'));
    await fs.symlink('.platform-a', file('libs/platform'));
    await fs.cp(file('libs/.platform-a'), file('libs/.platform-b'), { recursive: true });
    await servedPlan(); // plans
    // Files younger than 2 s are compared by content at every build, watcher or not: let the copy's settle.
    await new Promise((r) => setTimeout(r, 2100));
    expect((await servedPlan()).watched).toBe(false); // checks every file once, watching
    const quiet = await servedPlan();
    expect(quiet.watched).toBe(true);
    expect(quiet.statCalls).toBeLessThan(quiet.entries / 2);

    const edits: [string, () => Promise<void>][] = [
      ['an edit in place', () => fs.appendFile(file('libs/money/money.go'), '\nconst watchedEdit = 1\n')],
      ['a save through a temporary file and a rename', async () => {
        const text = await fs.readFile(file('services/notify/render.go'), 'utf8');
        await fs.writeFile(file('services/notify/.render.go.tmp'), `${text}\nconst renamedEdit = 2\n`);
        await fs.rename(file('services/notify/.render.go.tmp'), file('services/notify/render.go'));
      }],
      ['an embedded file', () => fs.appendFile(file('services/payment/templates/receipt.txt'), 'thank you\n')],
      ['a file written back unchanged', async () => fs.writeFile(file('services/orders/main.go'), await fs.readFile(file('services/orders/main.go')))],
    ];
    for (const [what, edit] of edits) {
      const before = (await servedPlan()).keys;
      await edit();
      const after = await servedPlan();
      expect(after.watched, what).toBe(true);
      expect(after.keys, what).toEqual(await freshKeys());
      if (what.includes('unchanged')) expect(after.keys, what).toEqual(before);
      else expect(after.keys, what).not.toEqual(before);
      // The fresh plan rewrote the snapshot: the server checks every file of the new one.
      expect((await servedPlan()).watched, what).toBe(false);
    }

    // A package directory moved away and back: the watcher cannot vouch for what is under it.
    await servedPlan();
    await fs.rename(file('libs/money'), file('libs/money.moved'));
    await fs.rename(file('libs/money.moved'), file('libs/money'));
    await fs.appendFile(file('libs/money/format.go'), '\nconst movedEdit = 3\n');
    const moved = await servedPlan();
    expect(moved.watched).toBe(false);
    expect(moved.keys).toEqual(await freshKeys());

    // The symlink retargeted to an edited copy: nothing under it was touched, yet all of it changed.
    await servedPlan();
    await fs.appendFile(file('libs/.platform-b/platform.go'), '\nconst retargeted = 5\n');
    await fs.rm(file('libs/platform'));
    await fs.symlink('.platform-b', file('libs/platform'));
    const retargeted = await servedPlan();
    expect(retargeted.again).toBeUndefined();
    expect(retargeted.watched).toBe(false);
    expect(retargeted.keys).toEqual(await freshKeys());

    // A broken BUILD.yaml makes the plan stale, and it stays so at the next build, with no event in between.
    await servedPlan();
    const buildYaml = file('services/notify/BUILD.yaml');
    const good = await fs.readFile(buildYaml, 'utf8');
    await fs.appendFile(buildYaml, '\n  bogus: [\n');
    for (let i = 0; i < 2; i++) expect((await s.run(['build', '//...', '--dry-run', '--ui=json'])).code).toBe(2);
    await fs.writeFile(buildYaml, good);
    expect((await servedPlan()).keys).toEqual(await freshKeys());

    // A new file in a package: planned again.
    await servedPlan();
    await fs.writeFile(file('libs/money/extra.go'), 'package money\n\nconst extra = 4\n');
    const added = await servedPlan();
    expect(String(added.again?.reason)).toMatch(/entries of libs\/money changed/);
    expect(added.keys).toEqual(await freshKeys());

    // A stopped server leaves nothing of its watcher behind.
    const watcherDirs = async () => (await fs.readdir(tmp)).filter((n) => n.startsWith('gob-watch-'));
    expect(await watcherDirs()).toHaveLength(1);
    const pid = (await s.status()).pid ?? -1;
    await s.run(['server', 'stop']);
    await waitForExit(pid);
    for (let i = 0; i < 100 && (await watcherDirs()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await watcherDirs()).toEqual([]);
  });

  it('builds with the environment of each client, not the one the server started with', async () => {
    const s = await served();
    const plain = await s.run(['build', '//services/payment', '--ui=json']);
    expect(buildFinished(plain.events).counts).toMatchObject({ built: 1 });
    // Another client's GOB_CACHE_DIR: an empty cache, so the target is built again, into it.
    const other = await tempDir('gob-cache-other-');
    cleanups.push(() => fs.rm(other, { recursive: true, force: true }));
    const elsewhere = await s.run(['build', '//services/payment', '--ui=json'], { cacheDir: other });
    expect(buildFinished(elsewhere.events).counts).toMatchObject({ built: 1, cached: 0 });
    expect((await fs.readdir(path.join(other, 'ac'))).length).toBeGreaterThan(0);
    const back = await s.run(['build', '//services/payment', '--ui=json']);
    expect(buildFinished(back.events).counts).toMatchObject({ built: 0, cached: 1 });
    // Relative paths mean what they mean in the client's directory.
    const sub = path.join(s.ws, 'services');
    const rel = await s.run(['build', 'payment', '--ui=plain', '--events', 'events.jsonl'], { cwd: sub });
    expect(rel.code).toBe(0);
    expect(await fs.readFile(path.join(sub, 'events.jsonl'), 'utf8')).toContain('"type":"build.finished"');
  });

  it('answers bad configuration and failed builds as gob always does', async () => {
    const s = await served();
    await fs.writeFile(path.join(s.ws, 'services/payment/BUILD.yaml'), 'targets:\n  payment:\n    kind: go_binray\n');
    const bad = await s.run(['build', '//...', '--ui=plain']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('services/payment/BUILD.yaml:3:');
    expect(bad.stderr).toContain('go_binray');
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace

    await fs.writeFile(path.join(s.ws, 'services/payment/BUILD.yaml'), 'targets:\n  payment:\n    kind: go_binary\n');
    const main = path.join(s.ws, 'services/payment/main.go');
    await fs.appendFile(main, '\nfunc broken() { return 1 }\n');
    const failed = await s.run(['build', '//services/payment', '--ui=plain']);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain('too many return values');
    expect((await s.status()).code).toBe(0); // the server is still up
  });

  it('stops a served build on Ctrl-C, exits 130, and the next build finishes the job', async () => {
    const s = await served();
    const ctrlC = interruptOnceBuilding();
    const run = await s.run(['build', '//...', '--force', '--ui=json'], { onSpawn: ctrlC.onSpawn });
    expect(ctrlC.sent()).toBe(true);
    expect(run.code).toBe(130);
    expect(buildFinished(run.events).interrupted).toBe(true);
    // No go process of this workspace survives the interrupted build.
    const { stdout: ps } = await execFileAsync('ps', ['-eo', 'pid,args']);
    expect(ps.split('\n').filter((l) => l.includes('go build') && l.includes(s.cache))).toEqual([]);
    const next = await s.run(['build', '//...', '--ui=json']);
    expect(next.code).toBe(0);
    expect(buildFinished(next.events).counts.failed).toBe(0);
  });

  it('replaces a server of another gob, a killed server and a stopped one', async () => {
    const s = await served();
    // A server run by another node binary (a hard link or a copy of this one: a symlink would
    // resolve to the same executable) is another gob to the client.
    const otherNode = path.join(s.serverDir, 'node-other');
    await fs.link(process.execPath, otherNode).catch(() => fs.copyFile(process.execPath, otherNode));
    const other = spawn(otherNode, [GOB_MAIN, 'server', 'run'], {
      cwd: s.ws,
      env: { ...process.env, GOB_SERVER_DIR: s.serverDir },
      stdio: 'ignore',
    });
    const otherPid = other.pid ?? -1;
    for (let i = 0; i < 100 && (await s.status()).pid !== otherPid; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await s.status()).pid).toBe(otherPid);

    const r1 = await s.run(['build', '//services/payment', '--ui=json']);
    expect(r1.code).toBe(0);
    await waitForExit(otherPid);
    expect(alive(otherPid)).toBe(false);
    const mine = (await s.status()).pid ?? -1;
    expect(mine).not.toBe(otherPid);

    // Killed: its socket file stays behind, and the next build starts a new server anyway.
    process.kill(mine, 'SIGKILL');
    await waitForExit(mine);
    const r2 = await s.run(['build', '//services/payment', '--ui=json']);
    expect(r2.code).toBe(0);
    expect(buildFinished(r2.events).counts).toMatchObject({ cached: 1 });
    const third = (await s.status()).pid ?? -1;
    expect(third).not.toBe(mine);

    // Stopped: the socket is gone, and status says so.
    const stop = await s.run(['server', 'stop']);
    expect(stop.stdout).toContain('gob server stopped');
    await waitForExit(third);
    expect(alive(third)).toBe(false);
    expect((await fs.readdir(s.serverDir)).filter((n) => n.endsWith('.sock'))).toEqual([]);
    expect((await s.status()).code).toBe(1);
  });

  it('is not used in CI, with GOB_SERVER=0 or with --no-server', async () => {
    const s = await served();
    for (const [args, env] of [
      [['build', '//services/payment', '--ui=json'], { GOB_SERVER: '' }], // CI=true (the harness sets it)
      [['build', '//services/payment', '--ui=json'], { GOB_SERVER: '0' }],
      [['build', '//services/payment', '--ui=json', '--no-server'], {}],
    ] as const) {
      const r = await s.run(args, { env });
      expect(r.code).toBe(0);
      expect((await s.status()).code).toBe(1);
    }
  });

  it('the installed gob sends a build to a running server without starting node (the native client)', async () => {
    const s = await served();
    const hook = path.join(path.dirname(GOB_MAIN), '../test/fixtures/record-modules.mjs');
    const logs = await tempDir('gob-modules-');
    cleanups.push(() => fs.rm(logs, { recursive: true, force: true }));
    // Every node process gob starts records the modules it loads: node never starting leaves no log.
    const nodeLog = (name: string) => ({ NODE_OPTIONS: `--import ${hook}`, GOB_TEST_MODULE_LOG: path.join(logs, name) });
    const exists = (name: string) => fs.access(path.join(logs, name)).then(() => true, () => false);

    // No server yet: the native client hands the build to node, which starts one.
    const first = await s.run(['build', '//...', '--ui=json'], { launcher: true, env: nodeLog('first') });
    expect(first.code).toBe(0);
    expect(buildFinished(first.events).counts).toMatchObject({ built: 7 });
    expect(await exists('first')).toBe(true);
    const pid = (await s.status()).pid;
    expect(pid).toBeDefined();

    // A server is up: the native client talks to it, and no node process starts.
    const second = await s.run(['build', '//...', '--ui=json'], { launcher: true, env: nodeLog('second') });
    expect(second.code).toBe(0);
    expect(buildFinished(second.events).counts).toMatchObject({ built: 0, cached: 7 });
    expect(await exists('second')).toBe(false);
    const plain = await s.run(['build', '//services/payment', '--ui=plain'], { launcher: true, env: nodeLog('plain') });
    expect(plain.stdout).toContain('0 built, 1 cached, 0 failed');
    expect(plain.stdout).toContain('gob-out/bin/services/payment/payment');
    expect(await exists('plain')).toBe(false);
    expect((await s.status()).pid).toBe(pid);

    // Its exit codes are the build's.
    const main = path.join(s.ws, 'services/payment/main.go');
    await fs.appendFile(main, '\nfunc broken() { return 1 }\n');
    const failed = await s.run(['build', '//services/payment', '--ui=plain'], { launcher: true, env: nodeLog('failed') });
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain('too many return values');
    expect(await exists('failed')).toBe(false);

    // Everything else is node's: other commands, --no-server, GOB_SERVER=0.
    const version = await s.run(['version'], { launcher: true, env: nodeLog('version') });
    expect(version.stdout).toMatch(/^gob \S+ \(node v/);
    expect(await exists('version')).toBe(true);
    const noServer = await s.run(['build', '//services/users', '--ui=json', '--no-server'], { launcher: true, env: nodeLog('no-server') });
    expect(noServer.code).toBe(0);
    expect(await exists('no-server')).toBe(true);
    const inCi = await s.run(['build', '//services/users', '--ui=json'], { launcher: true, env: { ...nodeLog('ci'), GOB_SERVER: '' } }); // CI=true
    expect(inCi.code).toBe(0);
    expect(await exists('ci')).toBe(true);
  });

  it('Ctrl-C through the native client stops the served build: exit 130', async () => {
    const s = await served();
    expect((await s.run(['build', '//services/payment', '--ui=json'])).code).toBe(0); // a server is up
    const ctrlC = interruptOnceBuilding();
    const run = await s.run(['build', '//...', '--force', '--ui=json'], { launcher: true, onSpawn: ctrlC.onSpawn });
    expect(ctrlC.sent()).toBe(true);
    expect(run.code).toBe(130);
    expect(buildFinished(run.events).interrupted).toBe(true);
    const next = await s.run(['build', '//...', '--ui=json'], { launcher: true });
    expect(next.code).toBe(0);
  });

  it('runs nothing but builds, whatever a client sends', async () => {
    const s = await served();
    expect((await s.run(['build', '//services/payment', '--ui=json'])).code).toBe(0);
    const socket = /socket\s+(\S+)/.exec((await s.status()).stdout)?.[1] ?? '';
    const { id } = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'packages/core/generated/build-id.json'), 'utf8')) as { id: string };
    const frames = await new Promise<{ t: string; d?: string; code?: number }[]>((resolve, reject) => {
      const c = net.connect(socket);
      let text = '';
      c.setEncoding('utf8');
      c.on('connect', () => {
        const run = { t: 'run', id: `${id}|p1|native`, argv: ['server', 'run'], cwd: s.ws, env: {}, stdout: { isTTY: false }, stderr: { isTTY: false } };
        c.write(`${JSON.stringify(run)}\n`);
      });
      c.on('data', (d: string) => (text += d));
      c.on('error', reject);
      c.on('close', () => {
        resolve(text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { t: string }));
      });
    });
    expect(frames).toEqual([
      { t: 'err', d: 'gob: the gob server runs gob build, not gob server\n' },
      { t: 'exit', code: 2 },
    ]);
    expect((await s.run(['build', '//services/payment', '--ui=json'])).code).toBe(0); // and it still serves
  });
});

