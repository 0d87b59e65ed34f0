/** Seeded train/val/test splits by identity (never by image: no person is in two splits). */
import { createRng } from '../rng.js';
import { naturalCompare } from './natural_compare.js';
import type { Dataset } from './types.js';

/** Fractions of identities per split (must sum to 1) and the seed. */
export interface SplitOptions {
  train: number;
  val: number;
  test: number;
  /** Seed for the identity shuffle. Default 0. */
  seed?: number | string;
}

/**
 * Splits a dataset into train/val/test by identity: the identities are shuffled with `createRng(seed)`
 * and cut by the fractions (counts rounded by largest remainder, so they add up to the total). Each split
 * keeps natural identity order. Same dataset + seed -> same split.
 *
 * @example
 * const { train, val, test } = splitByIdentity(lfw, { train: 0.8, val: 0.1, test: 0.1, seed: 42 });
 */
export function splitByIdentity(
  dataset: Dataset,
  options: SplitOptions,
): { train: Dataset; val: Dataset; test: Dataset } {
  const fractions = [options.train, options.val, options.test];
  if (fractions.some((f) => !(f >= 0 && f <= 1))) {
    throw new Error(`splitByIdentity: fractions must be in [0, 1], got ${JSON.stringify(fractions)}`);
  }
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) {
    throw new Error(`splitByIdentity: train + val + test must be 1, got ${sum}`);
  }
  const n = dataset.identities.length;
  const exact = fractions.map((f) => f * n);
  const counts = exact.map(Math.floor);
  // hand out the remaining identities to the largest remainders (ties: train, then val, then test)
  const order = [0, 1, 2].sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (let k = 0, left = n - counts.reduce((a, b) => a + b, 0); k < left; k++) counts[order[k]]++;

  // sort first so the result does not depend on the input order
  const shuffled = createRng(options.seed ?? 0).shuffle(
    [...dataset.identities].sort((a, b) => naturalCompare(a.name, b.name)),
  );
  const part = (from: number, to: number, label: string): Dataset => ({
    name: `${dataset.name}-${label}`,
    root: dataset.root,
    identities: shuffled.slice(from, to).sort((a, b) => naturalCompare(a.name, b.name)),
  });
  return {
    train: part(0, counts[0], 'train'),
    val: part(counts[0], counts[0] + counts[1], 'val'),
    test: part(counts[0] + counts[1], n, 'test'),
  };
}
