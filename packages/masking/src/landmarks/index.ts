export * from './create-landmarker.js';
export { type FaceApi, faceApiModelDir, loadFaceApi } from './face-api.js';
export {
  createFaceFinder,
  FACE_FINDER_PASSES,
  type FaceFinder,
  type FaceFinderOptions,
} from './face-finder.js';
export {
  createFace68Landmarker,
  DEFAULT_FACE68_PASSES,
  type DetectorPass,
  type Face68Options,
  passLabel,
} from './face68.js';
export { createFaceMeshLandmarker, type FaceMeshOptions } from './facemesh.js';
export { FACEMESH_TO_68, mapFaceMeshTo68 } from './facemesh-map.js';
export { padImage } from './pad.js';
export {
  type BoundingBox,
  boxArea,
  boxIou,
  clipBox,
  type DetectedFace,
  type Landmarker,
  type LandmarkerKind,
  type Point2D,
} from './types.js';
