/**
 * 68-point landmarks in the iBUG / dlib indexing: 0-16 jaw (0 at the subject's right ear, 8 the chin),
 * 17-26 brows, 27-30 nose bridge (30 the tip), 31-35 nose bottom (33 under the tip), 36-41 the subject's
 * right eye, 42-47 the left eye, 48-67 mouth (48-59 outer lip, 60-67 inner lip).
 */

/** A point in image pixel coordinates (x right, y down). */
export type Point = readonly [number, number];

/** What callers may pass as one landmark: `[x, y]` or an object with `x` and `y` (face-api's points). */
export type LandmarkInput = readonly [number, number] | { readonly x: number; readonly y: number };

/** Named index ranges of the 68-point scheme. */
export const LANDMARKS_68 = Object.freeze({
  jaw: [0, 16],
  rightBrow: [17, 21],
  leftBrow: [22, 26],
  noseBridge: [27, 30],
  noseBottom: [31, 35],
  rightEye: [36, 41],
  leftEye: [42, 47],
  outerLip: [48, 59],
  innerLip: [60, 67],
  chin: 8,
  noseTip: 30,
  subnasale: 33,
} as const);

/**
 * Indices from `from` to `to` inclusive.
 *
 * @example
 * indexRange(...LANDMARKS_68.noseBridge); // [27, 28, 29, 30]
 */
export function indexRange(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/**
 * Validates 68 landmarks and returns them as `[x, y]` tuples.
 *
 * Throws when the count is not 68 (the message names the count it got) or a coordinate is not finite.
 *
 * @example
 * const pts = toLandmarkPoints(face.landmarks.positions); // face-api {x, y} objects -> [x, y][]
 */
export function toLandmarkPoints(landmarks: ArrayLike<LandmarkInput>, caller = 'landmarks'): Point[] {
  if (landmarks == null || typeof landmarks.length !== 'number') {
    throw new Error(`${caller}: expected an array of 68 [x, y] points, got ${String(landmarks)}`);
  }
  if (landmarks.length !== 68) {
    throw new Error(
      `${caller}: expected 68 landmarks (iBUG/dlib 68-point indexing), got ${landmarks.length}; ` +
        'pass the 68-point output of the landmark model',
    );
  }
  const out: Point[] = [];
  for (let i = 0; i < 68; i++) {
    const p = landmarks[i];
    const x = Array.isArray(p) ? p[0] : (p as { x: number }).x;
    const y = Array.isArray(p) ? p[1] : (p as { y: number }).y;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(`${caller}: landmark ${i} is not a finite [x, y] point: ${JSON.stringify(p)}`);
    }
    out.push([x, y]);
  }
  return out;
}
