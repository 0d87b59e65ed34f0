/**
 * Shared geometry and helpers for the wasm training kernels: padding as tfjs computes it, spreading by a stride,
 * framing, and reversing filter taps. Measured on tfjs-backend-wasm 4.22 (SIMD, 1 thread): pad, transpose,
 * matMul and the XNNPACK convolutions are fast; slice, stridedSlice, reverse, gather, tile, depthToSpace and
 * concat on inner axes are element loops, 10-50x slower per element, so the kernels avoid them on big tensors.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Padding and output size of a 2-D convolution, as tfjs computes them for the forward op. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  strideHeight: number;
  strideWidth: number;
  filterHeight: number;
  filterWidth: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * Computes the geometry with tfjs's own rules (so 'same' splits padding exactly as the forward kernel does).
 *
 * @example
 * const g = convGeometry([8, 32, 32, 16], [3, 3, 16, 32], 2, 'same');
 * g.outHeight; // 16
 */
export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
  depthwise = false,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    depthwise,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
    bottom: info.padInfo.bottom,
    right: info.padInfo.right,
  };
}

/** Throws unless all dilations are 1 (the tfjs gradients make the same demand). */
export function assertNoDilation(kernel: string, dilations: number | [number, number] | undefined): void {
  const d = dilations == null ? [1, 1] : typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (d[0] !== 1 || d[1] !== 1) {
    throw new Error(
      `${kernel} (wasm): dilations must be 1, got [${d}]. Use the cpu or tensorflow backend for dilated convolutions.`,
    );
  }
}

/** Throws unless the data format is channels-last (NHWC), the only layout these kernels implement. */
export function assertNhwc(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} (wasm): only NHWC data is supported, got dataFormat "${dataFormat}".`);
  }
}

/**
 * Pads (or crops) the spatial axes 1 and 2 of `x` to exactly the rows and columns the forward conv reads:
 * `top` zeros first, then the input, then zeros up to `(Ho - 1) * s + k`.
 *
 * @example
 * const xp = padToWindow(tf.transpose(x, [3, 1, 2, 0]), g); // [Cin, usedH, usedW, N]
 */
export function padToWindow(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const usedH = (g.outHeight - 1) * g.strideHeight + g.filterHeight;
  const usedW = (g.outWidth - 1) * g.strideWidth + g.filterWidth;
  const bottom = usedH - g.top - g.inHeight;
  const right = usedW - g.left - g.inWidth;
  let xp = x;
  if (g.top || g.left || bottom > 0 || right > 0) {
    xp = tf.pad(x, [
      [0, 0],
      [g.top, Math.max(0, bottom)],
      [g.left, Math.max(0, right)],
      [0, 0],
    ]);
  }
  if (xp.shape[1] !== usedH || xp.shape[2] !== usedW) xp = tf.slice(xp, [0, 0, 0, 0], [-1, usedH, usedW, -1]);
  return xp;
}

/**
 * Spreads `[N, H, W, C]` to `[N, H*sh, W*sw, C]` with the values at multiples of the stride and zeros between
 * (the input of a transposed convolution), using reshape + pad only.
 *
 * @example
 * spread(tf.ones([1, 2, 2, 1]), 2, 2); // 1 0 1 0 / 0 0 0 0 / 1 0 1 0 / 0 0 0 0
 */
export function spread(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  const six = tf.reshape(x, [n, h, 1, w, 1, c]);
  const padded = tf.pad(six, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return tf.reshape(padded, [n, h * sh, w * sw, c]);
}

/**
 * Shifts x down/right by (top, left) (negative values crop) and zero-fills or crops it to height x width.
 *
 * @example
 * frame(x, 1, x.shape[1] + 2, 1, x.shape[2] + 2); // one row/column of zeros on every side
 */
export function frame(x: tf.Tensor4D, top: number, height: number, left: number, width: number): tf.Tensor4D {
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

/**
 * Reverses the order of the leading (tap) axis of `[taps, rest]` with a permutation-matrix matMul: on wasm this is
 * ~20x faster than `tf.reverse` or `tf.gather` (both element loops).
 *
 * @example
 * reverseRows(tf.tensor2d([[1, 2], [3, 4]])); // [[3, 4], [1, 2]]
 */
export function reverseRows(x: tf.Tensor2D): tf.Tensor2D {
  const n = x.shape[0];
  const perm = new Float32Array(n * n);
  for (let i = 0; i < n; i++) perm[i * n + (n - 1 - i)] = 1;
  return tf.matMul(tf.tensor2d(perm, [n, n]), x);
}
