/**
 * Backbones: image -> embedding models as tfjs-layers functional models.
 *
 * Input contract (other packages rely on it): NHWC float32 RGB in [0, 1], shape `[batch, inputSize, inputSize, 3]`.
 * Output: the global-average-pooled features, `[batch, embeddingDim]` (projected by a dense layer when
 * `embeddingDim` is given and differs from the pooled width). Layer names are fixed per architecture, so saved
 * weights reload; initial weights depend only on `seed`.
 *
 * @example
 * const model = createBackbone({ arch: 'resnet18', inputSize: 112, widths: [32, 64, 128, 256], seed: 1 });
 * const emb = model.predict(tf.zeros([4, 112, 112, 3])) as tf.Tensor; // [4, 256]
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { registerTrainingGradients } from '../kernels/index.js';
import { buildIResNet, type IRESNET_DEPTHS } from './iresnet.js';
import { buildMobileNetV2 } from './mobilenetv2.js';
import { buildResNet, type RESNET_DEPTHS } from './resnet.js';
import { buildSmallCnn } from './smallcnn.js';
import { BACKBONE_ARCHS, type BackboneOptions } from './types.js';

export type { BatchNormActArgs } from './batch_norm_act.js';
export { BatchNormAct } from './batch_norm_act.js';
export type { GroupNormalizationArgs } from './group_normalization.js';
export { GroupNormalization, groupsFor } from './group_normalization.js';
export type { ImageConv2DArgs } from './image_conv.js';
export { ImageConv2D } from './image_conv.js';
export { DEFAULT_IRESNET_WIDTHS, IRESNET_DEPTHS } from './iresnet.js';
export { MOBILENETV2_STAGES, makeDivisible } from './mobilenetv2.js';
export type { CountParamsOptions } from './params.js';
export { countParams, freezeFraction } from './params.js';
export { DEFAULT_RESNET_WIDTHS, RESNET_DEPTHS } from './resnet.js';
export type { BackboneArch, BackboneOptions, Normalization } from './types.js';
export { BACKBONE_ARCHS } from './types.js';

/** Smallest input side every architecture accepts (total stride 32 leaves 1x1). */
export const MIN_INPUT_SIZE = 32;

/**
 * Builds a backbone. Defaults: `normalization: 'batch'`, `seed: 0`, ResNet widths 64-128-256-512,
 * MobileNetV2 width multiplier 1, embedding = pooled width (no projection). Also installs the faster
 * batch-norm and ReLU gradients (`registerTrainingGradients`, global and idempotent).
 *
 * @example
 * const encoder = createBackbone({ arch: 'resnet50', inputSize: 64, embeddingDim: 128, normalization: 'group' });
 */
export function createBackbone(options: BackboneOptions): tfl.LayersModel {
  if (!BACKBONE_ARCHS.includes(options.arch)) {
    throw new Error(
      `createBackbone: unknown arch "${options.arch}". Use one of: ${BACKBONE_ARCHS.join(', ')}.`,
    );
  }
  if (!Number.isInteger(options.inputSize) || options.inputSize < MIN_INPUT_SIZE) {
    throw new Error(
      `createBackbone: inputSize must be an integer >= ${MIN_INPUT_SIZE} px, got ${options.inputSize}.`,
    );
  }
  if (
    options.normalization != null &&
    options.normalization !== 'batch' &&
    options.normalization !== 'group'
  ) {
    throw new Error(
      `createBackbone: normalization must be 'batch' or 'group', got "${options.normalization}".`,
    );
  }
  // the faster batch-norm and ReLU gradients (same numbers as tfjs-core's) for whichever backend trains it
  registerTrainingGradients();
  switch (options.arch) {
    case 'mobilenetv2':
      return buildMobileNetV2(options);
    case 'smallcnn':
      return buildSmallCnn(options);
    case 'iresnet18':
    case 'iresnet34':
    case 'iresnet50':
    case 'iresnet100':
      return buildIResNet({ ...options, arch: options.arch as keyof typeof IRESNET_DEPTHS });
    default:
      return buildResNet({ ...options, arch: options.arch as keyof typeof RESNET_DEPTHS });
  }
}
