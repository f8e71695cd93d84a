/**
 * Expected failures are values, not exceptions. A function that can fail in a way the user can
 * act on returns a Result; a throw means a bug (and is converted at the CLI boundary).
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
