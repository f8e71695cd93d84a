import type { Platform, Target, WorkspacePath } from '../types.js';

/** The directory, under the workspace root, that holds everything gob produces. */
export const OUT_DIR = 'gob-out';

/**
 * Where a binary lands (DESIGN §7): `gob-out/bin/<dir>/<out>` for the host platform and
 * `gob-out/<goos>_<goarch>/<dir>/<out>` for others; `.exe` is added for Windows.
 */
export function binaryOutputPath(target: Target & { kind: 'go_binary' }, platform: Platform, host: Platform): WorkspacePath {
  const isHost = platform.goos === host.goos && platform.goarch === host.goarch;
  const base = isHost ? `${OUT_DIR}/bin` : `${OUT_DIR}/${platform.goos}_${platform.goarch}`;
  const name = platform.goos === 'windows' && !target.out.includes('.') ? `${target.out}.exe` : target.out;
  return target.dir === '' ? `${base}/${name}` : `${base}/${target.dir}/${name}`;
}
