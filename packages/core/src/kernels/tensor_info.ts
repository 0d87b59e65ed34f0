/** Kernel inputs arrive as TensorInfo; the wasm training kernels are written with tfjs ops, which want Tensors. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * The input as a Tensor. Wrapping a bare TensorInfo adds a reference that the caller's `tf.tidy` releases.
 *
 * @example
 * const x = asTensor<tf.Tensor4D>(inputs.x);
 */
export function asTensor<T extends tf.Tensor>(info: tf.TensorInfo): T {
  if (info instanceof tf.Tensor) return info as T;
  return tf.engine().makeTensorFromTensorInfo(info) as T;
}
