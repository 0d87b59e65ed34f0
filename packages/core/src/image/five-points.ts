// 68-point landmarks -> the 5 points face alignment (alignFace) uses.
import type { Point2 } from './align.js';

/**
 * Mean of the landmarks `from`..`to` (inclusive), e.g. an eye centre from iBUG points 36-41.
 *
 * @example
 * const leftEye = meanPoint(landmarks68, 36, 41);
 */
export function meanPoint(points: readonly Point2[], from: number, to: number): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) {
    x += points[i][0];
    y += points[i][1];
  }
  const n = to - from + 1;
  return [x / n, y / n];
}

/**
 * The ArcFace 5 points from iBUG 68-point landmarks (0-based): left eye centre = mean of 36-41, right eye
 * centre = mean of 42-47, nose tip 30, left mouth corner 48, right mouth corner 54 ("left" = image left).
 *
 * @example
 * const five = fivePointsFrom68(face.landmarks68);
 * const aligned = alignFace(image, five, { size: 112 });
 */
export function fivePointsFrom68(landmarks68: readonly Point2[]): [number, number][] {
  if (landmarks68.length !== 68) {
    throw new Error(`fivePointsFrom68: expected 68 landmarks, got ${landmarks68.length}`);
  }
  return [
    meanPoint(landmarks68, 36, 41),
    meanPoint(landmarks68, 42, 47),
    [landmarks68[30][0], landmarks68[30][1]],
    [landmarks68[48][0], landmarks68[48][1]],
    [landmarks68[54][0], landmarks68[54][1]],
  ];
}
