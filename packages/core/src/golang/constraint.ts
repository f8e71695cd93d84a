/**
 * Build constraint expressions: the `//go:build` syntax (`&&`, `||`, `!`, parentheses) and the
 * legacy `// +build` syntax (space = OR, comma = AND, `!` = NOT), parsed and evaluated with the
 * same rules as Go's go/build/constraint. Evaluation always visits both sides of `&&`/`||`, like
 * Go, so a caller recording consulted tags sees all of them.
 */

export type ConstraintExpr =
  | { readonly op: 'tag'; readonly tag: string }
  | { readonly op: 'not'; readonly x: ConstraintExpr }
  | { readonly op: 'and'; readonly x: ConstraintExpr; readonly y: ConstraintExpr }
  | { readonly op: 'or'; readonly x: ConstraintExpr; readonly y: ConstraintExpr };

export interface ConstraintSyntaxError {
  /** Offset into the expression text (after the `//go:build` prefix). */
  readonly offset: number;
  readonly message: string;
}

export type ConstraintParse =
  | { readonly ok: true; readonly expr: ConstraintExpr }
  | { readonly ok: false; readonly error: ConstraintSyntaxError };

const MAX_SIZE = 1000;
const MAX_OLD_SIZE = 100;

const tagExpr = (tag: string): ConstraintExpr => ({ op: 'tag', tag });

/** Whether `line` is a `//go:build` line (only the prefix is checked, not the expression). */
export function isGoBuildLine(line: string): boolean {
  return splitGoBuild(line) !== undefined;
}

/** Whether `line` is a `// +build` line (only the prefix is checked). */
export function isPlusBuildLine(line: string): boolean {
  return splitPlusBuild(line) !== undefined;
}

function stripOneNewline(line: string): string | undefined {
  const l = line.endsWith('\n') ? line.slice(0, -1) : line;
  return l.includes('\n') ? undefined : l;
}

/** Go's strings.TrimSpace for the ASCII whitespace Go source uses. */
export function trimSpace(s: string): string {
  return s.replace(/^[ \t\r\n\v\f\u0085\u00a0]+|[ \t\r\n\v\f\u0085\u00a0]+$/g, '');
}

function splitGoBuild(raw: string): string | undefined {
  const l = stripOneNewline(raw);
  if (l?.startsWith('//go:build') !== true) return undefined;
  const rest = trimSpace(l).slice('//go:build'.length);
  const trimmed = trimSpace(rest);
  // "//go:buildfoo" is some other directive; the prefix must be followed by space or nothing.
  if (rest.length === trimmed.length && rest !== '') return undefined;
  return trimmed;
}

function splitPlusBuild(raw: string): string | undefined {
  const l = stripOneNewline(raw);
  if (l?.startsWith('//') !== true) return undefined;
  const body = trimSpace(l.slice(2));
  if (!body.startsWith('+build')) return undefined;
  const rest = body.slice('+build'.length);
  const trimmed = trimSpace(rest);
  if (rest.length === trimmed.length && rest !== '') return undefined;
  return trimmed;
}

/** Parses a `//go:build …` or `// +build …` line. */
export function parseConstraintLine(line: string): ConstraintParse {
  const goBuild = splitGoBuild(line);
  if (goBuild !== undefined) return parseGoBuildExpr(goBuild);
  const plus = splitPlusBuild(line);
  if (plus !== undefined) return parsePlusBuildExpr(plus);
  return { ok: false, error: { offset: 0, message: 'not a build constraint' } };
}

/** Unwinds the recursive-descent parser; caught inside parseGoBuildExpr, never escapes. */
class SyntaxFailure extends Error {
  constructor(readonly error: ConstraintSyntaxError) {
    super(error.message);
  }
}

function isTagChar(c: string): boolean {
  return /^[\p{L}\p{Nd}_.]$/u.test(c);
}

/** Parses the expression of a `//go:build` line (the text after the prefix). */
export function parseGoBuildExpr(text: string): ConstraintParse {
  let i = 0;
  let tok = '';
  let isTag = false;
  let pos = 0;
  let size = 0;
  const fail = (offset: number, message: string): never => {
    throw new SyntaxFailure({ offset, message });
  };

  const lex = (): void => {
    isTag = false;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length) {
      tok = '';
      pos = i;
      return;
    }
    const c = text.charAt(i);
    if (c === '(' || c === ')' || c === '!') {
      pos = i;
      i++;
      tok = c;
      return;
    }
    if (c === '&' || c === '|') {
      if (i + 1 >= text.length || text[i + 1] !== c) fail(i, `invalid syntax at ${c}`);
      pos = i;
      i += 2;
      tok = c + c;
      return;
    }
    let j = i;
    for (const ch of text.slice(i)) {
      if (!isTagChar(ch)) break;
      j += ch.length;
    }
    if (j === i) fail(i, `invalid syntax at ${String.fromCodePoint(text.codePointAt(i) ?? 0)}`);
    pos = i;
    tok = text.slice(i, j);
    i = j;
    isTag = true;
  };

  const currentTok = (): string => tok;
  const or = (): ConstraintExpr => {
    let x = and();
    while (tok === '||') x = { op: 'or', x, y: and() };
    return x;
  };
  const and = (): ConstraintExpr => {
    let x = not();
    while (tok === '&&') x = { op: 'and', x, y: not() };
    return x;
  };
  const not = (): ConstraintExpr => {
    size++;
    if (size > MAX_SIZE) fail(pos, 'build expression too large');
    lex();
    if (tok === '!') {
      lex();
      if (tok === '!') fail(pos, 'double negation not allowed');
      return { op: 'not', x: atom() };
    }
    return atom();
  };
  const atom = (): ConstraintExpr => {
    if (tok === '(') {
      const open = pos;
      let x: ConstraintExpr;
      try {
        x = or();
      } catch (e) {
        if (e instanceof SyntaxFailure && e.error.message === 'unexpected end of expression') {
          throw new SyntaxFailure({ offset: e.error.offset, message: 'missing close paren' });
        }
        throw e;
      }
      // `or()` advanced the lexer; read tok through a call so the compiler does not narrow it.
      if (currentTok() !== ')') fail(open, 'missing close paren');
      lex();
      return x;
    }
    if (!isTag) {
      if (tok === '') fail(pos, 'unexpected end of expression');
      fail(pos, `unexpected token ${tok}`);
    }
    const t = tok;
    lex();
    return tagExpr(t);
  };

  try {
    const x = or();
    if (tok !== '') fail(pos, `unexpected token ${tok}`);
    return { ok: true, expr: x };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, error: e.error };
    throw e;
  }
}

function isValidTag(word: string): boolean {
  if (word === '') return false;
  for (const ch of word) if (!isTagChar(ch)) return false;
  return true;
}

/** Parses the expression of a legacy `// +build` line (the text after the prefix). */
export function parsePlusBuildExpr(text: string): ConstraintParse {
  let size = 0;
  let x: ConstraintExpr | undefined;
  for (const clause of text.split(/[ \t\r\n\v\f]+/).filter((c) => c !== '')) {
    let y: ConstraintExpr | undefined;
    for (let lit of clause.split(',')) {
      let z: ConstraintExpr;
      if (lit.startsWith('!!') || lit === '!') {
        z = tagExpr('ignore');
      } else {
        const neg = lit.startsWith('!');
        if (neg) lit = lit.slice(1);
        z = isValidTag(lit) ? tagExpr(lit) : tagExpr('ignore');
        if (neg) z = { op: 'not', x: z };
      }
      if (y === undefined) {
        y = z;
      } else {
        if (++size > MAX_OLD_SIZE) return tooComplex();
        y = { op: 'and', x: y, y: z };
      }
    }
    if (y === undefined) continue;
    if (x === undefined) {
      x = y;
    } else {
      if (++size > MAX_OLD_SIZE) return tooComplex();
      x = { op: 'or', x, y };
    }
  }
  return { ok: true, expr: x ?? tagExpr('ignore') };
}

function tooComplex(): ConstraintParse {
  return { ok: false, error: { offset: 0, message: 'expression too complex for // +build lines' } };
}

/** Evaluates `x`, asking `ok` about each tag. Both operands of `&&`/`||` are always evaluated. */
export function evalConstraint(x: ConstraintExpr, ok: (tag: string) => boolean): boolean {
  switch (x.op) {
    case 'tag':
      return ok(x.tag);
    case 'not':
      return !evalConstraint(x.x, ok);
    case 'and': {
      const a = evalConstraint(x.x, ok);
      const b = evalConstraint(x.y, ok);
      return a && b;
    }
    case 'or': {
      const a = evalConstraint(x.x, ok);
      const b = evalConstraint(x.y, ok);
      return a || b;
    }
  }
}

/** Renders `x` in `//go:build` syntax, parenthesising like Go's Expr.String. */
export function formatConstraint(x: ConstraintExpr): string {
  switch (x.op) {
    case 'tag':
      return x.tag;
    case 'not': {
      const s = formatConstraint(x.x);
      return x.x.op === 'and' || x.x.op === 'or' ? `!(${s})` : `!${s}`;
    }
    case 'and':
      return `${andArg(x.x)} && ${andArg(x.y)}`;
    case 'or':
      return `${orArg(x.x)} || ${orArg(x.y)}`;
  }
}

function andArg(x: ConstraintExpr): string {
  const s = formatConstraint(x);
  return x.op === 'or' ? `(${s})` : s;
}

function orArg(x: ConstraintExpr): string {
  const s = formatConstraint(x);
  return x.op === 'and' ? `(${s})` : s;
}
