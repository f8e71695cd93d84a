import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { Sha256 } from '../types.js';
import type { BlobRef } from './action-cache-store.js';

const CHUNK = 1 << 20;

/**
 * Copies `src` to a new file `dest` (which must not exist) created with `mode`, hashing the bytes
 * as they pass: one read of the source gives both the copy and its digest. On failure `dest` may
 * be left behind; the caller owns it and removes it.
 */
export async function copyAndHash(src: string, dest: string, mode: number): Promise<BlobRef> {
  const hash = createHash('sha256');
  let size = 0;
  const input = await fsp.open(src, 'r');
  try {
    const output = await fsp.open(dest, 'wx', mode);
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await input.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
        let written = 0;
        while (written < bytesRead) {
          const r = await output.write(buf, written, bytesRead - written, null);
          written += r.bytesWritten;
        }
        size += bytesRead;
      }
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
  return { digest: hash.digest('hex') as Sha256, size };
}
