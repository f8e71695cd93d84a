/**
 * `gob build --stamp`: runs gob.yaml's `stamp.command` and reads the `KEY value` lines it prints
 * (like Bazel's workspace_status_command), whose values fill the `{VARS}` of `x_defs`.
 */
import { execFile } from 'node:child_process';
import type { Diagnostic } from '../diagnostics.js';
import type { Workspace } from '../types.js';
import { err, ok, type Result } from '../util/result.js';

const LINE = /^([A-Za-z_][A-Za-z0-9_]*)(?:[ \t]+(.*))?$/;

/** The stamp values, from `stamp.command` run with `sh -c` in the workspace root and the user's environment. */
export function runStampCommand(workspace: Workspace, env: Readonly<Record<string, string | undefined>>): Promise<Result<Record<string, string>, Diagnostic>> {
  const location = workspace.configFile === undefined ? undefined : { file: workspace.configFile };
  const command = workspace.config.stamp?.command;
  if (command === undefined || command.trim() === '') {
    return Promise.resolve(
      err({
        severity: 'error',
        code: 'stamp-command-missing',
        message: '--stamp fills the {VARS} of x_defs from stamp.command, and gob.yaml has none',
        location,
        hint: 'add `stamp: { command: ./tools/stamp.sh }` to gob.yaml: a command that prints "KEY value" lines',
      }),
    );
  }
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', command], { cwd: workspace.root, env, maxBuffer: 16 << 20 }, (e, stdout, stderr) => {
      if (e !== null) {
        const how = typeof e.code === 'number' ? `exited with ${String(e.code)}` : e.signal !== null && e.signal !== undefined ? `was killed by ${e.signal}` : e.message;
        resolve(err({ severity: 'error', code: 'stamp-command-failed', message: `stamp.command \`${command}\` ${how}${stderr.trim() === '' ? '' : `:\n${stderr.trimEnd()}`}`, location }));
        return;
      }
      const values: Record<string, string> = {};
      for (const raw of stdout.split('\n')) {
        const line = raw.replace(/\r$/, '');
        if (line.trim() === '') continue;
        const m = LINE.exec(line);
        if (m === null) {
          resolve(
            err({
              severity: 'error',
              code: 'stamp-command-output',
              message: `stamp.command \`${command}\` printed a line that is not "KEY value": ${JSON.stringify(line)}`,
              location,
              hint: 'each line is a name (letters, digits, _) and, after a space, its value',
            }),
          );
          return;
        }
        values[m[1] as string] = m[2] ?? '';
      }
      resolve(ok(values));
    });
  });
}
