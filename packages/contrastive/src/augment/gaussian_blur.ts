/**
 * Random Gaussian blur (SimCLR / MoCo v2): with probability p, blur with sigma drawn from [0.1, 2] pixels.
 * Each image has its own kernel, so the batch is laid out as channels of one image and blurred with a
 * separable depthwise convolution (a vertical then a horizontal pass, one kernel per channel). Borders are
 * reflected so they do not darken.
 */

import type { Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options for {@link randomGaussianBlur}. */
export interface RandomGaussianBlurOptions {
  /** Probability per image. Default 0.5. */
  p?: number;
  /** Range of sigma in pixels. Default [0.1, 2]. */
  sigma?: readonly [number, number];
  /** Kernel size (odd). Default: 10% of the image side, as in SimCLR, at least 3. */
  kernelSize?: number;
}

/**
 * A normalised 1-D Gaussian kernel of odd `size` (sigma <= 0 gives the identity kernel).
 *
 * @example
 * gaussianKernel1d(1, 5); // five weights summing to 1
 */
export function gaussianKernel1d(sigma: number, size: number): number[] {
  const radius = (size - 1) / 2;
  if (sigma <= 0) return Array.from({ length: size }, (_, i) => (i === radius ? 1 : 0));
  const weights = Array.from({ length: size }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

/**
 * Blurs each image of `[N,H,W,C]` with probability `p`.
 *
 * @example
 * const out = randomGaussianBlur(images, createRng(0)); // p 0.5, sigma 0.1-2
 */
export function randomGaussianBlur(
  images: tf.Tensor4D,
  rng: Rng,
  options: RandomGaussianBlurOptions = {},
): tf.Tensor4D {
  const { p = 0.5, sigma: [minSigma, maxSigma] = [0.1, 2] } = options;
  const [n, height, width, channels] = images.shape;
  let size = options.kernelSize ?? Math.max(3, Math.round(0.1 * Math.min(height, width)));
  if (size % 2 === 0) size += 1;
  const radius = (size - 1) / 2;
  if (radius >= Math.min(height, width)) {
    throw new Error(`randomGaussianBlur: kernelSize ${size} is too large for ${height}x${width} images`);
  }
  const sigmas = Array.from({ length: n }, () => (rng.bool(p) ? rng.range(minSigma, maxSigma) : 0));
  // filter layout [size, channel] with channel = image * C + c (the layout of the transposed batch below)
  const taps: number[] = new Array(size * n * channels);
  sigmas.forEach((sigma, image) => {
    const kernel = gaussianKernel1d(sigma, size);
    for (let t = 0; t < size; t++) {
      for (let c = 0; c < channels; c++) taps[t * n * channels + image * channels + c] = kernel[t];
    }
  });
  return tf.tidy(() => {
    // [N,H,W,C] -> [1,H,W,N*C]: every image channel becomes a channel with its own kernel
    const asChannels = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [
      1,
      height,
      width,
      n * channels,
    ]) as tf.Tensor4D;
    const vertical = tf.tensor4d(taps, [size, 1, n * channels, 1]);
    const horizontal = tf.tensor4d(taps, [1, size, n * channels, 1]);
    const padded = tf.mirrorPad(
      asChannels,
      [
        [0, 0],
        [radius, radius],
        [radius, radius],
        [0, 0],
      ],
      'reflect',
    );
    const blurred = tf.depthwiseConv2d(
      tf.depthwiseConv2d(padded, vertical, 1, 'valid'),
      horizontal,
      1,
      'valid',
    );
    return tf.transpose(tf.reshape(blurred, [height, width, n, channels]), [2, 0, 1, 3]) as tf.Tensor4D;
  });
}
