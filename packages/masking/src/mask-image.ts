/**
 * One image in, one masked image out: detect -> 68 landmarks -> draw the mask -> re-detect to verify.
 */
import type { BoundingBox, DetectedFace, Landmarker, Point2D } from './landmarks/types.js';
import { renderMask } from './render/render-mask.js';
import { assertRgbImage, type BinaryMask, type RgbImage } from './render/types.js';
import { type MaskSpec, parseMaskSpec } from './spec.js';
import type { Verifier, VerifyResult } from './verify/verifier.js';

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

/** Options of {@link maskImages}: those of {@link maskImage}, one seed per image, no known landmarks. */
export interface MaskImagesOptions extends Omit<MaskImageOptions, 'seed' | 'landmarks'> {
  /** Seed of each image's mask details (see `MaskImageOptions.seed`). Default 0 for every image. */
  readonly seeds?: readonly (number | string)[];
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
  if (!options.landmarks) {
    const [result] = await maskImages([image], spec, { ...options, seeds: [options.seed ?? 0] });
    return result;
  }
  const start = performance.now();
  let found: DetectedFace[];
  let full: MaskSpec;
  try {
    full = parseMaskSpec(spec);
    found = givenFaces(options.landmarks);
  } catch (error) {
    return failed(error, start);
  }
  const [result] = await drawAndVerify(
    [{ image, found, seed: options.seed ?? 0, start, detectMs: 0 }],
    full,
    options,
  );
  return result;
}

/**
 * {@link maskImage} on several images: the detector's and the re-detector's inputs go through their nets in one
 * forward pass each (when the landmarker has `detectBatch` and the verifier `verifyBatch`), which costs less per
 * image on tfjs-node. Each image gets the result `maskImage` would give it with its seed; a bad image fails alone.
 *
 * @example
 * const results = await maskImages([a, b], { shape: 'a' }, { landmarker, verifier, seeds: ['a.jpg', 'b.jpg'] });
 */
export async function maskImages(
  images: readonly RgbImage[],
  spec: Partial<MaskSpec> = {},
  options: MaskImagesOptions = {},
): Promise<MaskImageResult[]> {
  const start = performance.now();
  const results: MaskImageResult[] = new Array(images.length);
  const { landmarker, seeds } = options;
  let full: MaskSpec;
  try {
    full = parseMaskSpec(spec);
    if (!landmarker) throw new Error('maskImage: pass a landmarker (createLandmarker()) or known landmarks');
    if (seeds && seeds.length !== images.length)
      throw new Error(`maskImages: ${seeds.length} seeds for ${images.length} images; pass one per image`);
  } catch (error) {
    return images.map(() => failed(error, start));
  }
  // an image that is not RGB pixels fails alone instead of failing the detector's whole batch
  const valid: number[] = [];
  for (const [i, image] of images.entries()) {
    try {
      assertRgbImage(image, `${landmarker.kind} detect`);
      valid.push(i);
    } catch (error) {
      results[i] = failed(error, start);
    }
  }
  const t = performance.now();
  let found: DetectedFace[][];
  try {
    const batch = valid.map((i) => images[i]);
    found = landmarker.detectBatch
      ? await landmarker.detectBatch(batch)
      : await sequentially(batch, (image) => landmarker.detect(image));
  } catch (error) {
    for (const i of valid) results[i] = failed(error, start);
    return results;
  }
  // the batch's time, shared equally (per-image timings add up to the whole)
  const detectMs = (performance.now() - t) / Math.max(1, valid.length);
  const drawn = await drawAndVerify(
    valid.map((i, k) => ({ image: images[i], found: found[k], seed: seeds?.[i] ?? 0, start, detectMs })),
    full,
    options,
  );
  valid.forEach((i, k) => {
    results[i] = drawn[k];
  });
  return results;
}

async function sequentially<T, R>(items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await f(item));
  return out;
}

function failed(error: unknown, start: number, timings: MaskTimings = { detect: 0, render: 0, verify: 0 }) {
  return {
    status: 'error',
    faces: [],
    reason: (error as Error).message,
    ms: performance.now() - start,
    timings,
  } satisfies MaskImageResult;
}

interface FoundFaces {
  readonly image: RgbImage;
  readonly found: DetectedFace[];
  readonly seed: number | string;
  readonly start: number;
  readonly detectMs: number;
}

// draws the masks on every image with a face, then re-detects all of them (in one batch when the verifier can)
async function drawAndVerify(
  jobs: readonly FoundFaces[],
  full: MaskSpec,
  options: Pick<MaskImageOptions, 'verifier' | 'faces'>,
): Promise<MaskImageResult[]> {
  const drawnJobs = jobs.map((job) => {
    const timings: MaskTimings = { detect: job.detectMs, render: 0, verify: 0 };
    const t = performance.now();
    try {
      if (job.found.length === 0) return { job, timings, none: true as const };
      const targets = options.faces === 'all' ? job.found : job.found.slice(0, 1);
      let current = job.image;
      let union: Uint8Array | null = null;
      const drawn: Omit<MaskedFace, 'verified' | 'verifyScore' | 'verifyIou'>[] = [];
      for (let i = 0; i < targets.length; i++) {
        const r = renderMask(current, targets[i].landmarks68, full, {
          seed: i === 0 ? job.seed : `${job.seed}/${i}`,
        });
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
      const mask: BinaryMask = {
        data: union as Uint8Array,
        width: job.image.width,
        height: job.image.height,
      };
      return { job, timings, current, mask, drawn };
    } catch (error) {
      timings.render = performance.now() - t;
      return { job, timings, error };
    }
  });

  // every drawn face of every image, re-detected together
  const toVerify = drawnJobs.flatMap((d) =>
    'drawn' in d && d.drawn ? d.drawn.map((face) => ({ image: d.current, expected: face.box })) : [],
  );
  const { verifier } = options;
  let checks: VerifyResult[] | null = null;
  let verifyError: unknown = null;
  const t = performance.now();
  if (verifier && toVerify.length > 0) {
    try {
      checks = verifier.verifyBatch
        ? await verifier.verifyBatch(toVerify)
        : await sequentially(toVerify, (v) => verifier.verify(v.image, v.expected));
    } catch (error) {
      verifyError = error;
    }
  }
  const verifyMs = (performance.now() - t) / Math.max(1, toVerify.length);

  let next = 0;
  return drawnJobs.map((d): MaskImageResult => {
    const { job, timings } = d;
    const done = (r: Omit<MaskImageResult, 'ms' | 'timings'>): MaskImageResult => ({
      ...r,
      ms: performance.now() - job.start,
      timings,
    });
    if ('none' in d)
      return done({ status: 'no-face', faces: [], reason: 'no face found in the original image' });
    if ('error' in d) return failed(d.error, job.start, timings);
    const { current, mask, drawn } = d;
    timings.verify = verifier ? verifyMs * drawn.length : 0;
    const mine = checks ? checks.slice(next, next + drawn.length) : null;
    next += drawn.length;
    if (verifier && verifyError) return failed(verifyError, job.start, timings);
    const faces: MaskedFace[] = drawn.map((face, i) =>
      mine
        ? { ...face, verified: mine[i].verified, verifyScore: mine[i].score, verifyIou: mine[i].iou }
        : { ...face, verified: null, verifyScore: 0, verifyIou: 0 },
    );
    const failedCount = faces.filter((f) => f.verified === false).length;
    if (failedCount > 0) {
      return done({
        status: 'not-verified',
        image: current,
        mask,
        faces,
        reason: `${failedCount} of ${faces.length} masked face(s) no longer detected by the re-detector`,
      });
    }
    return done({ status: 'masked', image: current, mask, faces });
  });
}
