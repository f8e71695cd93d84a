/**
 * What `go build -buildvcs=true` stamps into a binary from version control: for a git checkout,
 * the current commit, its time and whether the checkout has changes (`vcs.revision`,
 * `vcs.time`, `vcs.modified`), and since go 1.24 the main module's version, which go derives
 * from the tags: the semver tag on the commit (`v1.2.3`), else a pseudo-version based on the
 * highest one among its ancestors (`v1.2.4-0.20261207…-abcdef`), `+dirty` with changes. go
 * asks git these questions (cmd/go/internal/vcs, modfetch/codehost); gob asks them to put the
 * answers in the key, so that a binary restored from the cache carries what it would be
 * built with now.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hashBytes } from '../hashing/hash-bytes.js';
import { nearestAncestor } from '../util/fs-paths.js';

/** The git checkout `dir` is in (the directory holding `.git`), if any. */
export function gitRoot(dir: string): string | undefined {
  return nearestAncestor(dir, (d) => fs.existsSync(path.join(d, '.git')));
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
 * outside a git checkout, else `git <commit>:<commit time> modified=<bool> tags=<digest>`, or
 * the error git gave (go then fails the build too). `env` is the environment git runs with.
 *
 * `tags` is the digest of every tag and the object it names. go looks only at the tags merged
 * into the commit, but with the commit in the key the full list decides the same and costs one
 * read of the refs instead of a walk of the history (`for-each-ref --merged`, 0.1 s in a large
 * repository). A tag elsewhere rebuilds what a commit would.
 */
export async function vcsState(dir: string, env: Readonly<Record<string, string>>): Promise<string> {
  const root = gitRoot(dir);
  if (root === undefined) return 'none';
  try {
    const [head, status, tags] = await Promise.all([
      git(['-c', 'log.showsignature=false', 'log', '-1', '--format=%H:%ct'], root, env),
      git(['status', '--porcelain'], root, env),
      git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/tags'], root, env),
    ]);
    return `git ${head.trim()} modified=${String(status.trim() !== '')} tags=${tags === '' ? 'none' : hashBytes(tags)}`;
  } catch (e) {
    return `git error: ${e instanceof Error ? e.message : String(e)}`;
  }
}
