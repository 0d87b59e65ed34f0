/**
 * @mfr/contrastive — MoCo v2 on masked and unmasked faces, browser-safe: the algorithm (queue, momentum key
 * encoder, InfoNCE at temperature 0.2, MLP projection head, shuffled batch norm), SimCLR augmentations, batch
 * planning, the learning-rate schedule and 1-of-N validation. Training runs from folders, with checkpoints on
 * disk, are in `@mfr/contrastive/node`.
 *
 * @example
 * const moco = createMoCo({ backbone: () => createBackbone({ arch: 'resnet18', inputSize: 64 }), queueSize: 4096 });
 */
export { type AugmentOptions, augmentBatch } from './augment/augment_batch.js';
export {
  type ColorJitterOptions,
  colorJitter,
  hsvToRgb,
  imageLuma,
  rgbToHsv,
} from './augment/color_jitter.js';
export {
  gaussianKernel1d,
  type RandomGaussianBlurOptions,
  randomGaussianBlur,
} from './augment/gaussian_blur.js';
export { type RandomGrayscaleOptions, randomGrayscale } from './augment/grayscale.js';
export { type RandomHorizontalFlipOptions, randomHorizontalFlip } from './augment/horizontal_flip.js';
export {
  type CropBox,
  type RandomResizedCropOptions,
  randomResizedCrop,
  sampleCropBox,
} from './augment/random_resized_crop.js';
export {
  type BatchPlan,
  type BatchPlannerOptions,
  createBatchPlanner,
  disposeBatch,
  type ImageLoader,
  type LoadedBatch,
  loadBatch,
  prefetchBatches,
} from './data/batches.js';
export type { PretrainImage } from './data/images.js';
export { contrastiveLogits, infoNceLoss } from './moco/loss.js';
export { createMoCo, type GradientApplier, type MoCo, type MoCoOptions } from './moco/moco.js';
export { copyWeights, type HasWeights, momentumUpdate } from './moco/momentum.js';
export { createProjectionHead } from './moco/projection_head.js';
export { KeyQueue } from './moco/queue.js';
export { forwardShuffledSplit, type ShuffleBnMode, splitSizes } from './moco/shuffle_bn.js';
export { cosineLearningRate, scaledLearningRate } from './train/schedule.js';
export { createSgd, type Sgd, type SgdOptions } from './train/sgd.js';
export {
  buildValidationTrials,
  embeddingSimilarity,
  embedPaths,
  type PretrainTrial,
  type PretrainTrialOptions,
  precisionAtOneOfN,
  type SimilarityKind,
  trialPaths,
} from './train/validation.js';
