/* global URL */
// Builds gob's native client (native/ → dist/gob-client) with the go that gob needs anyway.
// Without go (or on Windows) there is no native client, and the launcher (bin/gob) runs gob with
// Node alone: slower to start, otherwise the same. Run by the build after tsc.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const out = join(pkg, 'dist', 'gob-client');
// A client of an older build must not outlive a failed build of this one.
rmSync(out, { force: true });
if (process.platform === 'win32') process.exit(0);
// For this machine, whatever the shell says about cross-compiling; no workspace around it.
const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '', GOWORK: 'off' };
delete env.GOOS;
delete env.GOARCH;
const r = spawnSync('go', ['build', '-trimpath', '-o', out, '.'], { cwd: join(pkg, 'native'), env, stdio: ['ignore', 'inherit', 'inherit'] });
if (r.error !== undefined || r.status !== 0) {
  process.stderr.write(`gob: the native client was not built (${r.error?.message ?? `go build exited ${r.status}`}); gob will start with Node alone\n`);
}
