import type { StampedEvent } from '@gob/core';
import type { Reporter, TextSink } from '@gob/ui';

/**
 * `-x`: prints each go command exactly as gob runs it, as one shell line that reproduces it when
 * pasted into the same shell: `cd DIR && env -i PATH="$PATH" … GOOS=linux … go build -o … .`.
 * `env -i` matters: go sees nothing but what gob passes, so neither may the pasted command.
 */
export class TraceReporter implements Reporter {
  readonly #out: TextSink;
  /** Batches already printed: the actions of one batch share one go command. */
  readonly #printed = new Set<string>();

  constructor(out: TextSink) {
    this.#out = out;
  }

  onEvent(event: StampedEvent): void {
    if (event.type !== 'action.started' || this.#printed.has(event.batch)) return;
    this.#printed.add(event.batch);
    this.#out.write(`${formatCommand(event.cwd, event.inherited, event.env, event.command)}\n`);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export function formatCommand(
  cwd: string,
  inherited: readonly string[],
  env: Readonly<Record<string, string>>,
  argv: readonly string[],
): string {
  const inheritedPart = inherited.map((name) => `${name}="$${name}"`);
  const setPart = Object.keys(env)
    .sort()
    .map((k) => `${k}=${shellQuote(env[k] ?? '')}`);
  return ['cd', shellQuote(cwd), '&&', 'env', '-i', ...inheritedPart, ...setPart, ...argv.map(shellQuote)].join(' ');
}

/** POSIX shell quoting: bare when safe, single quotes otherwise. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
