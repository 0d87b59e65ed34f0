import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows scaled to unit L2 norm; a zero row stays zero (the norm is clamped at 1e-12). The caller disposes the
 * result. The one row normaliser of the workspace: MoCo's projections and the Siamese embeddings use it.
 *
 * @example
 * l2Normalize(tf.tensor2d([[3, 4]])); // [[0.6, 0.8]]
 */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}
