import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashBytes, hashFileStreaming, isSha256 } from './hash-bytes.js';

describe('hashBytes', () => {
  it('matches the SHA-256 test vectors', () => {
    expect(hashBytes('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashBytes('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashBytes(Buffer.from('abc'))).toBe(hashBytes('abc'));
  });

  it('hashes strings as UTF-8', () => {
    expect(hashBytes('ü')).toBe(hashBytes(Buffer.from([0xc3, 0xbc])));
  });
});

describe('hashFileStreaming', () => {
  it('agrees with hashBytes on a file larger than one chunk', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-hash-'));
    try {
      const data = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
      const file = path.join(dir, 'big.bin');
      await fs.writeFile(file, data);
      expect(await hashFileStreaming(file)).toBe(hashBytes(data));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('gives each of many files hashed at once its own digest (read buffers are reused)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-hash-'));
    try {
      const files = Array.from({ length: 12 }, (_, n) => {
        const data = Buffer.alloc(n === 0 ? 0 : (n % 3) * 1024 * 1024 + n * 1000);
        for (let i = 0; i < data.length; i++) data[i] = (i * (n + 7)) & 0xff;
        return { file: path.join(dir, `f${String(n)}.bin`), data };
      });
      for (const f of files) await fs.writeFile(f.file, f.data);
      for (let round = 0; round < 2; round++) {
        const got = await Promise.all(files.map((f) => hashFileStreaming(f.file)));
        expect(got).toEqual(files.map((f) => hashBytes(f.data)));
      }
      await expect(hashFileStreaming(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('isSha256', () => {
  it('accepts only 64 lower-case hex characters', () => {
    expect(isSha256(hashBytes('x'))).toBe(true);
    expect(isSha256(hashBytes('x').toUpperCase())).toBe(false);
    expect(isSha256(hashBytes('x').slice(1))).toBe(false);
    expect(isSha256(`../${hashBytes('x').slice(3)}`)).toBe(false);
    expect(isSha256(42)).toBe(false);
  });
});
