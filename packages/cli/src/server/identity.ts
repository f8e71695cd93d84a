import { engineBuildId } from '@gob/core/build-id';
import { PROTOCOL_VERSION } from './protocol.js';

/**
 * Who may be served by whom: a server serves only clients of the same gob build, on the same
 * node. Undefined when this gob does not know its build id (run from source): then there is no
 * server.
 */
export function serverIdentity(): string | undefined {
  const build = engineBuildId();
  if (build === undefined || build === 'src') return undefined;
  return `${build}|p${PROTOCOL_VERSION}|${process.version}|${process.execPath}`;
}
