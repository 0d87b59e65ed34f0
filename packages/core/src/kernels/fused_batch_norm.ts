/**
 * Batch norm in training mode (batch statistics), optionally followed by a residual add and a ReLU, as one
 * differentiable op: `relu(batchNorm(x) + residual)`.
 *
 * On tfjs-node the forward pass is TensorFlow's `FusedBatchNormV3` (+ `AddV2`, `Relu`) and the backward pass
 * `ReluGrad` + `FusedBatchNormGradV3`, joined by a `tf.customGrad`: 2-3 native ops each way, where the plain tfjs
 * path (`batchNormTrainingPlain`: the ops tfjs-layers' `BatchNormalization` + `Add` + `ReLU` layers run, and their
 * automatic gradients) runs about 40. Every other backend (wasm, cpu, webgl...) runs a composite `tf.customGrad`
 * with the closed-form gradient, per-channel sums as `ones[1, M] @ x[M, C]` (wasm reduces leading axes by
 * transposing the whole tensor first; the product is several times faster there):
 *
 *   forward:  mean = sum(x) / M, var = sum((x - mean)^2) / M, xhat = (x - mean) * rsqrt(var + eps),
 *             y = relu(gamma * xhat + beta + residual)
 *   backward: d = dy * (y > 0), dbeta = sum(d), dgamma = sum(d * xhat),
 *             dx = gamma * rsqrt(var + eps) / M * (M * d - dbeta - xhat * dgamma), dresidual = d
 *
 * All three give the same values and gradients up to float32 rounding (the tests compare them).
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

/** The composite path (any backend): one customGrad with the closed-form gradient (see the file comment). */
export function batchNormTrainingComposite(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  options: BatchNormTrainingOptions,
): BatchNormTrainingResult {
  const { epsilon, relu = false, residual } = options;
  const shape = x.shape;
  const channels = shape[3];
  const count = shape[0] * shape[1] * shape[2];
  let mean: tf.Tensor1D | undefined;
  let variance: tf.Tensor1D | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xs, g, b, res] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor4D | undefined];
    const ones = tf.ones([1, count]);
    const x2 = tf.reshape(xs, [count, channels]);
    const meanRow = tf.div(tf.matMul(ones, x2), count);
    const centered = tf.sub(x2, meanRow);
    const varRow = tf.div(tf.matMul(ones, tf.square(centered)), count);
    const invStd = tf.rsqrt(tf.add(varRow, epsilon));
    const xhat = tf.mul(centered, invStd);
    let y: tf.Tensor = tf.add(tf.mul(xhat, g), b);
    if (res) y = tf.add(y, tf.reshape(res, [count, channels]));
    if (relu) y = tf.relu(y);
    mean = tf.keep(tf.reshape(meanRow, [channels]) as tf.Tensor1D);
    variance = tf.keep(tf.reshape(varRow, [channels]) as tf.Tensor1D);
    save(relu ? [xhat, invStd, g, y] : [xhat, invStd, g]);
    return {
      value: tf.reshape(y, shape),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sxhat, sinv, sg, sy] = saved;
        let d = tf.reshape(dy as tf.Tensor, [count, channels]);
        if (relu) d = tf.mul(d, tf.step(sy));
        const onesB = tf.ones([1, count]);
        const dbeta = tf.matMul(onesB, d);
        const dgamma = tf.matMul(onesB, tf.mul(d, sxhat));
        const k = tf.div(tf.mul(sg, sinv), count);
        const dx = tf.mul(k, tf.sub(tf.sub(tf.mul(d, count), dbeta), tf.mul(sxhat, dgamma)));
        const grads = [tf.reshape(dx, shape), tf.reshape(dgamma, [channels]), tf.reshape(dbeta, [channels])];
        return res ? [...grads, tf.reshape(d, shape)] : grads;
      },
    };
  });
  const y = (residual ? op(x, gamma, beta, residual) : op(x, gamma, beta)) as tf.Tensor4D;
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/**
 * `relu(batchNorm(x; batch statistics) + residual)` with native TensorFlow ops on tfjs-node and the composite
 * customGrad elsewhere (see the file comment). x: NHWC float32; gamma, beta: [channels].
 */
export function batchNormTraining(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  options: BatchNormTrainingOptions,
): BatchNormTrainingResult {
  const native = nativeTensorFlow();
  if (x.rank !== 4 || x.dtype !== 'float32') return batchNormTrainingPlain(x, gamma, beta, options);
  if (native == null) return batchNormTrainingComposite(x, gamma, beta, options);
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
