/**
 * Probes the Go toolchain: `go env -json` with exactly the environment the build will use, plus
 * (by default) the build context's tool and release tags, which `go env` does not show — the
 * enabled experiments include the toolchain's defaults, not only what GOEXPERIMENT says.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { err, ok, type Result } from '../util/result.js';
import type { BuildContext } from './scanner.js';

export interface GoEnv {
  /** Every variable `go env -json` printed. */
  readonly raw: Readonly<Record<string, string>>;
  readonly GOVERSION: string;
  readonly GOROOT: string;
  readonly GOOS: string;
  readonly GOARCH: string;
  readonly GOHOSTOS: string;
  readonly GOHOSTARCH: string;
  readonly CGO_ENABLED: string;
  readonly CC: string;
  readonly CXX: string;
  readonly GOFLAGS: string;
  readonly GOEXPERIMENT: string;
  readonly GOTOOLCHAIN: string;
  readonly GOAMD64?: string | undefined;
  readonly GOARM?: string | undefined;
  readonly GOARM64?: string | undefined;
  readonly GO386?: string | undefined;
  readonly GOMIPS?: string | undefined;
  readonly GOMIPS64?: string | undefined;
  readonly GOPPC64?: string | undefined;
  readonly GORISCV64?: string | undefined;
  readonly GOWASM?: string | undefined;
  readonly GOMODCACHE: string;
  readonly GOCACHE: string;
  readonly GOPATH: string;
  /** The go.work in effect for the probe's cwd ('' when none, 'off' when disabled). */
  readonly GOWORK: string;
  /** The go.mod in effect for the probe's cwd ('' or /dev/null outside a module). */
  readonly GOMOD: string;
  readonly cgoEnabled: boolean;
  /** The arch level variable for GOARCH (e.g. `GOAMD64`) and its value, if the arch has one. */
  readonly archLevelVar: string | undefined;
  readonly archLevel: string | undefined;
  /**
   * Experiments in effect (baseline plus GOEXPERIMENT), lower-case, e.g. `greenteagc`. From the
   * toolchain's own build context when tags were probed; otherwise only GOEXPERIMENT's.
   */
  readonly experiments: readonly string[];
  /** The toolchain's ToolTags (`goexperiment.*`, arch features), when probed. */
  readonly toolTags: readonly string[] | undefined;
  /** The toolchain's ReleaseTags (`go1.1` … `go1.N`), when probed. */
  readonly releaseTags: readonly string[] | undefined;
}

export type GoFailure =
  | { readonly reason: 'go-not-found'; readonly goBin: string; readonly message: string }
  | { readonly reason: 'go-env-failed'; readonly exitCode: number | null; readonly stderr: string }
  | { readonly reason: 'go-env-unparseable'; readonly message: string; readonly stdout: string };

export interface RunResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not be started. */
  readonly spawnError?: { readonly code?: string | undefined; readonly message: string } | undefined;
}

/** Runs a command to completion; injected so tests can simulate a missing or failing `go`. */
export type RunCommand = (file: string, args: readonly string[], opts: { cwd: string; env: Record<string, string> }) => Promise<RunResult>;

export interface ProbeGoEnvOptions {
  readonly goBin?: string | undefined;
  readonly cwd: string;
  /** The complete environment for `go` (nothing is inherited). */
  readonly env: Record<string, string>;
  /** Also ask the toolchain for its tool/release tags (one more `go list`, in GOROOT/src). Default true. */
  readonly probeTags?: boolean | undefined;
  readonly run?: RunCommand | undefined;
}

/** Runs `go env -json` (and the tag probe) and returns the typed environment. */
export async function probeGoEnv(opts: ProbeGoEnvOptions): Promise<Result<GoEnv, GoFailure>> {
  const goBin = opts.goBin ?? 'go';
  const run = opts.run ?? runCommand;
  const r = await run(goBin, ['env', '-json'], { cwd: opts.cwd, env: opts.env });
  if (r.spawnError !== undefined) {
    return err({ reason: 'go-not-found', goBin, message: r.spawnError.message });
  }
  if (r.exitCode !== 0) return err({ reason: 'go-env-failed', exitCode: r.exitCode, stderr: r.stderr });
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch (e) {
    return err({ reason: 'go-env-unparseable', message: e instanceof Error ? e.message : String(e), stdout: r.stdout });
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return err({ reason: 'go-env-unparseable', message: 'expected a JSON object', stdout: r.stdout });
  }
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') raw[k] = v;
  const get = (k: string): string => raw[k] ?? '';
  const opt = (k: string): string | undefined => raw[k];

  let toolTags: string[] | undefined;
  let releaseTags: string[] | undefined;
  if (opts.probeTags !== false && get('GOROOT') !== '') {
    const t = await run(goBin, ['list', '-e', '-f', '{{join context.ToolTags " "}}|{{join context.ReleaseTags " "}}', 'unsafe'], {
      cwd: `${get('GOROOT')}/src`,
      // The tags do not depend on any workspace; keep a go.work named in the env out of it.
      env: { ...opts.env, GOWORK: 'off' },
    });
    if (t.spawnError === undefined && t.exitCode === 0) {
      const [tools, releases] = t.stdout.trim().split('|');
      toolTags = (tools ?? '').split(' ').filter((x) => x !== '');
      releaseTags = (releases ?? '').split(' ').filter((x) => x !== '');
    }
  }
  const goarch = get('GOARCH');
  const archLevelVar = archLevelVariable(goarch);
  const experiments =
    toolTags !== undefined
      ? toolTags.filter((t) => t.startsWith('goexperiment.')).map((t) => t.slice('goexperiment.'.length))
      : get('GOEXPERIMENT')
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e !== '' && e !== 'none' && !e.startsWith('no'));
  return ok({
    raw,
    GOVERSION: get('GOVERSION'),
    GOROOT: get('GOROOT'),
    GOOS: get('GOOS'),
    GOARCH: goarch,
    GOHOSTOS: get('GOHOSTOS'),
    GOHOSTARCH: get('GOHOSTARCH'),
    CGO_ENABLED: get('CGO_ENABLED'),
    CC: get('CC'),
    CXX: get('CXX'),
    GOFLAGS: get('GOFLAGS'),
    GOEXPERIMENT: get('GOEXPERIMENT'),
    GOTOOLCHAIN: get('GOTOOLCHAIN'),
    GOAMD64: opt('GOAMD64'),
    GOARM: opt('GOARM'),
    GOARM64: opt('GOARM64'),
    GO386: opt('GO386'),
    GOMIPS: opt('GOMIPS'),
    GOMIPS64: opt('GOMIPS64'),
    GOPPC64: opt('GOPPC64'),
    GORISCV64: opt('GORISCV64'),
    GOWASM: opt('GOWASM'),
    GOMODCACHE: get('GOMODCACHE'),
    GOCACHE: get('GOCACHE'),
    GOPATH: get('GOPATH'),
    GOWORK: get('GOWORK'),
    GOMOD: get('GOMOD'),
    cgoEnabled: get('CGO_ENABLED') === '1',
    archLevelVar,
    archLevel: archLevelVar === undefined ? undefined : opt(archLevelVar),
    experiments,
    toolTags,
    releaseTags,
  });
}

/** A GoFailure as a diagnostic the CLI can print. */
export function goFailureDiagnostic(f: GoFailure): Diagnostic {
  switch (f.reason) {
    case 'go-not-found':
      return { severity: 'error', code: 'go-not-found', message: `cannot run ${f.goBin}: ${f.message}`, hint: 'install Go (https://go.dev/dl/) or put it on PATH' };
    case 'go-env-failed':
      return { severity: 'error', code: 'go-env-failed', message: `go env failed (exit ${String(f.exitCode)}): ${f.stderr.trim()}` };
    case 'go-env-unparseable':
      return { severity: 'error', code: 'go-env-failed', message: `cannot parse the output of go env -json: ${f.message}` };
  }
}

/** The environment variable holding the architecture level for `goarch` (GOAMD64, GOARM, …). */
export function archLevelVariable(goarch: string): string | undefined {
  switch (goarch) {
    case 'amd64':
      return 'GOAMD64';
    case 'arm':
      return 'GOARM';
    case 'arm64':
      return 'GOARM64';
    case '386':
      return 'GO386';
    case 'mips':
    case 'mipsle':
      return 'GOMIPS';
    case 'mips64':
    case 'mips64le':
      return 'GOMIPS64';
    case 'ppc64':
    case 'ppc64le':
      return 'GOPPC64';
    case 'riscv64':
      return 'GORISCV64';
    case 'wasm':
      return 'GOWASM';
    default:
      return undefined;
  }
}

/** The packages of a toolchain's standard library, by their directories in `GOROOT/src`. */
export interface StandardLibrary {
  has(importPath: string): boolean;
  /** Where the package would be. */
  dirOf(importPath: string): string;
}

/** The standard library of the toolchain at `goroot` (a stat per package asked about, remembered). */
export function standardLibrary(goroot: string): StandardLibrary {
  const known = new Map<string, boolean>();
  const dirOf = (importPath: string): string => path.join(goroot, 'src', ...importPath.split('/'));
  return {
    dirOf,
    has(importPath) {
      let yes = known.get(importPath);
      if (yes === undefined) {
        try {
          yes = fs.statSync(dirOf(importPath)).isDirectory();
        } catch {
          yes = false;
        }
        known.set(importPath, yes);
      }
      return yes;
    },
  };
}

/** The scanner's build context for a probed toolchain plus user build tags. */
export function buildContextFromGoEnv(env: GoEnv, tags: readonly string[] = []): BuildContext {
  return {
    goos: env.GOOS,
    goarch: env.GOARCH,
    cgoEnabled: env.cgoEnabled,
    compiler: 'gc',
    goVersion: env.GOVERSION,
    archLevel: env.archLevel,
    experiments: env.experiments,
    tags,
  };
}

/** Spawns a process without a shell and collects its output. */
export const runCommand: RunCommand = (file, args, opts) =>
  new Promise<RunResult>((resolve) => {
    const child = spawn(file, [...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => errOut.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      resolve({ exitCode: null, stdout: '', stderr: '', spawnError: { code: e.code, message: e.message } });
    });
    child.on('close', (code) => {
      resolve({ exitCode: code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
    });
  });
