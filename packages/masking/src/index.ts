/**
 * @mfr/masking — synthetic masks on real faces, browser-safe: 68 landmarks (face-api, or FaceMesh mapped to 68),
 * mask outlines and fabric drawn on a 2D canvas, re-detection to verify the masked face, the manifest format.
 * Folder batch jobs and the manifest on disk are in `@mfr/masking/node`.
 */
export {
  createFailureTally,
  FAILURE_CATEGORIES,
  type FailureCategory,
  type FailureGroup,
  type FailureSummary,
  type FailureTally,
  failureCategory,
} from './batch/failures.js';
export {
  MANIFEST_NAME,
  type ManifestEntry,
  type ManifestFace,
  type ManifestRecord,
  type MaskManifest,
  parseMaskManifest,
  validateManifestLine,
} from './batch/manifest-format.js';
export { imageSeed } from './batch/seed.js';
export { type FaceFrame, faceFrame } from './geometry/frame.js';
export {
  indexRange,
  LANDMARKS_68,
  type LandmarkInput,
  type Point,
  toLandmarkPoints,
} from './geometry/landmarks.js';
export { type MaskFaceShare, maskFaceShare } from './geometry/mask-face-share.js';
export { type MaskPolygonOptions, maskPolygon } from './geometry/mask-polygon.js';
export {
  clipToConvex,
  closePolygon,
  convexHull,
  ellipsePoints,
  pointInPolygon,
  polygonArea,
  quadraticCurve,
} from './geometry/polygon.js';
export { createLandmarker, LANDMARKER_KINDS, type LandmarkerOptions } from './landmarks/create-landmarker.js';
export { type FaceApi, humanModelsLocation, loadFaceApi, loadFaceApiNet } from './landmarks/face-api.js';
export {
  createFaceFinder,
  FACE_FINDER_PASSES,
  FAST_FACE_FINDER_PASSES,
  type FaceFinder,
  type FaceFinderOptions,
} from './landmarks/face-finder.js';
export {
  createFace68Landmarker,
  DEFAULT_FACE68_PASSES,
  type DetectorPass,
  type Face68Options,
  passLabel,
} from './landmarks/face68.js';
export { createFaceMeshLandmarker, type FaceMeshOptions } from './landmarks/facemesh.js';
export { FACEMESH_TO_68, mapFaceMeshTo68 } from './landmarks/facemesh-map.js';
export { padImage } from './landmarks/pad.js';
export {
  type BoundingBox,
  boxArea,
  boxIou,
  clipBox,
  type DetectedFace,
  type Landmarker,
  type LandmarkerKind,
  type Point2D,
} from './landmarks/types.js';
export {
  MASK_STATUSES,
  type MaskedFace,
  type MaskImageOptions,
  type MaskImageResult,
  type MaskImagesOptions,
  type MaskStatus,
  type MaskTimings,
  maskImage,
  maskImages,
} from './mask-image.js';
export { type BrightnessModel, type BrightnessOptions, brightnessModel } from './render/brightness.js';
export type { MaskContext2D } from './render/canvas.js';
export { hexToRgb, hslToRgb, luma, type Rgb, resolveMaskColor, rgbToHex } from './render/color.js';
export { type RenderMaskOptions, type RenderMaskResult, renderMask } from './render/render-mask.js';
export { type FaceBox, paintFabric } from './render/texture.js';
export { assertRgbImage, type BinaryMask, type RgbImage } from './render/types.js';
export {
  DEFAULT_MASK_SPEC,
  MASK_COLORS,
  MASK_COVERAGES,
  MASK_SHAPES,
  MASK_TEXTURES,
  type MaskColor,
  type MaskCoverage,
  type MaskShape,
  type MaskSpec,
  type MaskSpecChoices,
  maskSpecToJSON,
  parseMaskSpec,
  sampleMaskSpec,
} from './spec.js';
export {
  createVerifier,
  DEFAULT_VERIFIER_OPTIONS,
  DEFAULT_VERIFY_PASSES,
  type Verifier,
  type VerifierOptions,
  type VerifyItem,
  type VerifyPass,
  type VerifyResult,
  verifyInputSize,
} from './verify/verifier.js';
