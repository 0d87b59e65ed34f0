/** InfoNCE with a queue of negatives, as in MoCo: logits [q.k+, q.queue] / T, label 0, cross-entropy. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Logits `[N, 1 + K]`: column 0 is the positive `q_i . k_i`, the rest `q_i . queue_j`, all divided by T.
 * `q`, `k` are `[N, dim]` L2-normalised, `queue` is `[dim, K]`.
 *
 * @example
 * const logits = contrastiveLogits(q, k, queue.keys, 0.2);
 */
export function contrastiveLogits(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  queue: tf.Tensor2D,
  temperature: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const positive = tf.sum(tf.mul(q, k), 1, true);
    const negative = tf.matMul(q, queue);
    return tf.div(tf.concat([positive, negative], 1), temperature) as tf.Tensor2D;
  });
}

/**
 * Mean cross-entropy of the logits with target class 0: mean(logsumexp(logits) - logits[:, 0]).
 *
 * @example
 * const loss = infoNceLoss(q, k, queue.keys, 0.2); // scalar
 */
export function infoNceLoss(
  q: tf.Tensor2D,
  k: tf.Tensor2D,
  queue: tf.Tensor2D,
  temperature: number,
): tf.Scalar {
  return tf.tidy(() => {
    const logits = contrastiveLogits(q, k, queue, temperature);
    const positive = tf.slice(logits, [0, 0], [-1, 1]);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1, true), positive)) as tf.Scalar;
  });
}
