/**
 * One image in, one masked image out: detect -> 68 landmarks -> draw the mask -> re-detect to verify.
 */
import type { BoundingBox, DetectedFace, Landmarker, Point2D } from './landmarks/types.js';
import { renderMask } from './render/render-mask.js';
import type { BinaryMask, RgbImage } from './render/types.js';
import { type MaskSpec, parseMaskSpec } from './spec.js';
import type { Verifier } from './verify/verifier.js';

/** Outcome of masking one image. */
export type MaskStatus = 'masked' | 'no-face' | 'not-verified' | 'error';

/** The statuses, in the order reports list them. */
export const MASK_STATUSES: readonly MaskStatus[] = Object.freeze([
  'masked',
  'no-face',
  'not-verified',
  'error',
]);

export interface MaskImageOptions {
  /** Finds faces and landmarks. Required unless `landmarks` is given. */
  readonly landmarker?: Landmarker;
  /** Re-detects the masked faces. Without one, drawn masks count as `masked` unchecked (`verified: null`). */
  readonly verifier?: Verifier | null;
  /** Seed of the random mask details (colour `random`, texture). Default 0. Face i > 0 uses `${seed}/${i}`. */
  readonly seed?: number | string;
  /** Mask only the largest face, or every face found. Default `'largest'`. */
  readonly faces?: 'largest' | 'all';
  /**
   * Known 68-point landmarks (one face `[[x, y] x68]` or several): detection is skipped, e.g. for pre-aligned
   * crops or landmarks from your own detector.
   */
  readonly landmarks?: readonly Point2D[] | readonly (readonly Point2D[])[];
}

/** One masked face. */
export interface MaskedFace extends DetectedFace {
  /** The mask outline that was filled (image pixels). */
  readonly polygon: [number, number][];
  /** The mask's base colour `#rrggbb`. */
  readonly color: string;
  /** Re-detection result: true/false, or null when no verifier was given. */
  readonly verified: boolean | null;
  /** Score and IoU of the best re-detection (0 when nothing was found or not verified). */
  readonly verifyScore: number;
  readonly verifyIou: number;
}

/** Per-stage milliseconds of one `maskImage` call. */
export interface MaskTimings {
  detect: number;
  render: number;
  verify: number;
}

export interface MaskImageResult {
  readonly status: MaskStatus;
  /** The masked image (for `masked` and `not-verified`; batch jobs discard `not-verified`). */
  readonly image?: RgbImage;
  /** Union of the drawn masks: 255 inside, 0 outside. */
  readonly mask?: BinaryMask;
  /** Faces that were masked (empty for `no-face` and most errors). */
  readonly faces: MaskedFace[];
  /** Why the status is `error`, `no-face` or `not-verified`. */
  readonly reason?: string;
  /** Total milliseconds. */
  readonly ms: number;
  readonly timings: MaskTimings;
}

// a face box around known landmarks (what a detector would report: the landmarks' bounding box)
function boxOfLandmarks(points: readonly Point2D[]): BoundingBox {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function givenFaces(landmarks: NonNullable<MaskImageOptions['landmarks']>): DetectedFace[] {
  const sets = (
    Array.isArray(landmarks[0]?.[0]) ? landmarks : [landmarks]
  ) as readonly (readonly Point2D[])[];
  return sets.map((set, i) => {
    if (set.length !== 68)
      throw new Error(`maskImage: landmarks[${i}] has ${set.length} points; expected 68 (dlib/iBUG order)`);
    const points = set.map(([x, y]): Point2D => [x, y]);
    return { box: boxOfLandmarks(points), score: 1, landmarks68: points };
  });
}

/**
 * Masks the largest face (or all faces) of an image and verifies each mask by re-detection.
 * Never throws for a bad image or a model failure: the result has status `error` and the reason.
 * Statuses: `masked` (drawn and re-detected), `no-face` (no face in the original), `not-verified` (drawn, but
 * the masked face is no longer detected: the paper discards these), `error`.
 *
 * @example
 * const landmarker = await createLandmarker();
 * const verifier = await createVerifier();
 * const r = await maskImage(await readImagePixels('face.jpg'), { shape: 'wide' }, { landmarker, verifier, seed: 1 });
 * if (r.status === 'masked') await writeImage('masked.jpg', r.image);
 */
export async function maskImage(
  image: RgbImage,
  spec: Partial<MaskSpec> = {},
  options: MaskImageOptions = {},
): Promise<MaskImageResult> {
  const start = performance.now();
  const timings: MaskTimings = { detect: 0, render: 0, verify: 0 };
  const done = (r: Omit<MaskImageResult, 'ms' | 'timings'>): MaskImageResult => ({
    ...r,
    ms: performance.now() - start,
    timings,
  });
  try {
    const full = parseMaskSpec(spec);
    let found: DetectedFace[];
    let t = performance.now();
    if (options.landmarks) {
      found = givenFaces(options.landmarks);
    } else {
      if (!options.landmarker)
        throw new Error('maskImage: pass a landmarker (createLandmarker()) or known landmarks');
      found = await options.landmarker.detect(image);
    }
    timings.detect = performance.now() - t;
    if (found.length === 0)
      return done({ status: 'no-face', faces: [], reason: 'no face found in the original image' });
    const targets = options.faces === 'all' ? found : found.slice(0, 1);

    t = performance.now();
    const seed = options.seed ?? 0;
    let current = image;
    let union: Uint8Array | null = null;
    const drawn: Omit<MaskedFace, 'verified' | 'verifyScore' | 'verifyIou'>[] = [];
    for (let i = 0; i < targets.length; i++) {
      const r = renderMask(current, targets[i].landmarks68, full, { seed: i === 0 ? seed : `${seed}/${i}` });
      current = r.image;
      if (union === null) union = new Uint8Array(r.mask.data);
      else for (let p = 0; p < union.length; p++) union[p] |= r.mask.data[p];
      drawn.push({
        ...targets[i],
        polygon: r.polygon.map(([x, y]): [number, number] => [x, y]),
        color: r.color,
      });
    }
    timings.render = performance.now() - t;
    const mask: BinaryMask = { data: union as Uint8Array, width: image.width, height: image.height };

    t = performance.now();
    const faces: MaskedFace[] = [];
    for (const face of drawn) {
      if (!options.verifier) {
        faces.push({ ...face, verified: null, verifyScore: 0, verifyIou: 0 });
        continue;
      }
      const v = await options.verifier.verify(current, face.box);
      faces.push({ ...face, verified: v.verified, verifyScore: v.score, verifyIou: v.iou });
    }
    timings.verify = performance.now() - t;
    const failed = faces.filter((f) => f.verified === false).length;
    if (failed > 0) {
      return done({
        status: 'not-verified',
        image: current,
        mask,
        faces,
        reason: `${failed} of ${faces.length} masked face(s) no longer detected by the re-detector`,
      });
    }
    return done({ status: 'masked', image: current, mask, faces });
  } catch (error) {
    return done({ status: 'error', faces: [], reason: (error as Error).message });
  }
}
