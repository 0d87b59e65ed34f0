/** Tensors or pixels -> image files, written atomically. */
import { extname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { writeFilesAtomic } from '../io/atomic.js';
import type { Pixels } from './types.js';

/** Options for {@link writeImage}. */
export interface WriteImageOptions {
  /** JPEG/WebP quality 1-100. Default 90. Ignored for PNG. */
  quality?: number;
  /** Write WebP and PNG losslessly (PNG always is). Default false. */
  lossless?: boolean;
}

const FORMATS: Record<string, 'jpeg' | 'png' | 'webp'> = {
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.webp': 'webp',
};

/** Converts a 0-255 tensor `[h, w, c]` (any dtype) to clamped, rounded bytes. */
async function tensorToPixels(image: tf.Tensor3D): Promise<Pixels> {
  if (image.rank !== 3)
    throw new Error(`writeImage: expected a [height, width, channels] tensor, got rank ${image.rank}`);
  const [height, width, channels] = image.shape;
  const bytes = tf.tidy(() => tf.cast(tf.clipByValue(tf.round(tf.cast(image, 'float32')), 0, 255), 'int32'));
  try {
    const values = await bytes.data();
    return { data: Uint8Array.from(values), width, height, channels };
  } finally {
    bytes.dispose();
  }
}

/**
 * Writes an image; the format comes from the extension (.jpg/.jpeg, .png, .webp). Accepts a Tensor3D with
 * values 0-255 (float or int; clamped and rounded; 1, 3 or 4 channels) or raw `{ data, width, height, channels }`.
 * Parent folders are created; the file is written to a temporary name in the same folder and renamed, so
 * readers never see a partial file. Does not dispose the tensor.
 *
 * @example
 * await writeImage('out/face.png', tensor);
 * await writeImage('out/face.jpg', { data, width: 112, height: 112, channels: 3 }, { quality: 95 });
 */
export async function writeImage(
  path: string,
  image: tf.Tensor3D | Pixels,
  options: WriteImageOptions = {},
): Promise<void> {
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) {
    throw new Error(
      `writeImage: cannot tell the format of "${path}"; use a .jpg, .jpeg, .png or .webp extension`,
    );
  }
  const pixels = image instanceof tf.Tensor ? await tensorToPixels(image) : image;
  const channels = pixels.channels ?? 3;
  if (![1, 3, 4].includes(channels))
    throw new Error(`writeImage "${path}": channels must be 1, 3 or 4, got ${channels}`);
  if (pixels.data.length !== pixels.width * pixels.height * channels) {
    throw new Error(
      `writeImage "${path}": data has ${pixels.data.length} bytes, expected ${pixels.width}x${pixels.height}x${channels}`,
    );
  }
  const quality = options.quality ?? 90;
  let pipeline = sharp(pixels.data, {
    raw: { width: pixels.width, height: pixels.height, channels: channels as 1 | 3 | 4 },
  });
  if (format === 'jpeg') pipeline = pipeline.jpeg({ quality });
  else if (format === 'png') pipeline = pipeline.png();
  else pipeline = pipeline.webp({ quality, lossless: options.lossless ?? false });
  const encoded = await pipeline.toBuffer();

  // temp file in the same folder + rename: readers never see a partial image
  await writeFilesAtomic([[path, encoded]]);
}
