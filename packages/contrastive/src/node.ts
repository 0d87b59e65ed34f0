/**
 * @mfr/contrastive/node — the Node-only part: pre-training images from dataset folders and their masked copies
 * (the masking manifest), resumable MoCo training with checkpoints on disk, and the exported backbone.
 *
 * @example
 * import { collectPretrainImages, trainMoCo } from '@mfr/contrastive/node';
 */
export {
  type CollectPretrainImagesOptions,
  collectPretrainImages,
  type PretrainImages,
} from './data/images.js';
export {
  type MaskedCopies,
  type MaskedCopy,
  matchMaskedCopies,
  readMaskedCopies,
} from './data/mask_manifest.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointMeta,
  readCheckpoint,
  type TensorIndexEntry,
  writeCheckpoint,
} from './train/checkpoint.js';
export { exportBackbone } from './train/export.js';
export {
  type PretrainOptions,
  type PretrainProgress,
  type PretrainResult,
  trainMoCo,
} from './train/trainer.js';
