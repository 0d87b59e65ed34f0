/** Node: image files -> tensors. */
import type * as tf from '@tensorflow/tfjs-core';
import { readImagePixels } from './decode-file.js';
import { pixelsToTensor } from './pixels-to-tensor.js';
import type { DecodeOptions } from './types.js';

/** Options for {@link readImage}; see {@link DecodeOptions} (resize while decoding). */
export type ReadImageOptions = DecodeOptions;

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
