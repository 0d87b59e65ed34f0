/**
 * @mfr/siamese — Siamese masked-vs-unmasked face matcher: shared backbone, symmetric distance head, three
 * similarity readouts, hard-imposter pair sampling, training with 1-of-20 validation, checkpoints, ensembles,
 * and frozen GraphModel embedders (faceres, mobileface) with a trainable head.
 */

// alignment points live in @mfr/core next to alignFace; re-exported for existing users of this package
export type { Point2 as Point } from '@mfr/core';
export { fivePointsFrom68 } from '@mfr/core';
export type { EmbeddingCache, EmbeddingCacheOptions } from './embedders/embedding-cache.js';
export { createEmbeddingCache } from './embedders/embedding-cache.js';
export type { GraphEmbedderOptions } from './embedders/graph-embedder.js';
export { createGraphEmbedder } from './embedders/graph-embedder.js';
export type { EmbedderPreset } from './embedders/presets.js';
export { EMBEDDER_PRESETS, presetModelPath } from './embedders/presets.js';
export type { Embedder, EmbedderPresetName, EmbedderSpec } from './embedders/types.js';
export type { MatcherOptions } from './matcher/create-matcher.js';
export { createMatcher } from './matcher/create-matcher.js';
export type { MatcherInput } from './matcher/inputs.js';
export { toRgbImage } from './matcher/inputs.js';
export type {
  DecisionOptions,
  EnrolledFace,
  FaceInfo,
  FaceOptions,
  IdentifyMatch,
  Matcher,
  MatcherInfo,
  MatcherThreshold,
  MatcherTimings,
  NoFaceReason,
  ReferenceInput,
  Verification,
} from './matcher/types.js';
export type { SiameseCheckpointInfo } from './model/checkpoint.js';
export { loadSiamese, readSiameseInfo, SIAMESE_CHECKPOINT_FILE, saveSiamese } from './model/checkpoint.js';
export type { EmbedOptions, ImageInput, SimilarityOptions } from './model/embed.js';
export { embed, similarity, similarityFromEmbeddings } from './model/embed.js';
export type { SiameseEnsemble } from './model/ensemble.js';
export { createEnsemble } from './model/ensemble.js';
export {
  distanceFeatures,
  distanceToSimilarity,
  l2Normalize,
  rowDistance,
  sideFeatures,
} from './model/features.js';
export type { Readout } from './model/readouts.js';
export { hiddenActivations, parseReadout, READOUTS, readoutSimilarity } from './model/readouts.js';
export type { CreateSiameseOptions, SiameseConfig, SiameseModel } from './model/siamese.js';
export { createHead, createSiamese } from './model/siamese.js';
export type {
  LimitPairDatasetOptions,
  LoadPairDatasetOptions,
  PairDataset,
  PairIdentity,
  Probe,
} from './pairs/dataset.js';
export {
  limitPairDataset,
  loadPairDataset,
  pairDatasetFromManifest,
  probeCount,
  splitPairDataset,
} from './pairs/dataset.js';
export type { ManifestEntry, ReadManifestOptions } from './pairs/manifest.js';
export { readMaskManifest } from './pairs/manifest.js';
export type { Pair, PairSampler, PairSamplerOptions, PairScorer } from './pairs/sampler.js';
export { createPairSampler } from './pairs/sampler.js';
export { type Calibration, readCalibration, SHIPPED_MODEL, shippedModelDir } from './shipped-model.js';
export type { FaceLoader, FaceLoaderOptions, FaceRef, LandmarkProvider } from './train/faces.js';
export { createFaceLoader } from './train/faces.js';
export type { OptimizerOptions } from './train/optimizer.js';
export { createOptimizer, loadOptimizerState, saveOptimizerState } from './train/optimizer.js';
export type { TrainSiameseOptions, TrainSiameseResult, ValidationLogEntry } from './train/trainer.js';
export { trainSiamese } from './train/trainer.js';
export type { ValidationTrial, ValidationTrialOptions } from './train/validation.js';
export { createValidationTrials, oneOfNPrecision } from './train/validation.js';
