/**
 * @mfr/core — the browser-safe part: backends, backbones, wasm training kernels, image tensors and face
 * alignment, models from URLs or IOHandlers, datasets as data, seeded randomness. Files on disk, sharp
 * decoding and dataset folders are in `@mfr/core/node`.
 */
export {
  BACKBONE_ARCHS,
  type BackboneArch,
  type BackboneOptions,
  BatchNormAct,
  type BatchNormActArgs,
  type CountParamsOptions,
  countParams,
  createBackbone,
  DEFAULT_IRESNET_WIDTHS,
  DEFAULT_RESNET_WIDTHS,
  freezeFraction,
  GroupNormalization,
  type GroupNormalizationArgs,
  groupsFor,
  ImageConv2D,
  type ImageConv2DArgs,
  IRESNET_DEPTHS,
  MIN_INPUT_SIZE,
  MOBILENETV2_STAGES,
  makeDivisible,
  type Normalization,
  RESNET_DEPTHS,
} from './backbones/index.js';
export {
  BACKEND_PREFERENCE,
  type BackendName,
  type BackendSelection,
  currentBackend,
  type InitBackendOptions,
  initBackend,
  normalizeBackendName,
} from './backend.js';
export {
  type ValidationHoldout,
  type ValidationHoldoutOptions,
  validationHoldout,
} from './dataset/holdout.js';
export { DEFAULT_IMAGE_EXTENSIONS, isImageFile } from './dataset/image-extensions.js';
export { naturalCompare } from './dataset/natural_compare.js';
export { filterMinImages, imageCount, iterateImages } from './dataset/query.js';
export { type SplitOptions, splitByIdentity } from './dataset/split.js';
export type { Dataset, DatasetIdentity, ImageItem } from './dataset/types.js';
export {
  type AlignFaceOptions,
  ARCFACE_TEMPLATE_112,
  alignFace,
  applyTransform,
  centreBox,
  estimateSimilarityTransform,
  type Point2,
  type SimilarityTransform,
  type SquareBox,
  templateInBox,
  warpAffineByGather,
} from './image/align.js';
export { type ToBatchOptions, toBatch } from './image/batch.js';
export { decodeImage, readImageFrom } from './image/decode-image.js';
export { fivePointsFrom68, meanPoint } from './image/five-points.js';
export { decodeNetpbm, isNetpbm } from './image/netpbm.js';
export { type PageContext2D, pageContext2D } from './image/page-canvas.js';
export { pixelsToTensor } from './image/pixels-to-tensor.js';
export { centerCrop, cropAndResize, type PixelBox, type ResizeOptions, resizeImage } from './image/resize.js';
export { rgbFromPixels } from './image/rgb-from-pixels.js';
export {
  type DecodeOptions,
  type Pixels,
  type RgbPixels,
  type Size2D,
  toHeightWidth,
} from './image/types.js';
export { float16Bits, withFloat16Weights } from './io/float16.js';
export {
  joinLocation,
  loadGraphModelFrom,
  loadLayersModelFrom,
  type ModelSource,
  readJsonFrom,
  toIOHandler,
} from './io/model-source.js';
export { expectedGroupBytes, weightEntryBytes } from './io/weight_bytes.js';
export {
  type BatchNormTrainingOptions,
  type BatchNormTrainingResult,
  batchNormGradConfig,
  batchNormTraining,
  batchNormTrainingComposite,
  batchNormTrainingPlain,
  conv2dBackpropFilterWasm,
  conv2dBackpropInputWasm,
  depthwiseConv2dBackpropFilterWasm,
  depthwiseConv2dBackpropInputWasm,
  type NativeBatchNormTraining,
  type NativeTensorFlowOps,
  nativeTensorFlow,
  registerBatchNormGradient,
  registerReluGradient,
  registerTrainingGradients,
  registerWasmTrainingKernels,
  reluGradConfig,
  WASM_TRAINING_KERNELS,
} from './kernels/index.js';
export { l2Normalize } from './ops/l2-normalize.js';
export { isWebUrl } from './platform/types.js';
export { createRng, type Rng, type RngState } from './rng.js';
export {
  formatShard,
  inShard,
  parseShard,
  posixRelative,
  resolveShard,
  type Shard,
  type ShardEnv,
  shardFromEnv,
  shardOf,
  shardSlug,
  stableHash32,
} from './shard/shard.js';
export { yieldToEventLoop } from './yield.js';
