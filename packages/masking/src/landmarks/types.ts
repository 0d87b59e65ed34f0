/** Shared shapes of the landmark detectors. */

import type { RgbImage } from '../render/types.js';

export type { RgbImage };

/** An axis-aligned box in pixels of the image it was found in. */
export interface BoundingBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A point `[x, y]` in pixels. */
export type Point2D = [number, number];

/** One face: where it is, how sure the detector was, and its 68 iBUG/dlib landmarks (0-16 jaw, 27-35 nose, ...). */
export interface DetectedFace {
  readonly box: BoundingBox;
  /** Detector confidence in [0, 1]. */
  readonly score: number;
  /** 68 points in dlib/iBUG order, in image pixels. */
  readonly landmarks68: Point2D[];
  /** Which detector found it, e.g. `face68:tiny@96`, `face68:ssd+pad0.3`, `facemesh` (for reports). */
  readonly foundBy?: string;
}

/** The two built-in landmarkers. */
export type LandmarkerKind = 'face68' | 'facemesh';

/** Finds faces and their 68 landmarks. Create with `createLandmarker`; call `dispose()` when done. */
export interface Landmarker {
  readonly kind: LandmarkerKind;
  /** Faces in the image, largest first. Creates no lasting tensors. */
  detect(image: RgbImage): Promise<DetectedFace[]>;
  /**
   * {@link Landmarker.detect} on several images, each net's inputs in one forward pass: the same faces per image, at
   * less cost per image on tfjs-node. Optional for landmarkers of your own (`maskImages` then calls `detect`).
   */
  detectBatch?(images: readonly RgbImage[]): Promise<DetectedFace[][]>;
  /** Frees the model weights. The landmarker cannot be used afterwards. */
  dispose(): void;
}

/** Area of the box (for "largest face first"). */
export const boxArea = (b: BoundingBox): number => Math.max(0, b.width) * Math.max(0, b.height);

/** Intersection over union of two boxes, 0..1. */
export function boxIou(a: BoundingBox, b: BoundingBox): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** The box's corners clipped to the image, rounded outwards to whole pixels. */
export function clipBox(box: BoundingBox, width: number, height: number): BoundingBox {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const y1 = Math.min(height, Math.ceil(box.y + box.height));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
