export { canonicalJson, CanonicalJsonError, sha256Canonical } from './canonical-json.js';
export {
  DEFAULT_RACY_WINDOW_MS,
  type AnsweredFile,
  describeHashFailure,
  FileHasher,
  HashFileError,
  type DeriveSpec,
  type Derived,
  type FileHasherOptions,
  type FileHasherStats,
  type HashFailure,
  type StatCacheSaveFailure,
} from './file-hasher.js';
export { hashBytes, hashFileStreaming, isSha256 } from './hash-bytes.js';
export { nodeHasherFs, type HasherFs, type HasherStat } from './hasher-fs.js';
export { STAT_CACHE_FORMAT, STAT_CACHE_VERSION } from './stat-cache-file.js';
export { olderThanRacyWindow, statKeyOf, type StatLike } from './stat-key.js';
