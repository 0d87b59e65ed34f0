/**
 * Gradient of `Relu` that picks the fastest equivalent formula for the active backend.
 *
 * tfjs-core computes `dy * cast(step(x))`. On tfjs-node `step` is a composite of five TensorFlow ops and cost
 * ~12% of a ResNet-18 training step; TensorFlow's own `ReluGrad` does it in one native op there (through the
 * backend's op executor, see native_tf.ts; `dy * cast(x > 0)` where that is off). On wasm and cpu `step` is a
 * single fast kernel, so they keep the original formula. Both give 1 for x > 0 and 0 otherwise (for NaN inputs the
 * tfjs-node formula gives 0 where `step` gives NaN).
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers tfjs-core's gradients when it loads; load it first so it cannot overwrite this one later.
import '@tensorflow/tfjs-layers';
import { nativeTensorFlow } from './native_tf.js';

/** Gradient config for `tf.registerGradient`; saves x like tfjs-core's. */
export const reluGradConfig: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const grad = dy as tf.Tensor;
    const [x] = saved;
    return {
      x: () => {
        const native = x.dtype === 'float32' ? nativeTensorFlow() : null;
        if (native != null) return native.reluGrad(grad, x);
        const mask = tf.getBackend() === 'tensorflow' ? tf.greater(x, 0) : tf.step(x);
        return tf.mul(grad, tf.cast(mask, 'float32'));
      },
    };
  },
};

/**
 * Replaces tfjs-core's Relu gradient with {@link reluGradConfig} (all backends). Idempotent.
 *
 * @example
 * registerReluGradient();
 */
export function registerReluGradient(): void {
  if (tf.getGradient(tf.Relu) !== reluGradConfig) tf.registerGradient(reluGradConfig);
}
