/**
 * gob's engine internals — the workspace loader, labels, the Go model, hashing, the cache, the
 * planner and the executor — for tools and tests that compose them differently from `build()`.
 * Importing this loads all of it; the CLI uses `@gob/core` instead.
 */
export { planBuild, DEFAULT_PROFILE, type BuildPlan, type PlannedAction, type PlanRequest } from './actions/plan.js';
export { runBuild, type RunBuildOptions, type RunBuildResult } from './exec/run-build.js';
export { spawnProcess, type SpawnFn, type SpawnRequest, type SpawnResult } from './exec/spawn.js';
export * from './workspace/index.js';
export * from './labels/index.js';
export * from './hashing/index.js';
export * from './cache/index.js';
export * as golang from './golang/index.js';
