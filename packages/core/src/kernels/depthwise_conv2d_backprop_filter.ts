/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend: the filter gradient of a depthwise convolution.
 *
 * dW[i, j, c, m] = sum over (n, y, x) of xpad[n, y*s + i, x*s + j, c] * dy[n, y, x, c*mult + m].
 * With the input and dy both channels-first (`[C, N*Ho*Wo]`), each tap is one broadcast multiply and one sum over
 * the innermost axis (fast on wasm; reducing leading axes would make tfjs transpose first).
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertNoDilation, convGeometry, paddedChannelsFirst, tapSlice } from './conv_geometry.js';
import { asTensor } from './tensor_info.js';

/**
 * Computes the depthwise filter gradient `[kh, kw, C, mult]`.
 *
 * @example
 * const dw = depthwiseConv2dBackpropFilterWasm(x, dy, [3, 3, 16, 1], 2, 'same');
 */
export function depthwiseConv2dBackpropFilterWasm(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(x.shape, filterShape, strides, pad, dimRoundingMode, true);
    const [kh, kw, c, mult] = filterShape;
    const m = g.batch * g.outHeight * g.outWidth;
    const xp = paddedChannelsFirst(x, g);
    // dy channel index is c*mult + k (tfjs depthwise layout)
    const dyT = tf.reshape(tf.transpose(tf.reshape(dy, [m, c * mult]), [1, 0]), [c, mult, m]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        taps.push(
          tf.tidy(() => {
            const tap = tf.reshape(tapSlice(xp, g, i, j), [c, 1, m]);
            return tf.sum(tf.mul(tap, dyT), 2) as tf.Tensor2D;
          }),
        );
      }
    }
    return tf.reshape(tf.stack(taps, 0), filterShape);
  });
}

/** The kernel as tfjs calls it: inputs `{x, dy}`, attrs `{strides, dilations, pad, dimRoundingMode, filterShape}`. */
export const depthwiseConv2dBackpropFilterKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  assertNoDilation('DepthwiseConv2dNativeBackpropFilter', a.dilations);
  return tf.tidy(() =>
    depthwiseConv2dBackpropFilterWasm(
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
export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilterKernel,
};
