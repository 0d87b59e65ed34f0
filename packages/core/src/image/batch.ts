/** Images -> a backbone batch. */
import * as tf from '@tensorflow/tfjs-core';
import { type Size2D, toHeightWidth } from './types.js';

/** Options for {@link toBatch}. */
export interface ToBatchOptions {
  /** Divide 0-255 values by 255 so the batch is in [0, 1] (what backbones take). Default true. */
  normalize?: boolean;
}

/**
 * Stacks RGB images (`[h, w, 3]`, values 0-255, any sizes) into a float32 NHWC batch `[n, height, width, 3]`,
 * resized bilinearly (alignCorners false) where needed and scaled to [0, 1]. Does not dispose the inputs.
 *
 * @example
 * const batch = toBatch([imgA, imgB], 112); // [2, 112, 112, 3] in [0, 1]
 */
export function toBatch(
  images: readonly tf.Tensor3D[],
  size: Size2D,
  options: ToBatchOptions = {},
): tf.Tensor4D {
  if (images.length === 0) throw new Error('toBatch: no images given');
  const [h, w] = toHeightWidth(size, 'toBatch size');
  return tf.tidy(() => {
    const resized = images.map((image, i) => {
      if (image.rank !== 3 || image.shape[2] !== 3) {
        throw new Error(`toBatch: image ${i} has shape [${image.shape}], expected [height, width, 3]`);
      }
      const f = tf.cast(image, 'float32') as tf.Tensor3D;
      return image.shape[0] === h && image.shape[1] === w
        ? f
        : tf.image.resizeBilinear(f, [h, w], false, true);
    });
    const stacked = tf.stack(resized) as tf.Tensor4D;
    return options.normalize === false ? stacked : tf.div(stacked, 255);
  });
}
