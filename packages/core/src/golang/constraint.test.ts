import { describe, expect, it } from 'vitest';
import {
  evalConstraint,
  formatConstraint,
  isGoBuildLine,
  isPlusBuildLine,
  parseConstraintLine,
  parseGoBuildExpr,
  parsePlusBuildExpr,
  type ConstraintExpr,
} from './constraint.js';

function parse(line: string): ConstraintExpr {
  const r = parseConstraintLine(line);
  if (!r.ok) throw new Error(r.error.message);
  return r.expr;
}

const tags = (...on: string[]) => (t: string) => on.includes(t);

describe('//go:build expressions', () => {
  it.each([
    ['//go:build linux', 'linux'],
    ['//go:build linux && amd64', 'linux && amd64'],
    ['//go:build linux || darwin && !cgo', 'linux || (darwin && !cgo)'],
    ['//go:build (linux || darwin) && !cgo', '(linux || darwin) && !cgo'],
    ['//go:build !(a && b)', '!(a && b)'],
    ['//go:build a && (b || c) && d', 'a && (b || c) && d'],
    ['//go:build go1.21 && amd64.v3', 'go1.21 && amd64.v3'],
    ['//go:build   linux   ', 'linux'],
    ['//go:build linux\n', 'linux'],
    ['//go:build ünïcode_tag', 'ünïcode_tag'],
  ])('parses %j as %s', (line, printed) => {
    expect(formatConstraint(parse(line))).toBe(printed);
  });

  it('gives && precedence over ||', () => {
    const x = parse('//go:build a || b && c');
    expect(evalConstraint(x, tags('a'))).toBe(true);
    expect(evalConstraint(x, tags('b'))).toBe(false);
    expect(evalConstraint(x, tags('b', 'c'))).toBe(true);
  });

  it('evaluates both operands, like Go, so every consulted tag is seen', () => {
    const seen: string[] = [];
    evalConstraint(parse('//go:build a && b || c'), (t) => {
      seen.push(t);
      return false;
    });
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['linux &&', 'unexpected end of expression'],
    ['(linux', 'missing close paren'],
    ['linux)', 'unexpected token )'],
    ['!!linux', 'double negation not allowed'],
    ['linux & darwin', 'invalid syntax at &'],
    ['linux | darwin', 'invalid syntax at |'],
    ['linux darwin', 'unexpected token darwin'],
    ['', 'unexpected end of expression'],
    ['linux,darwin', 'invalid syntax at ,'],
    ['a-b', 'invalid syntax at -'],
  ])('rejects %j (%s)', (expr, message) => {
    const r = parseGoBuildExpr(expr);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });

  it('limits expression size', () => {
    const r = parseGoBuildExpr(Array.from({ length: 1100 }, (_, i) => `t${i}`).join(' || '));
    expect(r.ok).toBe(false);
  });

  it('recognises the prefix only when followed by space or nothing', () => {
    expect(isGoBuildLine('//go:build linux')).toBe(true);
    expect(isGoBuildLine('//go:build')).toBe(true);
    expect(isGoBuildLine('//go:buildlinux')).toBe(false);
    expect(isGoBuildLine('// go:build linux')).toBe(false);
    expect(isGoBuildLine('//go:build a\n//go:build b')).toBe(false);
  });
});

describe('// +build lines', () => {
  it('treats spaces as OR, commas as AND and ! as NOT', () => {
    const x = parse('// +build linux,amd64 darwin,!cgo');
    expect(formatConstraint(x)).toBe('(linux && amd64) || (darwin && !cgo)');
    expect(evalConstraint(x, tags('linux', 'amd64'))).toBe(true);
    expect(evalConstraint(x, tags('darwin'))).toBe(true);
    expect(evalConstraint(x, tags('darwin', 'cgo'))).toBe(false);
  });

  it('turns invalid words into the never-satisfied tag "ignore"', () => {
    expect(formatConstraint(parse('// +build !!linux'))).toBe('ignore');
    expect(formatConstraint(parse('// +build !'))).toBe('ignore');
    expect(formatConstraint(parse('// +build a-b'))).toBe('ignore');
    expect(formatConstraint(parse('// +build !a-b'))).toBe('!ignore');
    expect(formatConstraint(parse('// +build'))).toBe('ignore');
  });

  it('accepts "//+build" without the space but not "+buildx"', () => {
    expect(isPlusBuildLine('//+build linux')).toBe(true);
    expect(isPlusBuildLine('// +build')).toBe(true);
    expect(isPlusBuildLine('// +buildlinux')).toBe(false);
    expect(isPlusBuildLine('/* +build linux */')).toBe(false);
  });

  it('refuses overly complex legacy lines', () => {
    expect(parsePlusBuildExpr(Array.from({ length: 120 }, (_, i) => `t${i}`).join(' ')).ok).toBe(false);
  });
});
