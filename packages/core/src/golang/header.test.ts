import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  HEADER_PREFIX_BYTES,
  parseGoFileHeader,
  parseGoFileHeaderBytes,
  parseOtherFileHeader,
  parseSourceFileHeader,
  spanRange,
} from './header.js';

describe('parseGoFileHeader', () => {
  it('reads the package clause and every import form', () => {
    const h = parseGoFileHeader(
      [
        '// Package p does things.',
        'package p // trailing comment',
        '',
        'import "fmt"',
        'import m "math"; import . "strings"',
        'import (',
        '\t_ "embed" // blank',
        '\t/* block */ alias `raw/path`',
        '\t"example.com/x/y"',
        '',
        '\t"unicode/utf8"',
        ')',
        'import ()',
        '',
        'func f() { import_ := 1; _ = import_ }',
      ].join('\n'),
    );
    expect(h.packageName).toBe('p');
    expect(h.parseError).toBeUndefined();
    expect(h.imports.map((i) => [i.name, i.path])).toEqual([
      [undefined, 'fmt'],
      ['m', 'math'],
      ['.', 'strings'],
      ['_', 'embed'],
      ['alias', 'raw/path'],
      [undefined, 'example.com/x/y'],
      [undefined, 'unicode/utf8'],
    ]);
    // `"math"`: line 5, column 10, offset 79, 6 long.
    expect(h.imports[1]?.span).toEqual([5, 10, 79, 6]);
    expect(spanRange(h.imports[1]?.span ?? [0, 0, 0, 0])).toEqual({ start: { line: 5, column: 10, offset: 79 }, end: { line: 5, column: 16, offset: 85 } });
    expect(h.cgo).toBe(false);
  });

  it('detects cgo', () => {
    const h = parseGoFileHeader('package p\n\n// #include <stdio.h>\nimport "C"\n');
    expect(h.cgo).toBe(true);
    expect(h.imports.map((i) => i.path)).toEqual(['C']);
  });

  it('unquotes interpreted strings with escapes', () => {
    const h = parseGoFileHeader('package p\nimport "\\x65x\\u0061mple.com/\\141"\n');
    expect(h.imports.map((i) => i.path)).toEqual(['example.com/a']);
  });

  it('reads a path imported by many files the same in each, whatever its quoting', () => {
    const paths = ['"example.com/a"', '"\\x65x\\u0061mple.com/\\141"', '`example.com/a`', '"example.com/a"'].map(
      (lit) => parseGoFileHeader(`package p\nimport ${lit}\n`).imports.map((i) => i.path),
    );
    expect(paths).toEqual([['example.com/a'], ['example.com/a'], ['example.com/a'], ['example.com/a']]);
    // An invalid path stays an error however often it is met.
    for (let i = 0; i < 2; i++) expect(parseGoFileHeader('package p\nimport "a:b"\n').parseError?.message).toContain('invalid import path');
  });

  it('skips a byte order mark', () => {
    expect(parseGoFileHeader('\ufeffpackage p\n').packageName).toBe('p');
  });

  it.each([
    ['no package clause', 'func main() {}\n'],
    ['an unterminated import string', 'package p\nimport "fmt\n'],
    ['an invalid import path', 'package p\nimport "a b"\n'],
    ['an empty import path', 'package p\nimport ""\n'],
    ['a NUL byte in the header', 'package p\nimport "f\0mt"\n'],
    ['a stray slash', 'package p\n/ import "x"\n'],
  ])('reports %s as a parse error', (_name, text) => {
    const h = parseGoFileHeader(text);
    expect(h.parseError).toBeDefined();
  });

  it('accepts exactly the import path characters the Go spec allows', () => {
    // The rule as the spec states it: graphic, not a space, none of the banned characters.
    const banned = '!"#$%&\'()*,:;<=>?[\\]^{|}`\ufffd';
    const allowed = (ch: string): boolean => !banned.includes(ch) && !/[\s\p{C}]/u.test(ch);
    const codes = [...Array.from({ length: 0x80 }, (_, i) => i), 0xa0, 0xe9, 0x200b, 0x3000, 0xfffd, 0x1f600];
    for (const code of codes) {
      const ch = String.fromCodePoint(code);
      // Written with an escape, so that any character fits in the literal.
      const escaped = code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
      const h = parseGoFileHeader(`package p\nimport "a${escaped}b"\n`);
      expect({ code, imports: h.imports.map((i) => i.path) }).toEqual({ code, imports: allowed(ch) ? [`a${ch}b`] : [] });
    }
  });

  it('drops all imports when one path is invalid, like go/build', () => {
    const h = parseGoFileHeader('package p\nimport ("fmt"; "a:b")\n');
    expect(h.imports).toEqual([]);
    expect(h.parseError?.message).toContain('invalid import path');
  });
});

describe('build constraint comments', () => {
  it('takes a //go:build line anywhere before the package clause', () => {
    expect(parseGoFileHeader('// Copyright\n\n//go:build linux\n\npackage p\n').goBuild).toBe('//go:build linux');
    expect(parseGoFileHeader('//go:build linux\npackage p\n').goBuild).toBe('//go:build linux');
    expect(parseGoFileHeader('/* x */\n//go:build linux\npackage p\n').goBuild).toBe('//go:build linux');
    expect(parseGoFileHeader('package p\n\n//go:build linux\n').goBuild).toBeUndefined();
    expect(parseGoFileHeader('/*\n//go:build linux\n*/\npackage p\n').goBuild).toBeUndefined();
  });

  it('takes // +build lines only when a blank line follows them', () => {
    expect(parseGoFileHeader('// +build linux\n\npackage p\n').plusBuild).toEqual(['// +build linux']);
    expect(parseGoFileHeader('// +build linux\npackage p\n').plusBuild).toEqual([]);
    expect(parseGoFileHeader('// +build a\n// +build b\n\n// doc\npackage p\n').plusBuild).toEqual(['// +build a', '// +build b']);
    expect(parseGoFileHeader('// +build a\r\n\r\npackage p\r\n').plusBuild).toEqual(['// +build a']);
  });

  it('ignores // +build lines when //go:build is present', () => {
    const h = parseGoFileHeader('//go:build linux\n// +build windows\n\npackage p\n');
    expect(h.goBuild).toBe('//go:build linux');
    expect(h.plusBuild).toEqual([]);
  });

  it('rejects two //go:build lines', () => {
    expect(parseGoFileHeader('//go:build a\n//go:build b\n\npackage p\n').constraintError).toBe('multiple //go:build comments');
  });

  it('notices //go:binary-only-package', () => {
    expect(parseGoFileHeader('//go:binary-only-package\n\npackage p\n').binaryOnly).toBe(true);
  });
});

describe('//go:embed directives', () => {
  const withEmbed = (body: string) => `package p\n\nimport "embed"\n\n${body}`;

  it('collects patterns only when the file imports embed', () => {
    expect(parseGoFileHeader('package p\n\n//go:embed a.txt\nvar s string\n').embeds).toEqual([]);
    expect(parseGoFileHeader(withEmbed('//go:embed a.txt\nvar s string\n')).embeds.map((e) => e.pattern)).toEqual(['a.txt']);
  });

  it('handles several, quoted and raw-quoted patterns on one line', () => {
    const h = parseGoFileHeader(withEmbed('//go:embed a.txt "b c.txt"\t`d*.txt`  all:e\nvar f embed.FS\n'));
    expect(h.embeds.map((e) => e.pattern)).toEqual(['a.txt', 'b c.txt', 'd*.txt', 'all:e']);
    expect(h.embeds.map((e) => e.span)).toEqual([
      [5, 12, 38, 5],
      [5, 18, 44, 9],
      [5, 28, 54, 8],
      [5, 38, 64, 5],
    ]);
  });

  it('ignores directives inside strings, raw strings, runes and block comments', () => {
    const h = parseGoFileHeader(
      withEmbed(['var a = "//go:embed x"', 'var b = `', '//go:embed y', '`', "var c = '\"'", '/*', '//go:embed z', '*/', '//go:embed real.txt', 'var d string', ''].join('\n')),
    );
    expect(h.embeds.map((e) => e.pattern)).toEqual(['real.txt']);
  });

  it('ignores other directives and malformed quoting', () => {
    const h = parseGoFileHeader(withEmbed('//go:embedded x\n//go:embed "unterminated\n//go:embed "a"b\n// go:embed spaced\n//go:embed ok\n'));
    expect(h.embeds.map((e) => e.pattern)).toEqual(['ok']);
  });
});

describe('non-Go sources', () => {
  it('reads only the constraint comments', () => {
    const h = parseOtherFileHeader('// Copyright\n\n//go:build amd64 && !purego\n\n#include "textflag.h"\n');
    expect(h.goBuild).toBe('//go:build amd64 && !purego');
    expect(h.imports).toEqual([]);
    expect(parseSourceFileHeader('x.c', '// +build linux\n\nint x;\n').plusBuild).toEqual(['// +build linux']);
    expect(parseSourceFileHeader('x.go', 'package q\n').packageName).toBe('q');
  });

  it('collects the #include names of a C-family file, wherever they stand', () => {
    const h = parseOtherFileHeader('// +build linux\n\n#include <stdio.h>\nint x;\n  #  include "inc/x.h"\n#if 0\n#include "never.h"\n#endif\n#define Y 1\n');
    expect(h.cIncludes).toEqual(['<stdio.h>', '"inc/x.h"', '"never.h"']);
    expect(h.cIncludeDirs).toBeUndefined();
    expect(parseOtherFileHeader('int x;\n').cIncludes).toBeUndefined();
  });

  it("collects a cgo preamble's #include names and the include directories of its #cgo lines", () => {
    const block = parseGoFileHeader(
      'package lib\n\n/*\n#cgo CFLAGS: -I${SRCDIR}/../csrc -DX=1 -I inc "-I${SRCDIR}/with space"\n#cgo linux CPPFLAGS: -isystem sys -iquote=q\n#cgo LDFLAGS: -L${SRCDIR}/lib -Inot\n#include "inc/x.h"\n#include <shared.h>\n*/\nimport "C"\n',
    );
    expect(block.cgo).toBe(true);
    expect(block.cIncludes).toEqual(['"inc/x.h"', '<shared.h>']);
    expect(block.cIncludeDirs).toEqual(['${SRCDIR}/../csrc', 'inc', '${SRCDIR}/with space', 'sys', '=q']);
    const lines = parseGoFileHeader('package lib\n\n// #cgo CXXFLAGS: -I${SRCDIR}/vendor/include\n// #include "a.h"\nimport "C"\n\nfunc F() {}\n\n// #include "after.h" is past the header\n');
    expect(lines.cIncludes).toEqual(['"a.h"']);
    expect(lines.cIncludeDirs).toEqual(['${SRCDIR}/vendor/include']);
  });

  it('collects the library directories and files of a cgo preamble\'s #cgo LDFLAGS lines', () => {
    const h = parseGoFileHeader(
      'package lib\n\n// #cgo LDFLAGS: -L${SRCDIR}/prebuilt -lval ${SRCDIR}/../third/libz.a -lm -Wl,--as-needed\n// #cgo linux LDFLAGS: -L lib64 obj/x.o -pthread\n// #cgo CFLAGS: -Iinc\nimport "C"\n',
    );
    expect(h.cLibDirs).toEqual(['${SRCDIR}/prebuilt', 'lib64']);
    expect(h.cLibFiles).toEqual(['${SRCDIR}/../third/libz.a', 'obj/x.o']);
    expect(h.cIncludeDirs).toEqual(['inc']);
    expect(parseGoFileHeader('package lib\n\n// #cgo LDFLAGS: -lm\nimport "C"\n').cLibDirs).toBeUndefined();
  });

  it('collects no C directives from Go files that do not import "C"', () => {
    const h = parseGoFileHeader('package lib\n\n// #cgo CFLAGS: -Iinc\n// #include "a.h"\nimport "fmt"\n');
    expect(h.cIncludes).toBeUndefined();
    expect(h.cIncludeDirs).toBeUndefined();
  });
});

describe('parsing a header from the first bytes of a file', () => {
  const same = (text: string | Buffer): void => {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    expect(parseGoFileHeaderBytes(bytes)).toEqual(parseGoFileHeader(bytes.toString('utf8')));
  };
  const filler = (n: number): string => `// ${'x'.repeat(n)}\n`;

  it('gives what decoding the whole file gives, wherever the cut falls', () => {
    const body = `func f() int { return 1 }\n${'var v = "é€😀"\n'.repeat(400)}`;
    for (let n = HEADER_PREFIX_BYTES - 120; n <= HEADER_PREFIX_BYTES + 20; n++) {
      // The header ends at or around the cut: in the imports, in a comment, in a character.
      same(`${filler(n)}package p\n\nimport (\n\t"fmt"\n\t"é/x"\n)\n\n${body}`);
      same(`package p\n${filler(n)}import "fmt"\n/* a\ncomment */\n${body}`);
      same(`//go:build linux\n${filler(n)}\npackage p\n${body}`);
      same(`// +build linux\n\n${'é'.repeat(n >> 1)}\npackage p\nimport "fmt"\n${body}`);
      same(`/*\n${'x'.repeat(n)}\n*/\npackage p\nimport "fmt"\n${body}`);
      same(`package p\nimport "embed"\n${filler(n)}//go:embed a.txt\nvar s string\n${body}`);
      same(`package p\nimport "fmt"\n${filler(n)}import "os"\n${body}`);
      same(`package p\nimport "f\u0000mt"\n${filler(n)}${body}`);
    }
  });

  it('gives what decoding the whole file gives for every Go file of the toolchain and the example', () => {
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const example = fileURLToPath(new URL('../../../../examples/monorepo/', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.go')) files.push(p);
      }
    };
    walk(path.join(goroot, 'src'));
    walk(example);
    expect(files.length).toBeGreaterThan(1000);
    let longer = 0;
    for (const f of files) {
      const content = fs.readFileSync(f);
      if (content.length > HEADER_PREFIX_BYTES) longer++;
      // As it is, and moved by a comment holding characters of two, three and four bytes, so that
      // the cut falls inside them.
      for (const pad of ['', '// é\n', '// €\n', '// 😀\n']) {
        const bytes = Buffer.concat([Buffer.from(pad), content]);
        const whole = parseGoFileHeader(bytes.toString('utf8'));
        const fromBytes = parseGoFileHeaderBytes(bytes);
        if (JSON.stringify(fromBytes) !== JSON.stringify(whole)) expect({ file: f, pad, header: fromBytes }).toEqual({ file: f, pad, header: whole });
      }
    }
    // Most of them are longer than the part decoded first: the comparison is not a trivial one.
    expect(longer).toBeGreaterThan(files.length / 2);
  });
});
