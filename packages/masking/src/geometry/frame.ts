import { meanPoint } from '@mfr/core';
import type { Point } from './landmarks.js';

/**
 * The face's own coordinate frame, so that masks follow tilted and rotated faces.
 *
 * Origin: the midpoint of the two eye centres. u axis: along the eye line, from the centre of eye
 * 36-41 to the centre of eye 42-47. v axis: perpendicular to it, pointing from the eyes towards the
 * mouth (taken from the landmarks, not from a fixed handedness, so mirrored landmarks still work).
 * Units stay pixels (no scaling), so distances in the frame are image distances.
 */
export interface FaceFrame {
  readonly origin: Point;
  /** Unit vector of the u axis in image coordinates. */
  readonly uAxis: Point;
  /** Unit vector of the v axis in image coordinates. */
  readonly vAxis: Point;
  /** Distance between the eye centres in pixels (the scale for every offset). */
  readonly interocular: number;
  /** Image point -> [u, v]. */
  toFace(p: Point): Point;
  /** [u, v] -> image point. */
  toImage(q: Point): Point;
}

/**
 * Builds the face frame from 68 validated landmarks.
 *
 * @example
 * const frame = faceFrame(points);
 * const [u, v] = frame.toFace(points[30]); // nose tip: u near 0, v about 0.6 x interocular
 */
export function faceFrame(points: readonly Point[]): FaceFrame {
  const right = meanPoint(points, 36, 41);
  const left = meanPoint(points, 42, 47);
  const origin: Point = [(right[0] + left[0]) / 2, (right[1] + left[1]) / 2];
  let ux = left[0] - right[0];
  let uy = left[1] - right[1];
  const interocular = Math.hypot(ux, uy);
  if (!(interocular > 1e-6)) {
    throw new Error(
      'faceFrame: the two eye centres (landmarks 36-41 and 42-47) coincide; the landmarks are degenerate',
    );
  }
  ux /= interocular;
  uy /= interocular;
  // v: towards the mouth, orthogonal to u
  const mouth = meanPoint(points, 48, 67);
  const dx = mouth[0] - origin[0];
  const dy = mouth[1] - origin[1];
  const along = dx * ux + dy * uy;
  let vx = dx - along * ux;
  let vy = dy - along * uy;
  const vLen = Math.hypot(vx, vy);
  if (!(vLen > 1e-6)) {
    throw new Error(
      'faceFrame: the mouth (landmarks 48-67) lies on the eye line; the landmarks are degenerate',
    );
  }
  vx /= vLen;
  vy /= vLen;
  return {
    origin,
    uAxis: [ux, uy],
    vAxis: [vx, vy],
    interocular,
    toFace(p) {
      const px = p[0] - origin[0];
      const py = p[1] - origin[1];
      return [px * ux + py * uy, px * vx + py * vy];
    },
    toImage(q) {
      return [origin[0] + q[0] * ux + q[1] * vx, origin[1] + q[0] * uy + q[1] * vy];
    },
  };
}
