/**
 * Reads the header of a Go source file the way go/build does: the package clause, the import
 * declarations, the leading build-constraint comments, whether it uses cgo, and (only when the
 * file imports "embed") every `//go:embed` directive in the file. It never parses function
 * bodies. Non-Go sources (.c, .h, .s, …) have their leading comments read, for build
 * constraints, and their `#include` lines collected; so have the cgo preambles of Go files that
 * import "C", with their `#cgo` include directories (see c-includes.ts).
 *
 * The result is plain JSON data so callers can cache it (e.g. in a stat cache keyed by file
 * digest).
 */
import type { Position, SourceRange } from '../types.js';
import { isPlusBuildLine, trimSpace } from './constraint.js';
import { quotedPrefixLength, unquoteGoString } from './go-strings.js';

/**
 * Where an import path or an embed pattern stands in a file: always within one line, so its
 * start and its length say it all — `[line, column, offset, length]` (line and column 1-based,
 * column, offset and length in UTF-16 code units, like `Position`). A tuple rather than a
 * `SourceRange`: a repository's headers hold hundreds of thousands of them, in memory and in
 * the stat cache, and only a diagnostic needs the range (`spanRange`).
 */
export type SourceSpan = readonly [line: number, column: number, offset: number, length: number];

export function spanRange(s: SourceSpan): SourceRange {
  const [line, column, offset, length] = s;
  return { start: { line, column, offset }, end: { line, column: column + length, offset: offset + length } };
}

export interface GoImportSpec {
  /** The unquoted import path. */
  readonly path: string;
  /** The local name: an identifier, `_`, `.`, or undefined when absent. */
  readonly name?: string | undefined;
  /** Where the quoted path is in the file. */
  readonly span: SourceSpan;
}

export interface GoEmbedPattern {
  /** The pattern, unquoted. */
  readonly pattern: string;
  readonly span: SourceSpan;
}

export interface GoFileHeader {
  /** The package clause's name; undefined for non-Go files or when it cannot be read. */
  readonly packageName?: string | undefined;
  readonly imports: readonly GoImportSpec[];
  /** The `//go:build` line, trimmed, if any (it controls; `+build` lines are then ignored). */
  readonly goBuild?: string | undefined;
  /** `// +build` lines in the region where Go honours them (before a blank line). */
  readonly plusBuild: readonly string[];
  /** Set when the constraint comments themselves are malformed (e.g. two `//go:build` lines). */
  readonly constraintError?: string | undefined;
  /** The file imports "C". */
  readonly cgo: boolean;
  /** `//go:embed` patterns; only collected when the file imports "embed". */
  readonly embeds: readonly GoEmbedPattern[];
  /** A `//go:binary-only-package` comment was seen. */
  readonly binaryOnly: boolean;
  /**
   * The names of the C `#include` directives: of the whole file for C-family sources, of the
   * header (the cgo preamble) for Go files that import "C". Kept with their delimiters —
   * `"x.h"` or `<x.h>` — in file order. Absent when there are none.
   */
  readonly cIncludes?: readonly string[] | undefined;
  /**
   * The include directories (`-I`, `-iquote`, `-isystem`, `-idirafter`) of the `#cgo` lines of
   * a Go file that imports "C", as written (`${SRCDIR}` unexpanded). Absent when there are none.
   */
  readonly cIncludeDirs?: readonly string[] | undefined;
  /**
   * What the `#cgo LDFLAGS` lines of a Go file that imports "C" link from files: library
   * directories (`-L`) and the words that name files (`${SRCDIR}/libx.a`), as written. Absent
   * when there are none.
   */
  readonly cLibDirs?: readonly string[] | undefined;
  readonly cLibFiles?: readonly string[] | undefined;
  /** The file could not be read at all (the caller's I/O failed); it is then not classified. */
  readonly readError?: string | undefined;
  /** The package clause or imports could not be read. */
  readonly parseError?: { readonly message: string; readonly range?: SourceRange | undefined } | undefined;
}

const BOM = '\ufeff';

/** Parses the header of a Go file. */
export function parseGoFileHeader(text: string): GoFileHeader {
  return parseGoHeader(text).header;
}

/**
 * How much of a Go file is decoded first when parsing its header from bytes: enough for the
 * header of most files, which the rest of the file cannot change (see `parseGoFileHeaderBytes`).
 */
export const HEADER_PREFIX_BYTES = 2048;

/**
 * `parseGoFileHeader` of the file's UTF-8 `content`, decoding only its first
 * `HEADER_PREFIX_BYTES` when the header is complete within them: the import reader stopped at
 * the next declaration well before the cut, no error was met and the file does not import
 * "embed" (whose `//go:embed` lines may stand anywhere). Otherwise the whole file is decoded.
 * Decoding is most of the cost of a header for any file longer than its header.
 */
export function parseGoFileHeaderBytes(content: Buffer): GoFileHeader {
  if (content.length > HEADER_PREFIX_BYTES) {
    const head = parseGoHeader(content.toString('utf8', 0, HEADER_PREFIX_BYTES));
    if (head.complete) return head.header;
  }
  return parseGoHeader(content.toString('utf8')).header;
}

/**
 * A cut through the bytes of a character decodes to replacement characters at the very end of a
 * prefix; the header must stop before them, and before anything they could be mistaken for.
 */
const PREFIX_MARGIN = 8;

/** The header, and whether it would be the same with any text after `text` (see `parseGoFileHeaderBytes`). */
function parseGoHeader(text: string): { header: GoFileHeader; complete: boolean } {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const pos = new PositionIndex(src);
  const reader = new ImportReader(src);
  const clause = reader.readHeader();
  const constraint = scanConstraintComments(src);
  let imports: GoImportSpec[] = [];
  let parseError: GoFileHeader['parseError'];
  if (reader.err !== undefined) {
    parseError = { message: reader.err, range: pos.range(reader.errAt, reader.errAt) };
  }
  for (const imp of reader.imports) {
    const path = importPathOf(src.slice(imp.start, imp.end));
    if (path === undefined) {
      // Like go/build: an invalid import path makes the whole import list unusable.
      parseError = { message: `invalid import path: ${src.slice(imp.start, imp.end)}`, range: pos.range(imp.start, imp.end) };
      imports = [];
      break;
    }
    // A valid import path has no newline, so the quoted path stands on one line.
    const span = pos.span(imp.start, imp.end);
    imports.push(imp.name === undefined ? { path, span } : { path, name: imp.name, span });
  }
  const hasEmbed = imports.some((i) => i.path === 'embed');
  const cgo = imports.some((i) => i.path === 'C');
  const header: GoFileHeader = {
    packageName: clause,
    imports,
    goBuild: constraint.goBuild,
    plusBuild: constraint.plusBuild,
    constraintError: constraint.error,
    cgo,
    embeds: hasEmbed ? findEmbeds(src, pos) : [],
    binaryOnly: constraint.binaryOnly,
    parseError,
  };
  // The build-constraint comments end before the package clause, which the reader read whole.
  const complete = parseError === undefined && !hasEmbed && reader.stoppedBefore(src.length - PREFIX_MARGIN);
  // The cgo preamble is a comment before `import "C"`, so within what the reader read. Added
  // apart from the literal above, which every other Go file gets in its fast form.
  if (cgo) return { header: { ...header, ...scanCDirectives(src.slice(0, reader.consumed), true) }, complete };
  return { header, complete };
}

/** Parses a non-Go source file (.c, .h, .s, …): its leading comments for build constraints, and its `#include` lines. */
export function parseOtherFileHeader(text: string): GoFileHeader {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const constraint = scanConstraintComments(src);
  const header: GoFileHeader = {
    imports: [],
    goBuild: constraint.goBuild,
    plusBuild: constraint.plusBuild,
    constraintError: constraint.error,
    cgo: false,
    embeds: [],
    binaryOnly: false,
  };
  const directives = scanCDirectives(src, false);
  return directives.cIncludes === undefined ? header : { ...header, ...directives };
}

/** `#include "x"` / `#include <x>` at the start of a line, after an optional `//` (cgo preambles in line comments). */
const INCLUDE_LINE = /^[ \t]*(?:\/\/)?[ \t]*#[ \t]*include[ \t]*("[^"\n]+"|<[^>\n]+>)/gm;
/** `#cgo [conditions] CFLAGS: flags`: the kinds whose flags can name include directories. */
const CGO_LINE = /^[ \t]*(?:\/\/)?[ \t]*#cgo[ \t]+(?:[^:\n]*[ \t])?(?:CFLAGS|CPPFLAGS|CXXFLAGS|FFLAGS)[ \t]*:(.*)$/gm;
const INCLUDE_DIR_FLAGS = ['-I', '-iquote', '-isystem', '-idirafter'];
/** `#cgo [conditions] LDFLAGS: flags`. */
const CGO_LD_LINE = /^[ \t]*(?:\/\/)?[ \t]*#cgo[ \t]+(?:[^:\n]*[ \t])?LDFLAGS[ \t]*:(.*)$/gm;
/** A linker argument that names a file: a path, or a library or object file name. */
const LINK_FILE = /\/|\.(?:a|o|so|syso|lib|dylib)$|\.so\.[0-9.]+$/;

type CDirectives = { cIncludes?: string[]; cIncludeDirs?: string[]; cLibDirs?: string[]; cLibFiles?: string[] };

/**
 * The `#include` names of `text` and, for a cgo preamble, the include directories of its
 * `#cgo` lines and the library directories and files of its `#cgo LDFLAGS` lines. Line-based
 * on purpose: an include inside `#if 0` or a string is collected too, which can only add
 * inputs to a key, never miss one.
 */
function scanCDirectives(text: string, cgoPreamble: boolean): CDirectives {
  if (!text.includes('#')) return {};
  const out: CDirectives = {};
  const includes: string[] = [];
  for (const m of text.matchAll(INCLUDE_LINE)) includes.push(m[1] as string);
  if (includes.length > 0) out.cIncludes = includes;
  if (cgoPreamble) {
    const dirs: string[] = [];
    for (const m of text.matchAll(CGO_LINE)) {
      const words = splitFlags(m[1] as string);
      for (let i = 0; i < words.length; i++) {
        const w = words[i] as string;
        const flag = INCLUDE_DIR_FLAGS.find((f) => w.startsWith(f));
        if (flag === undefined) continue;
        const value = w.length > flag.length ? w.slice(flag.length) : words[++i];
        if (value !== undefined && value !== '') dirs.push(value);
      }
    }
    if (dirs.length > 0) out.cIncludeDirs = dirs;
    const libDirs: string[] = [];
    const libFiles: string[] = [];
    for (const m of text.matchAll(CGO_LD_LINE)) {
      const words = splitFlags(m[1] as string);
      for (let i = 0; i < words.length; i++) {
        const w = words[i] as string;
        if (w.startsWith('-L')) {
          const value = w.length > 2 ? w.slice(2) : words[++i];
          if (value !== undefined && value !== '') libDirs.push(value);
        } else if (!w.startsWith('-') && LINK_FILE.test(w)) {
          libFiles.push(w);
        }
      }
    }
    if (libDirs.length > 0) out.cLibDirs = libDirs;
    if (libFiles.length > 0) out.cLibFiles = libFiles;
  }
  return out;
}

/** Splits a `#cgo` flags string into words the way cgo does: at spaces, honouring '…' and "…" quoting. */
function splitFlags(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (quote !== '') {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s.charAt(++i);
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      if (c === '\\' && i + 1 < s.length) cur += s.charAt(++i);
      else cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Parses `text` as the file `name`: Go files fully, other sources for constraints and `#include` lines. */
export function parseSourceFileHeader(name: string, text: string): GoFileHeader {
  return name.endsWith('.go') ? parseGoFileHeader(text) : parseOtherFileHeader(text);
}

// ---------------------------------------------------------------------------------------------

/** Maps offsets to 1-based line/column positions. */
class PositionIndex {
  /** Offsets where lines start, found so far: imports sit at the top, so most files need few. */
  private readonly starts: number[] = [0];
  /** Everything before this offset has been scanned for newlines. */
  private scanned = 0;
  constructor(private readonly src: string) {}

  at(offset: number): Position {
    const starts = this.starts;
    while (this.scanned <= offset && this.scanned < this.src.length) {
      const nl = this.src.indexOf('\n', this.scanned);
      if (nl < 0) {
        this.scanned = this.src.length;
        break;
      }
      starts.push(nl + 1);
      this.scanned = nl + 1;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1, offset };
  }

  range(start: number, end: number): SourceRange {
    return { start: this.at(start), end: this.at(end) };
  }

  /** The span of `[start, end)`, which must lie within one line. */
  span(start: number, end: number): SourceSpan {
    const { line, column } = this.at(start);
    return [line, column, start, end - start];
  }
}

function isIdentChar(c: string): boolean {
  if (c === '') return false;
  const code = c.charCodeAt(0);
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code >= 0x80
  );
}

/** Printable ASCII characters an import path may hold: codes 0x21–0x7e, less the banned ones. */
const ASCII_ALLOWED = ((): Uint8Array => {
  const ok = new Uint8Array(128);
  for (let c = 0x21; c < 0x7f; c++) ok[c] = 1;
  for (const ch of '!"#$%&\'()*,:;<=>?[\\]^{|}`') ok[ch.charCodeAt(0)] = 0;
  return ok;
})();

/**
 * Valid import paths by their double-quoted literal. A repository's files import the same few
 * thousand paths over and over: each is then one string, shared by every header that imports it,
 * instead of one built anew per import and kept with its file's header for the whole build.
 */
const knownImportPaths = new Map<string, string>();
/** Past this many, the table starts again (a long-lived gob server sees many repositories). */
const MAX_KNOWN_IMPORT_PATHS = 50_000;

/** The import path a quoted literal stands for, if it is a valid one. */
function importPathOf(literal: string): string | undefined {
  const known = knownImportPaths.get(literal);
  if (known !== undefined) return known;
  const path = unquoteGoString(literal);
  if (path === undefined || !isValidImportPath(path)) return undefined;
  // Only literals without escapes: the key is then a new string equal to `literal` (which is a
  // slice of the file's text; as a key, it would keep the whole text alive).
  if (literal.charCodeAt(0) === 34 /* " */ && literal.length === path.length + 2) {
    if (knownImportPaths.size >= MAX_KNOWN_IMPORT_PATHS) knownImportPaths.clear();
    knownImportPaths.set(`"${path}"`, path);
  }
  return path;
}

/** The implementation restriction on import paths from the Go spec (as go/build checks it). */
function isValidImportPath(path: string): boolean {
  if (path === '') return false;
  // Nearly every import path is printable ASCII: checked by table, without a regular expression per character.
  let ascii = true;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    if (ASCII_ALLOWED[c] !== 1) return false;
  }
  if (ascii) return true;
  const illegal = '!"#$%&\'()*,:;<=>?[\\]^{|}`\ufffd';
  for (const ch of path) {
    // Not graphic, or a space, or one of the characters the spec allows implementations to ban.
    if (illegal.includes(ch) || /[\s\p{C}]/u.test(ch)) return false;
  }
  return true;
}

interface RawImport {
  readonly name: string | undefined;
  readonly start: number;
  readonly end: number;
}

/**
 * A port of go/build's importReader: a tiny scanner that reads `package x` and the import
 * declarations, skipping spaces, semicolons and comments, and stops at the first other token.
 * Characters stand in for bytes; `''` is Go's 0 (end of input).
 */
class ImportReader {
  private i = 0;
  private peek = '';
  private eof = false;
  /** How much of the text the reader has read. */
  get consumed(): number {
    return this.i;
  }
  err: string | undefined;
  errAt = 0;
  readonly imports: RawImport[] = [];

  constructor(private readonly s: string) {}

  readHeader(): string | undefined {
    this.readKeyword('package');
    const name = this.readIdent();
    while (this.peekByte(true) === 'i') {
      this.readKeyword('import');
      if (this.peekByte(true) === '(') {
        this.nextByte(false);
        while (this.peekByte(true) !== ')' && this.err === undefined) this.readImport();
        this.nextByte(false);
      } else {
        this.readImport();
      }
    }
    return name;
  }

  private syntaxError(): void {
    if (this.err === undefined) {
      this.err = 'syntax error';
      this.errAt = Math.max(0, this.i - 1);
    }
  }

  private readByte(): string {
    if (this.i >= this.s.length) {
      this.eof = true;
      return '';
    }
    const c = this.s.charAt(this.i++);
    if (c === '\0') {
      if (this.err === undefined) {
        this.err = 'unexpected NUL in input';
        this.errAt = this.i - 1;
      }
      return '';
    }
    return c;
  }

  /**
   * The reader stopped without an error at a character (the start of the next declaration)
   * before `offset`: it read nothing at or after it.
   */
  stoppedBefore(offset: number): boolean {
    return this.err === undefined && !this.eof && this.i <= offset;
  }

  /** Offset of the character returned by the last peekByte. */
  private peekOffset(): number {
    return this.eof ? this.s.length : this.i - 1;
  }

  private peekByte(skipSpace: boolean): string {
    if (this.err !== undefined) return '';
    let c = this.peek;
    if (c === '') c = this.readByte();
    while (this.err === undefined && !this.eof) {
      if (skipSpace) {
        if (c === ' ' || c === '\f' || c === '\t' || c === '\r' || c === '\n' || c === ';') {
          c = this.readByte();
          continue;
        }
        if (c === '/') {
          c = this.readByte();
          if (c === '/') {
            while (c !== '\n' && this.err === undefined && !this.eof) c = this.readByte();
          } else if (c === '*') {
            let c1 = '';
            while ((c !== '*' || c1 !== '/') && this.err === undefined) {
              if (this.eof) this.syntaxError();
              c = c1;
              c1 = this.readByte();
            }
          } else {
            this.syntaxError();
          }
          c = this.readByte();
          continue;
        }
      }
      break;
    }
    this.peek = c;
    return c;
  }

  private nextByte(skipSpace: boolean): string {
    const c = this.peekByte(skipSpace);
    this.peek = '';
    return c;
  }

  private readKeyword(kw: string): void {
    this.peekByte(true);
    for (const ch of kw) {
      if (this.nextByte(false) !== ch) {
        this.syntaxError();
        return;
      }
    }
    if (isIdentChar(this.peekByte(false))) this.syntaxError();
  }

  private readIdent(): string | undefined {
    const c = this.peekByte(true);
    if (!isIdentChar(c)) {
      this.syntaxError();
      return undefined;
    }
    const start = this.peekOffset();
    while (isIdentChar(this.peekByte(false))) this.peek = '';
    const end = this.peek === '' ? this.i : this.peekOffset();
    return this.s.slice(start, end);
  }

  /** Reads a string literal; returns its [start, end) offsets. */
  private readString(): [number, number] | undefined {
    const q = this.nextByte(true);
    const start = this.i - 1;
    if (q === '`') {
      while (this.err === undefined) {
        if (this.nextByte(false) === '`') break;
        if (this.eof) this.syntaxError();
      }
    } else if (q === '"') {
      while (this.err === undefined) {
        const c = this.nextByte(false);
        if (c === '"') break;
        if (this.eof || c === '\n') this.syntaxError();
        if (c === '\\') this.nextByte(false);
      }
    } else {
      this.syntaxError();
    }
    return this.err === undefined ? [start, this.i] : undefined;
  }

  private readImport(): void {
    const c = this.peekByte(true);
    let name: string | undefined;
    if (c === '.') {
      this.peek = '';
      name = '.';
    } else if (isIdentChar(c)) {
      name = this.readIdent();
    }
    const str = this.readString();
    if (str !== undefined) this.imports.push({ name, start: str[0], end: str[1] });
  }
}

interface ConstraintComments {
  readonly goBuild: string | undefined;
  readonly plusBuild: string[];
  readonly binaryOnly: boolean;
  readonly error: string | undefined;
}

function isGoBuildComment(line: string): boolean {
  if (!line.startsWith('//go:build')) return false;
  const rest = trimSpace(line).slice('//go:build'.length);
  return rest.length === 0 || trimSpace(rest).length < rest.length;
}

/**
 * go/build's parseFileHeader + shouldBuild line collection: the leading run of `//` comments and
 * blank lines. A `//go:build` line anywhere in the leading comments counts; `// +build` lines
 * count only if a blank line follows them before the first non-comment text.
 */
function scanConstraintComments(src: string): ConstraintComments {
  let end = 0;
  let ended = false;
  let inSlashStar = false;
  let goBuild: string | undefined;
  let error: string | undefined;
  let binaryOnly = false;
  let p = 0;
  lines: while (p < src.length) {
    const nl = src.indexOf('\n', p);
    const next = nl < 0 ? src.length : nl + 1;
    let line = trimSpace(src.slice(p, nl < 0 ? src.length : nl));
    p = next;
    if (line.length === 0 && !ended) {
      end = next;
      continue;
    }
    if (!line.startsWith('//')) ended = true;
    if (!inSlashStar && isGoBuildComment(line)) {
      if (goBuild !== undefined) {
        error ??= 'multiple //go:build comments';
      } else {
        goBuild = line;
      }
    }
    if (!inSlashStar && line === '//go:binary-only-package') binaryOnly = true;
    while (line.length > 0) {
      if (inSlashStar) {
        const i = line.indexOf('*/');
        if (i < 0) continue lines;
        inSlashStar = false;
        line = trimSpace(line.slice(i + 2));
        continue;
      }
      if (line.startsWith('//')) continue lines;
      if (line.startsWith('/*')) {
        inSlashStar = true;
        line = trimSpace(line.slice(2));
        continue;
      }
      break lines;
    }
  }
  const plusBuild: string[] = [];
  if (goBuild === undefined) {
    for (const raw of src.slice(0, end).split('\n')) {
      const line = trimSpace(raw);
      if (!line.startsWith('//') || !line.includes('+build')) continue;
      if (isPlusBuildLine(line)) plusBuild.push(line);
    }
  }
  return { goBuild, plusBuild, binaryOnly, error };
}

/**
 * Finds `//go:embed` directives anywhere in the file, as Go's scanner would see them: only in
 * line comments, never inside strings, rune literals or block comments.
 */
function findEmbeds(src: string, pos: PositionIndex): GoEmbedPattern[] {
  const out: GoEmbedPattern[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 0x2f /* / */) {
      const d = src.charCodeAt(i + 1);
      if (d === 0x2f) {
        let end = src.indexOf('\n', i);
        if (end < 0) end = n;
        let lit = src.slice(i, end);
        if (lit.endsWith('\r')) lit = lit.slice(0, -1);
        if (lit.startsWith('//go:embed')) out.push(...parseEmbedDirective(lit, i, pos));
        i = end;
        continue;
      }
      if (d === 0x2a) {
        const end = src.indexOf('*/', i + 2);
        i = end < 0 ? n : end + 2;
        continue;
      }
      i++;
      continue;
    }
    if (c === 0x60 /* ` */) {
      const end = src.indexOf('`', i + 1);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      i++;
      while (i < n) {
        const e = src.charCodeAt(i);
        if (e === 0x0a) break;
        if (e === 0x5c) {
          i += 2;
          continue;
        }
        i++;
        if (e === c) break;
      }
      continue;
    }
    i++;
  }
  return out;
}

const isUnicodeSpace = (ch: string): boolean => /^\s$/u.test(ch);

/** go/ast.ParseDirective + ParseArgs for one `//go:embed` comment; malformed lines yield none. */
function parseEmbedDirective(lit: string, offset: number, pos: PositionIndex): GoEmbedPattern[] {
  // "//go:" then the directive name up to the first space.
  let k = '//go:'.length;
  while (k < lit.length && !isUnicodeSpace(lit.charAt(k))) k++;
  if (lit.slice('//go:'.length, k) !== 'embed') return [];
  const out: GoEmbedPattern[] = [];
  let rest = lit.slice(k).replace(/\s+$/u, '');
  let at = offset + k;
  const skipSpace = (): void => {
    const t = rest.replace(/^\s+/u, '');
    at += rest.length - t.length;
    rest = t;
  };
  for (;;) {
    skipSpace();
    if (rest === '') break;
    const start = at;
    let arg: string;
    if (rest[0] === '`' || rest[0] === '"') {
      const len = quotedPrefixLength(rest);
      if (len === undefined) return [];
      const unq = unquoteGoString(rest.slice(0, len));
      if (unq === undefined) return [];
      arg = unq;
      rest = rest.slice(len);
      at += len;
      if (rest !== '' && !isUnicodeSpace(String.fromCodePoint(rest.codePointAt(0) ?? 0))) return [];
    } else {
      let j = 0;
      while (j < rest.length && !isUnicodeSpace(rest.charAt(j))) j++;
      arg = rest.slice(0, j);
      rest = rest.slice(j);
      at += j;
    }
    out.push({ pattern: arg, span: pos.span(start, at) });
  }
  return out;
}
