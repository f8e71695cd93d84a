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
 * and the caller sees that by reading again. Resolves to go's reason for each module it could
 * not fetch (`path@version` → `example.com/x@v1.0.0: module lookup disabled by GOPROXY=off`).
 */
export async function downloadModules(req: DownloadRequest): Promise<ReadonlyMap<string, string>> {
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
  const failures = new Map<string, string>();
  await Promise.all([
    ...chunks(goModOnly).map((ids) => runGo(req, ['list', '-m', '-mod=readonly', '-e', '-json', ...ids], ids, failures)),
    ...chunks(files).map((ids) => runGo(req, ['mod', 'download', '-json', ...ids], ids, failures)),
  ]);
  // `go list -m` leaves out a go.mod it could not verify, without an error: `go mod download`
  // says why (and fetches it, when it can).
  const silent = goModOnly.filter((id) => {
    const at = id.lastIndexOf('@');
    return !failures.has(id) && !fs.existsSync(cachedGoModFile(req.moduleCache, id.slice(0, at), id.slice(at + 1)));
  });
  await Promise.all(chunks(silent).map((ids) => runGo(req, ['mod', 'download', '-json', ...ids], ids, failures)));
  return failures;
}

/**
 * Where to have go download each of `ids` (`path@version`): in the directory of the first of
 * `modules` (absolute paths, in order) whose checksum file (`sum`: go.sum, or the `.sum` twin of
 * GOFLAGS' `-modfile`) lists it, else in `fallback`. There go checks what it downloads against
 * that file, as the build will; elsewhere it asks the checksum database (sum.golang.org) first, a
 * round trip per module, and fails where that cannot be reached. Only for independent modules (no
 * go.work): in a go.work's directory go reads every go.sum.
 */
export function downloadDirs(ids: readonly string[], modules: readonly { readonly dir: string; readonly sum: string }[], fallback: string): Map<string, string[]> {
  const byDir = new Map<string, string[]>();
  const left = new Set(ids);
  for (const { dir, sum } of modules) {
    if (left.size === 0) break;
    let text: string;
    try {
      text = fs.readFileSync(sum, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const [modPath, version] = line.split(' ', 3);
      if (modPath === undefined || version === undefined) continue;
      const id = `${modPath}@${version.endsWith('/go.mod') ? version.slice(0, -'/go.mod'.length) : version}`;
      if (!left.delete(id)) continue;
      const list = byDir.get(dir) ?? [];
      list.push(id);
      byDir.set(dir, list);
    }
  }
  if (left.size > 0) byDir.set(fallback, [...(byDir.get(fallback) ?? []), ...left]);
  return byDir;
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

/** Runs go, and adds go's reason for each of `ids` it says it could not fetch to `failures`. */
function runGo(req: DownloadRequest, args: string[], ids: readonly string[], failures: Map<string, string>): Promise<void> {
  return new Promise((resolve) => {
    execFile(req.goBin, args, { cwd: req.cwd, env: req.env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const answered = moduleErrors(stdout);
      for (const [id, message] of answered.errors) failures.set(id, message);
      // go stopped before answering for each module (a go.mod it refuses, a bad flag): its
      // message stands for every module it was asked for.
      if (error !== null && answered.modules === 0) {
        const line = stderr.split('\n').find((l) => l.trim() !== '')?.trim() ?? error.message;
        for (const id of ids) failures.set(id, `${id}: ${line}`);
      }
      resolve();
    });
  });
}

/**
 * The errors in the JSON objects go prints one after the other (`go list -m -json` puts them
 * in `Error.Err`, `go mod download -json` in `Error`), by `path@version`, and how many objects
 * there were.
 */
export function moduleErrors(stdout: string): { modules: number; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  let modules = 0;
  for (const text of stdout.split(/\n(?=\{)/)) {
    if (text.trim() === '') continue;
    let m: { Path?: unknown; Version?: unknown; Error?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      continue;
    }
    modules++;
    const e = m.Error;
    const message = typeof e === 'string' ? e : typeof e === 'object' && e !== null && typeof (e as { Err?: unknown }).Err === 'string' ? (e as { Err: string }).Err : undefined;
    if (message !== undefined && typeof m.Path === 'string' && typeof m.Version === 'string') errors.set(`${m.Path}@${m.Version}`, message);
  }
  return { modules, errors };
}
