import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the local cache lives when gob.yaml does not say: `GOB_CACHE_DIR` (resolved against the
 * cwd if relative), else `$XDG_CACHE_HOME/gob`, else `~/.cache/gob`. An empty variable counts as
 * unset, and so does a relative `XDG_CACHE_HOME` (the XDG spec says to ignore it).
 */
export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  homedir: string = os.homedir(),
): string {
  const explicit = env.GOB_CACHE_DIR;
  if (explicit !== undefined && explicit !== '') return path.resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '' && path.isAbsolute(xdg)) return path.join(xdg, 'gob');
  return path.join(homedir, '.cache', 'gob');
}
