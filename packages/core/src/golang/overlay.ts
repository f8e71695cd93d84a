/**
 * A user's overlay (`-overlay=FILE` in GOFLAGS): a JSON file whose `Replace` map tells go to read
 * one file in place of another (`"a.go": "/tmp/edited-a.go"`), or to act as if a file were not
 * there (`"a.go": ""`). go resolves FILE, and both sides of every entry, against its own working
 * directory (cmd/go/internal/fsys).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { hashBytes } from '../hashing/hash-bytes.js';
import { toWorkspacePath } from '../util/fs-paths.js';

/** What stands in an overlay's key entry for a file go is told to leave out. */
export const OVERLAY_DELETED = 'deleted';

/**
 * What an overlay makes go read, for an action key: each replaced path (workspace-relative when
 * it is in the workspace, so that checkouts at other paths share keys; absolute otherwise) →
 * the SHA-256 of the file go reads instead, `deleted` for a file it leaves out, or `unreadable:
 * …` when the replacement cannot be read. An overlay that cannot be read or parsed is one entry,
 * its own path → `unreadable: …` (go then fails, and nothing is cached).
 */
export async function overlayInputs(file: string, goCwd: string, root: string): Promise<Record<string, string>> {
  const abs = path.resolve(goCwd, file);
  let replace: unknown;
  try {
    replace = (JSON.parse(await readFile(abs, 'utf8')) as { Replace?: unknown } | null)?.Replace;
  } catch (e) {
    return { [keyPath(abs, root)]: unreadable(e) };
  }
  const out: Record<string, string> = {};
  if (typeof replace !== 'object' || replace === null) return out;
  for (const [from, to] of Object.entries(replace as Record<string, unknown>)) {
    const name = keyPath(path.resolve(goCwd, from), root);
    if (typeof to !== 'string') out[name] = 'unreadable: not a string';
    else if (to === '') out[name] = OVERLAY_DELETED;
    else {
      try {
        out[name] = hashBytes(await readFile(path.resolve(goCwd, to)));
      } catch (e) {
        out[name] = unreadable(e);
      }
    }
  }
  return out;
}

function keyPath(abs: string, root: string): string {
  const rel = path.relative(root, abs);
  return rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) ? abs : toWorkspacePath(root, abs);
}

function unreadable(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return `unreadable: ${typeof code === 'string' ? code : e instanceof Error ? e.message : String(e)}`;
}
