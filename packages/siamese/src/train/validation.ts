/**
 * The paper's validation precision: trials of 1 authentic + 19 imposter references for one masked probe, on
 * held-out identities; precision = the fraction of trials in which the authentic reference scores strictly
 * highest (1-of-20 identification; chance is 5%).
 */
import { createRng } from '@mfr/core';
import { validationPrecision } from '@mfr/metrics';
import type { PairDataset, Probe } from '../pairs/pair-dataset.js';

/** One trial: a masked probe, its authentic reference and the imposter references. */
export interface ValidationTrial {
  dataset: string;
  probeId: string;
  probe: Probe;
  authentic: string;
  imposters: string[];
}

/** Options for {@link createValidationTrials}. */
export interface ValidationTrialOptions {
  /** Number of trials. Default 400 (the paper). */
  trials?: number;
  /** Imposters per trial. Default 19 (1-of-20). */
  imposters?: number;
  /** Seed. Default 'validation'. */
  seed?: number | string;
}

/**
 * Draws fixed validation trials from held-out datasets (trials spread over datasets in proportion to their
 * probes). Each imposter comes from a different identity. Throws when a dataset has too few identities.
 *
 * @example
 * const trials = createValidationTrials([heldOutLfw], { trials: 400, imposters: 19, seed: 1 });
 */
export function createValidationTrials(
  datasets: readonly PairDataset[],
  options: ValidationTrialOptions = {},
): ValidationTrial[] {
  const n = options.trials ?? 400;
  const k = options.imposters ?? 19;
  const rng = createRng(options.seed ?? 'validation');
  const pool = datasets.flatMap((ds) =>
    ds.identities.flatMap((identity) => identity.probes.map((probe) => ({ ds, identity, probe }))),
  );
  if (pool.length === 0)
    throw new Error('createValidationTrials: the held-out datasets have no masked probes');
  const trials: ValidationTrial[] = [];
  for (let t = 0; t < n; t++) {
    const { ds, identity, probe } = rng.pick(pool);
    const others = ds.identities.filter((i) => i.id !== identity.id && i.references.length > 0);
    if (others.length < k) {
      throw new Error(
        `createValidationTrials: dataset "${ds.name}" has ${others.length + 1} held-out identities; 1-of-${k + 1} trials need ${k + 1}. ` +
          'Hold out more identities or use fewer imposters.',
      );
    }
    const refs = identity.references.filter((r) => r !== probe.source);
    trials.push({
      dataset: ds.name,
      probeId: identity.id,
      probe,
      authentic: refs.length > 0 ? rng.pick(refs) : probe.source,
      imposters: rng.sample(others, k).map((i) => rng.pick(i.references)),
    });
  }
  return trials;
}

/**
 * 1-of-N precision of score rows (index 0 = the authentic score, the rest imposters) through @mfr/metrics'
 * `validationPrecision`: the fraction of trials whose authentic score is strictly greater than every imposter
 * score (ties count as failures).
 *
 * @example
 * oneOfNPrecision([[0.9, 0.1, 0.2], [0.3, 0.5, 0.1]]); // 0.5
 */
export function oneOfNPrecision(scores: readonly ArrayLike<number>[]): number {
  if (scores.length === 0) throw new Error('oneOfNPrecision: no trials');
  const width = scores[0].length;
  const authentic = new Float64Array(scores.length);
  const imposters = new Float64Array(scores.length * (width - 1));
  scores.forEach((row, t) => {
    if (row.length !== width)
      throw new Error(`oneOfNPrecision: trial ${t} has ${row.length} scores, trial 0 has ${width}`);
    authentic[t] = row[0];
    for (let j = 1; j < width; j++) imposters[t * (width - 1) + j - 1] = row[j];
  });
  return validationPrecision(authentic, imposters, { impostersPerTrial: width - 1, ties: 'pessimistic' });
}
