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
 * The default chain, chosen by `packages/benchmark/bench/detectors.ts` (100 LFW faces, 6 mask styles, tight
 * crops, upper face only) among 13,699 orders of the passes the toolkit has: tiny@96, then tiny@96 on a padded copy
 * (faces that fill the picture), then SSD on a padded copy accepting scores from 0.3 (masked faces score lower).
 * It found 99.82% of the masked faces (tiny@96 alone: 83.5%, SSD alone: 71.7%). tiny@160 and unpadded SSD never
 * added a masked face and their wrong detections stopped the chain early; FaceMesh last never found one.
 */
export const FACE_FINDER_PASSES: readonly DetectorPass[] = Object.freeze([
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
