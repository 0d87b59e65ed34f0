/**
 * @mfr/core/node — the Node-only part: image files (sharp), model files and atomic writes on disk, dataset
 * folders. Use it beside the browser-safe `@mfr/core`.
 *
 * @example
 * import { initBackend, toBatch } from '@mfr/core';
 * import { readImage, scanDataset } from '@mfr/core/node';
 */
export { type ScanDatasetOptions, scanDataset } from './dataset/scan.js';
export { type ImageBatch, type StreamImageBatchesOptions, streamImageBatches } from './dataset/stream.js';
export { readImagePixels } from './image/decode-file.js';
export { type ReadImageOptions, readImage } from './image/read.js';
export { type WriteImageOptions, writeImage } from './image/write.js';
export {
  tempPathFor,
  type WriteFolderAtomicOptions,
  writeFileAtomic,
  writeFilesAtomic,
  writeFolderAtomic,
} from './io/atomic.js';
export {
  cacheAttemptPath,
  cacheShardFiles,
  cacheShardFolder,
  listCacheFiles,
  type MergedCache,
  mergeJsonlCacheShards,
  readCacheLines,
} from './io/cache-shards.js';
export { fileSystemHandler, type ModelPaths, resolveModelPaths } from './io/file_system_handler.js';
export { type JsonlCache, type OpenJsonlCacheOptions, openJsonlCache } from './io/jsonl-cache.js';
export {
  loadGraphModelFromDisk,
  loadLayersModelFromDisk,
  type SaveLayersModelOptions,
  saveLayersModelToDisk,
} from './io/models.js';
