/**
 * createSnapshot refuses a plan it could not give back exactly. The planner and the hasher agree
 * in every real plan, so the disagreements are made by altering a real plan of
 * examples/monorepo (with the real go) after the fact.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageManifest } from '../actions/key.js';
import { planBuild, type BuildPlan, type PlannedAction } from '../actions/plan.js';
import { openWorkspace } from '../build-fresh.js';
import { GO_HEADER_DERIVE, goIOFromHasher } from '../golang/hasher-io.js';
import { nodeGoIO } from '../golang/io.js';
import { loadModules } from '../golang/modules.js';
import { FileHasher } from '../hashing/file-hasher.js';
import { resolvePatterns } from '../labels/resolve.js';
import type { Sha256 } from '../types.js';
import { createSnapshot, type SnapshotInputs } from './create.js';
import { ObservationRecorder } from './observations.js';
import { recordingGoIO, recordingModulesIO } from './recording-io.js';

const EXAMPLE = fileURLToPath(new URL('../../../../examples/monorepo/', import.meta.url));
const dirs: string[] = [];
let inputs: SnapshotInputs;

afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

/** Plans //... of a copy of the example the way a build from scratch does, recording what it read. */
beforeAll(async () => {
  const ws = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-create-'));
  const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gob-create-cache-'));
  dirs.push(ws, cacheDir);
  await fs.cp(EXAMPLE, ws, { recursive: true, filter: (p) => !p.split(path.sep).includes('gob-out') });
  const root = await fs.realpath(ws);
  const rec = new ObservationRecorder(root);
  const loaded = await openWorkspace({ cwd: root, recorder: rec });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const { workspace } = loaded.value;
  const resolved = resolvePatterns(workspace, ['//...'], '');
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.error));
  const targets = resolved.value.filter((t) => t.kind === 'go_binary');
  const hasher = new FileHasher({ root, derive: GO_HEADER_DERIVE });
  const disk = nodeGoIO(root);
  const planned = await planBuild({
    workspace,
    targets,
    profile: 'default',
    modules: (mode) => loadModules(root, { ...mode, io: recordingModulesIO(rec) }),
    hasher,
    goIO: goIOFromHasher(root, hasher, recordingGoIO(rec, (p) => disk.readHeader(p))),
    env: process.env,
    probeCacheDir: cacheDir,
  });
  if (!planned.ok) throw new Error(JSON.stringify(planned.error));
  const plan = planned.value;
  if (plan.provenance === undefined) throw new Error('no provenance');
  inputs = {
    request: 'test',
    root,
    cacheDir,
    maxSizeBytes: undefined,
    targets: targets.map((t) => t.label),
    plan,
    provenance: plan.provenance.actions,
    recorder: rec,
    hashed: hasher.answered(),
    tools: [],
    outputs: [],
    now: Date.now(),
    wholeListingDirs: plan.provenance.wholeListingDirs,
  };
});

/** `inputs` with the first package manifest of the first action replaced by `alter(its files)`. */
function withFirstManifest(alter: (files: Record<string, Sha256>) => Record<string, Sha256>): SnapshotInputs {
  const [first, ...rest] = inputs.plan.actions;
  if (first === undefined) throw new Error('no actions');
  const [m, ...others] = first.packageManifests;
  if (m === undefined) throw new Error('no package manifests');
  const altered = packageManifest(alter({ ...m.files }));
  // The key manifest names the altered digest, as a planner that made it would have.
  const dir = Object.keys(first.manifest.packages).find((d) => first.manifest.packages[d] === m.digest) ?? '';
  const action: PlannedAction = {
    ...first,
    manifest: { ...first.manifest, packages: { ...first.manifest.packages, [dir]: altered.digest } },
    packageManifests: [altered, ...others],
  };
  const plan: BuildPlan = { ...inputs.plan, actions: [action, ...rest] };
  return { ...inputs, plan };
}

describe('createSnapshot', () => {
  it('makes a snapshot of a real plan', () => {
    const made = createSnapshot(inputs);
    expect(made.ok ? made.snapshot.actions.length : made.reason).toBe(inputs.plan.actions.length);
  });

  it('refuses a plan whose package manifest lists a digest the hasher did not give', () => {
    const made = createSnapshot(withFirstManifest((files) => Object.fromEntries(Object.keys(files).map((f) => [f, '0'.repeat(64) as Sha256]))));
    expect(made).toMatchObject({ ok: false, reason: expect.stringContaining('does not rebuild the manifest of package') as unknown });
  });

  it('refuses a plan whose package manifest lists a file more or less than its package has', () => {
    const more = createSnapshot(withFirstManifest((files) => ({ ...files, 'nowhere/extra.go': '1'.repeat(64) as Sha256 })));
    expect(more).toMatchObject({ ok: false, reason: expect.stringContaining('does not rebuild the manifest of package') as unknown });
    const fewer = createSnapshot(withFirstManifest((files) => Object.fromEntries(Object.entries(files).slice(1))));
    expect(fewer).toMatchObject({ ok: false, reason: expect.stringContaining('does not rebuild the manifest of package') as unknown });
  });
});
