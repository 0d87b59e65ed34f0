import { eerRocch } from './eer-rocch.js';
import { eerSweep } from './eer-sweep.js';
import { seededRandom } from './seeded-random.js';
import { isSplitScores, splitByLabel } from './split-by-label.js';
import { toScoreArray } from './to-score-array.js';
import type { DirectionOptions, OperatingPoints, VerificationInput } from './types.js';

/** Identity of each score: aligned with `scores` (labelled form) or given per class (split form). */
export type ScoreIdentities =
  | ArrayLike<string | number>
  | { genuine: ArrayLike<string | number>; impostor: ArrayLike<string | number> };

/** Options of bootstrapEer. */
export interface BootstrapEerOptions extends DirectionOptions {
  /** Bootstrap replicates (default 1000). */
  samples?: number;
  /** Confidence level of the percentile interval (default 0.95). */
  confidence?: number;
  /** Seed of the built-in PRNG (default 1). Ignored when `random` is given. */
  seed?: number;
  /** Your own uniform [0, 1) generator instead of the seeded built-in one. */
  random?: () => number;
  /**
   * When given, whole identities are resampled (all their genuine and impostor scores together), which
   * respects that scores of one person are correlated; otherwise genuine and impostor scores are resampled
   * independently (stratified). For an impostor pair give the probe's identity.
   */
  identities?: ScoreIdentities;
  /** EER method (default 'rocch'). */
  method?: 'rocch' | 'sweep';
}

/** A bootstrap percentile interval for the EER. */
export interface EerInterval {
  /** EER on the full data. */
  eer: number;
  lower: number;
  upper: number;
  confidence: number;
  samples: number;
  resampling: 'identity' | 'score';
  method: 'rocch' | 'sweep';
}

/**
 * Percentile bootstrap confidence interval of the EER, seeded. The scores are sorted once; each replicate
 * only redraws multiplicities (weights) and sweeps, so a replicate costs O(n) and no sort.
 *
 * @example
 * bootstrapEer({ scores, labels }, { samples: 500, seed: 7, identities: probeIds });
 * // { eer: 0.071, lower: 0.058, upper: 0.086, resampling: 'identity', ... }
 */
export function bootstrapEer(input: VerificationInput, options: BootstrapEerOptions = {}): EerInterval {
  const { higherIsMatch = true, samples = 1000, confidence = 0.95, seed = 1, method = 'rocch' } = options;
  if (!(Number.isInteger(samples) && samples >= 1))
    throw new RangeError(`samples must be a positive integer, got ${samples}.`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}.`);
  const random = options.random ?? seededRandom(seed);
  const { scores, genuineMask, identityIds, identityCount } = flatten(input, options.identities);
  const n = scores.length;
  const sign = higherIsMatch ? 1 : -1;
  // sort once, descending by oriented score
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => sign * (scores[b] - scores[a]));
  const sorted = new Float64Array(n);
  const isGenuine = new Uint8Array(n);
  const ids = identityIds ? new Int32Array(n) : null;
  let nG = 0;
  for (let i = 0; i < n; i++) {
    sorted[i] = sign * scores[order[i]];
    isGenuine[i] = genuineMask[order[i]];
    nG += isGenuine[i];
    if (ids && identityIds) ids[i] = identityIds[order[i]];
  }
  if (nG === 0 || nG === n) throw new RangeError('bootstrapEer needs both genuine and impostor scores.');
  const genuinePositions = new Int32Array(nG);
  const impostorPositions = new Int32Array(n - nG);
  for (let i = 0, g = 0, m = 0; i < n; i++) {
    if (isGenuine[i]) genuinePositions[g++] = i;
    else impostorPositions[m++] = i;
  }
  const buffers = allocatePoints(n);
  const weights = new Float64Array(n).fill(1);
  const eerOf = (points: OperatingPoints) => (method === 'sweep' ? eerSweep(points) : eerRocch(points));
  const eer = eerOf(weightedPoints(sorted, isGenuine, weights, buffers));
  const replicates = new Float64Array(samples);
  const identityWeights = ids ? new Float64Array(identityCount) : null;
  for (let r = 0; r < samples; r++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 1000)
        throw new RangeError(
          'bootstrap kept drawing replicates without genuine or impostor scores; give more identities.',
        );
      weights.fill(0);
      if (ids && identityWeights) {
        identityWeights.fill(0);
        for (let d = 0; d < identityCount; d++) identityWeights[Math.floor(random() * identityCount)]++;
        for (let i = 0; i < n; i++) weights[i] = identityWeights[ids[i]];
      } else {
        for (let d = 0; d < genuinePositions.length; d++)
          weights[genuinePositions[Math.floor(random() * genuinePositions.length)]]++;
        for (let d = 0; d < impostorPositions.length; d++)
          weights[impostorPositions[Math.floor(random() * impostorPositions.length)]]++;
      }
      const points = weightedPoints(sorted, isGenuine, weights, buffers);
      if (points.genuineTotal > 0 && points.impostorTotal > 0) {
        replicates[r] = eerOf(points);
        break;
      }
    }
  }
  replicates.sort();
  const alpha = 1 - confidence;
  return {
    eer,
    lower: quantile(replicates, alpha / 2),
    upper: quantile(replicates, 1 - alpha / 2),
    confidence,
    samples,
    resampling: ids ? 'identity' : 'score',
    method,
  };
}

function flatten(input: VerificationInput, identities: ScoreIdentities | undefined) {
  let scores: Float64Array;
  let genuineMask: Uint8Array;
  let rawIds: ArrayLike<string | number> | null = null;
  if (isSplitScores(input)) {
    const genuine = toScoreArray(input.genuine, 'genuine');
    const impostor = toScoreArray(input.impostor, 'impostor');
    scores = new Float64Array(genuine.length + impostor.length);
    scores.set(genuine);
    scores.set(impostor, genuine.length);
    genuineMask = new Uint8Array(scores.length);
    genuineMask.fill(1, 0, genuine.length);
    if (identities) {
      if (!('genuine' in identities)) {
        throw new TypeError(
          'with { genuine, impostor } input, give identities as { genuine, impostor } too.',
        );
      }
      if (identities.genuine.length !== genuine.length || identities.impostor.length !== impostor.length) {
        throw new RangeError(
          'identities.genuine / identities.impostor must have one entry per genuine / impostor score.',
        );
      }
      rawIds = [...Array.from(identities.genuine), ...Array.from(identities.impostor)];
    }
  } else {
    splitByLabel(input.scores, input.labels); // validates labels, lengths and scores
    scores = toScoreArray(input.scores, 'scores');
    genuineMask = new Uint8Array(scores.length);
    for (let i = 0; i < scores.length; i++)
      genuineMask[i] = input.labels[i] === 1 || input.labels[i] === true ? 1 : 0;
    if (identities) {
      if ('genuine' in identities)
        throw new TypeError('with { scores, labels } input, give one identity per score.');
      if (identities.length !== scores.length) {
        throw new RangeError(
          `identities must have one entry per score: ${scores.length} scores, ${identities.length} identities.`,
        );
      }
      rawIds = identities;
    }
  }
  let identityIds: Int32Array | null = null;
  let identityCount = 0;
  if (rawIds) {
    const map = new Map<string | number, number>();
    identityIds = new Int32Array(rawIds.length);
    for (let i = 0; i < rawIds.length; i++) {
      let id = map.get(rawIds[i]);
      if (id === undefined) {
        id = map.size;
        map.set(rawIds[i], id);
      }
      identityIds[i] = id;
    }
    identityCount = map.size;
  }
  return { scores, genuineMask, identityIds, identityCount };
}

function allocatePoints(n: number): OperatingPoints {
  return {
    threshold: new Float64Array(n + 1),
    falseAccepts: new Float64Array(n + 1),
    trueAccepts: new Float64Array(n + 1),
    length: 0,
    genuineTotal: 0,
    impostorTotal: 0,
  };
}

/** Weighted operating points from scores sorted descending (zero weights are skipped). */
function weightedPoints(
  sorted: Float64Array,
  isGenuine: Uint8Array,
  weights: Float64Array,
  out: OperatingPoints,
): OperatingPoints {
  const { threshold, falseAccepts, trueAccepts } = out;
  threshold[0] = Number.POSITIVE_INFINITY;
  falseAccepts[0] = 0;
  trueAccepts[0] = 0;
  let k = 1;
  let fa = 0;
  let ta = 0;
  const n = sorted.length;
  for (let i = 0; i < n; ) {
    const t = sorted[i];
    let added = 0;
    while (i < n && sorted[i] === t) {
      const w = weights[i];
      if (isGenuine[i]) ta += w;
      else fa += w;
      added += w;
      i++;
    }
    if (added === 0) continue;
    threshold[k] = t;
    falseAccepts[k] = fa;
    trueAccepts[k] = ta;
    k++;
  }
  return { ...out, length: k, genuineTotal: ta, impostorTotal: fa };
}

function quantile(sortedValues: Float64Array, q: number): number {
  const position = q * (sortedValues.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sortedValues.length - 1);
  return sortedValues[below] + (position - below) * (sortedValues[above] - sortedValues[below]);
}
