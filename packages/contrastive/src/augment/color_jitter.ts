/**
 * Colour jitter (torchvision ColorJitter semantics): brightness, contrast and saturation factors drawn from
 * [1 - s, 1 + s], a hue shift from [-h, h] (fraction of the colour wheel). Batched: each image has its own
 * factors; images that are not jittered get identity factors. The four adjustments run in an order drawn
 * once per batch (torchvision draws it per image; per batch keeps the ops batched).
 */

import type { Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options for {@link colorJitter}. Defaults are MoCo v2's "aug+". */
export interface ColorJitterOptions {
  /** Brightness strength: factor in [1 - b, 1 + b]. Default 0.4. */
  brightness?: number;
  /** Contrast strength. Default 0.4. */
  contrast?: number;
  /** Saturation strength. Default 0.4. */
  saturation?: number;
  /** Hue shift in [-hue, hue] of a full turn; at most 0.5. Default 0.1. */
  hue?: number;
  /** Probability that an image is jittered at all. Default 0.8. */
  p?: number;
}

const LUMA = [0.299, 0.587, 0.114];

/** Greyscale (ITU-R 601 imageLuma) of `[N,H,W,3]` as `[N,H,W,1]`. */
export function imageLuma(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sum(tf.mul(images, tf.tensor1d(LUMA)), -1, true) as tf.Tensor4D);
}

// per-image factor [N] -> [N,1,1,1] for broadcasting
const perImage = (values: number[]) => tf.tensor4d(values, [values.length, 1, 1, 1]);

/** RGB in [0,1] -> HSV with all three in [0,1]. */
export function rgbToHsv(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [r, g, b] = tf.split(images, 3, -1);
    const max = tf.maximum(tf.maximum(r, g), b);
    const min = tf.minimum(tf.minimum(r, g), b);
    const chroma = tf.sub(max, min);
    const safeChroma = tf.maximum(chroma, 1e-12);
    const hueR = tf.mod(tf.div(tf.sub(g, b), safeChroma), 6);
    const hueG = tf.add(tf.div(tf.sub(b, r), safeChroma), 2);
    const hueB = tf.add(tf.div(tf.sub(r, g), safeChroma), 4);
    let hue = tf.where(tf.equal(max, r), hueR, tf.where(tf.equal(max, g), hueG, hueB));
    hue = tf.where(tf.greater(chroma, 0), tf.div(hue, 6), tf.zerosLike(hue));
    const saturation = tf.where(
      tf.greater(max, 0),
      tf.div(chroma, tf.maximum(max, 1e-12)),
      tf.zerosLike(max),
    );
    return tf.concat([hue, saturation, max], -1) as tf.Tensor4D;
  });
}

/** HSV (all in [0,1]) -> RGB in [0,1], via f(n) = v - v s max(0, min(k, 4 - k, 1)), k = (n + 6h) mod 6. */
export function hsvToRgb(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [h, s, v] = tf.split(images, 3, -1);
    const channel = (n: number) => {
      const k = tf.mod(tf.add(tf.mul(h, 6), n), 6);
      const ramp = tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1);
      return tf.sub(v, tf.mul(tf.mul(v, s), ramp));
    };
    return tf.concat([channel(5), channel(3), channel(1)], -1) as tf.Tensor4D;
  });
}

type Adjust = (x: tf.Tensor4D) => tf.Tensor4D;

/**
 * Applies colour jitter to a batch `[N,H,W,3]` in [0,1]; the output stays in [0,1].
 *
 * @example
 * const jittered = colorJitter(images, createRng(3)); // p = 0.8, strengths 0.4/0.4/0.4/0.1
 */
export function colorJitter(images: tf.Tensor4D, rng: Rng, options: ColorJitterOptions = {}): tf.Tensor4D {
  const { brightness = 0.4, contrast = 0.4, saturation = 0.4, hue = 0.1, p = 0.8 } = options;
  if (hue < 0 || hue > 0.5) throw new Error(`colorJitter: hue must be in [0, 0.5], got ${hue}`);
  const n = images.shape[0];
  const factors = { b: [] as number[], c: [] as number[], s: [] as number[], h: [] as number[] };
  for (let i = 0; i < n; i++) {
    const apply = rng.bool(p);
    factors.b.push(apply ? rng.range(1 - brightness, 1 + brightness) : 1);
    factors.c.push(apply ? rng.range(1 - contrast, 1 + contrast) : 1);
    factors.s.push(apply ? rng.range(1 - saturation, 1 + saturation) : 1);
    factors.h.push(apply ? rng.range(-hue, hue) : 0);
  }
  const order = rng.shuffle([0, 1, 2, 3]);
  return tf.tidy(() => {
    const clip = (x: tf.Tensor) => tf.clipByValue(x, 0, 1) as tf.Tensor4D;
    const adjustments: Adjust[] = [
      (x) => clip(tf.mul(x, perImage(factors.b))),
      (x) => {
        // blend with the mean grey level of each image
        const mean = tf.mean(imageLuma(x), [1, 2, 3], true);
        return clip(tf.add(tf.mul(tf.sub(x, mean), perImage(factors.c)), mean));
      },
      (x) => {
        const grey = imageLuma(x);
        return clip(tf.add(tf.mul(tf.sub(x, grey), perImage(factors.s)), grey));
      },
      (x) => {
        if (factors.h.every((h) => h === 0)) return x;
        const [h, s, v] = tf.split(rgbToHsv(x), 3, -1);
        const shifted = tf.mod(tf.add(h, perImage(factors.h)), 1);
        return clip(hsvToRgb(tf.concat([shifted, s, v], -1) as tf.Tensor4D));
      },
    ];
    let out: tf.Tensor4D = images;
    for (const index of order) out = adjustments[index](out);
    return out === images ? tf.clone(images) : out;
  });
}
