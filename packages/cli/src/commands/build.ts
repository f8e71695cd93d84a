import * as os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { build, findWorkspaceRoot, type Platform } from '@gob/core';
import { EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { combineReporters } from '@gob/ui';
import type { Io } from '../io.js';
import { LOG_LEVELS, LogReporter, type LogLevel } from '../logging.js';
import { makeReporter, reportDiagnostics, stamp, UI_MODES, type UiMode } from '../output.js';
import { TraceReporter } from '../trace.js';

interface BuildFlags {
  config: string;
  platform?: Platform[];
  jobs: number;
  keepGoing: boolean;
  batch: boolean;
  cache: boolean;
  force: boolean;
  dryRun: boolean;
  stamp: boolean;
  ui: UiMode;
  events?: string;
  logLevel?: LogLevel;
  x: boolean;
}

export function buildCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('build')
    .description('Build go_binary targets, restoring whatever is cached.')
    .argument('[patterns...]', 'target labels or patterns (default: ... = everything under the current directory)')
    .option('-c, --config <profile>', 'build profile: default, debug, release, or one from gob.yaml', 'default')
    .option('--platform <os/arch,...>', 'build for these platforms instead of each target\'s own', parsePlatforms)
    .option('-j, --jobs <n>', 'compile and link steps to run at once (go build -p)', parseJobs, os.availableParallelism())
    .option('-k, --keep-going', 'keep building other targets after a failure', false)
    .option('--no-batch', 'run one go build per target instead of one for all compatible targets')
    .option('--no-cache', 'do not read the action cache, and plan from scratch (results are still stored)')
    .option('--force', 'rebuild everything: skip the action cache and make go rebuild every package (-a)', false)
    .option('--dry-run', 'plan and hash everything, report what would be built, run no go build', false)
    .option('--stamp', 'fill the {VARS} of x_defs from stamp.command in gob.yaml (their values are in the keys)', false)
    .addOption(new Option('--ui <mode>', 'how to show progress').choices(UI_MODES).default('auto'))
    .option('--events <file>', 'also write the event stream to FILE as JSON lines')
    .addOption(new Option('--log-level <level>', 'also print the build log at this level to stderr').choices(LOG_LEVELS))
    .option('-x', 'print each go command exactly as run (cwd and environment included), ready to paste', false)
    .option('--no-server', 'build in this process, not in the workspace\'s gob server (see gob server --help)')
    .addHelpText(
      'after',
      `
Examples:
  gob build //services/payment          build one service and nothing it does not need
  gob build //...                       build every binary in the workspace
  gob build                             build everything under the current directory
  gob build //services/... -c release   release profile (stripped binaries)
  gob build //... --platform linux/arm64,darwin/arm64
  gob build //... --dry-run             what would be built, and what is cached
  gob build //services/payment -x       print the go command, ready to paste into a shell
  gob build //... -c release --stamp    release build with x_defs such as {GIT_COMMIT} filled in

Outside CI, gob build runs in the workspace's gob server, which it starts (docs/server.md).
Outputs go to gob-out/bin/<dir>/<name> (other platforms: gob-out/<os>_<arch>/...).
Exit codes: 0 ok, 1 a build failed, 2 bad usage or configuration, 130 interrupted.`,
    )
    .action(async (patterns: string[], flags: BuildFlags) => {
      setExit(await runBuildCommand(patterns, flags, io));
    });
}

async function runBuildCommand(patterns: string[], flags: BuildFlags, io: Io): Promise<number> {
  // Reporters exist before planning starts: the TUI loads while gob plans, and diagnostics of any
  // phase go through the same reporter (so CI annotations and the events file see them too).
  const root = await findWorkspaceRoot(io.cwd);
  const reporter = combineReporters([
    makeReporter({
      ui: flags.ui,
      eventsFile: flags.events,
      workspaceRoot: root,
      showOutputs: true,
      sharedTerminal: flags.x || flags.logLevel !== undefined,
    }, io),
    // The log file is always written; --log-level adds stderr.
    new LogReporter({ stderrLevel: flags.logLevel, stderr: io.stderr }),
    ...(flags.x ? [new TraceReporter({ write: (t) => io.stderr.write(t) })] : []),
  ]);
  const { signal, dispose } = io.interrupts();
  let closed = false;
  try {
    const outcome = await build({
      cwd: io.cwd,
      env: io.env,
      patterns: patterns.length > 0 ? patterns : ['...'],
      profile: flags.config,
      platforms: flags.platform,
      jobs: flags.jobs,
      keepGoing: flags.keepGoing,
      batching: flags.batch,
      noCache: !flags.cache || flags.force,
      force: flags.force,
      dryRun: flags.dryRun,
      stamp: flags.stamp,
      signal,
      defer: io.defer,
      changeHints: io.changeHints,
      onEvent: (e) => {
        // Deferred housekeeping may still report after the reporters have closed: not to them.
        if (!closed) reporter.onEvent(stamp(e));
      },
    });
    if (outcome.kind === 'invalid') {
      reportDiagnostics(outcome.diagnostics, reporter, outcome.root ?? root, io.stderr);
      return EXIT_USAGE;
    }
    if (outcome.interrupted) return EXIT_INTERRUPTED;
    return outcome.ok ? EXIT_OK : EXIT_FAILED;
  } finally {
    dispose();
    closed = true;
    await reporter.close();
  }
}

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function parsePlatforms(v: string): Platform[] {
  return v.split(',').map((p) => {
    const m = /^([a-z0-9]+)\/([a-z0-9]+)$/.exec(p.trim());
    if (m === null) throw new InvalidArgumentError(`"${p}" is not os/arch (e.g. linux/amd64)`);
    return { goos: m[1] ?? '', goarch: m[2] ?? '' };
  });
}
