/**
 * `Conv2DBackpropFilter` for the wasm backend: the filter gradient of a 2-D convolution.
 *
 * dW[i, j, ci, co] = sum over (n, y, x) of xpad[n, y*s + i, x*s + j, ci] * dy[n, y, x, co].
 * That is itself a forward convolution, run by XNNPACK: the padded input with batch and channels swapped,
 * `[Cin, Hp, Wp, N]`, convolved ('valid', dilation = the stride) with dy as the filter, `[Ho, Wo, N, Cout]`, gives
 * `[Cin, kh, kw, Cout]`; a small transpose yields the filter layout. No im2col matrix, no strided slices (slow on
 * wasm), no transpose-flag matMul (~12x slower on wasm than a transpose first).
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertNhwc, convGeometry, padToWindow } from './conv_geometry.js';
import { asTensor } from './tensor_info.js';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * Computes the filter gradient `[kh, kw, Cin, Cout]` with fast wasm ops (pad, transpose, conv2d).
 *
 * @example
 * const dw = conv2dBackpropFilterWasm(x, dy, [3, 3, 16, 32], 1, 'same'); // [3, 3, 16, 32]
 */
export function conv2dBackpropFilterWasm(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(x.shape, filterShape, strides, pad, dimRoundingMode);
    const xp = padToWindow(tf.transpose(x, [3, 1, 2, 0]), g); // [Cin, Hp, Wp, N]
    const dyFilter = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Cout]
    const out = tf.conv2d(xp, dyFilter, 1, 'valid', 'NHWC', [g.strideHeight, g.strideWidth]); // [Cin, kh, kw, Cout]
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/** The kernel as tfjs calls it: inputs `{x, dy}`, attrs `{strides, pad, dataFormat, dimRoundingMode, filterShape}`. */
export const conv2dBackpropFilterKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  assertNhwc('Conv2DBackpropFilter', a.dataFormat);
  return tf.tidy(() =>
    conv2dBackpropFilterWasm(
      asTensor<tf.Tensor4D>(inputs.x as tf.TensorInfo),
      asTensor<tf.Tensor4D>(inputs.dy as tf.TensorInfo),
      a.filterShape,
      a.strides,
      a.pad,
      a.dimRoundingMode,
    ),
  );
};

/** Registration record for `tf.registerKernel`. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterKernel,
};
