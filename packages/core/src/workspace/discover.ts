/**
 * Finds every BUILD.yaml under the workspace root. Reads only directory listings, never the
 * files themselves.
 */
import type { Dirent } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { WorkspacePath } from '../types.js';
import { err, ok } from '../util/result.js';
import type { Result } from '../util/result.js';
import { compareStrings } from '../labels/suggest.js';

export const BUILD_FILE_NAME = 'BUILD.yaml';

/**
 * The one file-system call the search makes, `readdirSync(dir, { withFileTypes: true })` on an
 * absolute directory; gob replaces it to record the directories it lists.
 */
export interface DiscoveryFs {
  readdirSync(dir: string, opts: { withFileTypes: true }): Dirent[];
}

const nodeDiscoveryFs: DiscoveryFs = { readdirSync: (dir, opts) => fs.readdirSync(dir, opts) };

/**
 * Directories never searched, wherever they are: VCS data, other tools' dependency trees, Go's
 * own ignored dirs (vendor is the module's business, testdata is never a package), gob's
 * output. Directories whose names start with "." are skipped too.
 */
export const ALWAYS_SKIPPED_DIRS: readonly string[] = ['.git', 'node_modules', 'vendor', 'testdata', 'gob-out'];
const SKIPPED = new Set(ALWAYS_SKIPPED_DIRS);

/**
 * Workspace-relative paths of every BUILD.yaml (or file named `buildFile`: gob.yaml's
 * `build_file`), sorted. `ignore` holds gob.yaml's globs, relative to the root; a glob that names
 * a directory also skips everything inside it.
 *
 * The search lists each directory once and descends into real directories only: names starting
 * with ".", `ALWAYS_SKIPPED_DIRS`, directories an `ignore` glob matches and symbolic links are
 * left out, and a BUILD.yaml counts only as a regular file. Its own loop rather than a glob
 * library's walk: on a repository of 25,000 Go files, matching every file against glob patterns
 * cost more than listing the directories.
 */
export async function discoverBuildFiles(
  root: string,
  ignore: readonly string[],
  walkFs: DiscoveryFs = nodeDiscoveryFs,
  buildFile: string = BUILD_FILE_NAME,
): Promise<Result<WorkspacePath[], Diagnostic>> {
  const found: WorkspacePath[] = [];
  // Synchronous on purpose: on a tree of thousands of directories, an asynchronous walk costs
  // two to three times as much in callbacks, for reads that are quick anyway.
  const pending: string[] = [''];
  try {
    const ignored = await ignoreMatcher(ignore);
    for (let rel = pending.pop(); rel !== undefined; rel = pending.pop()) {
      let entries: Dirent[];
      try {
        entries = walkFs.readdirSync(rel === '' ? root : path.join(root, rel), { withFileTypes: true });
      } catch (e: unknown) {
        // Removed while gob searched: like any directory created meanwhile, the next build sees it.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      for (const entry of entries) {
        const name = entry.name;
        if (name.charCodeAt(0) === 0x2e /* . */) continue;
        const rp = rel === '' ? name : `${rel}/${name}`;
        if (entry.isDirectory()) {
          if (!SKIPPED.has(name) && !ignored(rp)) pending.push(rp);
        } else if (name === buildFile && entry.isFile() && !ignored(rp)) {
          found.push(rp);
        }
      }
    }
  } catch (e: unknown) {
    return err({
      severity: 'error',
      code: 'read-error',
      message: `cannot search ${root} for ${buildFile} files: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  return ok(found.sort(compareStrings));
}

/**
 * Whether a workspace path is matched by one of gob.yaml's `ignore` globs, with the glob syntax
 * and options gob has always used (micromatch's, case-sensitive, `*` and `**` not matching names
 * that start with "." — which the search never reaches anyway).
 */
async function ignoreMatcher(ignore: readonly string[]): Promise<(rel: string) => boolean> {
  const patterns = ignore.flatMap(ignorePatterns);
  if (patterns.length === 0) return () => false;
  // Loaded only here: most workspaces ignore nothing, and every gob process would load it.
  const { default: micromatch } = await import('micromatch');
  const res = patterns.map((p) => micromatch.makeRe(p, { dot: false, posix: true, strictSlashes: false }));
  return (rel) => res.some((re) => re.test(rel));
}

/** `third_party`, `./third_party/` or `/third_party` → the dir itself and everything below. */
function ignorePatterns(glob: string): string[] {
  const p = glob.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (p === '') return [];
  return p.endsWith('/**') || p === '**' ? [p] : [p, `${p}/**`];
}
