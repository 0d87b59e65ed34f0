/** Counting, filtering and iterating a {@link Dataset} (no file access). */
import type { Dataset, ImageItem } from './types.js';

/**
 * Total number of images.
 *
 * @example
 * imageCount(await scanDataset('../shared/datasets/att')); // 400
 */
export function imageCount(dataset: Dataset): number {
  return dataset.identities.reduce((n, id) => n + id.images.length, 0);
}

/**
 * A new Dataset keeping only identities with at least `n` images (e.g. 2 for genuine pairs).
 *
 * @example
 * const pairsReady = filterMinImages(lfw, 2); // 1,680 LFW identities
 */
export function filterMinImages(dataset: Dataset, n: number): Dataset {
  return { ...dataset, identities: dataset.identities.filter((id) => id.images.length >= n) };
}

/**
 * Lazily yields every image with its identity, identity by identity, in dataset order.
 *
 * @example
 * for (const { identity, path } of iterateImages(att)) console.log(identity, path);
 */
export function* iterateImages(dataset: Dataset): Generator<ImageItem> {
  for (let i = 0; i < dataset.identities.length; i++) {
    const { name, images } = dataset.identities[i];
    for (const path of images) yield { identity: name, identityIndex: i, path };
  }
}
