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
import { conv2dBackpropInputConfig } from './conv2d_backprop_input.js';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise_conv2d_backprop_filter.js';
import { depthwiseConv2dBackpropInputConfig } from './depthwise_conv2d_backprop_input.js';
import { registerReluGradient } from './relu_grad.js';

export { batchNormGradConfig, registerBatchNormGradient } from './batch_norm_grad.js';
export { conv2dBackpropFilterWasm } from './conv2d_backprop_filter.js';
export { conv2dBackpropInputWasm } from './conv2d_backprop_input.js';
export { depthwiseConv2dBackpropFilterWasm } from './depthwise_conv2d_backprop_filter.js';
export { depthwiseConv2dBackpropInputWasm } from './depthwise_conv2d_backprop_input.js';
export type { BatchNormTrainingOptions, BatchNormTrainingResult } from './fused_batch_norm.js';
export {
  batchNormTraining,
  batchNormTrainingComposite,
  batchNormTrainingPlain,
} from './fused_batch_norm.js';
export type { NativeBatchNormTraining, NativeTensorFlowOps } from './native_tf.js';
export { nativeTensorFlow } from './native_tf.js';
export { registerReluGradient, reluGradConfig } from './relu_grad.js';

/**
 * The kernels {@link registerWasmTrainingKernels} installs on the 'wasm' backend. `Conv2DBackpropInput` replaces
 * tfjs-backend-wasm's own kernel (plain loops, several times slower than the XNNPACK-based one here).
 */
export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
];

/**
 * Installs the faster gradients of batch norm (broadcast instead of tile) and ReLU (per-backend formula) for
 * every backend. Gradients are global in tfjs; both give the same numbers as tfjs-core's. Idempotent.
 * {@link registerWasmTrainingKernels} and `createBackbone` call it.
 *
 * @example
 * registerTrainingGradients();
 */
export function registerTrainingGradients(): void {
  registerBatchNormGradient();
  registerReluGradient();
}

/**
 * Installs the wasm training kernels (replacing any other registration of those names for 'wasm') and the
 * faster gradients ({@link registerTrainingGradients}). Idempotent; works before or after the wasm backend is initialised.
 * Returns the names of the kernels installed by this call.
 *
 * @example
 * registerWasmTrainingKernels(); // ['Conv2DBackpropFilter', ...] the first time, [] after
 */
export function registerWasmTrainingKernels(): string[] {
  const added: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing != null) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
    added.push(config.kernelName);
  }
  registerTrainingGradients();
  return added;
}
