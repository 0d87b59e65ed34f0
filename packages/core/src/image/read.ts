/** Image files -> tensors. */
import * as tf from '@tensorflow/tfjs-core';
import { type DecodeOptions, readImagePixels } from './decode.js';
import type { Pixels } from './types.js';

/** Options for {@link readImage}; see {@link DecodeOptions} (resize while decoding). */
export type ReadImageOptions = DecodeOptions;

/**
 * Wraps 8-bit pixels in a float32 tensor `[height, width, channels]` with values 0-255.
 * The caller disposes it.
 *
 * @example
 * const t = pixelsToTensor({ data, width: 2, height: 1, channels: 3 }); // shape [1, 2, 3]
 */
export function pixelsToTensor(pixels: Pixels): tf.Tensor3D {
  const channels = pixels.channels ?? 3;
  if (pixels.data.length !== pixels.width * pixels.height * channels) {
    throw new Error(
      `pixels: data has ${pixels.data.length} bytes, expected width*height*channels = ${pixels.width * pixels.height * channels}`,
    );
  }
  return tf.tensor3d(Float32Array.from(pixels.data), [pixels.height, pixels.width, channels], 'float32');
}

/**
 * Reads an image file into an RGB tensor `[height, width, 3]`, **dtype float32, values 0-255**
 * (not scaled to 0-1; use `toBatch` for backbone input). JPEG, PNG, WebP, PGM/PPM (P2/P3/P5/P6);
 * greyscale is expanded to 3 channels, alpha dropped, EXIF orientation applied. The caller disposes
 * the tensor. Errors name the file and the reason ('not found', 'empty file', 'unsupported or corrupt image: ...').
 *
 * @example
 * const img = await readImage('../shared/datasets/lfw/images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg');
 * img.shape; // [250, 250, 3]
 * img.dispose();
 */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<tf.Tensor3D> {
  return pixelsToTensor(await readImagePixels(path, options));
}
