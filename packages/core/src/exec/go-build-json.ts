/**
 * Reads the output of `go build -json`: one JSON object per line on stdout, each a build event
 * of one package — `{"ImportPath": "...", "Action": "build-output", "Output": "..."}` for a line
 * of compiler or linker output, `{"ImportPath": "...", "Action": "build-fail"}` when the package
 * failed. gob uses it to give each action exactly the errors of the packages it needs, when one
 * go process builds many actions. Anything that is not such an object (go's own messages) is
 * passed on as unattributed text.
 */
export type GoBuildMessage =
  | { readonly kind: 'output'; readonly importPath: string; readonly text: string }
  | { readonly kind: 'fail'; readonly importPath: string }
  | { readonly kind: 'text'; readonly text: string };

/** Splits a stream into lines as chunks arrive; `end()` flushes the last partial line. */
export class GoBuildJsonReader {
  #rest = '';
  readonly #emit: (m: GoBuildMessage) => void;

  constructor(emit: (m: GoBuildMessage) => void) {
    this.#emit = emit;
  }

  push(chunk: string): void {
    const text = this.#rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      this.#line(text.slice(start, nl + 1));
      start = nl + 1;
    }
    this.#rest = text.slice(start);
  }

  end(): void {
    if (this.#rest !== '') this.#line(this.#rest);
    this.#rest = '';
  }

  #line(line: string): void {
    const m = parseGoBuildLine(line);
    if (m !== undefined) this.#emit(m);
  }
}

/** One line of `go build -json` output (with or without its newline). */
export function parseGoBuildLine(line: string): GoBuildMessage | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      doc = undefined;
    }
    if (typeof doc === 'object' && doc !== null) {
      const { ImportPath, Action, Output } = doc as Record<string, unknown>;
      if (typeof ImportPath === 'string' && Action === 'build-output' && typeof Output === 'string') {
        return { kind: 'output', importPath: ImportPath, text: Output };
      }
      if (typeof ImportPath === 'string' && Action === 'build-fail') return { kind: 'fail', importPath: ImportPath };
    }
  }
  return { kind: 'text', text: line.endsWith('\n') ? line : `${line}\n` };
}
