/**
 * @mfr/siamese/node — the Node-only part: training from masked dataset folders (pair datasets from the masking
 * manifest, face loading, resumable training with checkpoints and optimizer state on disk), saving models,
 * embedding caches on disk, and the shipped model's folder.
 *
 * @example
 * import { createMatcher } from '@mfr/siamese';
 * import { shippedModelDir } from '@mfr/siamese/node';
 */
export type { EmbeddingCache, EmbeddingCacheOptions } from './embedders/embedding-cache.js';
export { createEmbeddingCache } from './embedders/embedding-cache.js';
export {
  type CombineCheckpointsOptions,
  combineSiameseCheckpoints,
} from './model/combine-checkpoints.js';
export { type SaveSiameseOptions, saveSiamese, saveSiameseEnsemble } from './model/save-siamese.js';
export type { LoadPairDatasetOptions } from './pairs/dataset.js';
export { loadPairDataset, pairDatasetFromManifest } from './pairs/dataset.js';
export type { ManifestProbe, ReadManifestProbesOptions } from './pairs/manifest.js';
export { readManifestProbes } from './pairs/manifest.js';
export { shippedModelDir } from './shipped-model-dir.js';
export type { FaceLoader, FaceLoaderOptions, FaceRef, LandmarkProvider } from './train/faces.js';
export { createFaceLoader } from './train/faces.js';
export type { OptimizerOptions } from './train/optimizer.js';
export { createOptimizer, loadOptimizerState, saveOptimizerState } from './train/optimizer.js';
export type { TrainSiameseOptions, TrainSiameseResult, ValidationLogEntry } from './train/trainer.js';
export { trainSiamese } from './train/trainer.js';
