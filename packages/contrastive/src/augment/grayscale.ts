/** Random greyscale: with probability p an image becomes its imageLuma, repeated on three channels. */

import type { Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { imageLuma } from './color_jitter.js';

/** Options for {@link randomGrayscale}. */
export interface RandomGrayscaleOptions {
  /** Probability per image. Default 0.2 (MoCo v2). */
  p?: number;
}

/**
 * Turns each image of `[N,H,W,3]` to greyscale with probability `p`.
 *
 * @example
 * const out = randomGrayscale(images, createRng(0), { p: 0.2 });
 */
export function randomGrayscale(
  images: tf.Tensor4D,
  rng: Rng,
  options: RandomGrayscaleOptions = {},
): tf.Tensor4D {
  const { p = 0.2 } = options;
  const n = images.shape[0];
  const chosen = Array.from({ length: n }, () => (rng.bool(p) ? 1 : 0));
  return tf.tidy(() => {
    const mask = tf.tensor4d(chosen, [n, 1, 1, 1]);
    const grey = tf.tile(imageLuma(images), [1, 1, 1, 3]);
    // mask * grey + (1 - mask) * images, exact for both cases
    return tf.add(tf.mul(mask, grey), tf.mul(tf.sub(1, mask), images)) as tf.Tensor4D;
  });
}
