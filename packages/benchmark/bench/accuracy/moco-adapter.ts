/**
 * The paper's contrastive pre-training at a scale two cores can run: MoCo v2 (@mfr/contrastive's queue,
 * momentum key encoder, InfoNCE at temperature 0.2 and MLP projection head) trains the per-side adapter on top of
 * the frozen embedders. The two views of a photo are its unmasked vectors and those of a masked copy (a random
 * mask style per photo and step), so no identity labels are used: the adapter learns what survives a mask.
 */

import { cosineLearningRate, createMoCo, createSgd } from '@mfr/contrastive';
import { createRng } from '@mfr/core';
import { createAdapter } from '@mfr/siamese';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type FeatureKind, featureVector } from './features.js';
import type { TrainingPool } from './vector-head.js';

/** Options of {@link pretrainAdapter}. */
export interface MocoAdapterOptions {
  features: FeatureKind;
  /** Adapter width (the embedding MoCo trains). */
  units: number;
  /** Mask styles whose copies are the second view. */
  styles: string[];
  steps: number;
  /** Photos per step (divides the queue). Default 128. */
  batch?: number;
  /** Negatives in the queue. Default 4096. */
  queue?: number;
  /** Key-encoder momentum. Default 0.99 (a short run). */
  momentum?: number;
  /** SGD base learning rate, cosine-decayed. Default 0.05. */
  lr?: number;
  seed?: number;
}

/**
 * Pre-trains an adapter with MoCo v2; returns its weights (the caller disposes them) and the loss trace.
 *
 * @example
 * const { weights } = await pretrainAdapter(pool, { features: 'fusion', units: 512, styles: ['wide'], steps: 1000 });
 */
export async function pretrainAdapter(
  pool: TrainingPool,
  options: MocoAdapterOptions,
  log: (line: string) => void = () => undefined,
): Promise<{ weights: tf.Tensor[]; losses: number[]; seconds: number }> {
  const t0 = Date.now();
  const batch = options.batch ?? 128;
  const seed = options.seed ?? 0;
  const rng = createRng(`moco-adapter:${seed}`);
  // photos with an unmasked view and at least one masked view
  const photos = [...pool.unmasked.keys()].filter((rel) =>
    options.styles.some((s) => pool.masked.get(s)?.has(rel)),
  );
  if (photos.length < batch)
    throw new Error(`pretrainAdapter: ${photos.length} photos, fewer than a batch (${batch})`);
  const dim = featureVector(options.features, pool.unmasked.get(photos[0])!).length;
  const moco = createMoCo({
    backbone: () => createAdapter(dim, options.units, seed) as unknown as tfl.LayersModel,
    dim: 128,
    queueSize: options.queue ?? 4096,
    momentum: options.momentum ?? 0.99,
    temperature: 0.2,
    mlp: true,
    shuffleBN: 'none',
    seed,
  });
  const sgd = createSgd(moco.trainableVariables());
  const losses: number[] = [];
  const view = (rel: string, masked: boolean): Float32Array => {
    if (!masked) return featureVector(options.features, pool.unmasked.get(rel)!);
    const styles = options.styles.filter((s) => pool.masked.get(s)?.has(rel));
    return featureVector(options.features, pool.masked.get(rng.pick(styles))!.get(rel)!);
  };
  for (let step = 0; step < options.steps; step++) {
    const chosen = rng.sample(photos, batch);
    // which view is the query alternates at random, so the adapter is symmetric in masked/unmasked
    const swap = rng.next() < 0.5;
    const q = tf.tensor2d(chosen.map((rel) => Array.from(view(rel, swap))));
    const k = tf.tensor2d(chosen.map((rel) => Array.from(view(rel, !swap))));
    const lr = cosineLearningRate(options.lr ?? 0.05, step, options.steps);
    losses.push(moco.step(q as unknown as tf.Tensor4D, k as unknown as tf.Tensor4D, sgd, lr));
    tf.dispose([q, k]);
    if ((step + 1) % 250 === 0) {
      const recent = losses.slice(-50);
      log(`  moco: step ${step + 1} loss ${(recent.reduce((a, b) => a + b, 0) / recent.length).toFixed(3)}`);
    }
  }
  const weights = moco.queryBackbone.getWeights().map((w) => tf.clone(w));
  sgd.dispose();
  moco.dispose();
  return { weights, losses, seconds: (Date.now() - t0) / 1000 };
}
