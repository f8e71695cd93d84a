import { describe, expect, it } from 'vitest';
import { GoBuildJsonReader, parseGoBuildLine, type GoBuildMessage } from './go-build-json.js';

describe('go build -json output', () => {
  it('reads build-output and build-fail events and keeps anything else as text', () => {
    expect(parseGoBuildLine('{"ImportPath":"example.com/a","Action":"build-output","Output":"a.go:1:2: bad\\n"}\n')).toEqual({
      kind: 'output',
      importPath: 'example.com/a',
      text: 'a.go:1:2: bad\n',
    });
    expect(parseGoBuildLine('{"ImportPath":"example.com/a","Action":"build-fail"}')).toEqual({ kind: 'fail', importPath: 'example.com/a' });
    expect(parseGoBuildLine('go: downloading example.com/m v1.0.0')).toEqual({ kind: 'text', text: 'go: downloading example.com/m v1.0.0\n' });
    expect(parseGoBuildLine('{not json')).toEqual({ kind: 'text', text: '{not json\n' });
    expect(parseGoBuildLine('{"Action":"something-else"}')).toEqual({ kind: 'text', text: '{"Action":"something-else"}\n' });
    expect(parseGoBuildLine('  \n')).toBeUndefined();
  });

  it('splits a stream into lines whatever the chunk boundaries', () => {
    const out: GoBuildMessage[] = [];
    const r = new GoBuildJsonReader((m) => out.push(m));
    const stream = '{"ImportPath":"p","Action":"build-output","Output":"# p\\n"}\n{"ImportPath":"p","Action":"build-fail"}\ntrailing';
    for (let i = 0; i < stream.length; i += 7) r.push(stream.slice(i, i + 7));
    r.end();
    expect(out).toEqual([
      { kind: 'output', importPath: 'p', text: '# p\n' },
      { kind: 'fail', importPath: 'p' },
      { kind: 'text', text: 'trailing\n' },
    ]);
  });
});
