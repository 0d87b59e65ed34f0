/**
 * tfjs-models' face detection packages import MediaPipe's own (non-ESM) runtime for their 'mediapipe' option.
 * This page uses their 'tfjs' runtime only, so the bundle gets this module in its place.
 */
class MediaPipeRuntimeNotBundled {
  constructor() {
    throw new Error("This page bundles the 'tfjs' runtime of tfjs-models, not MediaPipe's own.");
  }
}
export const FaceDetection = MediaPipeRuntimeNotBundled;
export const FaceMesh = MediaPipeRuntimeNotBundled;
