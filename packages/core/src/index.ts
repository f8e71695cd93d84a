/**
 * @gob/core — gob's engine. It reads the workspace, models Go's package graph, hashes inputs into
 * action keys, keeps the action cache and runs go. It never prints: progress is reported as
 * events (events.ts), problems as diagnostics.
 */
export * from './types.js';
export * from './diagnostics.js';
export * from './events.js';
export * from './util/result.js';
export * from './util/unreachable.js';
export * from './util/fs-paths.js';
export { build, clean, openWorkspace, cacheDirFor, ensureGitignore, type BuildOptions, type BuildOutcome, type EngineOptions, type LoadedWorkspace } from './engine.js';
export { initWorkspace, type InitOptions, type InitResult } from './init/init-workspace.js';
export { planBuild, DEFAULT_PROFILE, type BuildPlan, type PlannedAction, type PlanRequest } from './actions/plan.js';
export { actionKey, KEY_SCHEMA_VERSION, type KeyManifest } from './actions/key.js';
export { binaryOutputPath, OUT_DIR } from './actions/outputs.js';
export { runBuild, type RunBuildOptions, type RunBuildResult } from './exec/run-build.js';
export { spawnProcess, type SpawnFn, type SpawnRequest, type SpawnResult } from './exec/spawn.js';
export * from './workspace/index.js';
export * from './labels/index.js';
export * from './hashing/index.js';
export * from './cache/index.js';
export * as golang from './golang/index.js';
