/**
 * FaceMesh (468 points) -> dlib/iBUG 68 points.
 *
 * Index i of {@link FACEMESH_TO_68} is the FaceMesh vertex used for dlib point i. It starts from the widely used
 * MediaPipe-to-dlib correspondence; where that disagreed with face-api's 68-point net (the lower jaw 4-12, a
 * nostril, the inner eye corners) each point was replaced by the FaceMesh vertex nearest to face-api's point on
 * average over 76 LFW faces, keeping left/right mirror pairs. Mean distance to face-api's points after the
 * change: ~0.07 of the outer-eye-corner distance (jaw 0.08-0.17, the rest 0.06-0.10).
 */
import type { Point2D } from './types.js';

export const FACEMESH_TO_68: readonly number[] = Object.freeze([
  // 0-16 jaw, from the subject's right ear (image left) round the chin to the left ear
  127, 234, 93, 132, 138, 136, 150, 176, 152, 400, 379, 365, 367, 361, 323, 454, 356,
  // 17-21 right eyebrow, 22-26 left eyebrow
  71, 63, 105, 66, 107, 336, 296, 334, 293, 300,
  // 27-30 nose bridge to tip, 31-35 nostrils
  168, 197, 5, 4, 75, 99, 2, 328, 305,
  // 36-41 right eye, 42-47 left eye
  33, 160, 158, 173, 153, 144, 398, 385, 387, 263, 373, 380,
  // 48-59 outer lips, 60-67 inner lips
  61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181, 78, 82, 13, 312, 308, 317, 14, 87,
]);

/**
 * Picks the 68 dlib points out of FaceMesh's 468 keypoints.
 *
 * @example
 * const landmarks68 = mapFaceMeshTo68(face.keypoints); // [[x, y], ...] x68
 */
export function mapFaceMeshTo68(keypoints: readonly { x: number; y: number }[]): Point2D[] {
  if (keypoints.length < 468) {
    throw new Error(`mapFaceMeshTo68: expected 468 FaceMesh keypoints, got ${keypoints.length}`);
  }
  return FACEMESH_TO_68.map((i) => [keypoints[i].x, keypoints[i].y]);
}
