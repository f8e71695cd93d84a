/**
 * Serves Go file headers from gob's content hasher, so headers are parsed in the same read that
 * hashes a file and remembered in the stat cache: a no-op build parses nothing.
 */
import type { WorkspacePath } from '../types.js';
import { parseSourceFileHeader, type GoFileHeader } from './header.js';
import { nodeGoIO, type GoIO } from './io.js';
import { isSourceFileName, nameExt } from './scanner.js';

/**
 * The derive hook for the content hasher (its `DeriveSpec`): the parsed header of every source
 * file the scanner may ask about, `null` for anything else. Bump `version` whenever the header
 * parser's output could change for the same content.
 */
export const GO_HEADER_DERIVE = {
  version: 'gob-go-header-1',
  fn(path: WorkspacePath, content: Buffer): GoFileHeader | null {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!isSourceFileName(name) || nameExt(name) === '.syso') return null;
    return parseSourceFileHeader(name, content.toString('utf8'));
  },
};

/** Anything that hands out values derived with GO_HEADER_DERIVE (gob's FileHasher does). */
export interface DerivedHeaderSource {
  derived(path: WorkspacePath): Promise<{ readonly value: unknown }>;
}

function isHeader(v: unknown): v is GoFileHeader {
  return typeof v === 'object' && v !== null && Array.isArray((v as { imports?: unknown }).imports);
}

/** A GoIO that lists directories from disk and takes headers from `hasher`. */
export function goIOFromHasher(root: string, hasher: DerivedHeaderSource): GoIO {
  const disk = nodeGoIO(root);
  return {
    readdir: (dir) => disk.readdir(dir),
    async readHeader(path) {
      const d = await hasher.derived(path);
      // A hasher configured without this derive hook yields something else: parse directly.
      return isHeader(d.value) ? d.value : disk.readHeader(path);
    },
  };
}
