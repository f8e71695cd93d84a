import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where a workspace's gob server listens and logs: `$TMPDIR/gob-<uid>/<hash of the workspace's
 * real path>.sock` and `.log`. One server per checkout and user. The directory is the user's
 * alone (0700), so nobody else can stand in for the server or listen in on a build.
 */
export interface ServerPaths {
  readonly dir: string;
  readonly socket: string;
  readonly log: string;
}

export function serverPaths(rootReal: string, env: NodeJS.ProcessEnv): ServerPaths {
  const base = env.GOB_SERVER_DIR !== undefined && env.GOB_SERVER_DIR !== '' ? path.resolve(env.GOB_SERVER_DIR) : path.join(os.tmpdir(), `gob-${uid()}`);
  const name = createHash('sha256').update(rootReal).digest('hex').slice(0, 16);
  return { dir: base, socket: path.join(base, `${name}.sock`), log: path.join(base, `${name}.log`) };
}

/** `serverPaths` of the workspace at `root`, by its real path (as every client names it). */
export function workspaceServerPaths(root: string, env: NodeJS.ProcessEnv): ServerPaths {
  let real = root;
  try {
    real = fs.realpathSync(root);
  } catch {
    // A root that vanished: the server is not found, and the build says why.
  }
  return serverPaths(real, env);
}

/**
 * Makes the server directory, and refuses one that anybody but this user could write to (or
 * that is not a directory): undefined then, and gob builds without a server.
 */
export function ensureServerDir(dir: string): string | undefined {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return `${dir} is not a directory`;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return `${dir} belongs to another user`;
    if ((st.mode & 0o022) !== 0) return `${dir} can be written by other users`;
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function uid(): string {
  return typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
}
