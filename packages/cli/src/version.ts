import { readFileSync } from 'node:fs';

/** gob's version, read from the CLI package's package.json. */
export const GOB_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
