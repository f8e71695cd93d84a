import { Writable } from 'node:stream';
import type { OutStream } from '../io.js';
import type { StreamInfo } from './protocol.js';

/**
 * A client's stdout or stderr inside the server: what is written to it is sent to the client as
 * frames, and it reports the client's terminal (`isTTY`, size, 'resize'), so reporters — the
 * TUI included — cannot tell it from the real one. Writes after the client went away are dropped.
 */
export class RemoteStream extends Writable {
  isTTY: boolean;
  columns: number | undefined;
  rows: number | undefined;

  constructor(
    info: StreamInfo,
    private readonly send: (text: string) => void,
  ) {
    super({ decodeStrings: false });
    this.isTTY = info.isTTY;
    this.columns = info.columns;
    this.rows = info.rows;
  }

  override _write(chunk: unknown, encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    this.send(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
    done();
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }

  asOutStream(): OutStream {
    return this as unknown as OutStream;
  }
}
