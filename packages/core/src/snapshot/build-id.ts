import { readFileSync } from 'node:fs';

/**
 * The identity of this gob's engine code (scripts/build-id.mjs writes it at build time), so that
 * a plan snapshot is reused only by the gob that wrote it. Undefined when it cannot be known
 * (the file is missing): then no snapshot is read or written. Code run from source (tests) has
 * the id `src`, never equal to a built gob's.
 */
export function engineBuildId(): string | undefined {
  if (cached !== null) return cached;
  const url = new URL('../../generated/build-id.json', import.meta.url);
  if (import.meta.url.includes('/src/snapshot/')) {
    cached = 'src';
    return cached;
  }
  try {
    const doc = JSON.parse(readFileSync(url, 'utf8')) as { id?: unknown };
    cached = typeof doc.id === 'string' && doc.id !== '' ? doc.id : undefined;
  } catch {
    cached = undefined;
  }
  return cached;
}

let cached: string | undefined | null = null;
