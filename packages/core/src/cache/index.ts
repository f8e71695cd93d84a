export type {
  ActionCacheStore,
  ActionOutput,
  ActionResult,
  BlobRef,
  MaterializeOptions,
  PutBlobFromFileOptions,
} from './action-cache-store.js';
export { decodeActionResult, encodeActionResult, isSafeRelativePath } from './action-result-json.js';
export { defaultCacheDir } from './default-cache-dir.js';
export { LocalCache, type CacheStats, type LocalCacheOptions, type TrimResult } from './local-cache.js';
