/**
 * Label and pattern syntax. Parsing is purely textual: it normalises a label against the current
 * directory and checks its characters, but never looks at the workspace (see resolve.ts for
 * that).
 *
 *     //services/payment:payment   absolute label
 *     //services/payment           the same: the name defaults to the last path element
 *     //:tool                      a target in the root BUILD.yaml
 *     :payment  cmd:tool  cmd      relative to the current directory
 *     //...  //services/...  ...   every target at or below a directory (patterns only)
 *     //services/payment:all  :*   every target of one directory (patterns only)
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Label, WorkspacePath } from '../types.js';
import { err, ok } from '../util/result.js';
import type { Result } from '../util/result.js';
import { resolveWorkspaceRelative } from '../util/fs-paths.js';

/** What a target pattern selects. */
export type TargetPattern =
  /** One target: `//a/b:c`. */
  | { readonly kind: 'target'; readonly label: Label }
  /** Every target declared in one directory's BUILD.yaml: `//a/b:all`, `//a/b:*`. */
  | { readonly kind: 'package'; readonly dir: WorkspacePath }
  /** Every target at or below a directory: `//a/...`, `//...`. */
  | { readonly kind: 'recursive'; readonly dir: WorkspacePath };

/** Valid target names; the same rule as the BUILD.yaml schema. */
export const TARGET_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
/** Names that mean "every target of the directory" in patterns, so no target may use them. */
export const ALL_TARGETS_NAMES: readonly string[] = ['all', '*'];

/** Characters allowed in a directory path of a label. */
const PATH_CHAR = /[A-Za-z0-9_.+\-@~=,/]/;

/** Builds the canonical label of target `name` in directory `dir`. */
export function makeLabel(dir: WorkspacePath, name: string): Label {
  return `//${dir}:${name}` as Label;
}

/** The directory part of a canonical label (`''` for the root). */
export function labelDir(label: Label): WorkspacePath {
  return label.slice(2, label.lastIndexOf(':'));
}

/** The target name of a canonical label. */
export function labelName(label: Label): string {
  return label.slice(label.lastIndexOf(':') + 1);
}

/** The shortest way to write a label: `//a/b` when the name is the last path element. */
export function shortLabel(label: Label): string {
  const dir = labelDir(label);
  const name = labelName(label);
  return dir !== '' && lastElement(dir) === name ? `//${dir}` : label;
}

/** The canonical text of a pattern. */
export function formatPattern(p: TargetPattern): string {
  switch (p.kind) {
    case 'target':
      return p.label;
    case 'package':
      return `//${p.dir}:all`;
    case 'recursive':
      return p.dir === '' ? '//...' : `//${p.dir}/...`;
  }
}

/**
 * Parses one label (no patterns) written in a file or on the command line in `currentDir`.
 */
export function parseLabel(text: string, currentDir: WorkspacePath): Result<Label, Diagnostic> {
  const parsed = parse(text, currentDir);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  switch (p.kind) {
    case 'target':
      return ok(p.label);
    case 'package':
    case 'recursive':
      return err(
        badLabel(text, `"${text}" is a pattern that selects several targets; a single target is needed here`, {
          hint: 'name one target, e.g. //services/payment:payment',
        }),
      );
  }
}

/** Parses a target pattern or a plain label, resolving relative forms against `currentDir`. */
export function parsePattern(text: string, currentDir: WorkspacePath): Result<TargetPattern, Diagnostic> {
  return parse(text, currentDir);
}

/**
 * For a bare word such as `gen` (no `/`, no `:`), the label of target `gen` in `currentDir`.
 * `gen` is first read as the directory `gen` (`//cwd/gen:gen`), like `cmd` in `gob build cmd`;
 * callers fall back to this when that target does not exist, as Bazel does on its command line.
 */
export function bareNameLabel(text: string, currentDir: WorkspacePath): Label | undefined {
  return TARGET_NAME_PATTERN.test(text) && !ALL_TARGETS_NAMES.includes(text) ? makeLabel(currentDir, text) : undefined;
}

function parse(text: string, currentDir: WorkspacePath): Result<TargetPattern, Diagnostic> {
  if (text === '') return err(badLabel(text, 'a label cannot be empty'));
  if (text.startsWith('///')) {
    return err(badLabel(text, 'too many slashes: an absolute label starts with exactly "//"', { hint: `write ${'//' + text.replace(/^\/+/, '')}` }));
  }
  if (/^@[^/]*\/\//.test(text)) {
    return err(badLabel(text, 'labels of other repositories ("@repo//…") do not exist in gob; every target is in this workspace'));
  }
  const absolute = text.startsWith('//');
  if (!absolute && text.startsWith('/')) {
    return err(
      badLabel(text, 'a label is either absolute, starting with "//" at the workspace root, or relative to the current directory; it cannot be a file system path', {
        hint: `did you mean /${text}?`,
      }),
    );
  }
  const body = absolute ? text.slice(2) : text;

  const colons = countOf(body, ':');
  if (colons > 1) return err(badLabel(text, 'a label has at most one ":" (between the directory and the target name)'));
  const colon = body.indexOf(':');
  const pathPart = colon === -1 ? body : body.slice(0, colon);
  const namePart = colon === -1 ? undefined : body.slice(colon + 1);

  for (let i = 0; i < pathPart.length; i++) {
    const ch = pathPart.charAt(i);
    if (!PATH_CHAR.test(ch)) {
      return err(badLabel(text, `invalid character ${describeChar(ch)} in the directory part`));
    }
  }
  if (namePart === '') {
    return err(badLabel(text, '":" must be followed by a target name', { hint: `write ${text}name, or leave out the ":"` }));
  }

  // Recursive patterns: `...`, `a/...`, `//...`.
  let recursive = false;
  let dirText = pathPart;
  if (pathPart === '...' || pathPart.endsWith('/...')) {
    if (namePart !== undefined) {
      return err(badLabel(text, '"..." selects every target below a directory and cannot be followed by a target name'));
    }
    recursive = true;
    dirText = pathPart.slice(0, -3);
    if (dirText.endsWith('/')) dirText = dirText.slice(0, -1);
  } else if (pathPart.endsWith('/')) {
    return err(badLabel(text, 'a label cannot end its directory part with "/"', { hint: `write ${text.replace(/\/+(?=:|$)/, '')}` }));
  }
  if (dirText.includes('//')) return err(badLabel(text, 'empty path element ("//") inside the label'));
  if (dirText.split('/').includes('...')) return err(badLabel(text, '"..." can only be the last path element'));

  const dir = resolveWorkspaceRelative(absolute ? '' : currentDir, dirText);
  if (dir === undefined) return err(badLabel(text, '".." goes above the workspace root'));

  if (recursive) return ok({ kind: 'recursive', dir });
  if (namePart !== undefined && ALL_TARGETS_NAMES.includes(namePart)) return ok({ kind: 'package', dir });

  let name = namePart;
  if (name === undefined) {
    if (dir === '') {
      return err(
        badLabel(text, 'the workspace root has no directory name to use as the target name', {
          hint: 'name the target explicitly: //:name',
        }),
      );
    }
    name = lastElement(dir);
    if (!TARGET_NAME_PATTERN.test(name)) {
      return err(
        badLabel(text, `the directory name "${name}" is not a valid target name, so the target must be named explicitly`, {
          hint: `write //${dir}:name`,
        }),
      );
    }
  } else if (!TARGET_NAME_PATTERN.test(name)) {
    return err(badLabel(text, invalidNameReason(name)));
  }
  return ok({ kind: 'target', label: makeLabel(dir, name) });
}

function invalidNameReason(name: string): string {
  for (const ch of name) {
    if (!/[A-Za-z0-9_.+-]/.test(ch)) return `invalid character ${describeChar(ch)} in the target name "${name}"`;
  }
  return `the target name "${name}" cannot start with "${name.charAt(0)}"`;
}

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  if (/\s/.test(ch)) return `whitespace (${JSON.stringify(ch)})`;
  return `"${ch}"`;
}

function lastElement(dir: WorkspacePath): string {
  return dir.slice(dir.lastIndexOf('/') + 1);
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

function badLabel(text: string, reason: string, extra: { hint?: string } = {}): Diagnostic {
  return {
    severity: 'error',
    code: 'bad-label',
    message: text === '' ? `invalid label: ${reason}` : `invalid label ${JSON.stringify(text)}: ${reason}`,
    hint: extra.hint,
  };
}
