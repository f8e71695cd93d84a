/**
 * The identity of a file (or directory) version as gob remembers it between builds:
 * `size:mtimeNs:ctimeNs:inode`. While a path's stat gives the same key, its content (or listing)
 * is taken to be the same — unless the key was recorded inside the racy window (see
 * `DEFAULT_RACY_WINDOW_MS` in file-hasher.ts), when a later write could have left it unchanged.
 */
export interface StatLike {
  readonly size: number | bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly ino: bigint;
}

export function statKeyOf(st: StatLike): string {
  return `${String(st.size)}:${st.mtimeNs.toString()}:${st.ctimeNs.toString()}:${st.ino.toString()}`;
}

/** True when mtime and ctime are both more than `windowMs` before `observedAtMs` (clock read before the stat). */
export function olderThanRacyWindow(st: StatLike, observedAtMs: number, windowMs: number): boolean {
  const limitNs = BigInt(Math.floor(observedAtMs - windowMs)) * 1_000_000n;
  return st.mtimeNs < limitNs && st.ctimeNs < limitNs;
}
