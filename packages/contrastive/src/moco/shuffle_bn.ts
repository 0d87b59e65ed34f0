/**
 * Single-device substitutes for MoCo's shuffle-BN.
 *
 * With batch norm, a batch's statistics are a signature of the batch; if the query and its positive key are
 * normalised with statistics of the same sample set, the model can "cheat" by matching the signature
 * instead of learning a representation. MoCo shuffles the key batch across GPUs. On one device we offer:
 *
 * - `'split'` (default): the key batch is shuffled with the seeded RNG, forwarded in `bnSplits` sub-batches
 *   (each normalised with its own statistics), then un-shuffled. Queries are normalised with the statistics
 *   of the whole batch, which are the same for every sample, so no sub-batch signature is shared by a pair.
 * - `'group'`: the backbone uses group normalisation (`createBackbone({ normalization: 'group' })`), which has
 *   no cross-sample statistics to leak; keys are forwarded in one batch.
 * - `'none'`: plain batch norm in one batch (leaks; for comparison only).
 */

import type { Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';

/** How batch-norm leakage is avoided on one device; see the module comment. */
export type ShuffleBnMode = 'split' | 'group' | 'none';

/**
 * Sub-batch sizes for splitting `batch` into `splits` near-equal parts.
 *
 * @example
 * splitSizes(10, 4); // [3, 3, 2, 2]
 */
export function splitSizes(batch: number, splits: number): number[] {
  const parts = Math.min(splits, batch);
  return Array.from({ length: parts }, (_, i) => Math.floor(batch / parts) + (i < batch % parts ? 1 : 0));
}

/**
 * Runs `encode` on a shuffled batch in `splits` sub-batches and returns the outputs in the original order.
 *
 * @example
 * const keys = forwardShuffledSplit(images, (x) => keyEncoder(x), 4, rng);
 */
export function forwardShuffledSplit(
  images: tf.Tensor4D,
  encode: (batch: tf.Tensor4D) => tf.Tensor2D,
  splits: number,
  rng: Rng,
): tf.Tensor2D {
  const batch = images.shape[0];
  const permutation = rng.shuffle(Array.from({ length: batch }, (_, i) => i));
  const inverse = new Array<number>(batch);
  permutation.forEach((source, position) => {
    inverse[source] = position;
  });
  return tf.tidy(() => {
    const shuffled = tf.gather(images, tf.tensor1d(permutation, 'int32'));
    const parts = tf.split(shuffled, splitSizes(batch, splits), 0) as tf.Tensor4D[];
    const encoded = tf.concat(parts.map(encode), 0);
    return tf.gather(encoded, tf.tensor1d(inverse, 'int32')) as tf.Tensor2D;
  });
}
