/** Random horizontal flip (mirror left-right) with probability p per image. */

import type { Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options for {@link randomHorizontalFlip}. */
export interface RandomHorizontalFlipOptions {
  /** Probability per image. Default 0.5. */
  p?: number;
}

/**
 * Mirrors each image of `[N,H,W,C]` left-right with probability `p`.
 *
 * @example
 * const out = randomHorizontalFlip(images, createRng(0));
 */
export function randomHorizontalFlip(
  images: tf.Tensor4D,
  rng: Rng,
  options: RandomHorizontalFlipOptions = {},
): tf.Tensor4D {
  const { p = 0.5 } = options;
  const n = images.shape[0];
  const chosen = Array.from({ length: n }, () => (rng.bool(p) ? 1 : 0));
  return tf.tidy(() => {
    const mask = tf.tensor4d(chosen, [n, 1, 1, 1]);
    const flipped = tf.reverse(images, 2);
    return tf.add(tf.mul(mask, flipped), tf.mul(tf.sub(1, mask), images)) as tf.Tensor4D;
  });
}
