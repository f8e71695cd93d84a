import { Command, CommanderError } from 'commander';
import { buildCommand } from './commands/build.js';
import { cleanCommand } from './commands/clean.js';
import { initCommand } from './commands/init.js';
import { serverCommand } from './commands/server.js';
import { versionCommand } from './commands/version.js';
import { EXIT_USAGE } from './exit-codes.js';
import type { Io } from './io.js';
import { GOB_VERSION } from './version.js';

/**
 * The gob command line: parses `argv` (without node and the script) and runs the command in
 * `io`'s world — the gob process's own, or a client's inside the gob server. Returns the exit
 * code; never exits the process.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let code = 0;
  const setExit = (c: number): void => {
    code = c;
  };
  const program = new Command('gob')
    .description('Build orchestrator for Go monorepos: exact inputs, cached actions, parallel go builds.')
    .version(GOB_VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Examples:
  gob init                          write gob.yaml and BUILD.yaml files for an existing repo
  gob build //services/payment      build one service
  gob build //...                   build everything (cached work is restored, not redone)
  gob clean                         remove gob-out/
  gob server status                 is this workspace's gob server running, and how big is it

Docs: docs/getting-started.md, docs/cli.md, docs/build-yaml.md`,
    );
  for (const cmd of [buildCommand(io, setExit), cleanCommand(io, setExit), initCommand(io, setExit), serverCommand(io, setExit), versionCommand(io)]) {
    program.addCommand(cmd);
  }
  const output = {
    writeOut: (t: string) => io.stdout.write(t),
    writeErr: (t: string) => io.stderr.write(t),
    getOutHelpWidth: () => io.stdout.columns ?? 80,
    getErrHelpWidth: () => io.stderr.columns ?? 80,
  };
  // Usage errors exit 2 (commander's default is 1, which gob reserves for failed builds).
  program.configureOutput(output).exitOverride();
  for (const cmd of program.commands) cmd.configureOutput(output).exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    io.stderr.write(`gob: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    io.stderr.write('This is a bug in gob; please report it with the command you ran.\n');
    return 70;
  }
}
