/**
 * `face68`: face-api's detectors + its 68-point landmark net (same indexing as dlib / iBUG 300-W).
 *
 * Detection runs in passes, cheapest first, and stops at the first pass that finds a face: the tiny face
 * detector at a small input size suits 250 px photos (~2 ms on wasm), then larger inputs and SSD MobileNet v1 catch
 * the rare faces it misses (LFW: 99%+ found; see the package README for measurements). The tiny detector and the
 * 68-point nets run on face-api's weights through `face-api-forward.ts` (a third of face-api's ops, same outputs);
 * SSD runs through face-api itself.
 */
import { assertRgbImage } from '../render/types.js';
import { type FaceApi, loadFaceApi, loadFaceApiNet } from './face-api.js';
import { landmarks68Batch, locateTinyFacesBatch } from './face-api-forward.js';
import { imageToTensor } from './image-tensor.js';
import { padImage } from './pad.js';
import {
  type BoundingBox,
  boxArea,
  clipBox,
  type DetectedFace,
  type Landmarker,
  type Point2D,
  type RgbImage,
} from './types.js';

/** One detection pass. `tiny`: face-api's Tiny Face Detector; `ssd`: SSD MobileNet v1 (fixed 512 px input, slower). */
export interface DetectorPass {
  readonly model: 'tiny' | 'ssd';
  /** Network input size for `tiny` (a multiple of 32). Default 96. Ignored by `ssd`. */
  readonly inputSize?: number;
  /** Minimum detection score. Default 0.5. */
  readonly minScore?: number;
  /**
   * Run this pass on the image with a border of this fraction of its longer side (see `padImage`); for tightly
   * cropped faces such as Extended Yale B, where found faces rise from 25% to 67%. Default 0 (no border).
   */
  readonly pad?: number;
  /**
   * Apply `pad` only to images whose longer side is at most this many pixels (tight crops are small; a border on a
   * large photo only shrinks its face at the detector's input and costs memory). Default: every image.
   */
  readonly padBelow?: number;
}

/** The border fraction a pass uses on an image of this size (0: none). */
function padFor(pass: DetectorPass, image: RgbImage): number {
  if (!pass.pad) return 0;
  return pass.padBelow === undefined || Math.max(image.width, image.height) <= pass.padBelow ? pass.pad : 0;
}

/**
 * Default passes: tiny@96, tiny@160, tiny@96 on a padded image (tight crops), then SSD MobileNet v1; each only
 * runs when the previous ones found nothing. On the first 500 LFW images tiny@96 alone finds 498 (tiny@128: 495)
 * at ~3 ms.
 */
export const DEFAULT_FACE68_PASSES: readonly DetectorPass[] = Object.freeze([
  { model: 'tiny', inputSize: 96, minScore: 0.5 },
  { model: 'tiny', inputSize: 160, minScore: 0.5 },
  { model: 'tiny', inputSize: 96, minScore: 0.5, pad: 0.3 },
  { model: 'ssd', minScore: 0.5 },
]);

/**
 * A pass's name in reports: `face68:tiny@96`, `face68:ssd`, `face68:ssd+pad0.3`, `face68:ssd>=0.3`,
 * `face68:ssd+pad0.5<=400px` (padded only up to 400 px).
 *
 * @example
 * passLabel({ model: 'tiny', inputSize: 160, pad: 0.3 }); // 'face68:tiny@160+pad0.3'
 */
export function passLabel(pass: DetectorPass): string {
  const model = pass.model === 'tiny' ? `tiny@${pass.inputSize ?? 96}` : 'ssd';
  const score = pass.minScore !== undefined && pass.minScore !== 0.5 ? `>=${pass.minScore}` : '';
  const pad = pass.pad ? `+pad${pass.pad}${pass.padBelow !== undefined ? `<=${pass.padBelow}px` : ''}` : '';
  return `face68:${model}${score}${pad}`;
}

export interface Face68Options {
  /** Detection passes, tried in order until one finds a face. Default {@link DEFAULT_FACE68_PASSES}. */
  readonly passes?: readonly DetectorPass[];
  /** Most faces returned per image (largest first). Default 10. */
  readonly maxFaces?: number;
  /**
   * 68-point net: `full` (face-api's FaceLandmark68Net, ~5 ms on wasm) or `tiny` (FaceLandmark68TinyNet, ~3 ms; its
   * points differ from `full` by ~0.03 of the eye-corner distance on LFW). Default `full`.
   */
  readonly landmarkNet?: 'full' | 'tiny';
  /**
   * Folder (Node) or URL (pages) of face-api's model files. Default in Node: `@vladmandic/face-api/model` from
   * node_modules; a page must pass the URL where it serves that folder.
   */
  readonly modelDir?: string;
}

interface Nets {
  tiny: FaceApi | null;
  ssd: FaceApi | null;
  landmarks: FaceApi;
}

/**
 * Creates the face-api 68-point landmarker. Prefer `createLandmarker({ kind: 'face68' })`.
 *
 * @example
 * const lm = await createFace68Landmarker();
 * const faces = await lm.detect({ data, width, height }); // [{ box, score, landmarks68 }]
 * lm.dispose();
 */
export async function createFace68Landmarker(options: Face68Options = {}): Promise<Landmarker> {
  const faceapi = await loadFaceApi();
  const passes = options.passes ?? DEFAULT_FACE68_PASSES;
  if (passes.length === 0)
    throw new Error('createFace68Landmarker: passes must list at least one detector pass');
  const maxFaces = options.maxFaces ?? 10;
  const load = (net: FaceApi, what: string) => loadFaceApiNet(net, what, options.modelDir);
  // each landmarker owns its nets (not face-api's global `nets`), so dispose() cannot break another one
  const nets: Nets = {
    tiny: passes.some((p) => p.model === 'tiny')
      ? await load(new faceapi.TinyFaceDetector(), 'tiny face detector')
      : null,
    ssd: passes.some((p) => p.model === 'ssd')
      ? await load(new faceapi.SsdMobilenetv1(), 'SSD MobileNet v1')
      : null,
    landmarks:
      options.landmarkNet === 'tiny'
        ? await load(new faceapi.FaceLandmark68TinyNet(), 'tiny 68-point landmark')
        : await load(new faceapi.FaceLandmark68Net(), '68-point landmark'),
  };
  let disposed = false;

  // one pass on several images (tiny: one forward pass for all; SSD: one image at a time)
  async function locate(
    images: readonly RgbImage[],
    pass: DetectorPass,
  ): Promise<{ box: BoundingBox; score: number }[][]> {
    const minScore = pass.minScore ?? 0.5;
    if (pass.model === 'tiny') {
      return locateTinyFacesBatch(nets.tiny, images, {
        inputSize: pass.inputSize ?? 96,
        scoreThreshold: minScore,
      });
    }
    const results: { box: BoundingBox; score: number }[][] = [];
    for (const image of images) {
      const pixels = imageToTensor(image);
      try {
        const found = await nets.ssd.locateFaces(
          pixels,
          new faceapi.SsdMobilenetv1Options({ minConfidence: minScore, maxResults: maxFaces }),
        );
        results.push(
          found.map((d: FaceApi) => ({
            box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height },
            score: d.score,
          })),
        );
      } finally {
        pixels.dispose();
      }
    }
    return results;
  }

  // what one image's first successful pass found (in `seen`, a padded copy when `offset` > 0)
  interface Located {
    readonly index: number;
    readonly seen: RgbImage;
    readonly offset: number;
    readonly faces: { box: BoundingBox; score: number }[];
    readonly foundBy: string;
  }

  async function detectBatch(images: readonly RgbImage[]): Promise<DetectedFace[][]> {
    if (disposed) throw new Error('face68 landmarker: detect() called after dispose()');
    for (const [i, image] of images.entries())
      assertRgbImage(image, images.length === 1 ? 'face68 detect' : `face68 detect (image ${i})`);
    // pass by pass, the images no earlier pass found a face in
    const located: Located[] = [];
    let pending = images.map((_, i) => i);
    for (const pass of passes) {
      if (pending.length === 0) break;
      const seen = pending.map((i) => {
        const pad = padFor(pass, images[i]);
        return pad ? padImage(images[i], pad) : { image: images[i], offset: 0 };
      });
      const found = await locate(
        seen.map((s) => s.image),
        pass,
      );
      const missed: number[] = [];
      pending.forEach((index, k) => {
        const { image, offset } = seen[k];
        const faces = found[k]
          .map((f) => ({ ...f, box: clipBox(f.box, image.width, image.height) }))
          .filter((f) => f.box.width >= 8 && f.box.height >= 8)
          .sort((a, b) => boxArea(b.box) - boxArea(a.box))
          .slice(0, maxFaces);
        if (found[k].length === 0) missed.push(index);
        else located.push({ index, seen: image, offset, faces, foundBy: passLabel(pass) });
      });
      pending = missed;
    }
    // one forward pass of the landmark net for every face of every image
    const points = await landmarks68Batch(
      nets.landmarks,
      located.flatMap((l) => l.faces.map((f) => ({ image: l.seen, box: f.box }))),
    );
    const results: DetectedFace[][] = images.map(() => []);
    let next = 0;
    for (const { index, offset, faces, foundBy } of located) {
      const original = images[index];
      results[index] = faces.map((f) => {
        const p = points[next++];
        const box = { x: f.box.x - offset, y: f.box.y - offset, width: f.box.width, height: f.box.height };
        return {
          box: offset > 0 ? clipBox(box, original.width, original.height) : box,
          score: f.score,
          landmarks68: Array.from(
            { length: 68 },
            (_, k): Point2D => [p[2 * k] - offset, p[2 * k + 1] - offset],
          ),
          foundBy,
        };
      });
    }
    return results;
  }

  return {
    kind: 'face68',
    async detect(image: RgbImage): Promise<DetectedFace[]> {
      const [faces] = await detectBatch([image]);
      return faces;
    },
    detectBatch,
    dispose() {
      if (disposed) return;
      disposed = true;
      nets.tiny?.dispose();
      nets.ssd?.dispose();
      nets.landmarks.dispose();
    },
  };
}
