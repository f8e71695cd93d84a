export { CONFIG_FILE_NAME, findWorkspaceRoot, loadWorkspace } from './load-workspace.js';
export type { LoadWorkspaceOptions } from './load-workspace.js';
export { ALWAYS_SKIPPED_DIRS, BUILD_FILE_NAME, discoverBuildFiles } from './discover.js';
export { nodeWorkspaceFs } from './fs.js';
export type { EntryKind, WorkspaceFs } from './fs.js';
export { BUILTIN_PROFILES, parseSize } from './config.js';
export { KNOWN_GOARCH, KNOWN_GOOS, checkPlatform } from './platforms.js';
export { gobSchema } from './schema.js';
