/** Geometric helpers on image tensors `[h, w, c]`. All return new tensors; the caller disposes them. */
import * as tf from '@tensorflow/tfjs-core';
import { type Size2D, toHeightWidth } from './types.js';

/** Options for {@link resizeImage}. */
export interface ResizeOptions {
  /** 'bilinear' (default) or 'nearest'. */
  method?: 'bilinear' | 'nearest';
  /** Align corner pixels (TF1 behaviour). Default false (half-pixel centres, like sharp/OpenCV). */
  alignCorners?: boolean;
}

/**
 * Resizes an image tensor `[h, w, c]` to `[height, width]`. Returns float32 (input value range kept).
 *
 * @example
 * const small = resizeImage(img, [112, 112]); // bilinear, alignCorners false
 */
export function resizeImage(image: tf.Tensor3D, size: Size2D, options: ResizeOptions = {}): tf.Tensor3D {
  const [h, w] = toHeightWidth(size, 'resizeImage size');
  const alignCorners = options.alignCorners ?? false;
  return tf.tidy(() => {
    const input = tf.cast(image, 'float32') as tf.Tensor3D;
    if (options.method === 'nearest') {
      return tf.image.resizeNearestNeighbor(input, [h, w], alignCorners, !alignCorners);
    }
    return tf.image.resizeBilinear(input, [h, w], alignCorners, !alignCorners);
  });
}

/**
 * Cuts the central `[height, width]` region out of an image. Throws if the crop is larger than the image.
 * When the margin is odd, the extra pixel is left at the bottom/right.
 *
 * @example
 * const centre = centerCrop(img, 200); // 250x250 -> 200x200
 */
export function centerCrop(image: tf.Tensor3D, size: Size2D): tf.Tensor3D {
  const [h, w] = toHeightWidth(size, 'centerCrop size');
  const [H, W, C] = image.shape;
  if (h > H || w > W) throw new Error(`centerCrop: crop ${h}x${w} is larger than the image ${H}x${W}`);
  const top = Math.floor((H - h) / 2);
  const left = Math.floor((W - w) / 2);
  return tf.slice(image, [top, left, 0], [h, w, C]);
}

/** A box in pixels: top-left corner and size. May extend past the image (outside reads as 0). */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Crops a box (pixel coordinates) and resizes it bilinearly to `size`. Parts of the box outside the image
 * are filled with 0. Sampling is pixel-centred: output pixel i covers the box as sharp/OpenCV would.
 *
 * @example
 * const face = cropAndResize(img, { x: 60, y: 70, width: 130, height: 130 }, 112);
 */
export function cropAndResize(image: tf.Tensor3D, box: PixelBox, size: Size2D): tf.Tensor3D {
  const [h, w] = toHeightWidth(size, 'cropAndResize size');
  if (!(box.width > 0 && box.height > 0)) {
    throw new Error(`cropAndResize: box must have positive width and height, got ${JSON.stringify(box)}`);
  }
  const [H, W] = image.shape;
  // tf.image.cropAndResize samples the box corners exactly (align-corners style); choose the corners so that
  // the samples sit at the centres of h x w equal cells of the box (half-pixel convention).
  const y0 = box.y + box.height / h / 2 - 0.5;
  const y1 = box.y + box.height - box.height / h / 2 - 0.5;
  const x0 = box.x + box.width / w / 2 - 0.5;
  const x1 = box.x + box.width - box.width / w / 2 - 0.5;
  const ny = (v: number) => (H > 1 ? v / (H - 1) : 0);
  const nx = (v: number) => (W > 1 ? v / (W - 1) : 0);
  return tf.tidy(() => {
    const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D;
    const boxes = tf.tensor2d([[ny(y0), nx(x0), ny(y1), nx(x1)]]);
    const out = tf.image.cropAndResize(batch, boxes, [0], [h, w], 'bilinear', 0);
    return tf.squeeze(out, [0]) as tf.Tensor3D;
  });
}
