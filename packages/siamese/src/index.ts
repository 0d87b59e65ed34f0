/**
 * @mfr/siamese — the Siamese masked-vs-unmasked face matcher, browser-safe: the matcher (`createMatcher`), the
 * shared-backbone model with its distance head and three similarity readouts, frozen GraphModel embedders
 * (faceres, mobileface), ensembles, hard-imposter pair sampling and 1-of-20 validation. Training from folders,
 * checkpoints written to disk, embedding caches and the shipped model's folder are in `@mfr/siamese/node`.
 */
export type { FaceApiDescriber, FaceApiDescriberOptions } from './embedders/faceapi-descriptor.js';
export { createFaceApiDescriber } from './embedders/faceapi-descriptor.js';
export type { GraphEmbedderOptions } from './embedders/graph-embedder.js';
export { createGraphEmbedder } from './embedders/graph-embedder.js';
export type { EmbedderPreset } from './embedders/presets.js';
export { EMBEDDER_PRESETS, presetModelLocation } from './embedders/presets.js';
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
export type { LoadSiameseOptions, SiameseCheckpointInfo } from './model/checkpoint.js';
export {
  loadSiamese,
  loadSiameseEnsemble,
  readSiameseInfo,
  SIAMESE_CHECKPOINT_FILE,
} from './model/checkpoint.js';
export type { EmbedOptions, ImageInput, SimilarityOptions } from './model/embed.js';
export { embed, embedFace, similarity, similarityFromEmbeddings } from './model/embed.js';
export type { CreateEnsembleOptions, SiameseEnsemble } from './model/ensemble.js';
export { createEnsemble, isEnsemble } from './model/ensemble.js';
export { distanceFeatures, distanceToSimilarity, rowDistance, sideFeatures } from './model/features.js';
export type { Readout } from './model/readouts.js';
export { hiddenActivations, parseReadout, READOUTS, readoutSimilarity } from './model/readouts.js';
export type { CreateSiameseOptions, FusedDescriptor, SiameseConfig, SiameseModel } from './model/siamese.js';
export {
  adaptEmbedding,
  createAdapter,
  createHead,
  createSiamese,
  FUSED_DESCRIPTOR_DIMS,
} from './model/siamese.js';
export type { LimitPairDatasetOptions, PairDataset, PairIdentity, Probe } from './pairs/pair-dataset.js';
export { limitPairDataset, probeCount, splitPairDataset } from './pairs/pair-dataset.js';
export type { Pair, PairSampler, PairSamplerOptions, PairScorer } from './pairs/sampler.js';
export { createPairSampler } from './pairs/sampler.js';
export { type Calibration, readCalibration, SHIPPED_MODEL } from './shipped-model.js';
export type { ValidationTrial, ValidationTrialOptions } from './train/validation.js';
export { createValidationTrials, oneOfNPrecision } from './train/validation.js';
