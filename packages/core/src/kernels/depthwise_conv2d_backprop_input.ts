/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend: the input gradient of a depthwise convolution.
 *
 * It is the transposed convolution: spread dy out by the stride (zeros between rows/columns, made with reshape +
 * pad), pad it by (k - 1 - pad) so every tap lands, and run the fast forward depthwise conv (stride 1, 'valid')
 * with the spatially flipped filter. A channel multiplier > 1 is folded into the channel axis and summed after.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertNoDilation, convGeometry } from './conv_geometry.js';
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
    const [n, ho, wo, cm] = dy.shape;
    const sh = g.strideHeight;
    const sw = g.strideWidth;
    // 1. spread: [N, Ho, Wo, CM] -> [N, Ho*sh, Wo*sw, CM] with dy at multiples of the stride
    let spread: tf.Tensor4D = dy;
    if (sh > 1 || sw > 1) {
      const six = tf.reshape(dy, [n, ho, 1, wo, 1, cm]);
      const padded = tf.pad(six, [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ]);
      spread = tf.reshape(padded, [n, ho * sh, wo * sw, cm]);
    }
    // 2. frame: row r of the frame is spread row r - (kh - 1 - top); the frame is H + kh - 1 rows tall
    const framed = frame(spread, kh - 1 - g.top, g.inHeight + kh - 1, kw - 1 - g.left, g.inWidth + kw - 1);
    // 3. correlate with the flipped filter, one output channel per (c, m) pair
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * mult, 1]);
    const out = tf.depthwiseConv2d(framed, flipped, 1, 'valid');
    if (mult === 1) return out;
    return tf.sum(tf.reshape(out, [n, g.inHeight, g.inWidth, c, mult]), 4) as tf.Tensor4D;
  });
}

// Shifts x down/right by (top, left) and crops or zero-fills it to height x width.
function frame(x: tf.Tensor4D, top: number, height: number, left: number, width: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const padTop = Math.max(0, top);
  const padLeft = Math.max(0, left);
  const padBottom = Math.max(0, height - top - h);
  const padRight = Math.max(0, width - left - w);
  const padded =
    padTop || padLeft || padBottom || padRight
      ? tf.pad(x, [
          [0, 0],
          [padTop, padBottom],
          [padLeft, padRight],
          [0, 0],
        ])
      : x;
  const startH = padTop - top;
  const startW = padLeft - left;
  if (startH === 0 && startW === 0 && padded.shape[1] === height && padded.shape[2] === width) return padded;
  return tf.slice(padded, [0, startH, startW, 0], [-1, height, width, -1]);
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
