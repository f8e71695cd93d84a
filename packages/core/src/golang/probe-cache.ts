import { statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { sha256Canonical } from '../hashing/index.js';
import { nearestAncestor } from '../util/fs-paths.js';
import { ok, type Result } from '../util/result.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { probeGoEnv, type GoEnv, type GoFailure, type ProbeGoEnvOptions } from './toolchain.js';

/**
 * Remembers `probeGoEnv` results on disk, so a no-op build runs no `go env`. A result is reused
 * only while nothing that decides go's answer has changed: the exact environment and directory
 * it ran with, the go binary (path, size, mtime, inode), GOROOT's go.env, the user's go env
 * file (`go env -w`) and which go.work go finds from that directory up (`GOWORK`). When `go`
 * resolves to a script (a version-manager shim that picks a toolchain per directory) nothing
 * is cached. Failures are never cached.
 */
export const PROBE_CACHE_VERSION = 1;

export async function probeGoEnvCached(opts: ProbeGoEnvOptions & { readonly cacheDir?: string | undefined }): Promise<Result<GoEnv, GoFailure>> {
  const id = opts.cacheDir === undefined ? undefined : await probeIdentity(opts);
  const file = id === undefined || opts.cacheDir === undefined ? undefined : path.join(opts.cacheDir, 'probe', `${id}.json`);
  if (file !== undefined) {
    try {
      return ok(JSON.parse(await fs.readFile(file, 'utf8')) as GoEnv);
    } catch {
      // Missing or unreadable: probe.
    }
  }
  const r = await probeGoEnv(opts);
  if (r.ok && file !== undefined) await remember(file, JSON.stringify(r.value));
  return r;
}

/**
 * What decides `go env`'s answer, as one hash; undefined when it cannot be known without running
 * go (go is a script). The probe cache and gob's plan snapshots both rely on it.
 */
export async function probeIdentity(opts: ProbeGoEnvOptions): Promise<string | undefined> {
  const bin = await resolveExecutable(opts.goBin ?? 'go', opts.env.PATH ?? '');
  if (bin === undefined) return undefined;
  const real = await fs.realpath(bin).catch(() => undefined);
  if (real === undefined || (await isScript(real))) return undefined;
  const st = await fs.stat(real);
  const goroot = path.dirname(path.dirname(real));
  const configDir = opts.env.XDG_CONFIG_HOME ?? (opts.env.HOME === undefined ? undefined : path.join(opts.env.HOME, '.config'));
  const goEnvFile = opts.env.GOENV ?? (configDir === undefined ? undefined : path.join(configDir, 'go', 'env'));
  return sha256Canonical({
    v: PROBE_CACHE_VERSION,
    cwd: opts.cwd,
    env: opts.env,
    probeTags: opts.probeTags !== false,
    bin: { path: real, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino },
    gorootEnv: await fileStamp(path.join(goroot, 'go.env')),
    userEnv: goEnvFile === undefined || goEnvFile === 'off' ? (goEnvFile ?? 'none') : await fileStamp(goEnvFile),
    // Unless GOWORK is set, go reports the first go.work from cwd up: one created or removed
    // above the workspace changes the answer.
    goWork: opts.env.GOWORK !== undefined && opts.env.GOWORK !== '' ? 'set' : (nearestAncestor(opts.cwd, isGoWorkIn) ?? 'none'),
  });
}

function isGoWorkIn(dir: string): boolean {
  return statSync(path.join(dir, 'go.work'), { throwIfNoEntry: false })?.isFile() === true;
}

async function resolveExecutable(name: string, pathVar: string): Promise<string | undefined> {
  if (name.includes('/')) return name;
  for (const dir of pathVar.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      await fs.access(candidate, fs.constants.X_OK);
      const st = await fs.stat(candidate);
      if (st.isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

async function isScript(file: string): Promise<boolean> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    await fh.read(buf, 0, 2, 0);
    return buf.toString('latin1') === '#!';
  } finally {
    await fh.close();
  }
}

async function fileStamp(file: string): Promise<string> {
  try {
    const st = await fs.stat(file);
    return `${String(st.size)}:${String(st.mtimeMs)}:${String(st.ino)}`;
  } catch {
    return 'none';
  }
}

async function remember(file: string, text: string): Promise<void> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, text);
  } catch {
    // The probe cache is an optimisation: failing to write it changes nothing else.
  }
}

/**
 * The identity of a C compiler setting (`CC`, possibly `ccache gcc -m64`): every word that names
 * an executable, resolved through PATH, by real path, size, mtime and inode; other words as they
 * are. Undefined when a word names a script (a wrapper can answer differently without changing).
 */
export async function ccIdentity(cc: string, pathVar: string): Promise<string | undefined> {
  const parts: unknown[] = [];
  for (const word of cc.split(/\s+/).filter((w) => w !== '')) {
    const bin = word.startsWith('-') ? undefined : await resolveExecutable(word, pathVar);
    const real = bin === undefined ? undefined : await fs.realpath(bin).catch(() => undefined);
    if (real === undefined) {
      parts.push(word);
      continue;
    }
    if (await isScript(real)) return undefined;
    const st = await fs.stat(real);
    parts.push({ path: real, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
  }
  return sha256Canonical({ v: PROBE_CACHE_VERSION, cc: parts });
}
