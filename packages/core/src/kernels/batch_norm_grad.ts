/**
 * Gradient of `FusedBatchNorm` (tf.batchNorm) that broadcasts the per-channel factors instead of tiling them.
 *
 * tfjs-core's gradient tiles `1/sqrt(var + eps)` to the full activation shape before multiplying (`tile` is very
 * slow on wasm) and multiplies full-size tensors where a per-channel factor would do. This version folds the
 * per-channel factors first and lets the multiply broadcast; it is registered for every backend (gradients are
 * global in tfjs) and gives the same numbers as the original formula.
 *
 *   dx       = dy * scale * rsqrt(var + eps)
 *   dmean    = -sum(dy) * scale * rsqrt(var + eps)
 *   dvar     = -0.5 * sum(dy * (x - mean)) * scale * rsqrt(var + eps)^3
 *   dscale   = sum(dy * (x - mean)) * rsqrt(var + eps)
 *   doffset  = sum(dy)
 * (sums run over the axes a parameter was broadcast along.)
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers tfjs-core's gradients when it loads; load it first so it cannot overwrite this one later.
import '@tensorflow/tfjs-layers';

// Sums t over the axes along which `shape` was broadcast to t's shape, then gives it `shape`.
function reduceTo(t: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, t.shape);
  if (axes.length === 0) return tf.reshape(t, shape);
  const channels = t.shape[t.rank - 1];
  const leadingOnly = axes.length === t.rank - 1 && axes.every((a, i) => a === i);
  if (leadingOnly && tf.getBackend() === 'wasm') {
    // wasm transposes the whole tensor before reducing leading axes; ones[1, M] @ t[M, C] is ~4x faster there
    const rows = t.size / channels;
    return tf.reshape(tf.matMul(tf.ones([1, rows]), tf.reshape(t, [rows, channels])), shape);
  }
  return tf.reshape(tf.sum(t, axes), shape);
}

/** Gradient config for `tf.registerGradient`; inputs saved: x, mean, variance, scale. */
export const batchNormGradConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const grad = dy as tf.Tensor;
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved;
    // Computed once for all five gradients (they live until the backward pass ends, like every gradient
    // intermediate): the per-channel factors and the two reductions shared by mean/offset and variance/scale.
    // Only a batch norm that is frozen AND in inference mode, with trainable layers below it, would not use them.
    const invStd = tf.rsqrt(tf.add(variance, varianceEpsilon));
    const scaledInvStd = scale == null ? invStd : tf.mul(invStd, scale);
    const sumDy = reduceTo(grad, mean.shape);
    const sumDyCentered = reduceTo(tf.mul(grad, tf.sub(x, mean)), mean.shape);
    return {
      x: () => tf.mul(grad, scaledInvStd),
      mean: () => tf.reshape(tf.mul(sumDy, tf.neg(scaledInvStd)), mean.shape),
      variance: () =>
        tf.reshape(
          tf.mul(sumDyCentered, tf.mul(tf.mul(tf.square(invStd), scaledInvStd), -0.5)),
          variance.shape,
        ),
      scale: () => tf.reshape(tf.mul(sumDyCentered, invStd), (scale ?? mean).shape),
      // a new tensor object: the engine may dispose what a gradient thunk returns
      offset: () => tf.reshape(sumDy, mean.shape),
    };
  },
};

/**
 * Replaces tfjs-core's FusedBatchNorm gradient with the broadcasting one (all backends). Idempotent.
 *
 * @example
 * registerBatchNormGradient();
 * const g = tf.grad((x) => tf.batchNorm(x, mean, variance).sum())(x);
 */
export function registerBatchNormGradient(): void {
  if (tf.getGradient(tf.FusedBatchNorm) !== batchNormGradConfig) tf.registerGradient(batchNormGradConfig);
}
