/** Lazy, bounded-memory batches of decoded images for inference and training loops. */
import { basename, dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readImagePixels } from '../image/decode-file.js';
import { type Size2D, toHeightWidth } from '../image/types.js';
import { iterateImages } from './query.js';
import type { Dataset, ImageItem } from './types.js';

/** Options for {@link streamImageBatches}. */
export interface StreamImageBatchesOptions {
  /** Images per batch (the last batch may be smaller). Default 32. */
  batchSize?: number;
  /** Output size `[height, width]` (or one number for squares); every image is resized to it while decoding. */
  size: Size2D;
  /** Batches decoded ahead while the caller works on the current one (held as bytes, not tensors). Default 1. */
  prefetch?: number;
  /** How images of another aspect ratio fit `size`: 'fill' (stretch), 'cover' (centre crop), 'contain' (pad). Default 'fill'. */
  fit?: 'fill' | 'cover' | 'contain';
  /** Scale to [0, 1] (backbone input). false keeps 0-255 (e.g. for mobileface/faceres). Default true. */
  normalize?: boolean;
}

/** One batch: `images` row i is `items[i]`. Unreadable files are listed in `failed` and skipped. */
export interface ImageBatch {
  /** float32 `[n, height, width, 3]`, RGB, [0, 1] (or 0-255 with `normalize: false`). The caller disposes it. */
  images: tf.Tensor4D;
  items: ImageItem[];
  failed: { item: ImageItem; error: string }[];
  /** 0-based batch number. */
  index: number;
}

interface DecodedBatch {
  items: ImageItem[];
  pixels: Uint8Array[];
  failed: { item: ImageItem; error: string }[];
}

function itemsOf(source: Dataset | readonly string[] | Iterable<ImageItem>): Iterator<ImageItem> {
  if (Array.isArray(source) && (source.length === 0 || typeof source[0] === 'string')) {
    // bare paths: the identity is the parent folder's name
    return (function* () {
      for (const p of source as readonly string[]) {
        yield { identity: basename(dirname(resolve(p))), identityIndex: -1, path: resolve(p) };
      }
    })();
  }
  if ('identities' in (source as Dataset)) return iterateImages(source as Dataset);
  return (source as Iterable<ImageItem>)[Symbol.iterator]();
}

/**
 * Streams a dataset (or a list of paths, or any iterable of items) as decoded, resized batches. Files are
 * read lazily, at most `prefetch + 1` batches of bytes are held, and no tensor exists until a batch is
 * yielded, so stopping early leaks nothing. A file that cannot be decoded does not stop the stream: it
 * appears in the batch's `failed` list (a batch may then hold fewer images, even zero).
 *
 * @example
 * for await (const batch of streamImageBatches(att, { batchSize: 16, size: 112 })) {
 *   const emb = backbone.predict(batch.images) as tf.Tensor2D;
 *   // ... use emb with batch.items ...
 *   tf.dispose([emb, batch.images]);
 * }
 */
export async function* streamImageBatches(
  source: Dataset | readonly string[] | Iterable<ImageItem>,
  options: StreamImageBatchesOptions,
): AsyncGenerator<ImageBatch> {
  const [height, width] = toHeightWidth(options.size, 'streamImageBatches size');
  const batchSize = options.batchSize ?? 32;
  const prefetch = options.prefetch ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`streamImageBatches: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!Number.isInteger(prefetch) || prefetch < 0) {
    throw new Error(`streamImageBatches: prefetch must be an integer >= 0, got ${prefetch}`);
  }
  const iterator = itemsOf(source);
  let exhausted = false;

  // Takes the next items synchronously (so batches keep their order), then decodes them concurrently.
  const loadNext = (): Promise<DecodedBatch> | null => {
    if (exhausted) return null;
    const items: ImageItem[] = [];
    while (items.length < batchSize) {
      const r = iterator.next();
      if (r.done) {
        exhausted = true;
        break;
      }
      items.push(r.value);
    }
    if (items.length === 0) return null;
    return Promise.allSettled(
      items.map((item) => readImagePixels(item.path, { size: [height, width], fit: options.fit ?? 'fill' })),
    ).then((results) => {
      const batch: DecodedBatch = { items: [], pixels: [], failed: [] };
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          batch.items.push(items[i]);
          batch.pixels.push(r.value.data);
        } else {
          batch.failed.push({ item: items[i], error: (r.reason as Error).message });
        }
      });
      return batch;
    });
  };

  // batches being decoded ahead of the one the caller is about to get
  const queue: Promise<DecodedBatch>[] = [];
  const fill = () => {
    while (queue.length < prefetch) {
      const next = loadNext();
      if (!next) break;
      queue.push(next);
    }
  };
  const divisor = options.normalize === false ? 1 : 255;
  const pixelsPerImage = height * width * 3;
  for (let index = 0; ; index++) {
    const current = queue.shift() ?? loadNext();
    if (!current) return;
    fill();
    const decoded = await current;
    const values = new Float32Array(decoded.pixels.length * pixelsPerImage);
    decoded.pixels.forEach((px, i) => {
      const offset = i * pixelsPerImage;
      for (let j = 0; j < pixelsPerImage; j++) values[offset + j] = px[j] / divisor;
    });
    const images = tf.tensor4d(values, [decoded.pixels.length, height, width, 3], 'float32');
    yield { images, items: decoded.items, failed: decoded.failed, index };
  }
}
