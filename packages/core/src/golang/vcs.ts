/**
 * What `go build -buildvcs=true` stamps into a binary from version control: for a git checkout,
 * the current commit, its time and whether the checkout has changes (`vcs.revision`,
 * `vcs.time`, `vcs.modified`). go asks git the same two questions (cmd/go/internal/vcs); gob asks
 * them to put the answers in the key, so that a binary restored from the cache carries the
 * commit it would be built at now.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The git checkout `dir` is in (the directory holding `.git`), if any. */
export function gitRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

function git(args: readonly string[], cwd: string, env: Readonly<Record<string, string>>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, env, maxBuffer: 64 << 20 }, (e, stdout, stderr) => {
      if (e === null) resolve(stdout);
      else reject(new Error(`git ${args.join(' ')} failed: ${stderr.trim() || e.message}`));
    });
  });
}

/**
 * The version-control state go would stamp into binaries built in `dir`, as one string: `none`
 * outside a git checkout, else `git <commit>:<commit time> modified=<bool>`, or the error git
 * gave (go then fails the build too). `env` is the environment git runs with.
 */
export async function vcsState(dir: string, env: Readonly<Record<string, string>>): Promise<string> {
  const root = gitRoot(dir);
  if (root === undefined) return 'none';
  try {
    const head = (await git(['-c', 'log.showsignature=false', 'log', '-1', '--format=%H:%ct'], root, env)).trim();
    const status = await git(['status', '--porcelain'], root, env);
    return `git ${head} modified=${String(status.trim() !== '')}`;
  } catch (e) {
    return `git error: ${e instanceof Error ? e.message : String(e)}`;
  }
}
