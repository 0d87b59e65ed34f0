/** Options shared by every backbone builder. */

/** The architectures {@link createBackbone} builds. */
export const BACKBONE_ARCHS = ['resnet18', 'resnet34', 'resnet50', 'mobilenetv2', 'smallcnn'] as const;
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
  /** ResNet stage widths (4 numbers). Default [64, 128, 256, 512] as in He et al.; bottleneck blocks output 4x. */
  widths?: readonly number[];
  /** MobileNetV2 width multiplier. Default 1. */
  widthMultiplier?: number;
  /**
   * 'batch' (default) or 'group' (GroupNormalization with up to 32 groups of at least 4 channels, see groupsFor).
   */
  normalization?: Normalization;
  /** Seed of every initial weight. Default 0. */
  seed?: number | string;
}
