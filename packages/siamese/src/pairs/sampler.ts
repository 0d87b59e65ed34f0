/**
 * Masked/unmasked pair sampling with hard imposters.
 *
 * Authentic pair: an unmasked reference and a masked probe of the same identity; the reference is a different
 * photo than the probe's source whenever the identity has one. Imposter pair: a masked probe and an unmasked
 * reference of another identity of the same dataset. With `hardest: K`, K imposter references are drawn for
 * the probe and the one the current model scores most similar is kept (the paper's hard imposters).
 */
import { createRng, type Rng, type RngState } from '@mfr/core';
import { type PairDataset, type PairIdentity, type Probe, probeCount } from './pair-dataset.js';

/** A reference/probe pair; `label` 1 = same person. */
export interface Pair {
  reference: string;
  probe: string;
  /** The unmasked photo the probe was made from (its geometry matches the probe's). */
  probeSource: string;
  probeLandmarks68?: [number, number][];
  label: 0 | 1;
  dataset: string;
  referenceId: string;
  probeId: string;
}

/** Scores candidate pairs with the current model: one similarity per pair, higher = more alike. */
export type PairScorer = (pairs: readonly Pair[]) => Promise<ArrayLike<number>>;

/** Options for {@link createPairSampler}. */
export interface PairSamplerOptions {
  /** Seed (or saved state) of the sampler's RNG. Default 0. */
  seed?: number | string | RngState;
  /**
   * How a dataset is chosen for each pair: 'uniform' = proportional to its number of masked probes
   * (every probe equally likely), 'stratified' = every dataset equally likely. Default 'uniform'.
   */
  sampling?: 'uniform' | 'stratified';
  /** Imposter candidates per imposter pair; the most similar under `score` is kept. Default 1 (random). */
  hardest?: number;
  /** Required when `hardest` > 1. */
  score?: PairScorer;
  /** Fraction of authentic pairs in a batch. Default 0.5. */
  authenticFraction?: number;
}

/** Draws training pairs. */
export interface PairSampler {
  /** One authentic pair. */
  authentic(): Pair;
  /** One imposter pair (hardest of K when `hardest` > 1). */
  imposter(): Promise<Pair>;
  /** A shuffled batch: `round(size * authenticFraction)` authentic pairs, the rest imposters (scored in one call). */
  batch(size: number): Promise<Pair[]>;
  /** Replaces the scorer (e.g. after the model changed). */
  setScorer(score: PairScorer | undefined): void;
  /** RNG state, for resuming. */
  getState(): RngState;
  setState(state: RngState): void;
}

interface Prepared {
  ds: PairDataset;
  /** identities with at least one probe */
  withProbes: PairIdentity[];
  /** cumulative probe counts over withProbes, for probe-uniform choice */
  cumulative: number[];
  /** identities with at least one reference */
  withRefs: PairIdentity[];
}

function prepare(ds: PairDataset): Prepared {
  const withProbes = ds.identities.filter((i) => i.probes.length > 0);
  const withRefs = ds.identities.filter((i) => i.references.length > 0);
  if (withProbes.length === 0)
    throw new Error(`createPairSampler: dataset "${ds.name}" has no masked probes`);
  if (withRefs.length < 2) {
    throw new Error(
      `createPairSampler: dataset "${ds.name}" needs at least 2 identities with references for imposters`,
    );
  }
  const cumulative: number[] = [];
  let total = 0;
  for (const identity of withProbes) {
    total += identity.probes.length;
    cumulative.push(total);
  }
  return { ds, withProbes, cumulative, withRefs };
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Creates a seeded pair sampler over one or more pair datasets.
 *
 * @example
 * const sampler = createPairSampler([lfw, yale], { seed: 1, sampling: 'stratified', hardest: 4, score });
 * const pairs = await sampler.batch(32); // 16 authentic, 16 hard imposters
 */
export function createPairSampler(
  datasets: readonly PairDataset[],
  options: PairSamplerOptions = {},
): PairSampler {
  if (datasets.length === 0) throw new Error('createPairSampler: give at least one dataset');
  const prepared = datasets.map(prepare);
  const sampling = options.sampling ?? 'uniform';
  if (sampling !== 'uniform' && sampling !== 'stratified') {
    throw new Error(
      `createPairSampler: sampling must be 'uniform' or 'stratified', got "${sampling as string}"`,
    );
  }
  const hardest = options.hardest ?? 1;
  if (!Number.isInteger(hardest) || hardest < 1)
    throw new Error(`createPairSampler: hardest must be an integer >= 1, got ${hardest}`);
  const authenticFraction = options.authenticFraction ?? 0.5;
  let score = options.score;
  const rng: Rng = createRng(options.seed ?? 0);
  const sizes = prepared.map((p) => probeCount(p.ds));
  const sizeCumulative: number[] = [];
  sizes.reduce((acc, n) => {
    sizeCumulative.push(acc + n);
    return acc + n;
  }, 0);

  const pickDataset = (): Prepared => {
    if (prepared.length === 1) return prepared[0];
    if (sampling === 'stratified') return prepared[rng.int(prepared.length)];
    return prepared[lowerBound(sizeCumulative, rng.int(sizeCumulative[sizeCumulative.length - 1]))];
  };
  // every probe of the dataset equally likely
  const pickProbe = (p: Prepared): { identity: PairIdentity; probe: Probe } => {
    const k = rng.int(p.cumulative[p.cumulative.length - 1]);
    const index = lowerBound(p.cumulative, k);
    const identity = p.withProbes[index];
    const before = index === 0 ? 0 : p.cumulative[index - 1];
    return { identity, probe: identity.probes[k - before] };
  };
  const makePair = (
    p: Prepared,
    identity: PairIdentity,
    probe: Probe,
    refId: PairIdentity,
    reference: string,
    label: 0 | 1,
  ): Pair => ({
    reference,
    probe: probe.path,
    probeSource: probe.source,
    ...(probe.landmarks68 ? { probeLandmarks68: probe.landmarks68 } : {}),
    label,
    dataset: p.ds.name,
    referenceId: refId.id,
    probeId: identity.id,
  });

  const authentic = (): Pair => {
    const p = pickDataset();
    const { identity, probe } = pickProbe(p);
    const others = identity.references.filter((r) => r !== probe.source);
    const reference = others.length > 0 ? rng.pick(others) : probe.source;
    return makePair(p, identity, probe, identity, reference, 1);
  };

  // K imposter candidates for one probe, from distinct other identities where possible
  const imposterCandidates = (): Pair[] => {
    const p = pickDataset();
    const { identity, probe } = pickProbe(p);
    const candidates: Pair[] = [];
    const others = p.withRefs.length - (identity.references.length > 0 ? 1 : 0);
    const distinct = Math.min(hardest, others);
    const used = new Set<string>([identity.id]);
    while (candidates.length < hardest) {
      const other = p.withRefs[rng.int(p.withRefs.length)];
      if (other.id === identity.id) continue;
      if (candidates.length < distinct && used.has(other.id)) continue;
      used.add(other.id);
      candidates.push(makePair(p, identity, probe, other, rng.pick(other.references), 0));
    }
    return candidates;
  };

  const chooseHardest = async (groups: Pair[][]): Promise<Pair[]> => {
    if (hardest === 1) return groups.map((g) => g[0]);
    if (!score)
      throw new Error('createPairSampler: hardest > 1 needs a score callback (options.score or setScorer)');
    const flat = groups.flat();
    const scores = await score(flat);
    if (scores.length !== flat.length) {
      throw new Error(
        `createPairSampler: the scorer returned ${scores.length} scores for ${flat.length} pairs`,
      );
    }
    return groups.map((g, gi) => {
      let best = 0;
      for (let j = 1; j < g.length; j++) if (scores[gi * hardest + j] > scores[gi * hardest + best]) best = j;
      return g[best];
    });
  };

  return {
    authentic,
    async imposter() {
      return (await chooseHardest([imposterCandidates()]))[0];
    },
    async batch(size) {
      if (!Number.isInteger(size) || size < 1)
        throw new Error(`sampler.batch: size must be a positive integer, got ${size}`);
      const nAuthentic = Math.round(size * authenticFraction);
      const pairs: Pair[] = [];
      for (let i = 0; i < nAuthentic; i++) pairs.push(authentic());
      const groups: Pair[][] = [];
      for (let i = nAuthentic; i < size; i++) groups.push(imposterCandidates());
      pairs.push(...(await chooseHardest(groups)));
      return rng.shuffle(pairs);
    },
    setScorer(next) {
      score = next;
    },
    getState: () => rng.getState(),
    setState: (state) => rng.setState(state),
  };
}
