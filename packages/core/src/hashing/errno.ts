/** The `code` of a Node.js system error (`ENOENT`, `EXDEV`…), or undefined for anything else. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  const code = e.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when a path (or one of its parent directories) does not exist. */
export function isNotFound(e: unknown): boolean {
  const code = errnoCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A caught value's message, for diagnostics. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : JSON.stringify(e) ?? 'unknown error';
}
