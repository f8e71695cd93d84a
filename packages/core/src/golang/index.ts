/**
 * gob's model of Go's package graph: toolchain probing, modules (go.work, go.mod, vendoring),
 * file headers and selection rules, embed resolution, and the closure of workspace packages
 * each root needs for one configuration. It agrees with `go list -deps` without running it
 * (graph-vs-golist.test.ts checks that on generated layouts and on examples/monorepo).
 */
export {
  archLevelVariable,
  buildContextFromGoEnv,
  goFailureDiagnostic,
  probeGoEnv,
  standardLibrary,
  type GoEnv,
  type GoFailure,
  type ProbeGoEnvOptions,
  type RunCommand,
  type RunResult,
  type StandardLibrary,
} from './toolchain.js';
export {
  compareGoVersions,
  compareSemver,
  ignoredByModule,
  isLocalModPath,
  parseGoMod,
  parseGoWork,
  parseVendorModules,
  type GoModFile,
  type GoWorkFile,
  type ModFileError,
  type ModReplace,
  type ModRequire,
  type VendoredModule,
  type VendorManifest,
} from './modfile.js';
export {
  mainModuleProblems,
  isSkippedModuleSearchDir,
  loadModules,
  modFlagFromGoFlags,
  type GoModule,
  type GoWorkMode,
  type ImportResolution,
  type LoadModulesOptions,
  type ModFlag,
  type ModuleSet,
  type ModulesIO,
  type UnresolvedCode,
} from './modules.js';
export {
  evalConstraint,
  formatConstraint,
  isGoBuildLine,
  isPlusBuildLine,
  parseConstraintLine,
  parseGoBuildExpr,
  parsePlusBuildExpr,
  type ConstraintExpr,
  type ConstraintParse,
  type ConstraintSyntaxError,
} from './constraint.js';
export {
  parseGoFileHeader,
  parseOtherFileHeader,
  parseSourceFileHeader,
  spanRange,
  type GoEmbedPattern,
  type GoFileHeader,
  type GoImportSpec,
  type SourceSpan,
} from './header.js';
export {
  archFeatureTags,
  classifyPackageFiles,
  evalInContext,
  fileListForExt,
  goodOSArchFile,
  isSourceFileName,
  matchFile,
  nameExt,
  needsHeader,
  releaseTags,
  tagMatcher,
  toolTags,
  type BuildContext,
  type DirFile,
  type MatchResult,
  type OtherFileList,
  type PackageFileError,
  type PackageFileErrorCode,
  type PackageFiles,
  type SourceRef,
  type TagMatcher,
} from './scanner.js';
export { isBadEmbedName, pathMatch, resolveEmbedPatterns, validEmbedPattern, type EmbedError, type MatchOutcome, type ResolvedEmbeds } from './embed.js';
export { nodeGoIO, type GoDirEntry, type GoIO } from './io.js';
export { GO_HEADER_DERIVE, goIOFromHasher, type DerivedHeaderSource, type HasherGoIO } from './hasher-io.js';
export {
  loadGoPackages,
  type GoPackage,
  type GoRootClosure,
  type LoadGoPackagesOptions,
  type LoadGoPackagesRequest,
  type PackageGraph,
} from './graph.js';
export { externalLinkingReason } from './platform.js';
export { goExecName } from './exec-name.js';
export { KNOWN_ARCH, KNOWN_OS, UNIX_OS } from './syslist.js';
export { ccIdentity, probeGoEnvCached, probeIdentity, PROBE_CACHE_VERSION } from './probe-cache.js';
