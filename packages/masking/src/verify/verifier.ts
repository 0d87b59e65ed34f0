/**
 * Verification: is the face still detectable after the mask was drawn?
 *
 * Masked faces are much harder to detect (the paper's dlib HOG re-detector found 61% on LFW), so the re-detector
 * is chosen for masked faces: face-api's tiny face detector with the image scaled so the face is ~56 px at the
 * network input (96 px input for 250 px LFW photos) and a low score threshold (0.2). A face only counts when a
 * detection overlaps the face that was masked (IoU >= `minIou`), so a detection elsewhere in the image, or a face
 * that was blurred or painted over, does not verify. Calibrated with white type-a masks (README): LFW (300 faces)
 * 97.3% of masked faces verify and 0.7% of masked faces blurred out still pass; AT&T (100) 97.9% / 0%.
 * (Fixed 128 px input: LFW 89%, AT&T 82%; score 0.1: LFW 98% but 2.7% of blurred faces pass.)
 */
import { type FaceApi, loadFaceApi, loadFaceApiNet } from '../landmarks/face-api.js';
import { locateTinyFacesBatch } from '../landmarks/face-api-forward.js';
import { imageToTensor } from '../landmarks/image-tensor.js';
import { padImage } from '../landmarks/pad.js';
import { type BoundingBox, boxIou, type RgbImage } from '../landmarks/types.js';
import { assertRgbImage } from '../render/types.js';

/** One re-detection pass of the tiny detector. */
export interface VerifyPass {
  /**
   * Scale the image so the expected face is about this many pixels wide at the network input (the input size is
   * then rounded to a multiple of 32, at least 64). Ignored when `inputSize` is set.
   */
  readonly facePixels?: number;
  /** A fixed network input size (multiple of 32). */
  readonly inputSize?: number;
  /** Minimum detection score. */
  readonly minScore: number;
}

/**
 * Default: tiny@96 with score >= 0.2 (best for 250 px LFW photos), then, for faces it missed, a pass with the face
 * at ~56 px of network input (64 px for 92x112 AT&T faces), also score >= 0.2.
 */
export const DEFAULT_VERIFY_PASSES: readonly VerifyPass[] = Object.freeze([
  { inputSize: 96, minScore: 0.2 },
  { facePixels: 56, minScore: 0.2 },
]);

/** Network input size of a pass for a face of `faceSide` px in an image whose longer side is `imageSide` px. */
export function verifyInputSize(pass: VerifyPass, imageSide: number, faceSide: number): number {
  if (pass.inputSize !== undefined) return pass.inputSize;
  const ideal = ((pass.facePixels ?? 56) * imageSide) / Math.max(1, faceSide);
  return Math.min(608, Math.max(64, 32 * Math.round(ideal / 32)));
}

export interface VerifierOptions {
  /** Re-detector: `tiny` (face-api Tiny Face Detector) or `ssd` (SSD MobileNet v1, ~10x slower). Default `tiny`. */
  readonly model?: 'tiny' | 'ssd';
  /** Tiny detector passes, tried in order until one verifies. Default {@link DEFAULT_VERIFY_PASSES}. */
  readonly passes?: readonly VerifyPass[];
  /** Shorthand for one pass at this input size (with `minScore`). */
  readonly inputSize?: number;
  /** Minimum detection score of the one-pass shorthand and of `ssd`. Default 0.2. */
  readonly minScore?: number;
  /** Minimum IoU between a detection and the masked face's box. Default 0.3. */
  readonly minIou?: number;
  /** Folder with face-api's model files. Default: `@vladmandic/face-api/model`. */
  readonly modelDir?: string;
}

/** The defaults of {@link VerifierOptions}. */
export const DEFAULT_VERIFIER_OPTIONS = Object.freeze({
  model: 'tiny',
  passes: DEFAULT_VERIFY_PASSES,
  minScore: 0.2,
  minIou: 0.3,
});

/** What a re-detection found. */
export interface VerifyResult {
  /** True when a detection overlaps the expected face box by at least `minIou`. */
  readonly verified: boolean;
  /** Best-overlapping detection (null when nothing was detected). */
  readonly box: BoundingBox | null;
  readonly score: number;
  readonly iou: number;
}

/** One face to verify: the masked image and the box of the face that was masked in it. */
export interface VerifyItem {
  readonly image: RgbImage;
  readonly expected: BoundingBox;
}

export interface Verifier {
  /** Re-detects faces in `image` and checks one overlaps `expected` (the box of the face that was masked). */
  verify(image: RgbImage, expected: BoundingBox): Promise<VerifyResult>;
  /**
   * {@link Verifier.verify} on several faces, the images of each detector pass in one forward pass: the same
   * results, at less cost per face. Optional for verifiers of your own (`maskImages` then calls `verify`).
   */
  verifyBatch?(items: readonly VerifyItem[]): Promise<VerifyResult[]>;
  dispose(): void;
}

/**
 * Loads the re-detector used to verify masked faces.
 *
 * @example
 * const verifier = await createVerifier(); // tiny detector, face ~56 px, score >= 0.2, IoU >= 0.3
 * const { verified } = await verifier.verify(maskedImage, face.box);
 * verifier.dispose();
 */
export async function createVerifier(options: VerifierOptions = {}): Promise<Verifier> {
  const model = options.model ?? DEFAULT_VERIFIER_OPTIONS.model;
  const minScore = options.minScore ?? DEFAULT_VERIFIER_OPTIONS.minScore;
  const minIou = options.minIou ?? DEFAULT_VERIFIER_OPTIONS.minIou;
  if (model !== 'tiny' && model !== 'ssd')
    throw new Error(`createVerifier: model must be 'tiny' or 'ssd', got ${model}`);
  const passes =
    options.passes ??
    (options.inputSize !== undefined ? [{ inputSize: options.inputSize, minScore }] : DEFAULT_VERIFY_PASSES);
  if (passes.length === 0) throw new Error('createVerifier: passes must list at least one pass');
  for (const { inputSize } of passes) {
    if (
      model === 'tiny' &&
      inputSize !== undefined &&
      (!Number.isInteger(inputSize) || inputSize % 32 !== 0 || inputSize <= 0)
    ) {
      throw new Error(`createVerifier: inputSize must be a positive multiple of 32, got ${inputSize}`);
    }
  }
  const faceapi = await loadFaceApi();
  const net: FaceApi = await loadFaceApiNet(
    model === 'tiny' ? new faceapi.TinyFaceDetector() : new faceapi.SsdMobilenetv1(),
    `${model} detector`,
    options.modelDir,
  );
  // the tiny detector's passes for this image: input size and score threshold each (SSD runs once)
  const tinyPasses = (image: RgbImage, expected: BoundingBox) =>
    passes.map((p) => ({
      inputSize: verifyInputSize(
        p,
        Math.max(image.width, image.height),
        Math.max(expected.width, expected.height),
      ),
      scoreThreshold: p.minScore,
    }));
  const ssdOptions = new faceapi.SsdMobilenetv1Options({ minConfidence: minScore });
  let disposed = false;

  // one item's state: the image as the detector sees it (a border added for a face touching the edge, as face68
  // does for tight crops), its passes, and the best detection so far
  const prepare = ({ image, expected }: VerifyItem) => {
    assertRgbImage(image, 'verify');
    const margin = 0.02 * Math.max(expected.width, expected.height);
    const tight =
      expected.x < margin ||
      expected.y < margin ||
      expected.x + expected.width + margin > image.width ||
      expected.y + expected.height + margin > image.height;
    const { image: seen, offset } = tight ? padImage(image, 0.3) : { image, offset: 0 };
    const target = { ...expected, x: expected.x + offset, y: expected.y + offset };
    const best: VerifyResult = { verified: false, box: null, score: 0, iou: 0 };
    return { seen, offset, expected, passes: tinyPasses(seen, target), tried: new Set<number>(), best };
  };
  type Pending = ReturnType<typeof prepare>;
  const consider = (item: Pending, found: readonly { box: BoundingBox; score: number }[]) => {
    for (const d of found) {
      const box = {
        x: d.box.x - item.offset,
        y: d.box.y - item.offset,
        width: d.box.width,
        height: d.box.height,
      };
      const iou = boxIou(box, item.expected);
      if (item.best.box === null || iou > item.best.iou)
        item.best = { verified: iou >= minIou, box, score: d.score, iou };
    }
  };

  async function verifyBatch(items: readonly VerifyItem[]): Promise<VerifyResult[]> {
    if (disposed) throw new Error('verifier: verify() called after dispose()');
    const all = items.map(prepare);
    if (model === 'ssd') {
      for (const item of all) {
        const pixels = imageToTensor(item.seen);
        try {
          consider(item, await net.locateFaces(pixels, ssdOptions));
        } finally {
          pixels.dispose();
        }
      }
      return all.map((item) => item.best);
    }
    // pass by pass, the items not verified yet; those that share an input size go through the net together
    for (let p = 0; p < passes.length; p++) {
      const bySize = new Map<string, Pending[]>();
      for (const item of all) {
        const pass = item.passes[p];
        // an adaptive pass that lands on an input size already tried would find the same faces
        if (item.best.verified || item.tried.has(pass.inputSize)) continue;
        item.tried.add(pass.inputSize);
        const key = `${pass.inputSize}/${pass.scoreThreshold}`;
        const group = bySize.get(key);
        if (group) group.push(item);
        else bySize.set(key, [item]);
      }
      for (const group of bySize.values()) {
        const found = await locateTinyFacesBatch(
          net,
          group.map((item) => item.seen),
          group[0].passes[p],
        );
        for (let k = 0; k < group.length; k++) consider(group[k], found[k]);
      }
    }
    return all.map((item) => item.best);
  }

  return {
    async verify(image, expected) {
      const [result] = await verifyBatch([{ image, expected }]);
      return result;
    },
    verifyBatch,
    dispose() {
      if (disposed) return;
      disposed = true;
      net.dispose();
    },
  };
}
