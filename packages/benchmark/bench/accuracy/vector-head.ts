/**
 * A Siamese head over frozen embedder vectors, trained as `mfr train` trains one (binary cross-entropy on
 * (unmasked reference, masked probe) pairs, hardest-of-K imposters from @mfr/siamese's pair sampler, the best
 * 1-of-20 validation precision kept), but on cached vectors so that a recipe trains in a minute: the
 * experiments compare many recipes on the same pairs.
 *
 * Optional, per side and shared by both sides: a linear adapter (input -> `adapter` units, L2-normalised)
 * before the distance features, which MoCo v2 can pre-train (moco-adapter.ts).
 */
import { createRng } from '@mfr/core';
import {
  adaptEmbedding,
  createAdapter,
  createHead,
  createPairSampler,
  createValidationTrials,
  distanceFeatures,
  oneOfNPrecision,
  type PairDataset,
} from '@mfr/siamese';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type FeatureKind, featureVector } from './features.js';
import type { FaceVectors } from './vectors.js';

/** The training photos of one model: unmasked vectors, and masked vectors per mask style. */
export interface TrainingPool {
  /** Training people, each with the relative paths of their photos. */
  identities: Map<string, string[]>;
  unmasked: Map<string, FaceVectors>;
  /** Mask style -> relative path -> vectors of the masked copy. */
  masked: Map<string, Map<string, FaceVectors>>;
}

/** One recipe: which features, which training masks, how hard the imposters, how long. */
export interface HeadRecipe {
  name: string;
  features: FeatureKind;
  /** Mask styles of the training probes (keys of `TrainingPool.masked`); `unmasked` adds unmasked probes. */
  styles: string[];
  /** Imposter candidates per imposter pair (hardest kept). */
  hardest: number;
  steps: number;
  batch?: number;
  lr?: number;
  /** Hidden units of the head (the paper: 512). */
  headUnits?: number;
  /** Width of a per-side linear adapter before the distance features (none when absent). */
  adapter?: number;
  /** Initial adapter weights (e.g. MoCo pre-trained). */
  adapterWeights?: tf.Tensor[];
  seed?: number;
}

/** A trained head: scores pairs of raw vectors. */
export interface VectorHead {
  readonly recipe: HeadRecipe;
  /** The trained head (features of `2 * dim` -> logit), e.g. to save as a Siamese checkpoint. */
  readonly head: tfl.LayersModel;
  /** The per-side adapter, when the recipe has one. */
  readonly adapter: tfl.LayersModel | null;
  /** Same-person probabilities (the `output` readout: sigmoid of the logit). */
  score(references: readonly FaceVectors[], probes: readonly FaceVectors[]): Float32Array;
  /**
   * The logits of the same pairs, for many pairs over few distinct photos (score normalisation against a cohort):
   * each distinct vector object goes through the adapter once.
   */
  logits(references: readonly FaceVectors[], probes: readonly FaceVectors[]): Float32Array;
  bestValPrecision: number;
  bestStep: number;
  seconds: number;
  dispose(): void;
}

const UNMASKED = 'unmasked';

/**
 * Trains one head on a pool. Validation holds out 10% of the pool's people (at least 20), the same people for
 * every mask style, and scores 400 1-of-20 trials every 100 steps; the best weights are kept.
 *
 * @example
 * const head = await trainVectorHead({ name: 'fusion', features: 'fusion', styles: ['wide'], hardest: 4, steps: 2000 }, pool);
 * head.score([ref], [probe]); // Float32Array [p]
 */
export async function trainVectorHead(
  recipe: HeadRecipe,
  pool: TrainingPool,
  log: (line: string) => void = () => undefined,
): Promise<VectorHead> {
  const t0 = Date.now();
  const seed = recipe.seed ?? 0;
  const batch = recipe.batch ?? 32;
  const rng = createRng(`${recipe.name}:${seed}`);
  // key space: `u|rel` unmasked photo, `<style>|rel` its masked copy; rows of one feature matrix
  const rows = new Map<string, number>();
  const vectors: Float32Array[] = [];
  const add = (key: string, v: FaceVectors) => {
    if (rows.has(key)) return;
    rows.set(key, vectors.length);
    vectors.push(featureVector(recipe.features, v));
  };
  for (const [rel, v] of pool.unmasked) add(`u|${rel}`, v);
  for (const style of recipe.styles) {
    const masked = style === UNMASKED ? pool.unmasked : pool.masked.get(style);
    if (!masked) throw new Error(`trainVectorHead: no masked vectors for style "${style}"`);
    for (const [rel, v] of masked) add(`${style}|${rel}`, v);
  }
  const dim = vectors[0].length;
  const flat = new Float32Array(vectors.length * dim);
  for (const [i, v] of vectors.entries()) flat.set(v, i * dim);
  const table = tf.tensor2d(flat, [vectors.length, dim]);

  // people with >= 2 unmasked photos: an authentic pair always uses another photo than the probe's source
  const people = [...pool.identities.keys()]
    .filter((id) => pool.identities.get(id)!.filter((rel) => pool.unmasked.has(rel)).length >= 2)
    .sort();
  const held = new Set(rng.sample(people, Math.max(20, Math.round(people.length * 0.1))));
  const datasetOf = (style: string, ids: string[]): PairDataset => {
    const masked = style === UNMASKED ? pool.unmasked : pool.masked.get(style)!;
    return {
      name: style,
      identities: ids.map((id) => {
        const photos = pool.identities.get(id)!.filter((rel) => pool.unmasked.has(rel));
        return {
          id,
          references: photos.map((rel) => `u|${rel}`),
          probes: photos
            .filter((rel) => masked.has(rel))
            .map((rel) => ({ path: `${style}|${rel}`, source: `u|${rel}` })),
        };
      }),
    };
  };
  const trainIds = people.filter((id) => !held.has(id));
  const heldIds = people.filter((id) => held.has(id));
  const train = recipe.styles.map((s) => datasetOf(s, trainIds));
  const trials = createValidationTrials(
    recipe.styles.filter((s) => s !== UNMASKED).map((s) => datasetOf(s, heldIds)),
    { trials: 400, imposters: 19, seed: `${recipe.name}:validation` },
  );

  const adapter = recipe.adapter ? createAdapter(dim, recipe.adapter, seed) : null;
  if (adapter && recipe.adapterWeights) adapter.setWeights(recipe.adapterWeights);
  const head = createHead(recipe.adapter ?? dim, recipe.headUnits ?? 512, seed);
  // as createSiamese's prepareEmbedding, so that an exported model scores as here
  const embed = (x: tf.Tensor2D): tf.Tensor2D => (adapter ? adaptEmbedding(adapter, x) : x);
  // the head on two sides already through the adapter
  const headLogits = (er: tf.Tensor2D, ep: tf.Tensor2D): tf.Tensor1D =>
    tf.reshape(head.apply(distanceFeatures(er, ep)) as tf.Tensor, [-1]) as tf.Tensor1D;
  const logitsOf = (r: tf.Tensor2D, p: tf.Tensor2D): tf.Tensor1D =>
    tf.tidy(() => headLogits(embed(r), embed(p)));
  const logitsByKey = (refs: readonly string[], probes: readonly string[]): Float32Array =>
    tf.tidy(() => {
      const r = tf.gather(
        table,
        refs.map((k) => rows.get(k)!),
      ) as tf.Tensor2D;
      const p = tf.gather(
        table,
        probes.map((k) => rows.get(k)!),
      ) as tf.Tensor2D;
      return logitsOf(r, p).dataSync() as Float32Array;
    });

  const sampler = createPairSampler(train, {
    seed: `${recipe.name}:${seed}:pairs`,
    hardest: recipe.hardest,
    score: async (pairs) =>
      logitsByKey(
        pairs.map((p) => p.reference),
        pairs.map((p) => p.probe),
      ),
  });
  const validate = (): number => {
    const refs: string[] = [];
    const probes: string[] = [];
    for (const t of trials) {
      for (const r of [t.authentic, ...t.imposters]) {
        refs.push(r);
        probes.push(t.probe.path);
      }
    }
    const scores = logitsByKey(refs, probes);
    const width = 1 + trials[0].imposters.length;
    return oneOfNPrecision(trials.map((_, i) => scores.subarray(i * width, (i + 1) * width)));
  };

  const variables = [...(adapter?.trainableWeights ?? []), ...head.trainableWeights].map(
    (w) => w.read() as tf.Variable,
  );
  const optimizer = tf.train.adam(recipe.lr ?? 1e-4);
  let best = { precision: validate(), step: 0, weights: variables.map((v) => tf.clone(v)) };
  log(
    `  ${recipe.name}: ${trainIds.length} people to train on, ${heldIds.length} held out; step 0 validation ${best.precision.toFixed(3)}`,
  );
  for (let step = 1; step <= recipe.steps; step++) {
    const pairs = await sampler.batch(batch);
    const labels = tf.tensor1d(pairs.map((p) => p.label));
    const r = tf.gather(
      table,
      pairs.map((p) => rows.get(p.reference)!),
    ) as tf.Tensor2D;
    const p = tf.gather(
      table,
      pairs.map((q) => rows.get(q.probe)!),
    ) as tf.Tensor2D;
    const loss = optimizer.minimize(
      () => tf.losses.sigmoidCrossEntropy(labels, logitsOf(r, p)) as tf.Scalar,
      false,
      variables,
    );
    tf.dispose([labels, r, p]);
    loss?.dispose();
    if (step % 100 === 0 || step === recipe.steps) {
      const precision = validate();
      if (precision > best.precision) {
        tf.dispose(best.weights);
        best = { precision, step, weights: variables.map((v) => tf.clone(v)) };
      }
      if (step % 500 === 0)
        log(
          `  ${recipe.name}: step ${step} validation ${precision.toFixed(3)} (best ${best.precision.toFixed(3)} at ${best.step})`,
        );
    }
  }
  for (const [i, v] of variables.entries()) v.assign(best.weights[i]);
  tf.dispose(best.weights);
  optimizer.dispose();
  table.dispose();

  return {
    recipe,
    head,
    adapter,
    bestValPrecision: best.precision,
    bestStep: best.step,
    seconds: (Date.now() - t0) / 1000,
    score(references, probes) {
      const n = references.length;
      const out = new Float32Array(n);
      for (let start = 0; start < n; start += 2048) {
        const end = Math.min(n, start + 2048);
        const s = tf.tidy(() => {
          const r = tf.tensor2d(stack(references.slice(start, end), recipe.features));
          const p = tf.tensor2d(stack(probes.slice(start, end), recipe.features));
          return tf.sigmoid(logitsOf(r, p)).dataSync() as Float32Array;
        });
        out.set(s, start);
      }
      return out;
    },
    logits(references, probes) {
      const index = new Map<FaceVectors, number>();
      const distinct: Float32Array[] = [];
      const rowOf = (v: FaceVectors) => {
        let row = index.get(v);
        if (row === undefined) {
          row = distinct.length;
          index.set(v, row);
          distinct.push(featureVector(recipe.features, v));
        }
        return row;
      };
      const r = Array.from(references, rowOf);
      const p = Array.from(probes, rowOf);
      const width = distinct[0]?.length ?? 0;
      const flat = new Float32Array(distinct.length * width);
      for (const [i, v] of distinct.entries()) flat.set(v, i * width);
      const embedded = tf.tidy(() => embed(tf.tensor2d(flat, [distinct.length, width])));
      const out = new Float32Array(r.length);
      for (let start = 0; start < r.length; start += 8192) {
        const end = Math.min(r.length, start + 8192);
        const s = tf.tidy(() => {
          const er = tf.gather(embedded, r.slice(start, end)) as tf.Tensor2D;
          const ep = tf.gather(embedded, p.slice(start, end)) as tf.Tensor2D;
          return headLogits(er, ep).dataSync() as Float32Array;
        });
        out.set(s, start);
      }
      embedded.dispose();
      return out;
    },
    dispose() {
      head.dispose();
      adapter?.dispose();
    },
  };
}

function stack(list: readonly FaceVectors[], kind: FeatureKind): number[][] {
  return list.map((v) => Array.from(featureVector(kind, v)));
}
