import type { MaskSpec } from '../spec.js';
import { faceFrame } from './frame.js';
import { type LandmarkInput, type Point, toLandmarkPoints } from './landmarks.js';
import { type MaskPolygonOptions, maskPolygon } from './mask-polygon.js';
import { clipToConvex, convexHull, polygonArea } from './polygon.js';

/** How much of a face a mask outline hides (fractions from 0 to 1). */
export interface MaskFaceShare {
  /** Share of the face's outline (the convex hull of the 68 landmarks: jaw, brows) inside the mask. */
  readonly face: number;
  /**
   * Share of the part of that outline between the eye line and the nose tip (landmark 30) inside the mask:
   * the cheeks and nose that one mask leaves and another hides, where the eyes and brows above stay bare.
   */
  readonly eyesToNoseTip: number;
}

/**
 * How much of the face the mask of `spec` hides, from the face's 68 landmarks: a purely geometric measure of how
 * severe a mask style is, the same for every photo of the same face. Styles that hide more leave a matcher less
 * to go on, so compare matchers per style at a known share, not only per style name.
 *
 * Areas are exact polygon areas: the mask outline of `maskPolygon` clipped to the landmarks' convex hull (and
 * to the band between the eye line and the nose tip, in the face's own frame). The image bounds play no part.
 *
 * @example
 * maskFaceShare(landmarks, { shape: 'a' });     // e.g. { face: 0.67, eyesToNoseTip: 0.50 }
 * maskFaceShare(landmarks, { shape: 'round' }); // e.g. { face: 0.48, eyesToNoseTip: 0.06 }
 */
export function maskFaceShare(
  landmarks68: ArrayLike<LandmarkInput>,
  spec: Partial<MaskSpec> = {},
  options: MaskPolygonOptions = {},
): MaskFaceShare {
  const points = toLandmarkPoints(landmarks68, 'maskFaceShare');
  const frame = faceFrame(points);
  // everything in the face frame: u along the eyes, v from the eye line towards the mouth
  const toFace = (polygon: readonly Point[]) => polygon.map((p) => frame.toFace(p));
  const outline = maskPolygon(points, spec, options).slice(0, -1); // open: clipToConvex takes no repeated point
  const mask = toFace(outline);
  const hull = toFace(convexHull(points));
  const us = hull.map((p) => p[0]);
  const [uMin, uMax] = [Math.min(...us) - 1, Math.max(...us) + 1];
  const noseTip = frame.toFace(points[30])[1];
  const band = clipToConvex(hull, [
    [uMin, 0],
    [uMax, 0],
    [uMax, noseTip],
    [uMin, noseTip],
  ]);
  const share = (region: Point[]) => {
    const area = Math.abs(polygonArea(region));
    return area > 0 ? Math.abs(polygonArea(clipToConvex(mask, region))) / area : 0;
  };
  return { face: share(hull), eyesToNoseTip: share(band) };
}
