/**
 * @mfr/masking/node — the Node-only part: masking whole folders (`maskDataset`, worker processes, resumable
 * manifest on disk), image walks, stale temp files, and where the face models are installed.
 *
 * @example
 * import { maskDataset } from '@mfr/masking/node';
 * const result = await maskDataset('faces', 'faces-masked', { shape: 'wide' }, { workers: 2 });
 */
export {
  appendManifest,
  dropTornTail,
  manifestFileOf,
  type ReadMaskManifestOptions,
  readMaskManifest,
  readMaskManifestSync,
} from './batch/manifest.js';
export {
  type StreamMaskManifestOptions,
  streamMaskManifest,
} from './batch/manifest-stream.js';
export {
  type MaskCounts,
  type MaskDatasetOptions,
  type MaskDatasetResult,
  type MaskProgress,
  maskDataset,
} from './batch/mask-dataset.js';
export {
  BATCH_PIXEL_BUDGET,
  maskPathFor,
  outputPathFor,
  type StageTimings,
} from './batch/process-images.js';
export {
  attemptManifestPath,
  countShardImages,
  listShardFolders,
  type MergeMaskShardsOptions,
  type MergeMaskShardsResult,
  mergeMaskShards,
  preferRecord,
  readShardRecords,
  readShardStart,
  SHARDS_FOLDER,
  type ShardDone,
  shardFolder,
  startShardFolder,
  writeShardDone,
} from './batch/shards.js';
export {
  isStaleTempFile,
  type RemoveStaleTempFilesOptions,
  removeStaleTempFiles,
} from './batch/stale-temps.js';
export { countImages, type WalkOptions, walkImages } from './batch/walk.js';
export { faceApiModelDir, humanModelsDir } from './landmarks/model-dirs.js';
