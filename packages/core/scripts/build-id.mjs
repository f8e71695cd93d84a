/* global URL */
// Writes generated/build-id.json: a hash of the built engine (dist/ and generated/ code). gob's
// plan snapshots (src/snapshot/) are only reused by the very gob that wrote them, so a rebuilt
// gob — a new release, or a developer's change — never trusts a plan made by other code.
// Run by the package build after tsc.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const hash = createHash('sha256');
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.js') || e.name.endsWith('.json')) {
      if (e.name === 'build-id.json') continue;
      hash.update(`${p.slice(here.length)}\0`).update(readFileSync(p)).update('\0');
    }
  }
};
walk(join(here, 'dist'));
walk(join(here, 'generated'));
mkdirSync(join(here, 'generated'), { recursive: true });
writeFileSync(join(here, 'generated', 'build-id.json'), `${JSON.stringify({ id: hash.digest('hex').slice(0, 32) })}\n`);
