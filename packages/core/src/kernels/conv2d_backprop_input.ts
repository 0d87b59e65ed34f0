/**
 * `Conv2DBackpropInput` for the wasm backend: the input gradient of a 2-D convolution.
 *
 * tfjs-backend-wasm has this kernel, but as plain loops it cost more than all convolutions of the forward pass
 * together in a ResNet training step; this one runs on XNNPACK. It is the transposed convolution:
 * - stride 1: frame dy by (k - 1 - pad) and run the forward conv ('valid') with the filter flipped spatially and
 *   its channel axes swapped;
 * - equal strides s > 1: the sub-pixel form (see `subPixel`), one conv over dy itself instead of over a dy spread
 *   out with zeros (which would waste 3/4 of the work at s = 2);
 * - unequal strides: spread dy with zeros, then as for stride 1;
 * - 1x1 filters: a matMul with the transposed filter, spread afterwards.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertNhwc, convGeometry, frame, reverseRows, spread } from './conv_geometry.js';
import { asTensor } from './tensor_info.js';

/**
 * Computes dx `[N, H, W, Cin]` for a conv of an input of shape `inputShape` with `filter`.
 *
 * @example
 * const dx = conv2dBackpropInputWasm([2, 8, 8, 4], dy, filter, 2, 'same');
 */
export function conv2dBackpropInputWasm(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode);
    const [kh, kw, cin, cout] = filter.shape;
    const [n, ho, wo] = dy.shape;
    if (kh === 1 && kw === 1) {
      const wT = tf.transpose(tf.reshape(filter, [cin, cout]));
      const small: tf.Tensor4D = tf.reshape(tf.matMul(tf.reshape(dy, [n * ho * wo, cout]), wT), [
        n,
        ho,
        wo,
        cin,
      ]);
      return frame(spread(small, g.strideHeight, g.strideWidth), -g.top, g.inHeight, -g.left, g.inWidth);
    }
    if (g.strideHeight === g.strideWidth && g.strideHeight > 1) return subPixel(dy, filter, g);
    const framed = frame(
      spread(dy, g.strideHeight, g.strideWidth),
      kh - 1 - g.top,
      g.inHeight + kh - 1,
      kw - 1 - g.left,
      g.inWidth + kw - 1,
    );
    return tf.conv2d(framed, flipFilter(filter), 1, 'valid');
  });
}

/**
 * Strided case without the zeros of the spread input (3/4 of it at stride 2): input position q = s*Q + r only
 * receives taps i = r + s*u, so each output phase r is a stride-1 "full" correlation of dy with a sub-filter.
 * All phases run as ONE conv whose output channels are (phase, Cin), zero-padding the shorter sub-filters to a
 * common length; depthToSpace interleaves the phases.
 */
function subPixel(dy: tf.Tensor4D, filter: tf.Tensor4D, g: ReturnType<typeof convGeometry>): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const s = g.strideHeight;
  const lh = Math.ceil(kh / s);
  const lw = Math.ceil(kw / s);
  // selection matrix: row (v1, v2, r1, r2) picks tap (r1 + s*(lh-1-v1), r2 + s*(lw-1-v2)) when it exists
  const rows = lh * lw * s * s;
  const select = new Float32Array(rows * kh * kw);
  let row = 0;
  for (let v1 = 0; v1 < lh; v1++) {
    for (let v2 = 0; v2 < lw; v2++) {
      for (let r1 = 0; r1 < s; r1++) {
        for (let r2 = 0; r2 < s; r2++, row++) {
          const i = r1 + s * (lh - 1 - v1);
          const j = r2 + s * (lw - 1 - v2);
          if (i < kh && j < kw) select[row * kh * kw + i * kw + j] = 1;
        }
      }
    }
  }
  const picked = tf.matMul(tf.tensor2d(select, [rows, kh * kw]), tf.reshape(filter, [kh * kw, cin * cout]));
  const combined = tf.reshape(tf.transpose(tf.reshape(picked, [lh * lw, s * s * cin, cout]), [0, 2, 1]), [
    lh,
    lw,
    cout,
    s * s * cin,
  ]) as tf.Tensor4D;
  // compute only the phase rows Q in [q0, q1) that cover input rows top .. top + H - 1 (q = s*Q + r), so that
  // usually nothing needs cropping afterwards (slices are slow on wasm; pads are cheap)
  const n = dy.shape[0];
  const q0h = Math.floor(g.top / s);
  const q0w = Math.floor(g.left / s);
  const rowsOut = Math.ceil((g.top + g.inHeight) / s) - q0h;
  const colsOut = Math.ceil((g.left + g.inWidth) / s) - q0w;
  const framed = frame(dy, lh - 1 - q0h, rowsOut + lh - 1, lw - 1 - q0w, colsOut + lw - 1);
  const phases = tf.conv2d(framed, combined, 1, 'valid'); // [N, rowsOut, colsOut, (r1, r2, Cin)]
  // interleave the phases (a 4-D transpose; tf.depthToSpace is ~10x slower on wasm)
  const split = tf.reshape(phases, [n * rowsOut, colsOut, s, s * cin]);
  const interleaved: tf.Tensor4D = tf.reshape(tf.transpose(split, [0, 2, 1, 3]), [
    n,
    rowsOut * s,
    colsOut * s,
    cin,
  ]);
  return frame(interleaved, -(g.top - s * q0h), g.inHeight, -(g.left - s * q0w), g.inWidth);
}

/** The filter of the transposed conv: taps in reverse order and in/out channels swapped, `[kh, kw, Cout, Cin]`. */
function flipFilter(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const reversed = tf.reshape(reverseRows(tf.reshape(filter, [kh * kw, cin * cout])), [kh * kw, cin, cout]);
  return tf.reshape(tf.transpose(reversed, [0, 2, 1]), [kh, kw, cout, cin]);
}

/** The kernel as tfjs calls it: inputs `{dy, filter}`, attrs `{strides, pad, dataFormat, dimRoundingMode, inputShape}`. */
export const conv2dBackpropInputKernel: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  assertNhwc('Conv2DBackpropInput', a.dataFormat);
  return tf.tidy(() =>
    conv2dBackpropInputWasm(
      a.inputShape,
      asTensor<tf.Tensor4D>(inputs.dy as tf.TensorInfo),
      asTensor<tf.Tensor4D>(inputs.filter as tf.TensorInfo),
      a.strides,
      a.pad,
      a.dimRoundingMode,
    ),
  );
};

/** Registration record for `tf.registerKernel` (replaces tfjs-backend-wasm's own, slower kernel). */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputKernel,
};
