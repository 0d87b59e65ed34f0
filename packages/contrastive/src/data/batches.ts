/**
 * Batches for pre-training, as a pure function of (seed, step): which images, whether a view comes from the
 * masked copy, and the augmentation seed. So a prefetcher can run ahead, and a resumed run sees exactly the
 * batches an uninterrupted one would. Pixels are read lazily, a few batches ahead, and never all at once.
 */
import { createRng, type Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PretrainImage } from './images.js';

/** Reads one image as `[H,W,3]` float32 0-255 at `size x size` (the trainer passes @mfr/core `readImage`). */
export type ImageLoader = (path: string, size: number) => Promise<tf.Tensor3D>;

/** Which images a step uses and where each view comes from. */
export interface BatchPlan {
  step: number;
  /** Indices into the training list. */
  indices: number[];
  /** Per image: which view (if any) is the masked copy. */
  maskedView: ('none' | 'query' | 'key')[];
  /** Seed for this step's augmentations. */
  augmentRng: Rng;
}

/** Options for {@link createBatchPlanner}. */
export interface BatchPlannerOptions {
  batchSize: number;
  seed: number;
  /** Probability that one of the two views of an image with a masked copy is that copy. Default 0.5. */
  maskedViewProbability?: number;
}

/**
 * Plans batches over `images` epoch by epoch (a seeded permutation per epoch; batches may straddle epochs).
 *
 * @example
 * const plan = createBatchPlanner(train, { batchSize: 64, seed: 1 });
 * plan(0).indices; // 64 indices of the first batch
 */
export function createBatchPlanner(
  images: readonly PretrainImage[],
  options: BatchPlannerOptions,
): (step: number) => BatchPlan {
  const { batchSize, seed, maskedViewProbability = 0.5 } = options;
  if (images.length < batchSize) {
    throw new Error(
      `Pre-training needs at least one full batch: ${images.length} images < batch size ${batchSize}`,
    );
  }
  const orders = new Map<number, number[]>();
  const order = (epoch: number) => {
    let permutation = orders.get(epoch);
    if (!permutation) {
      permutation = createRng(`${seed}/order/${epoch}`).shuffle(
        Array.from({ length: images.length }, (_, i) => i),
      );
      if (orders.size > 2) orders.delete(Math.min(...orders.keys()));
      orders.set(epoch, permutation);
    }
    return permutation;
  };
  return (step) => {
    const indices: number[] = [];
    for (let i = 0; i < batchSize; i++) {
      const position = step * batchSize + i;
      indices.push(order(Math.floor(position / images.length))[position % images.length]);
    }
    const rng = createRng(`${seed}/batch/${step}`);
    const maskedView = indices.map((index) => {
      if (!images[index].maskedPath || !rng.bool(maskedViewProbability)) return 'none' as const;
      return rng.bool(0.5) ? ('query' as const) : ('key' as const);
    });
    return { step, indices, maskedView, augmentRng: rng.fork('augment') };
  };
}

/** Source images of one batch, `[N,S,S,3]` in [0,1]: one for the query views, one for the key views. */
export interface LoadedBatch {
  plan: BatchPlan;
  query: tf.Tensor4D;
  /** The same tensor as `query` when no image uses its masked copy. */
  key: tf.Tensor4D;
}

/**
 * Reads the images of a plan (and masked copies where a view uses one).
 *
 * @example
 * const batch = await loadBatch(plan(0), train, readSquare, 80);
 */
export async function loadBatch(
  plan: BatchPlan,
  images: readonly PretrainImage[],
  load: ImageLoader,
  size: number,
): Promise<LoadedBatch> {
  const read = (path: string) => load(path, size);
  const unmasked = await Promise.all(plan.indices.map((index) => read(images[index].path)));
  const masked = await Promise.all(
    plan.indices.map((index, i) =>
      plan.maskedView[i] === 'none' ? null : read(images[index].maskedPath as string),
    ),
  );
  const anyMasked = masked.some((t) => t !== null);
  const stack = (parts: tf.Tensor3D[]) => tf.tidy(() => tf.div(tf.stack(parts), 255) as tf.Tensor4D);
  const query = stack(
    unmasked.map((t, i) => (plan.maskedView[i] === 'query' ? (masked[i] as tf.Tensor3D) : t)),
  );
  const key = anyMasked
    ? stack(unmasked.map((t, i) => (plan.maskedView[i] === 'key' ? (masked[i] as tf.Tensor3D) : t)))
    : query;
  tf.dispose([...unmasked, ...masked.filter((t): t is tf.Tensor3D => t !== null)]);
  return { plan, query, key };
}

/** Disposes a loaded batch. */
export function disposeBatch(batch: LoadedBatch): void {
  batch.query.dispose();
  if (batch.key !== batch.query) batch.key.dispose();
}

/**
 * Loads batches `from .. to-1` in order, keeping `depth` loads in flight (image decoding runs on libuv
 * threads while a training step computes).
 *
 * @example
 * for await (const batch of prefetchBatches(plan, 0, 100, 3, (p) => loadBatch(p, train, reader, 80))) { ...; disposeBatch(batch); }
 */
export async function* prefetchBatches(
  plan: (step: number) => BatchPlan,
  from: number,
  to: number,
  depth: number,
  load: (plan: BatchPlan) => Promise<LoadedBatch>,
): AsyncGenerator<LoadedBatch> {
  const pending: Promise<LoadedBatch>[] = [];
  let next = from;
  const fill = () => {
    while (pending.length < depth && next < to) pending.push(load(plan(next++)));
  };
  try {
    fill();
    while (pending.length > 0) {
      const batch = await (pending.shift() as Promise<LoadedBatch>);
      fill();
      yield batch;
    }
  } finally {
    // stopped early: release what was loaded ahead
    for (const batch of await Promise.allSettled(pending))
      if (batch.status === 'fulfilled') disposeBatch(batch.value);
  }
}
