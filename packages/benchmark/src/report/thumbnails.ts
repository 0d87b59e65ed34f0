/** Small JPEG thumbnails of example pairs for the HTML report. */
import { resizeImage } from '@mfr/core';
import { readImage, writeImage } from '@mfr/core/node';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Writes `path` as a JPEG `height` pixels tall (aspect kept) to `target`. Returns false when the image cannot
 * be read (the report then shows no picture).
 *
 * @example
 * await writeThumbnail('/data/a.jpg', 'out/thumbs/0-ref.jpg');
 */
export async function writeThumbnail(path: string, target: string, height = 112): Promise<boolean> {
  let image: tf.Tensor3D | null = null;
  try {
    image = await readImage(path);
    const [h, w] = image.shape;
    const small = resizeImage(image, [height, Math.max(1, Math.round((w * height) / h))]);
    try {
      await writeImage(target, small, { quality: 80 });
    } finally {
      small.dispose();
    }
    return true;
  } catch {
    return false;
  } finally {
    image?.dispose();
  }
}
