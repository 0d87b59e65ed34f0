/** Options shared by every backbone builder. */

/** The architectures {@link createBackbone} builds. */
export const BACKBONE_ARCHS = [
  'resnet18',
  'resnet34',
  'resnet50',
  'iresnet18',
  'iresnet34',
  'iresnet50',
  'iresnet100',
  'mobilenetv2',
  'smallcnn',
] as const;
export type BackboneArch = (typeof BACKBONE_ARCHS)[number];

/** Which normalization layer follows each convolution. */
export type Normalization = 'batch' | 'group';

export interface BackboneOptions {
  /** Architecture. */
  arch: BackboneArch;
  /**
   * Side of the square input in pixels. The model takes NHWC float32 RGB in [0, 1]: shape
   * `[batch, inputSize, inputSize, 3]`. No mean/std normalisation happens inside; the first normalization layer
   * absorbs the scale. 32 px and up work for every architecture.
   */
  inputSize: number;
  /**
   * Length of the output embedding. Default: the architecture's pooled width (512 for resnet18/34 with default
   * widths, 2048 for resnet50, 1280 for mobilenetv2, 64 for smallcnn). When given and different, a dense projection
   * (`embedding_projection`, no activation) maps the pooled features to it.
   */
  embeddingDim?: number;
  /**
   * ResNet / IResNet stage widths (4 numbers). Default [64, 128, 256, 512] as in He et al. and ArcFace; bottleneck
   * blocks output 4x.
   */
  widths?: readonly number[];
  /** MobileNetV2 width multiplier. Default 1. */
  widthMultiplier?: number;
  /**
   * 'batch' (default) or 'group' (GroupNormalization with up to 32 groups of at least 4 channels, see groupsFor).
   */
  normalization?: Normalization;
  /** Seed of every initial weight. Default 0. */
  seed?: number | string;
  /**
   * IResNet only: the embedding head. 'pool' (default): global average pooling, then a dense projection when
   * `embeddingDim` is given. 'arcface': BN -> dropout -> flatten -> dense(`embeddingDim`, default 512) -> BN.
   */
  head?: 'pool' | 'arcface';
  /** IResNet only: 'relu' (default) or 'prelu' (per-channel, initial slope 0.25, as InsightFace). */
  activation?: 'relu' | 'prelu';
  /** IResNet only: dropout rate of the 'arcface' head. Default 0. */
  dropout?: number;
  /**
   * IResNet only, with batch normalization: build each BN (+ add + ReLU) as one `BatchNormAct` layer, which trains
   * through TensorFlow's fused batch-norm kernels on tfjs-node (default true), or from tfjs-layers'
   * BatchNormalization, Add and ReLU layers (false). Same weights and numbers either way.
   */
  fusedBatchNorm?: boolean;
}
