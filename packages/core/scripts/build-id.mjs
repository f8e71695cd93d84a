/* global URL */
// Writes generated/build-id.json: a hash of the built gob (the engine's dist/ and generated/ code,
// and the reporters' and the CLI's dist/ next to it). gob's plan snapshots (src/snapshot/) are
// only reused by the very gob that wrote them, and a gob server only serves a client of its own
// build (cli/src/server/), so a rebuilt gob — a new release, or a developer's change — never
// trusts a plan made, or runs in a server started, by other code. Run by the build after tsc.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const hash = createHash('sha256');
const walk = (dir) => {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // a package that is not built (or not installed next to the engine)
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.js') || e.name.endsWith('.json')) {
      if (e.name === 'build-id.json') continue;
      hash.update(`${relative(here, p)}\0`).update(readFileSync(p)).update('\0');
    }
  }
};
walk(join(here, 'dist'));
walk(join(here, 'generated'));
walk(join(here, '..', 'ui', 'dist'));
walk(join(here, '..', 'cli', 'dist'));
mkdirSync(join(here, 'generated'), { recursive: true });
writeFileSync(join(here, 'generated', 'build-id.json'), `${JSON.stringify({ id: hash.digest('hex').slice(0, 32) })}\n`);
