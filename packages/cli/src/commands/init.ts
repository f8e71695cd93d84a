import * as path from 'node:path';
import { Command } from 'commander';
import { initWorkspace } from '@gob/core';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Io } from '../io.js';
import { reportDiagnostics } from '../output.js';

export function initCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('init')
    .description('Write gob.yaml and a go_binary target for every main package of an existing Go repository.')
    .argument('[dir]', 'the repository root', '.')
    .addHelpText(
      'after',
      `
Examples:
  gob init            make the current directory a gob workspace
  gob init ../repo    the same for another directory

Works with a single module, a go.work workspace, or independent modules side by side.
Targets you wrote are never changed; running gob init again changes nothing. BUILD.yaml files
of another tool (leeway's, say) are left alone: gob's targets then go in BUILD.gob.yaml files
(build_file in gob.yaml).`,
    )
    .action(async (dir: string) => {
      const r = await initWorkspace({ root: path.resolve(io.cwd, dir), env: io.env });
      if (!r.ok) {
        reportDiagnostics(r.error, undefined, undefined, io.stderr);
        setExit(EXIT_USAGE);
        return;
      }
      const v = r.value;
      reportDiagnostics(v.warnings, undefined, v.root, io.stderr);
      if (v.createdConfig) io.stdout.write('created gob.yaml\n');
      for (const f of v.created) io.stdout.write(`created ${f}\n`);
      for (const f of v.updated) io.stdout.write(`updated ${f}\n`);
      const total = v.created.length + v.updated.length + v.unchanged.length;
      io.stdout.write(
        `${total} main package(s): ${v.created.length + v.updated.length} target(s) added, ${v.unchanged.length} already had one\n`,
      );
      if (total > 0) io.stdout.write('next: gob build //...\n');
      setExit(EXIT_OK);
    });
}
