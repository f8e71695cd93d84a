import { engineBuildId } from '@gob/core/build-id';
import { PROTOCOL_VERSION } from './protocol.js';

/**
 * Who may be served by whom. A client says `<gob build id>|p<protocol>|<node>`: the Node client
 * names its node (version and binary), the native client (../../native/) says `native`. A server
 * serves clients of its own gob build and protocol; a Node client also only when its node is the
 * server's (so that a switch of Node versions gets a server on the new one). Undefined when this
 * gob does not know its build id (run from source): then there is no server.
 */
export function serverIdentity(): string | undefined {
  const build = engineBuildId();
  if (build === undefined || build === 'src') return undefined;
  return `${build}|p${PROTOCOL_VERSION}|${nodeIdentity()}`;
}

function nodeIdentity(): string {
  return `${process.version}|${process.execPath}`;
}

/**
 * What a server does with a client that says `id`: serve it, turn it away (`refuse`: a native
 * client of an older protocol, which then hands the command to Node), or turn it away and stop
 * (`replace`: a client of another gob build or node, which starts a server of its own).
 */
export function admit(id: string, server: string): 'serve' | 'refuse' | 'replace' {
  if (id === server) return 'serve';
  const [build, protocol, ...node] = id.split('|');
  const [myBuild, myProtocol] = server.split('|');
  if (build !== myBuild) return 'replace';
  if (node.join('|') === 'native') return protocol === myProtocol ? 'serve' : 'refuse';
  return 'replace';
}
