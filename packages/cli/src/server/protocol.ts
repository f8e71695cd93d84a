/**
 * The gob client ↔ gob server protocol: one JSON object per line over the server's Unix socket.
 * The client sends what the command needs from its process (argv, cwd, environment, what its
 * stdout and stderr are); the server runs the command and sends back the bytes for stdout and
 * stderr and the exit code. The client renders nothing itself, so a served build prints exactly
 * what the same build in the client's process would.
 */
export const PROTOCOL_VERSION = 1;

export interface StreamInfo {
  readonly isTTY: boolean;
  readonly columns?: number | undefined;
  readonly rows?: number | undefined;
}

export type ClientFrame =
  | {
      readonly t: 'run';
      /** The client's gob and protocol (`serverIdentity`): a server of another build does not serve it. */
      readonly id: string;
      readonly argv: readonly string[];
      readonly cwd: string;
      readonly env: Readonly<Record<string, string>>;
      readonly stdout: StreamInfo;
      readonly stderr: StreamInfo;
    }
  /** First Ctrl-C: stop the build in order. */
  | { readonly t: 'cancel' }
  | { readonly t: 'resize'; readonly columns: number; readonly rows: number }
  | { readonly t: 'status' }
  | { readonly t: 'stop' };

export type ServerFrame =
  | { readonly t: 'out'; readonly d: string }
  | { readonly t: 'err'; readonly d: string }
  | { readonly t: 'exit'; readonly code: number }
  /** The server is another gob's (or another protocol's): it shuts down; start a new one. */
  | { readonly t: 'mismatch'; readonly id: string }
  | { readonly t: 'status'; readonly status: ServerStatus }
  | { readonly t: 'stopping' };

export interface ServerStatus {
  readonly pid: number;
  readonly id: string;
  readonly root: string;
  readonly startedAt: string;
  readonly commands: number;
  /** A command is running now. */
  readonly busy: boolean;
  readonly idleExitSeconds: number;
  readonly rssBytes: number;
}

/** Splits a byte stream into frames; `onFrame` gets each parsed line. */
export function frameReader(onFrame: (frame: unknown) => void): (chunk: string) => void {
  let buf = '';
  return (chunk) => {
    buf += chunk;
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line !== '') onFrame(JSON.parse(line));
      nl = buf.indexOf('\n');
    }
  };
}

export function encode(frame: ClientFrame | ServerFrame): string {
  return `${JSON.stringify(frame)}\n`;
}
