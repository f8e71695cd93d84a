/**
 * Finding the workspace: the nearest directory at or above the working directory that holds a
 * gob.yaml. Kept apart from the loader so that commands can find the root without loading the
 * YAML parser and the schema.
 */
import * as path from 'node:path';
import type { WorkspaceFs } from './fs.js';
import { nodeWorkspaceFs } from './fs.js';

export const CONFIG_FILE_NAME = 'gob.yaml';

/** The nearest directory at or above `cwd` that holds a gob.yaml, or undefined. */
export async function findWorkspaceRoot(cwd: string, fs: Partial<WorkspaceFs> = {}): Promise<string | undefined> {
  const entryKind = fs.entryKind ?? nodeWorkspaceFs.entryKind;
  let dir = path.resolve(cwd);
  for (;;) {
    if ((await entryKind(path.join(dir, CONFIG_FILE_NAME))) === 'file') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
