import { describe, expect, it } from 'vitest';
import type { WorkspacePath } from '../types.js';
import { includeSearchDirs, joinInside, resolveCIncludes, resolveCLibraries } from './c-includes.js';
import { parseSourceFileHeader } from './header.js';

describe('joinInside', () => {
  it('joins and normalises, and refuses what leaves the workspace', () => {
    expect(joinInside('lib', 'inc/x.h')).toBe('lib/inc/x.h');
    expect(joinInside('lib/a', '../../csrc/./y.h')).toBe('csrc/y.h');
    expect(joinInside('', 'x.h')).toBe('x.h');
    expect(joinInside('lib', '../../x.h')).toBeUndefined();
    expect(joinInside('lib', '/usr/include/x.h')).toBeUndefined();
  });
});

describe('includeSearchDirs', () => {
  it('expands ${SRCDIR}, takes relative directories from the package, drops absolute ones and repeats', () => {
    const dirs = includeSearchDirs('native', ['${SRCDIR}/../csrc', 'inc', '/usr/include', '${SRCDIR}', '$HOME/x', '${SRCDIR}/../../out', 'inc']);
    expect(dirs).toEqual(['csrc', 'native/inc', 'native']);
  });
});

describe('resolveCIncludes', () => {
  const tree: Record<string, string> = {
    'native/a.c': '#include "inc/x.h"\n#include <shared.h>\n#include <stdio.h>\n#include "own.h"\n',
    'native/own.h': '#include "only-from-own.h"\n',
    'native/only-from-own.h': '',
    'native/inc/x.h': '#include "y.h"\n#include "missing.h"\n#include "../../../outside.h"\n',
    'native/inc/y.h': '#include "x.h"\n',
    'csrc/shared.h': '#include "nested.inc"\n',
    'csrc/nested.inc': '',
    'csrc/y.h': 'found through the search directories too\n',
    'csrc/unused.h': '',
  };
  const io = {
    isFile: (p: WorkspacePath) => Promise.resolve(p in tree),
    header: (p: WorkspacePath) => Promise.resolve(parseSourceFileHeader(p.slice(p.lastIndexOf('/') + 1), tree[p] ?? '')),
  };
  const seed = (p: string) => ({ path: p, header: parseSourceFileHeader(p, tree[p] ?? '') });

  it('follows quoted and angle includes through the including directory and the search directories, transitively', async () => {
    const own = new Set(['native/a.c', 'native/own.h'] as WorkspacePath[]);
    const got = await resolveCIncludes([seed('native/a.c'), seed('native/own.h')], ['csrc'], own, io);
    // inc/y.h includes "x.h" back (a cycle); "y.h" also matches csrc/y.h through the search
    // directory: every match counts. Own files are not repeated; missing and outside ones are left out.
    expect(got).toEqual(['csrc/nested.inc', 'csrc/shared.h', 'csrc/y.h', 'native/inc/x.h', 'native/inc/y.h', 'native/only-from-own.h']);
  });

  it('looks angle includes up in the search directories only', async () => {
    const got = await resolveCIncludes([{ path: 'native/b.c', header: parseSourceFileHeader('b.c', '#include <inc/x.h>\n') }], [], new Set(), io);
    expect(got).toEqual([]);
  });
});

describe('resolveCLibraries', () => {
  it('takes the files #cgo LDFLAGS name and every library in their -L directories inside the workspace', async () => {
    const files = new Set(['native/prebuilt/libval.a', 'native/prebuilt/libval.so.1.2', 'native/prebuilt/README', 'third/libz.a', 'native/obj/x.o']);
    const io = {
      isFile: (p: string) => Promise.resolve(files.has(p)),
      list: (d: string) =>
        Promise.resolve(
          [...files].filter((f) => f.slice(0, f.lastIndexOf('/')) === d).map((f) => ({ name: f.slice(f.lastIndexOf('/') + 1), isFile: true })),
        ),
    };
    const got = await resolveCLibraries('native', ['${SRCDIR}/prebuilt', '/usr/lib', 'missing'], ['${SRCDIR}/../third/libz.a', 'obj/x.o', 'obj/none.o', '${SRCDIR}/../../outside.a'], io);
    expect(got).toEqual(['native/obj/x.o', 'native/prebuilt/libval.a', 'native/prebuilt/libval.so.1.2', 'third/libz.a']);
  });
});
