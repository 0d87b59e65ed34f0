/**
 * Symmetric distance features of two embeddings: the input of the Siamese head.
 *
 * `features(e1, e2) = concat(|e1 - e2|, (e1 - e2)^2)` along the last axis. Both halves depend only on the
 * difference up to sign, and IEEE subtraction gives `a - b = -(b - a)` exactly, so swapping reference and
 * probe gives bit-identical features and therefore bit-identical similarities.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Distance features `[n, 2d]` of two embedding batches `[n, d]`. The caller disposes the result.
 *
 * @example
 * const f = distanceFeatures(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 4]])); // [[1, 2, 1, 4]]
 */
export function distanceFeatures(e1: tf.Tensor2D, e2: tf.Tensor2D): tf.Tensor2D {
  if (e1.shape[0] !== e2.shape[0] || e1.shape[1] !== e2.shape[1]) {
    throw new Error(`distanceFeatures: embeddings differ in shape, [${e1.shape}] vs [${e2.shape}]`);
  }
  return tf.tidy(() => {
    const diff = tf.sub(e1, e2);
    return tf.concat([tf.abs(diff), tf.square(diff)], 1) as tf.Tensor2D;
  });
}

/**
 * Per-side features `[n, 2d]`: the distance features of one embedding against the origin,
 * `concat(|e|, e^2)`. The `fc512` readout feeds these through the head's 512-unit layer to get one
 * activation vector per side; identical embeddings give identical vectors (distance 0).
 *
 * @example
 * const f = sideFeatures(tf.tensor2d([[-1, 2]])); // [[1, 2, 1, 4]]
 */
export function sideFeatures(e: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.concat([tf.abs(e), tf.square(e)], 1) as tf.Tensor2D);
}

/**
 * Row-wise Euclidean distance `[n]` between two batches `[n, d]`.
 *
 * @example
 * rowDistance(tf.tensor2d([[0, 0]]), tf.tensor2d([[3, 4]])); // [5]
 */
export function rowDistance(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.sub(a, b)), 1)) as tf.Tensor1D);
}

/**
 * `1 / (1 + d)`: a distance in [0, inf) to a similarity in (0, 1], higher = same person (the paper's conversion).
 *
 * @example
 * distanceToSimilarity(tf.tensor1d([0, 1])); // [1, 0.5]
 */
export function distanceToSimilarity(d: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.reciprocal(tf.add(d, 1)) as tf.Tensor1D);
}
