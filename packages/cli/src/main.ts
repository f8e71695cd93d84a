import { Command, CommanderError } from 'commander';
import { buildCommand } from './commands/build.js';
import { cleanCommand } from './commands/clean.js';
import { initCommand } from './commands/init.js';
import { versionCommand } from './commands/version.js';
import { EXIT_USAGE } from './exit-codes.js';
import { GOB_VERSION } from './version.js';

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

Docs: docs/getting-started.md, docs/cli.md, docs/build-yaml.md`,
  );

for (const cmd of [buildCommand(), cleanCommand(), initCommand(), versionCommand()]) program.addCommand(cmd);

// A reader that goes away (`gob build --ui=json | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// Usage errors exit 2 (commander's default is 1, which gob reserves for failed builds).
program.exitOverride();
for (const cmd of program.commands) cmd.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(`gob: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.stderr.write('This is a bug in gob; please report it with the command you ran.\n');
    process.exitCode = 70;
  }
}
