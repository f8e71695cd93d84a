/**
 * The file system as the workspace loader sees it. Injectable so tests can make reads fail;
 * the default is the real disk. BUILD.yaml discovery lists directories through its own
 * `DiscoveryFs` (discover.ts).
 */
import { readFile, readdir, stat } from 'node:fs/promises';

export type EntryKind = 'file' | 'directory' | 'other';

export interface WorkspaceFs {
  /** The UTF-8 text of a file. Rejects on any error. */
  readonly readFile: (absPath: string) => Promise<string>;
  /** What is at `absPath` (following symlinks), or undefined when nothing is. */
  readonly entryKind: (absPath: string) => Promise<EntryKind | undefined>;
  /** Names of the subdirectories of `absPath` (empty when it cannot be read). */
  readonly subdirectories: (absPath: string) => Promise<string[]>;
}

export const nodeWorkspaceFs: WorkspaceFs = {
  readFile: (absPath) => readFile(absPath, 'utf8'),
  entryKind: async (absPath) => {
    try {
      const s = await stat(absPath);
      return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
    } catch {
      return undefined;
    }
  },
  subdirectories: async (absPath) => {
    try {
      const entries = await readdir(absPath, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      return [];
    }
  },
};
