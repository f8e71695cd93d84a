import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';

/**
 * Writes a small text file so that readers see the old content or the new, never a part: a
 * uniquely named temp file beside it, then a rename. (The cache has its own blob protocol.)
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${String(process.pid)}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
