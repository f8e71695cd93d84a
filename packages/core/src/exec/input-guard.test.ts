import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlannedAction } from '../actions/plan.js';
import { hashBytes } from '../hashing/hash-bytes.js';
import { statIdOf } from '../snapshot/observations.js';
import type { Sha256 } from '../types.js';
import { inputGuard, type InputObservation } from './input-guard.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gob-guard-'));
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** An action keyed with `files` (path → digest) in one package, and go.mod. */
function action(files: Record<string, Sha256>): PlannedAction {
  return {
    manifest: { moduleFiles: { 'go.mod': hashBytes(fs.readFileSync(path.join(root, 'go.mod'))) } },
    packageManifests: [{ digest: '', text: '', files }],
  } as unknown as PlannedAction;
}

function write(rel: string, text: string): Sha256 {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
  return hashBytes(text);
}

function seen(rel: string, racy = false): InputObservation {
  return { stat: statIdOf(fs.statSync(path.join(root, rel))), racy };
}

describe('inputGuard', () => {
  write('go.mod', 'module m\n');
  const digest = write('a/a.go', 'package a\n');
  const observed = new Map<string, InputObservation>([
    ['go.mod', seen('go.mod')],
    ['a/a.go', seen('a/a.go')],
  ]);

  it('passes an action whose files are as the plan saw them, trusting a settled stat over the content', () => {
    expect(inputGuard(root, (p) => observed.get(p))(action({ 'a/a.go': digest }))).toBeUndefined();
    // A settled stat is not read again: a wrong digest goes unnoticed (the stat vouches for it)…
    expect(inputGuard(root, (p) => observed.get(p))(action({ 'a/a.go': hashBytes('other') }))).toBeUndefined();
    // …while one taken inside the racy window is, and so is a file the plan kept no stat for.
    const racy = new Map([...observed, ['a/a.go', { ...seen('a/a.go'), racy: true }]]);
    expect(inputGuard(root, (p) => racy.get(p))(action({ 'a/a.go': hashBytes('other') }))).toBe('a/a.go');
    expect(inputGuard(root, () => undefined)(action({ 'a/a.go': hashBytes('other') }))).toBe('a/a.go');
    expect(inputGuard(root, () => undefined)(action({ 'a/a.go': digest }))).toBeUndefined();
  });

  it('names a file written again, even with the same content, and a file gone', () => {
    const before = seen('a/a.go');
    write('a/a.go', 'package a\n');
    const st = fs.statSync(path.join(root, 'a/a.go'));
    // Make sure the rewrite shows in the stat (same size: the times must differ).
    fs.utimesSync(path.join(root, 'a/a.go'), st.atime, new Date(st.mtimeMs + 5000));
    const obs = new Map([...observed, ['a/a.go', before]]);
    expect(inputGuard(root, (p) => obs.get(p))(action({ 'a/a.go': digest }))).toBe('a/a.go');
    expect(inputGuard(root, (p) => obs.get(p))(action({ 'b/gone.go': digest }))).toBe('b/gone.go');
  });

  it('checks go.mod and the PGO profile too', () => {
    write('go.mod', 'module m\n\ngo 1.26\n');
    const guard = inputGuard(root, (p) => observed.get(p));
    expect(guard(action({ 'a/a.go': digest }))).toBe('go.mod');
    const pgo = { ...action({}), manifest: { moduleFiles: {}, pgo: { 'default.pgo': hashBytes('x') } } } as unknown as PlannedAction;
    expect(guard(pgo)).toBe('default.pgo');
  });
});
