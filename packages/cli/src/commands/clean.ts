import { Command } from 'commander';
import { clean } from '@gob/core';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { reportDiagnostics } from '../output.js';

export function cleanCommand(): Command {
  return new Command('clean')
    .description('Remove gob-out/; with --cache, also empty the action cache.')
    .option('--cache', 'also empty the cache directory (shared by every workspace using it)', false)
    .addHelpText(
      'after',
      `
Examples:
  gob clean           remove gob-out/ (binaries come back from the cache on the next build)
  gob clean --cache   also empty the cache: the next build starts cold`,
    )
    .action(async (flags: { cache: boolean }) => {
      const r = await clean({ cwd: process.cwd(), cache: flags.cache, env: process.env });
      if (!r.ok) {
        reportDiagnostics(r.error, undefined, undefined);
        process.exitCode = EXIT_USAGE;
        return;
      }
      for (const p of r.value.removed) process.stdout.write(`removed ${p}\n`);
      process.exitCode = EXIT_OK;
    });
}
