/**
 * Training kernels for tfjs-backend-wasm, which ships without the filter/input gradients of conv2d and
 * depthwise conv2d, plus a faster batch-norm gradient. Each kernel is built from fast wasm ops; see its file.
 *
 * @example
 * await import('@tensorflow/tfjs-backend-wasm');
 * registerWasmTrainingKernels();           // safe to call again
 * await tf.setBackend('wasm');
 * const grads = tf.grads((x, w) => tf.conv2d(x, w, 1, 'same').sum())([x, w]);
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerBatchNormGradient } from './batch_norm_grad.js';
import { conv2dBackpropFilterConfig } from './conv2d_backprop_filter.js';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise_conv2d_backprop_filter.js';
import { depthwiseConv2dBackpropInputConfig } from './depthwise_conv2d_backprop_input.js';

export { batchNormGradConfig, registerBatchNormGradient } from './batch_norm_grad.js';
export { conv2dBackpropFilterWasm } from './conv2d_backprop_filter.js';
export { depthwiseConv2dBackpropFilterWasm } from './depthwise_conv2d_backprop_filter.js';
export { depthwiseConv2dBackpropInputWasm } from './depthwise_conv2d_backprop_input.js';

/** The kernels {@link registerWasmTrainingKernels} adds to the 'wasm' backend. */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
];

/**
 * Registers the missing wasm gradient kernels (only those wasm does not already have) and the broadcasting
 * batch-norm gradient. Idempotent; works before or after the wasm backend is initialised.
 * Returns the names of the kernels registered by this call.
 *
 * @example
 * registerWasmTrainingKernels(); // ['Conv2DBackpropFilter', ...] the first time, [] after
 */
export function registerWasmTrainingKernels(): string[] {
  const added: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') == null) {
      tf.registerKernel(config);
      added.push(config.kernelName);
    }
  }
  registerBatchNormGradient();
  return added;
}
