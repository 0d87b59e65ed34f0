/**
 * Masked-to-unmasked 1-of-20 precision on held-out identities (the paper's validation metric during
 * training): each trial has a masked probe, its authentic unmasked match (another image of the same identity)
 * and 19 unmasked imposters (other identities); the trial counts when the authentic one scores highest.
 * Chance is 1/20 = 5%. The counting is @mfr/metrics `validationPrecision` (ties count as misses).
 */
import { createRng } from '@mfr/core';
import { validationPrecision } from '@mfr/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { PretrainImage } from '../data/images.js';

/** One 1-of-N trial: image paths. */
export interface PretrainTrial {
  probe: string;
  authentic: string;
  imposters: string[];
}

/** Options for {@link buildValidationTrials}. */
export interface PretrainTrialOptions {
  /** Number of trials. Default 200. */
  trials?: number;
  /** Imposters per trial. Default 19 (1-of-20). */
  imposters?: number;
  /** Default 0. */
  seed?: number;
  /**
   * Probe images must be masked copies. Default true when any validation image has one; without masked
   * copies the probes are unmasked (an unmasked-to-unmasked check) and `masked` is reported false.
   */
  requireMasked?: boolean;
}

/**
 * Builds fixed trials from validation images grouped by identity.
 *
 * @example
 * const { trials, masked } = buildValidationTrials(val, { trials: 200 });
 */
export function buildValidationTrials(
  images: readonly PretrainImage[],
  options: PretrainTrialOptions = {},
): { trials: PretrainTrial[]; masked: boolean } {
  const { trials: count = 200, imposters = 19, seed = 0 } = options;
  const masked = options.requireMasked ?? images.some((image) => image.maskedPath);
  const byIdentity = new Map<string, PretrainImage[]>();
  for (const image of images)
    byIdentity.set(image.identity, [...(byIdentity.get(image.identity) ?? []), image]);
  const identities = [...byIdentity.keys()].sort();
  const probeable = identities.filter((id) => {
    const list = byIdentity.get(id) as PretrainImage[];
    return list.length >= 2 && (!masked || list.some((image) => image.maskedPath));
  });
  if (probeable.length === 0 || identities.length < imposters + 1) {
    throw new Error(
      `Validation needs identities with >= 2 images${masked ? ' and a masked copy' : ''} and >= ${imposters + 1} identities; got ${probeable.length} usable of ${identities.length}. Hold out more identities (valIdentities).`,
    );
  }
  const rng = createRng(seed).fork('val-trials');
  const trials: PretrainTrial[] = [];
  for (let t = 0; t < count; t++) {
    const identity = probeable[t % probeable.length];
    const list = byIdentity.get(identity) as PretrainImage[];
    const probeImage = rng.pick(masked ? list.filter((image) => image.maskedPath) : list);
    const authentic = rng.pick(list.filter((image) => image !== probeImage));
    const others = rng.sample(
      identities.filter((id) => id !== identity),
      imposters,
    );
    trials.push({
      probe: masked ? (probeImage.maskedPath as string) : probeImage.path,
      authentic: authentic.path,
      imposters: others.map((id) => rng.pick(byIdentity.get(id) as PretrainImage[]).path),
    });
  }
  return { trials, masked };
}

/** How embeddings are compared; higher means more similar. */
export type SimilarityKind = 'cosine' | 'inverse-l2';

/**
 * Similarity of two embeddings: cosine, or `1 / (1 + ||a - b||)` (the paper's distance conversion).
 *
 * @example
 * embeddingSimilarity([1, 0], [0, 1], 'cosine'); // 0
 */
export function embeddingSimilarity(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  kind: SimilarityKind = 'cosine',
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let d2 = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
    d2 += (a[i] - b[i]) ** 2;
  }
  return kind === 'cosine' ? dot / Math.max(Math.sqrt(na * nb), 1e-12) : 1 / (1 + Math.sqrt(d2));
}

/**
 * Fraction of trials whose authentic candidate scores strictly highest (ties count as misses, so a
 * constant embedding scores 0, not 1); scores are `similarity` of embeddings, counted by @mfr/metrics.
 *
 * @example
 * precisionAtOneOfN(trials, embeddings); // e.g. 0.34
 */
export function precisionAtOneOfN(
  trials: readonly PretrainTrial[],
  embeddings: ReadonlyMap<string, ArrayLike<number>>,
  kind: SimilarityKind = 'cosine',
): number {
  if (trials.length === 0) return 0;
  const get = (path: string) => {
    const e = embeddings.get(path);
    if (!e) throw new Error(`precisionAtOneOfN: no embedding for ${path}`);
    return e;
  };
  const impostersPerTrial = trials[0].imposters.length;
  const authentic = new Float64Array(trials.length);
  const imposters = new Float64Array(trials.length * impostersPerTrial);
  trials.forEach((trial, t) => {
    if (trial.imposters.length !== impostersPerTrial)
      throw new Error('precisionAtOneOfN: every trial needs the same number of imposters');
    const probe = get(trial.probe);
    authentic[t] = embeddingSimilarity(probe, get(trial.authentic), kind);
    trial.imposters.forEach((path, i) => {
      imposters[t * impostersPerTrial + i] = embeddingSimilarity(probe, get(path), kind);
    });
  });
  return validationPrecision(authentic, imposters, { impostersPerTrial });
}

/** Every path a set of trials needs, once. */
export function trialPaths(trials: readonly PretrainTrial[]): string[] {
  return [...new Set(trials.flatMap((t) => [t.probe, t.authentic, ...t.imposters]))];
}

/**
 * Embeds `paths` in batches with `embed` (inputs `[N,S,S,3]` in [0,1] from `prepare`).
 *
 * @example
 * const embeddings = await embedPaths(paths, (x) => moco.embed(x), (p) => readFace(p), 64);
 */
export async function embedPaths(
  paths: readonly string[],
  embed: (images: tf.Tensor4D) => tf.Tensor2D,
  prepare: (path: string) => Promise<tf.Tensor3D>,
  batchSize = 64,
): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (let start = 0; start < paths.length; start += batchSize) {
    const chunk = paths.slice(start, start + batchSize);
    const images = await Promise.all(chunk.map(prepare));
    const batch = tf.stack(images) as tf.Tensor4D;
    const embedded = embed(batch);
    const values = embedded.dataSync() as Float32Array;
    const width = embedded.shape[1];
    chunk.forEach((path, i) => {
      out.set(path, values.slice(i * width, (i + 1) * width));
    });
    tf.dispose([batch, embedded, ...images]);
  }
  return out;
}
