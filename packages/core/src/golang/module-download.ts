/**
 * Has go put external modules that a plan needs to read into the module cache (see external.ts):
 * a module's go.mod, to decide whether it can import a local module, and for the few that can,
 * its files. go would download them anyway to build; gob asks first because a key made without
 * them could miss local packages that go compiles.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { cachedGoModFile } from './module-cache.js';

export interface DownloadRequest {
  readonly goBin: string;
  /** Where go runs (the workspace root), and its complete environment (GOMODCACHE, GOPROXY, …). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly moduleCache: string;
  /** `path@version` of each module a reader could not read. */
  readonly modules: readonly string[];
}

/**
 * Downloads what the module cache lacks of `modules`: the go.mod of those it has no go.mod for
 * (`go list -m`, which fetches nothing else), and the files of the others (`go mod download`).
 * Never rejects: what go could not fetch (offline, a private module, GOPROXY=off) stays missing,
 * and the caller sees that by reading again.
 */
export async function downloadModules(req: DownloadRequest): Promise<void> {
  const goModOnly: string[] = [];
  const files: string[] = [];
  for (const id of req.modules) {
    const at = id.lastIndexOf('@');
    (fs.existsSync(cachedGoModFile(req.moduleCache, id.slice(0, at), id.slice(at + 1))) ? files : goModOnly).push(id);
  }
  // -e: one module go cannot fetch does not stop the others. go fetches one module after the
  // other, each a round trip or two to the proxy: a few go processes at once share the wait.
  // -mod=readonly: in a module with a vendor/ directory go defaults to -mod=vendor, and then
  // refuses to query any module ("cannot query module due to -mod=vendor"), although the module
  // asked for may be another module's requirement; readonly is also the one -mod a go.work
  // allows. `go mod download` has no such rule.
  await Promise.all([
    ...chunks(goModOnly).map((ids) => runGo(req, ['list', '-m', '-mod=readonly', '-e', '-json', ...ids])),
    ...chunks(files).map((ids) => runGo(req, ['mod', 'download', '-json', ...ids])),
  ]);
}

/** At most this many go processes download at once. */
const PROCESSES = 8;

/** `ids` in at most PROCESSES chunks of similar size. */
function chunks(ids: readonly string[]): string[][] {
  const size = Math.ceil(ids.length / PROCESSES);
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

function runGo(req: DownloadRequest, args: string[]): Promise<void> {
  return new Promise((resolve) => {
    execFile(req.goBin, args, { cwd: req.cwd, env: req.env, maxBuffer: 64 << 20 }, () => {
      resolve();
    });
  });
}
