/**
 * One face analysis per image, shared by the baselines: face-api's SSD MobileNet v1 detector, its 68 landmarks
 * and its 128-d descriptor (computed on face-api's own landmark-aligned 150x150 chip). When no face is found,
 * the documented fallback is a centre crop (pre-aligned datasets have the face in the middle): its box stands in
 * for the face, the ArcFace template placed in that box stands in for the 5 landmarks, and the descriptor is
 * computed on the crop.
 */
import { centreBox, fivePointsFrom68, templateInBox } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { loadFaceApi } from './face-api.js';

/** A face box in pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the analysis found in one image. */
export interface FaceAnalysis {
  /** 'face' when the detector found one; 'fallback' when the centre crop stands in. */
  status: 'face' | 'fallback';
  box: Box;
  /** Detector score (0 for the fallback). */
  score: number;
  /** The 5 alignment points (eye centres, nose tip, mouth corners), from the 68 landmarks or the template. */
  fivePoints: [number, number][];
  /** The 68 landmarks (absent for the fallback). */
  landmarks68?: [number, number][];
  /** face-api's 128-d descriptor. */
  faceapiDescriptor: number[];
  /** Faces the detector found (the most central large one is used). */
  faces: number;
}

/** Options of {@link createFaceAnalyzer}. */
export interface FaceAnalyzerOptions {
  /** SSD minimum confidence (default 0.3; masked faces score lower than unmasked ones). */
  minConfidence?: number;
  /**
   * Images whose longer side is at most this many pixels get a grey border of half that side before detection
   * (default 400). SSD misses faces that fill the frame, as in AT&T and Yale B crops: with the border it found
   * 8 of 8 test faces instead of 1.
   */
  padBelow?: number;
  /** Most faces reported per image (default 10; group photos need more). */
  maxFaces?: number;
}

/** Detects and describes the main face of an image; see {@link createFaceAnalyzer}. */
export interface FaceAnalyzer {
  /** Stable id of the analysis settings, for caches. */
  readonly key: string;
  /**
   * Analyses `image` (RGB, values 0-255, `[h, w, 3]`; not disposed). `fallbackCrop` is the fraction of the
   * shorter side the centre crop covers when no face is found.
   */
  analyze(image: tf.Tensor3D, fallbackCrop: number): Promise<FaceAnalysis>;
  /** Every face the detector finds (status 'face'), largest first; empty when none. */
  analyzeAll(image: tf.Tensor3D): Promise<FaceAnalysis[]>;
}

/**
 * The face-api analyzer used by every baseline.
 *
 * @example
 * const analyzer = await createFaceAnalyzer();
 * const a = await analyzer.analyze(image, 0.55); // { status: 'face', fivePoints: [...], faceapiDescriptor: [...] }
 */
export async function createFaceAnalyzer(options: FaceAnalyzerOptions = {}): Promise<FaceAnalyzer> {
  const minConfidence = options.minConfidence ?? 0.3;
  const padBelow = options.padBelow ?? 400;
  const faceapi = await loadFaceApi();
  const detectorOptions = new faceapi.SsdMobilenetv1Options({
    minConfidence,
    maxResults: options.maxFaces ?? 10,
  });
  return {
    key: faceAnalyzerKey(options),
    async analyze(image, fallbackCrop) {
      const [h, w] = image.shape;
      const faces = await detectAll(image);
      if (faces.length > 0) {
        return faces[
          pickMainFace(
            faces.map((f) => f.box),
            w,
            h,
          )
        ];
      }
      const box = centreBox(w, h, fallbackCrop);
      const crop = tf.tidy(() =>
        tf.cast(
          tf.slice(
            tf.clipByValue(image, 0, 255),
            [Math.round(box.y), Math.round(box.x), 0],
            [Math.round(box.height), Math.round(box.width), 3],
          ),
          'int32',
        ),
      );
      try {
        const descriptor = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(
          crop as never,
        )) as Float32Array;
        return {
          status: 'fallback',
          box,
          score: 0,
          fivePoints: templateInBox(box),
          faceapiDescriptor: Array.from(descriptor),
          faces: 0,
        };
      } finally {
        crop.dispose();
      }
    },
    async analyzeAll(image) {
      const faces = await detectAll(image);
      return faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    },
  };

  async function detectAll(image: tf.Tensor3D): Promise<FaceAnalysis[]> {
    const [h, w] = image.shape;
    const pad = Math.max(h, w) <= padBelow ? Math.round(Math.max(h, w) / 2) : 0;
    const input = tf.tidy(() => {
      const bytes = tf.cast(tf.clipByValue(image, 0, 255), 'int32') as tf.Tensor3D;
      return pad > 0
        ? (tf.pad(
            bytes,
            [
              [pad, pad],
              [pad, pad],
              [0, 0],
            ],
            128,
          ) as tf.Tensor3D)
        : bytes;
    });
    try {
      const found = await faceapi
        .detectAllFaces(input as never, detectorOptions)
        .withFaceLandmarks()
        .withFaceDescriptors();
      // face-api's own typings do not match our tfjs-core: the shape of what it returns is spelled out here
      const faces = found as {
        detection: { box: Box; score: number };
        landmarks: { positions: { x: number; y: number }[] };
        descriptor: Float32Array;
      }[];
      return faces.map((f) => {
        const b = f.detection.box;
        const landmarks68 = f.landmarks.positions.map((p) => [p.x - pad, p.y - pad] as [number, number]);
        return {
          status: 'face' as const,
          box: { x: b.x - pad, y: b.y - pad, width: b.width, height: b.height },
          score: f.detection.score,
          fivePoints: fivePointsFrom68(landmarks68),
          landmarks68,
          faceapiDescriptor: Array.from(f.descriptor),
          faces: found.length,
        };
      });
    } finally {
      input.dispose();
    }
  }
}

/**
 * The cache id of an analyzer's settings (changes whenever its results would).
 *
 * @example
 * faceAnalyzerKey(); // 'faceapi-ssd-68-v2-c0.3-p400'
 */
export function faceAnalyzerKey(options: FaceAnalyzerOptions = {}): string {
  return `faceapi-ssd-68-v2-c${options.minConfidence ?? 0.3}-p${options.padBelow ?? 400}`;
}

/**
 * Index of the main face: among faces at least half as large as the largest, the one nearest the image centre
 * (LFW photos are centred on their subject; other people may appear at the edges).
 *
 * @example
 * pickMainFace([{ x: 0, y: 0, width: 50, height: 50 }, { x: 100, y: 100, width: 60, height: 60 }], 250, 250); // 1
 */
export function pickMainFace(boxes: readonly Box[], width: number, height: number): number {
  const largest = Math.max(...boxes.map((b) => b.width * b.height));
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  boxes.forEach((b, i) => {
    if (b.width * b.height < 0.5 * largest) return;
    const d = Math.hypot(b.x + b.width / 2 - width / 2, b.y + b.height / 2 - height / 2);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}
