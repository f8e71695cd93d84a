import { describe, expect, it } from 'vitest';
import { packageDirsNamed } from './run-build.js';

describe('packageDirsNamed', () => {
  it('finds the workspace directories of the Go files go names by position, relative to where go ran', () => {
    // What go printed when it could not load a batch (GOPROXY=off), plus other shapes of message.
    const text = [
      'go: downloading example.invalid/nope v1.0.0',
      'libs/ids/ids.go:7:2: example.invalid/nope@v1.0.0: module lookup disabled by GOPROXY=off',
      '\tsvc/x.go:3:8: no required module provides package example.com/y',
      '/ws/tools/cli/main.go:5:2: package example.com/z is not in std',
      'main.go:4:2: example.invalid/nope@v1.0.0: module lookup disabled by GOPROXY=off',
      '/home/u/go/pkg/mod/example.com/m@v1.0.0/m.go:3:2: outside the workspace',
      'go: example.invalid/nope@v1.0.0: missing go.sum entry',
      'libs/ids/other.go:9: a position without a column',
    ].join('\n');
    expect(packageDirsNamed(text, '/ws/sub', '/ws').sort()).toEqual(['sub', 'sub/libs/ids', 'sub/svc', 'tools/cli']);
    expect(packageDirsNamed(text, '/ws', '/ws').sort()).toEqual(['', 'libs/ids', 'svc', 'tools/cli']);
    expect(packageDirsNamed('go: cannot find main module\n', '/ws', '/ws')).toEqual([]);
  });
});
