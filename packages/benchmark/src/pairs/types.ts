/** One verification pair: an unmasked reference against a (masked) probe. */
export interface Pair {
  /** Unmasked reference image, relative to the dataset root (`Name/Name_0001.jpg`). */
  reference: string;
  /**
   * Probe image relative to the dataset root. For synthetic-mask datasets this is the unmasked original, and
   * the runner substitutes its masked copy; for real-mask datasets it is relative to the masked folder.
   */
  probe: string;
  /** 1 = same person (authentic), 0 = different people (imposter). */
  label: 0 | 1;
  /** Fold number, 1-based. */
  fold: number;
}

/** A pair list with where it came from. */
export interface PairList {
  pairs: Pair[];
  /** Free-form `key: value` metadata kept as `# key: value` comment lines in the TSV. */
  meta: Record<string, string>;
}

/** Counts of a pair list: authentic and imposter pairs per fold and overall. */
export interface PairCounts {
  authentic: number;
  imposter: number;
  folds: number[];
}

/**
 * Counts authentic and imposter pairs and lists the folds present.
 *
 * @example
 * countPairs(list.pairs); // { authentic: 3000, imposter: 3000, folds: [1, ..., 10] }
 */
export function countPairs(pairs: readonly Pair[]): PairCounts {
  let authentic = 0;
  const folds = new Set<number>();
  for (const p of pairs) {
    if (p.label === 1) authentic++;
    folds.add(p.fold);
  }
  return { authentic, imposter: pairs.length - authentic, folds: [...folds].sort((a, b) => a - b) };
}
