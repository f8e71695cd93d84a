import { Command } from 'commander';
import type { Io } from '../io.js';
import { GOB_VERSION } from '../version.js';

export function versionCommand(io: Io): Command {
  return new Command('version').description('Print gob\'s version.').action(() => {
    io.stdout.write(`gob ${GOB_VERSION} (node ${process.version})\n`);
  });
}
