/**
 * Random resized crop (Inception / SimCLR / MoCo v2): a random area fraction and aspect ratio, cut out and
 * resized to the output size. Boxes are drawn in JS with the seeded RNG; the crop runs batched in
 * `tf.image.cropAndResize` with one box per image.
 */

import type { Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options for {@link randomResizedCrop}. Defaults are torchvision's / MoCo v2's. */
export interface RandomResizedCropOptions {
  /** Output side in pixels. Default: the input height. */
  size?: number;
  /** Range of the crop area as a fraction of the region's area. Default [0.2, 1] (MoCo v2). */
  scale?: readonly [number, number];
  /** Range of the crop aspect ratio (width / height), sampled log-uniformly. Default [3/4, 4/3]. */
  ratio?: readonly [number, number];
  /**
   * Normalised region `[y1, x1, y2, x2]` of the input that crops are taken from (e.g. the central face area).
   * Default [0, 0, 1, 1] (the whole image).
   */
  region?: readonly [number, number, number, number];
}

/** A crop box in normalised image coordinates `[y1, x1, y2, x2]`. */
export type CropBox = [number, number, number, number];

/**
 * Draws one crop box inside `region` (torchvision's algorithm: 10 tries at a random area and ratio, then a
 * central crop with the ratio clamped into range). Coordinates are normalised to the image.
 *
 * @example
 * const box = sampleCropBox(createRng(1), 1); // e.g. [0.12, 0.3, 0.81, 0.95]
 */
export function sampleCropBox(
  rng: Rng,
  imageAspect: number,
  options: RandomResizedCropOptions = {},
): CropBox {
  const [minScale, maxScale] = options.scale ?? [0.2, 1];
  const [minRatio, maxRatio] = options.ratio ?? [3 / 4, 4 / 3];
  const [ry1, rx1, ry2, rx2] = options.region ?? [0, 0, 1, 1];
  // work in pixels-like units where the region is regionW x regionH (aspect matters for the ratio)
  const regionH = ry2 - ry1;
  const regionW = (rx2 - rx1) * imageAspect;
  const area = regionH * regionW;
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.range(minScale, maxScale);
    const ratio = Math.exp(rng.range(Math.log(minRatio), Math.log(maxRatio)));
    const w = Math.sqrt(targetArea * ratio);
    const h = Math.sqrt(targetArea / ratio);
    if (w <= regionW && h <= regionH) {
      const top = rng.range(0, regionH - h);
      const left = rng.range(0, regionW - w);
      return [ry1 + top, rx1 + left / imageAspect, ry1 + top + h, rx1 + (left + w) / imageAspect];
    }
  }
  // fallback: the largest central crop whose ratio is within range
  const regionRatio = regionW / regionH;
  let w = regionW;
  let h = regionH;
  if (regionRatio < minRatio) h = w / minRatio;
  else if (regionRatio > maxRatio) w = h * maxRatio;
  const top = (regionH - h) / 2;
  const left = (regionW - w) / 2;
  return [ry1 + top, rx1 + left / imageAspect, ry1 + top + h, rx1 + (left + w) / imageAspect];
}

/**
 * Crops a random box from every image and resizes it to `size x size` (bilinear).
 *
 * @example
 * const views = randomResizedCrop(images, createRng(0), { size: 64 }); // [N, 64, 64, 3]
 */
export function randomResizedCrop(
  images: tf.Tensor4D,
  rng: Rng,
  options: RandomResizedCropOptions = {},
): tf.Tensor4D {
  const [n, height, width] = images.shape;
  const size = options.size ?? height;
  const boxes: number[] = [];
  for (let i = 0; i < n; i++) boxes.push(...sampleCropBox(rng, width / height, options));
  return tf.tidy(() =>
    tf.image.cropAndResize(
      images,
      tf.tensor2d(boxes, [n, 4]),
      tf.tensor1d(
        Array.from({ length: n }, (_, i) => i),
        'int32',
      ),
      [size, size],
      'bilinear',
    ),
  );
}
