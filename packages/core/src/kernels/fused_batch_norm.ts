/**
 * Batch norm in training mode (batch statistics), optionally followed by a residual add and a ReLU, as one
 * differentiable op: `relu(batchNorm(x) + residual)`.
 *
 * On tfjs-node the forward pass is TensorFlow's `FusedBatchNormV3` (+ `AddV2`, `Relu`) and the backward pass
 * `ReluGrad` + `FusedBatchNormGradV3`, joined by a `tf.customGrad`: 2-3 native ops each way, where the plain tfjs
 * path runs about 25 (moments, the batch-norm formula, its gradient). Every other backend (wasm, cpu, webgl...) runs
 * the plain path, exactly the ops tfjs-layers' `BatchNormalization` (+ `Add` + `ReLU` layers) runs. Both give the
 * same values and gradients up to float32 rounding (the tests compare them).
 *
 * @example
 * const { y, mean, variance } = batchNormTraining(x, gamma, beta, { epsilon: 1e-5, relu: true });
 * // ... use y; update moving statistics from mean and variance; then
 * tf.dispose([mean, variance]);
 */
import * as tf from '@tensorflow/tfjs-core';
import { nativeTensorFlow } from './native_tf.js';

export interface BatchNormTrainingOptions {
  /** Added to the variance before the square root. */
  epsilon: number;
  /** Apply a ReLU after the normalisation (and the residual add). Default false. */
  relu?: boolean;
  /** Added to the normalised value before the ReLU (a residual block's shortcut); same shape as x. */
  residual?: tf.Tensor4D;
}

export interface BatchNormTrainingResult {
  /** The output, shape of x. */
  y: tf.Tensor4D;
  /** Batch mean per channel. Not tracked by tidy scopes (kept): the caller disposes it. */
  mean: tf.Tensor1D;
  /** Batch variance per channel (biased, as tfjs-layers uses it for the moving variance). Kept: the caller disposes it. */
  variance: tf.Tensor1D;
}

/** The plain tfjs path (any backend): the ops tfjs-layers' BatchNormalization, Add and ReLU layers run. */
export function batchNormTrainingPlain(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  options: BatchNormTrainingOptions,
): BatchNormTrainingResult {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  let y: tf.Tensor4D = tf.batchNorm4d(
    x,
    mean as tf.Tensor1D,
    variance as tf.Tensor1D,
    beta,
    gamma,
    options.epsilon,
  );
  if (options.residual) y = tf.add(y, options.residual);
  if (options.relu) y = tf.relu(y);
  return { y, mean: tf.keep(mean as tf.Tensor1D), variance: tf.keep(variance as tf.Tensor1D) };
}

/**
 * `relu(batchNorm(x; batch statistics) + residual)` with native TensorFlow ops on tfjs-node and the plain tfjs ops
 * elsewhere (see the file comment). x: NHWC float32; gamma, beta: [channels].
 */
export function batchNormTraining(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  options: BatchNormTrainingOptions,
): BatchNormTrainingResult {
  const native = nativeTensorFlow();
  if (native == null || x.rank !== 4 || x.dtype !== 'float32') {
    return batchNormTrainingPlain(x, gamma, beta, options);
  }
  const { epsilon, relu = false, residual } = options;
  const [n, h, w] = x.shape;
  const count = n * h * w;
  let mean: tf.Tensor1D | undefined;
  let unbiased: tf.Tensor1D | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xs, g, b, res] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D | undefined];
    const out = native.fusedBatchNormTraining(xs, g, b, epsilon);
    // the statistics leave this scope (the forward pass runs in a tidy that would dispose them)
    mean = tf.keep(out.mean);
    unbiased = tf.keep(out.unbiasedVariance);
    let y = out.y;
    if (res) y = native.add(y, res);
    if (relu) y = native.relu(y);
    // the ReLU's output marks where its gradient passes (same positions as its input's > 0)
    save(relu ? [xs, g, ...out.reserve, y] : [xs, g, ...out.reserve]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sg, r1, r2, r3, sy] = saved;
        let dz = dy as tf.Tensor4D;
        if (relu) dz = native.reluGrad(dz, sy);
        const [dx, dgamma, dbeta] = native.fusedBatchNormTrainingGrad(
          dz,
          sx as tf.Tensor4D,
          sg as tf.Tensor1D,
          [r1, r2, r3],
          epsilon,
        );
        // the shortcut's gradient is dz itself; a new tensor object, since the engine may dispose what it gets
        return res ? [dx, dgamma, dbeta, relu ? dz : tf.reshape(dz, dz.shape)] : [dx, dgamma, dbeta];
      },
    };
  });
  const y = (residual ? op(x, gamma, beta, residual) : op(x, gamma, beta)) as tf.Tensor4D;
  // tfjs-layers keeps the biased variance; TensorFlow returns the unbiased one
  const un = unbiased as tf.Tensor1D;
  const variance = tf.keep(tf.tidy(() => tf.mul(un, count > 1 ? (count - 1) / count : 0))) as tf.Tensor1D;
  un.dispose();
  return { y, mean: mean as tf.Tensor1D, variance };
}
