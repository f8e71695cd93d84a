import { Command } from 'commander';
import { clean } from '@gob/core';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Io } from '../io.js';
import { reportDiagnostics } from '../output.js';

export function cleanCommand(io: Io, setExit: (code: number) => void): Command {
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
      const r = await clean({ cwd: io.cwd, cache: flags.cache, env: io.env });
      if (!r.ok) {
        reportDiagnostics(r.error, undefined, undefined, io.stderr);
        setExit(EXIT_USAGE);
        return;
      }
      for (const p of r.value.removed) io.stdout.write(`removed ${p}\n`);
      setExit(EXIT_OK);
    });
}
