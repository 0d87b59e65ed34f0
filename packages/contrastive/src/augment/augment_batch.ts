/**
 * MoCo v2 "aug+" (SimCLR's recipe): random resized crop -> colour jitter (p 0.8) -> greyscale (p 0.2) ->
 * Gaussian blur (p 0.5) -> horizontal flip (p 0.5). Batched tfjs ops; every random choice comes from `rng`.
 */

import type { Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ColorJitterOptions, colorJitter } from './color_jitter.js';
import { type RandomGaussianBlurOptions, randomGaussianBlur } from './gaussian_blur.js';
import { type RandomGrayscaleOptions, randomGrayscale } from './grayscale.js';
import { type RandomHorizontalFlipOptions, randomHorizontalFlip } from './horizontal_flip.js';
import { type RandomResizedCropOptions, randomResizedCrop } from './random_resized_crop.js';

/** Options for {@link augmentBatch}; each step can be tuned or switched off with `false`. */
export interface AugmentOptions {
  /** Output side in pixels. Default: the input height. */
  size?: number;
  /** Random resized crop. Default scale [0.2, 1], ratio [3/4, 4/3]. `false`: plain resize to `size`. */
  crop?: Omit<RandomResizedCropOptions, 'size'> | false;
  /** Colour jitter. Default 0.4/0.4/0.4/0.1 with p 0.8. */
  colorJitter?: ColorJitterOptions | false;
  /** Greyscale. Default p 0.2. */
  grayscale?: RandomGrayscaleOptions | false;
  /** Gaussian blur. Default sigma 0.1-2 with p 0.5. */
  blur?: RandomGaussianBlurOptions | false;
  /** Horizontal flip. Default p 0.5. */
  flip?: RandomHorizontalFlipOptions | false;
}

/**
 * One augmented view of every image in a batch `[N,H,W,3]` with values in [0,1]; returns `[N,size,size,3]`
 * in [0,1]. The input is not disposed. The same rng state gives the same view.
 *
 * @example
 * const rng = createRng(7);
 * const query = augmentBatch(images, rng, { size: 64 });
 * const key = augmentBatch(images, rng, { size: 64 }); // a second, different view
 */
export function augmentBatch(images: tf.Tensor4D, rng: Rng, options: AugmentOptions = {}): tf.Tensor4D {
  if (images.rank !== 4 || images.shape[3] !== 3) {
    throw new Error(`augmentBatch: images must be [N,H,W,3], got [${images.shape.join(',')}]`);
  }
  const size = options.size ?? images.shape[1];
  return tf.tidy(() => {
    let x: tf.Tensor4D =
      options.crop === false
        ? tf.image.resizeBilinear(images, [size, size])
        : randomResizedCrop(images, rng, { ...options.crop, size });
    if (options.colorJitter !== false) x = colorJitter(x, rng, options.colorJitter);
    if (options.grayscale !== false) x = randomGrayscale(x, rng, options.grayscale);
    if (options.blur !== false) x = randomGaussianBlur(x, rng, options.blur);
    if (options.flip !== false) x = randomHorizontalFlip(x, rng, options.flip);
    // bilinear resampling and blur can overshoot by rounding; keep the documented range exact
    return tf.clipByValue(x, 0, 1);
  });
}
