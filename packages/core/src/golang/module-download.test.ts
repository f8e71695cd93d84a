import { describe, expect, it } from 'vitest';
import { moduleErrors } from './module-download.js';

describe('moduleErrors', () => {
  it("reads go's reason for each module from `go list -m -json` and `go mod download -json`", () => {
    // As go prints them: one indented object after the other.
    const list = [
      '{',
      '\t"Path": "example.com/nope",',
      '\t"Version": "v1.0.0",',
      '\t"Error": {',
      '\t\t"Err": "example.com/nope@v1.0.0: module lookup disabled by GOPROXY=off"',
      '\t}',
      '}',
      '{',
      '\t"Path": "example.com/ok",',
      '\t"Version": "v1.2.0",',
      '\t"GoMod": "/cache/download/example.com/ok/@v/v1.2.0.mod"',
      '}',
      '',
    ].join('\n');
    expect(moduleErrors(list)).toEqual({ modules: 2, errors: new Map([['example.com/nope@v1.0.0', 'example.com/nope@v1.0.0: module lookup disabled by GOPROXY=off']]) });
    const download = '{\n\t"Path": "example.com/gone",\n\t"Version": "v0.1.0",\n\t"Error": "example.com/gone@v0.1.0: reading https://proxy/example.com/gone/@v/v0.1.0.zip: 410 Gone"\n}\n';
    expect(moduleErrors(download).errors.get('example.com/gone@v0.1.0')).toBe('example.com/gone@v0.1.0: reading https://proxy/example.com/gone/@v/v0.1.0.zip: 410 Gone');
  });

  it('counts no module where go printed none', () => {
    expect(moduleErrors('')).toEqual({ modules: 0, errors: new Map() });
    expect(moduleErrors('go: errors parsing go.mod\n')).toEqual({ modules: 0, errors: new Map() });
  });
});
