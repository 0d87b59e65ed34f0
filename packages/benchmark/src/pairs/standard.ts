/** The benchmark's committed pair lists: which datasets, how many pairs, which seed. */
import { join } from 'node:path';

/** How each committed list in `benchmarks/pairs/` is generated (folds x authentic pairs per fold, x2 with imposters). */
export const STANDARD_PAIR_LISTS: Readonly<
  Record<string, { folds: number; authenticPerFold: number; seed: number }>
> = Object.freeze({
  lfw: { folds: 10, authenticPerFold: 150, seed: 1 },
  yaleb: { folds: 10, authenticPerFold: 100, seed: 1 },
  att: { folds: 10, authenticPerFold: 50, seed: 1 },
});

/** The file name of a committed list: `<dataset>.tsv`, or `lfw-view2.tsv` for LFW's own protocol. */
export function standardPairFile(
  pairsDir: string,
  dataset: string,
  protocol: 'own' | 'view2' = 'own',
): string {
  return join(pairsDir, protocol === 'view2' ? `${dataset}-view2.tsv` : `${dataset}.tsv`);
}
