import { Command } from 'commander';
import { GOB_VERSION } from '../version.js';

export function versionCommand(): Command {
  return new Command('version').description('Print gob\'s version.').action(() => {
    process.stdout.write(`gob ${GOB_VERSION} (node ${process.version})\n`);
  });
}
