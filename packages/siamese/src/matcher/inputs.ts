/** What the matcher accepts as a photo, and how each kind becomes RGB pixels. */

import { decodeImage, readImageFrom, rgbFromPixels } from '@mfr/core';
import type { RgbImage } from '@mfr/masking';
import * as tf from '@tensorflow/tfjs-core';

/** Browser image sources tfjs can read pixels from (`tf.browser.fromPixels`). */
type BrowserPixelSource = Parameters<typeof tf.browser.fromPixels>[0];

/**
 * A photo: a file path (Node) or URL, encoded bytes (JPEG/PNG/WebP/PGM), a `tf.Tensor3D` `[h, w, 3]` RGB 0-255 (not
 * disposed), RGB(A) pixels `{ data, width, height }` (e.g. an `ImageData`), or in a browser an
 * `HTMLImageElement`, `HTMLCanvasElement`, `HTMLVideoElement` or `ImageBitmap`.
 */
export type MatcherInput =
  | string
  | Uint8Array
  | tf.Tensor3D
  | { data: Uint8Array | Uint8ClampedArray; width: number; height: number }
  | BrowserPixelSource;

/**
 * The RGB pixels of a matcher input, with a name for error messages.
 *
 * @example
 * const { image } = await toRgbImage('probe.jpg'); // { data, width, height }
 */
export async function toRgbImage(input: MatcherInput): Promise<{ image: RgbImage; name: string }> {
  if (typeof input === 'string') return { image: await readImageFrom(input), name: input };
  if (input instanceof Uint8Array) return { image: await decodeImage(input, '<bytes>'), name: '<bytes>' };
  if (input instanceof tf.Tensor)
    return { image: await tensorPixels(input as tf.Tensor3D), name: '<tensor>' };
  if (isPixelData(input)) return { image: rgbFromPixels(input, 'matcher'), name: '<pixels>' };
  // browser elements: tfjs reads them through a canvas
  const tensor = tf.browser.fromPixels(input as BrowserPixelSource, 3);
  try {
    return { image: await tensorPixels(tensor), name: '<image element>' };
  } finally {
    tensor.dispose();
  }
}

function isPixelData(input: unknown): input is { data: ArrayLike<number>; width: number; height: number } {
  const x = input as { data?: unknown; width?: unknown; height?: unknown };
  return (
    typeof x === 'object' &&
    x !== null &&
    (x.data instanceof Uint8Array || x.data instanceof Uint8ClampedArray) &&
    typeof x.width === 'number' &&
    typeof x.height === 'number'
  );
}

async function tensorPixels(tensor: tf.Tensor3D): Promise<RgbImage> {
  if (tensor.rank !== 3 || tensor.shape[2] !== 3) {
    throw new Error(`matcher: a tensor input must be [height, width, 3] RGB 0-255, got [${tensor.shape}]`);
  }
  const bytes = tf.tidy(() => tf.cast(tf.clipByValue(tf.round(tensor), 0, 255), 'int32'));
  try {
    const [height, width] = tensor.shape;
    return { data: Uint8Array.from(await bytes.data()), width, height };
  } finally {
    bytes.dispose();
  }
}
