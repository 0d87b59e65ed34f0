import * as tf from '@tensorflow/tfjs-core';
import type { Pixels } from './types.js';

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
