/**
 * The demo's 1:N numbers from its probe x gallery score matrix, through @mfr/metrics' identification ranks: a
 * gallery face that ties with the true face counts as ranked above it, so constant scores never look good.
 */
import { identificationRanks, rankAccuracy } from '@mfr/metrics';

/** Where one probe's true face ranked. */
export interface ProbeRank {
  /** 1 + the other faces scoring higher than or the same as the true face (1 = top-1 correct). */
  rank: number;
  top1: boolean;
  /** The highest-scoring gallery face; on a tie with the true face, the other face. */
  bestIndex: number;
}

/** The 1:N results of all probes. */
export interface DemoRanks {
  probes: ProbeRank[];
  /** Fraction of probes with rank 1. */
  top1Accuracy: number;
  meanRank: number;
}

/**
 * Ranks each probe's true face among all gallery faces. `scores` has one row per probe and one column per
 * gallery face (higher = more alike, all finite: check them with scoreHealth first); `trueIndex[i]` is the
 * column of probe i's own face.
 *
 * @example
 * demoRanks([[0.9, 0.1], [0.5, 0.5]], [0, 1]);
 * // probes [{ rank: 1, top1: true, bestIndex: 0 }, { rank: 2, top1: false, bestIndex: 0 }], top1Accuracy 0.5
 */
export function demoRanks(scores: readonly (readonly number[])[], trueIndex: readonly number[]): DemoRanks {
  const candidates = scores[0]?.length ?? 0;
  const ranks = identificationRanks(scores.flat(), { candidates, genuineColumn: trueIndex });
  const probes = scores.map((row, i) => {
    // ties count against the true face ('pessimistic', as cmcCurve and rankAccuracy by default)
    const rank = 1 + ranks.better[i] + ranks.tied[i];
    return { rank, top1: rank === 1, bestIndex: bestOtherOnTies(row, trueIndex[i]) };
  });
  return {
    probes,
    top1Accuracy: rankAccuracy(ranks, 1),
    meanRank: probes.reduce((sum, p) => sum + p.rank, 0) / probes.length,
  };
}

/** Index of the highest score; when the true face shares it, another face with that score. */
function bestOtherOnTies(row: readonly number[], truth: number): number {
  let best = truth;
  for (let j = 0; j < row.length; j++) {
    if (j === truth) continue;
    if (row[j] > row[best] || (best === truth && row[j] === row[best])) best = j;
  }
  return best;
}
