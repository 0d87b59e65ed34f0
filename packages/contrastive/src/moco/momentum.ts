/** The key encoder's momentum update: k <- m k + (1 - m) q, over matching weights, with no gradient. */
import * as tf from '@tensorflow/tfjs-core';

/** Something holding weights as tfjs-layers does (`LayersModel`, `Layer`). */
export interface HasWeights {
  readonly trainableWeights: { read(): tf.Tensor; write(value: tf.Tensor): unknown; readonly name: string }[];
}

/**
 * Moves every trainable weight of `key` towards the same weight of `query`: `k = m * k + (1 - m) * q`.
 * Batch-norm moving statistics are not trainable weights: like MoCo's buffers they follow the key
 * encoder's own forward passes.
 *
 * @example
 * momentumUpdate(queryEncoder, keyEncoder, 0.999);
 */
export function momentumUpdate(query: HasWeights, key: HasWeights, momentum: number): void {
  const q = query.trainableWeights;
  const k = key.trainableWeights;
  if (q.length !== k.length) {
    throw new Error(
      `momentumUpdate: query has ${q.length} trainable weights, key has ${k.length}; encoders must match`,
    );
  }
  for (let i = 0; i < q.length; i++) {
    const updated = tf.tidy(() => tf.add(tf.mul(k[i].read(), momentum), tf.mul(q[i].read(), 1 - momentum)));
    k[i].write(updated);
    updated.dispose();
  }
}

/**
 * Copies all weights (trainable and not) from `source` to `target`, e.g. to start the key encoder equal to
 * the query encoder.
 *
 * @example
 * copyWeights(queryEncoder, keyEncoder);
 */
export function copyWeights(
  source: { getWeights(): tf.Tensor[] },
  target: { setWeights(w: tf.Tensor[]): void },
): void {
  const weights = source.getWeights();
  target.setWeights(weights);
}
