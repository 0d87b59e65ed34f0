/**
 * The face finder: the one place that finds a face and its landmarks for the matcher (and for anyone who needs
 * a face in a photo that may be masked or tightly cropped). It tries detector passes in order and stops at the
 * first that finds a face.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createFace68Landmarker, type DetectorPass, passLabel } from './face68.js';
import { createFaceMeshLandmarker } from './facemesh.js';
import type { DetectedFace, Landmarker, RgbImage } from './types.js';

/**
 * The default chain: SSD accepting scores from 0.3 (masked faces score lower), on a copy with a border of half the
 * longer side when the photo is at most 400 px (small photos are often tight crops, which SSD needs context
 * around); then tiny@96; then tiny@96 on a padded copy (faces that fill a larger picture). SSD is first because its
 * boxes frame the face for the 68-point net as the shipped models were trained (the benchmark's face analysis runs
 * SSD the same way): through the matcher on LFW View 2 folds 1-5, the v2 model's EER went from 9.9% with tiny@96
 * first to 7.0%, FRR100 from 33.2% to 23.8%, and masked probes without a face found from 11 to 5 of 2,892. In
 * `packages/benchmark/bench/detectors.ts --limit 40` (40 LFW faces: 6 mask styles, unmasked, upper face only, tight
 * crops) this chain found 226 of 226 masked probes and 385 of 386 in all (one tight masked crop gave a wrong face),
 * at 314 ms per image on wasm against 46-65 ms for the tiny-first orders ({@link FAST_FACE_FINDER_PASSES}).
 * tiny@160 never added a masked face there and FaceMesh never found one.
 */
export const FACE_FINDER_PASSES: readonly DetectorPass[] = Object.freeze([
  { model: 'ssd', minScore: 0.3, pad: 0.5, padBelow: 400 },
  { model: 'tiny', inputSize: 96, minScore: 0.5 },
  { model: 'tiny', inputSize: 96, minScore: 0.5, pad: 0.3 },
]);

/**
 * The previous default, tiny@96 first and padded SSD last: the order that is cheapest on photos of one large face
 * (`pnpm bench matcher --photos single`: detection 21 ms instead of 109 on tfjs-node, 17 instead of 319 on wasm),
 * for apps where latency matters more than accuracy: with the v2 model the matcher's EER on LFW View 2 folds 1-5
 * was 9.9% with it and 7.0% with {@link FACE_FINDER_PASSES}. It finds as many masked faces (99.82% of 100 LFW faces
 * in 6 mask styles, tight crops and upper-face-only copies in `detectors.ts`).
 *
 * @example
 * const matcher = await createMatcher({ faceFinder: { passes: FAST_FACE_FINDER_PASSES } });
 */
export const FAST_FACE_FINDER_PASSES: readonly DetectorPass[] = Object.freeze([
  { model: 'tiny', inputSize: 96, minScore: 0.5 },
  { model: 'tiny', inputSize: 96, minScore: 0.5, pad: 0.3 },
  { model: 'ssd', minScore: 0.3, pad: 0.3 },
]);

/** Options of {@link createFaceFinder}. */
export interface FaceFinderOptions {
  /** face68 detector passes, tried in order. Default {@link FACE_FINDER_PASSES}. */
  passes?: readonly DetectorPass[];
  /**
   * Also try FaceMesh's full-range detector when the passes find nothing. Default false: it never found a masked
   * face the default passes missed, and it has no kernels on tfjs-node (so results would differ by backend).
   */
  facemesh?: boolean;
  /** Folder with face-api's model files (default: from node_modules). */
  modelDir?: string;
}

/** Finds faces with landmarks through a chain of detectors; see {@link createFaceFinder}. */
export interface FaceFinder {
  /** The detectors in the order they are tried, e.g. `['face68:tiny@96', ..., 'facemesh']`. */
  readonly chain: readonly string[];
  /** Faces of the first detector that finds any, largest first, each with `foundBy`. Creates no lasting tensors. */
  find(image: RgbImage): Promise<DetectedFace[]>;
  dispose(): void;
}

/**
 * Creates the face finder.
 *
 * @example
 * const finder = await createFaceFinder();
 * const [face] = await finder.find(await readImagePixels('masked.jpg')); // { box, score, landmarks68, foundBy }
 * finder.dispose();
 */
export async function createFaceFinder(options: FaceFinderOptions = {}): Promise<FaceFinder> {
  const passes = options.passes ?? FACE_FINDER_PASSES;
  const landmarkers: Landmarker[] = [
    await createFace68Landmarker({ passes, modelDir: options.modelDir, maxFaces: 10 }),
  ];
  const meshUsable = tf.getKernel('Transform', tf.getBackend()) !== undefined;
  if (options.facemesh && meshUsable) {
    try {
      landmarkers.push(await createFaceMeshLandmarker());
    } catch (error) {
      for (const l of landmarkers) l.dispose();
      throw error;
    }
  }
  let disposed = false;
  return {
    chain: [...passes.map(passLabel), ...(landmarkers.length > 1 ? ['facemesh'] : [])],
    async find(image) {
      if (disposed) throw new Error('face finder: find() called after dispose()');
      for (const landmarker of landmarkers) {
        const faces = await landmarker.detect(image);
        if (faces.length > 0) return faces;
      }
      return [];
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const l of landmarkers) l.dispose();
    },
  };
}
