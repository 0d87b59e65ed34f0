/**
 * `Conv2DBackpropFilter` for the wasm backend: the filter gradient of a 2-D convolution.
 *
 * dW[i, j, ci, co] = sum over (n, y, x) of xpad[n, y*s + i, x*s + j, ci] * dy[n, y, x, co].
 * Built as one matMul: the transposed im2col matrix `[kh*kw*Cin, N*Ho*Wo]` (taps stacked along axis 0 of a
 * channels-first input, see conv_geometry.ts) times `dy` as `[N*Ho*Wo, Cout]` gives `[kh*kw*Cin, Cout]`, which is
 * already the filter layout. Large batches are split so the im2col matrix stays under {@link MAX_PATCH_ELEMENTS}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertNhwc, convGeometry, paddedChannelsFirst, tapSlice } from './conv_geometry.js';
import { asTensor } from './tensor_info.js';

/** Largest im2col matrix built at once (floats); 32 Mi floats = 128 MiB of the 4 GiB wasm heap. */
export const MAX_PATCH_ELEMENTS = 32 * 1024 * 1024;

/**
 * Computes the filter gradient with fast wasm ops (pad, transpose, slice, concat on axis 0, matMul).
 *
 * @example
 * const dw = conv2dBackpropFilterWasm(x, dy, [3, 3, 16, 32], 1, 'same'); // [3, 3, 16, 32]
 */
export function conv2dBackpropFilterWasm(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const g = convGeometry(x.shape, filterShape, strides, pad, dimRoundingMode);
    const [kh, kw, cin, cout] = filterShape;
    const perImage = kh * kw * cin * g.outHeight * g.outWidth;
    const chunk = Math.max(1, Math.min(g.batch, Math.floor(MAX_PATCH_ELEMENTS / Math.max(1, perImage))));
    let total: tf.Tensor2D | null = null;
    for (let start = 0; start < g.batch; start += chunk) {
      const n = Math.min(chunk, g.batch - start);
      const xs = n === g.batch ? x : tf.slice(x, [start, 0, 0, 0], [n, -1, -1, -1]);
      const dys = n === g.batch ? dy : tf.slice(dy, [start, 0, 0, 0], [n, -1, -1, -1]);
      const part = filterGradChunk(xs, dys, { ...g, batch: n }, kh, kw, cin, cout);
      if (total === null) total = part;
      else {
        const next: tf.Tensor2D = tf.add(total, part);
        total.dispose();
        part.dispose();
        total = next;
      }
    }
    return tf.reshape(total as tf.Tensor2D, filterShape);
  });
}

function filterGradChunk(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  g: ReturnType<typeof convGeometry>,
  kh: number,
  kw: number,
  cin: number,
  cout: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const m = g.batch * g.outHeight * g.outWidth;
    const dy2 = tf.reshape(dy, [m, cout]);
    const xp = paddedChannelsFirst(x, g);
    const taps: tf.Tensor4D[] = [];
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) taps.push(tapSlice(xp, g, i, j));
    const patches = taps.length === 1 ? taps[0] : tf.concat(taps, 0);
    return tf.matMul(tf.reshape(patches, [kh * kw * cin, m]), dy2);
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
