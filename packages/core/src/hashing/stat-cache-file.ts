import type { Sha256, WorkspacePath } from '../types.js';
import { isSha256 } from './hash-bytes.js';

/**
 * The on-disk form of the hasher's stat cache: one JSON document, entries as arrays so that
 * 25,000 of them parse and serialise in a few tens of milliseconds:
 *
 *     {"format":"gob-stat-cache","version":2,"derive":"go-header-3","savedAt":1732406400000,
 *      "entries":[["services/payment/main.go","1234:1732406399123.4567:1732406399123.4567:5678","9f86…","{\"pkg\":…}"],…]}
 *
 * Each entry is `[path, statKey, digest]` or, when a derived value was computed from the same
 * read, `[path, statKey, digest, derivedJson]`. `statKey` is `size:mtimeMs:ctimeMs:inode` (see
 * stat-key.ts): the hasher only ever compares it for equality, so it stays a string. The
 * derived value is kept as its JSON text, so loading allocates one string per entry instead of a
 * tree of objects, values are parsed only for files a build asks about, and unchanged ones are
 * written back verbatim. `derive` is the `derive.version` the derived
 * values were computed with. `savedAt` (ms since the epoch) is informational: every stored
 * entry was already checked against the racy-timestamp rule when it was read, and racy entries
 * are never stored.
 *
 * Bump `STAT_CACHE_VERSION` whenever this shape or the meaning of a field changes; a file with
 * another format or version is ignored (the hasher starts empty and rewrites it).
 */
export const STAT_CACHE_FORMAT = 'gob-stat-cache';
export const STAT_CACHE_VERSION = 2;

export type StoredEntry =
  | readonly [path: WorkspacePath, statKey: string, digest: Sha256]
  | readonly [path: WorkspacePath, statKey: string, digest: Sha256, derivedJson: string];

export interface StatCacheFile {
  readonly deriveVersion: string | null;
  readonly savedAt: number;
  readonly entries: readonly StoredEntry[];
}

export function encodeStatCache(file: StatCacheFile): string {
  return JSON.stringify({
    format: STAT_CACHE_FORMAT,
    version: STAT_CACHE_VERSION,
    derive: file.deriveVersion,
    savedAt: file.savedAt,
    entries: file.entries,
  });
}

/** Parses a stat cache file; undefined if it is not valid JSON, not ours, another version, or damaged. */
export function decodeStatCache(text: string): StatCacheFile | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { format, version, derive, savedAt, entries } = doc as Record<string, unknown>;
  if (format !== STAT_CACHE_FORMAT || version !== STAT_CACHE_VERSION) return undefined;
  if (derive !== null && typeof derive !== 'string') return undefined;
  if (typeof savedAt !== 'number' || !Array.isArray(entries)) return undefined;
  for (const e of entries as unknown[]) {
    if (!isStoredEntry(e)) return undefined;
  }
  return { deriveVersion: derive, savedAt, entries: entries as StoredEntry[] };
}

function isStoredEntry(e: unknown): e is StoredEntry {
  return (
    Array.isArray(e) &&
    (e.length === 3 || (e.length === 4 && typeof e[3] === 'string')) &&
    typeof e[0] === 'string' &&
    typeof e[1] === 'string' &&
    isSha256(e[2])
  );
}
