/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend: the input gradient of a depthwise convolution.
 *
 * It is the transposed convolution: spread dy out by the stride (zeros between rows/columns, made with reshape +
 * pad), pad it by (k - 1 - pad) so every tap lands, and run the fast forward depthwise conv (stride 1, 'valid')
 * with the spatially flipped filter. A channel multiplier > 1 is folded into the channel axis and summed after.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertNoDilation, convGeometry, frame, reverseRows, spread } from './conv_geometry.js';
import { asTensor } from './tensor_info.js';

/**
 * Computes dx `[N, H, W, C]` for a depthwise conv of an input of shape `inputShape`.
 *
 * @example
 * const dx = depthwiseConv2dBackpropInputWasm([2, 8, 8, 4], dy, filter, 2, 'same');
 */
export function depthwiseConv2dBackpropInputWasm(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode, true);
    const [kh, kw, c, mult] = filter.shape;
    const n = dy.shape[0];
    const sh = g.strideHeight;
    const sw = g.strideWidth;
    // spread dy by the stride, then frame it: frame row r holds spread row r - (kh - 1 - top)
    const framed = frame(
      spread(dy, sh, sw),
      kh - 1 - g.top,
      g.inHeight + kh - 1,
      kw - 1 - g.left,
      g.inWidth + kw - 1,
    );
    // correlate with the flipped filter, one output channel per (c, m) pair
    const flipped = tf.reshape(reverseRows(tf.reshape(filter, [kh * kw, c * mult])), [
      kh,
      kw,
      c * mult,
      1,
    ]) as tf.Tensor4D;
    const out = tf.depthwiseConv2d(framed, flipped, 1, 'valid');
    if (mult === 1) return out;
    return tf.sum(tf.reshape(out, [n, g.inHeight, g.inWidth, c, mult]), 4) as tf.Tensor4D;
  });
}

/** The kernel as tfjs calls it: inputs `{dy, filter}`, attrs `{strides, dilations, pad, dimRoundingMode, inputShape}`. */
export const depthwiseConv2dBackpropInputKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  assertNoDilation('DepthwiseConv2dNativeBackpropInput', a.dilations);
  return tf.tidy(() =>
    depthwiseConv2dBackpropInputWasm(
      a.inputShape,
      asTensor<tf.Tensor4D>(inputs.dy as tf.TensorInfo),
      asTensor<tf.Tensor4D>(inputs.filter as tf.TensorInfo),
      a.strides,
      a.pad,
      a.dimRoundingMode,
    ),
  );
};

/** Registration record for `tf.registerKernel`. */
export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInputKernel,
};
