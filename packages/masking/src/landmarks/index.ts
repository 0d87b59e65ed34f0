export * from './create-landmarker.js';
export { DEFAULT_FACE68_PASSES, type DetectorPass, type Face68Options, createFace68Landmarker } from './face68.js';
export { type FaceMeshOptions, createFaceMeshLandmarker } from './facemesh.js';
export { FACEMESH_TO_68, mapFaceMeshTo68 } from './facemesh-map.js';
export { boxArea, boxIou, clipBox, type DetectedFace, type BoundingBox, type Landmarker, type LandmarkerKind, type Point2D } from './types.js';
