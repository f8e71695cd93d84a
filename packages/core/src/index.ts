/**
 * @gob/core — gob's engine. It reads the workspace, models Go's package graph, hashes inputs into
 * action keys, keeps the action cache and runs go. It never prints: progress is reported as
 * events (events.ts), problems as diagnostics.
 *
 * This entry point is what the CLI and the reporters use, and it is kept light: importing it
 * loads the event contract, the engine's entry points and what a build from a plan snapshot
 * needs — not the YAML parser, the schema or the Go model, which the engine loads when
 * it has to plan (a no-op build never does). The internals are exported from `@gob/core/internals`.
 */
export * from './types.js';
export * from './diagnostics.js';
export * from './events.js';
export * from './util/result.js';
export * from './util/unreachable.js';
export * from './util/fs-paths.js';
export { build, clean, openWorkspace, cacheDirFor, ensureGitignore, type BuildOptions, type ChangeHints, type BuildOutcome, type EngineOptions, type LoadedWorkspace } from './engine.js';
export { initWorkspace, type InitOptions, type InitResult } from './init.js';
export { actionKey, KEY_SCHEMA_VERSION, type KeyManifest } from './actions/key.js';
export { binaryOutputPath, OUT_DIR } from './actions/outputs.js';
export { flushSnapshots } from './snapshot/format.js';
export { CONFIG_FILE_NAME, findWorkspaceRoot } from './workspace/root.js';
export type { BuildPlan, PlannedAction, PlanRequest } from './actions/plan.js';
export type { PlanSnapshot } from './snapshot/format.js';
