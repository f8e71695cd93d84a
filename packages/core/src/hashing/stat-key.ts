/**
 * The identity of a file (or directory) version as gob remembers it between builds:
 * `size:mtimeMs:ctimeMs:inode`, from a plain stat (times in milliseconds with their fractions, as
 * Node gives them: sub-microsecond resolution). While a path's stat gives the same key, its
 * content (or listing) is taken to be the same — unless the key was recorded inside the racy
 * window (see `DEFAULT_RACY_WINDOW_MS` in file-hasher.ts), when a later write could have left it
 * unchanged.
 */
export interface StatLike {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

export function statKeyOf(st: StatLike): string {
  return `${String(st.size)}:${String(st.mtimeMs)}:${String(st.ctimeMs)}:${String(st.ino)}`;
}

/** True when mtime and ctime are both more than `windowMs` before `observedAtMs` (clock read before the stat). */
export function olderThanRacyWindow(st: StatLike, observedAtMs: number, windowMs: number): boolean {
  const limit = observedAtMs - windowMs;
  return st.mtimeMs < limit && st.ctimeMs < limit;
}
