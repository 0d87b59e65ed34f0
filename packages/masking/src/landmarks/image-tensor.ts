import * as tf from '@tensorflow/tfjs-core';
import type { RgbImage } from './types.js';

/**
 * RGB pixels as an int32 `[height, width, 3]` tensor in 0-255 (what face-api and tfjs-models expect). Caller disposes.
 *
 * @example
 * const t = imageToTensor({ data, width: 250, height: 250 }); t.dispose();
 */
export function imageToTensor(image: RgbImage): tf.Tensor3D {
  return tf.tensor3d(Int32Array.from(image.data), [image.height, image.width, 3], 'int32');
}
