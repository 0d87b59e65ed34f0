/** Which pair list a dataset uses, and the --folds / --limit-pairs selection of it. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listIdentities } from '../datasets/folder.js';
import type { DatasetRef } from '../datasets/resolve.js';
import { generatePairs, generateRealMaskPairs } from '../pairs/generate.js';
import { readPairsTsv } from '../pairs/tsv.js';
import type { Pair, PairList } from '../pairs/types.js';

/**
 * The pair list of a dataset: `<pairsDir>/<name>.tsv` when it exists (the committed lists in
 * `benchmarks/pairs/`), else a seeded list generated from the folder (10 folds, or fewer for small sets). With a
 * real-mask folder (`dataset.maskedDir`) the probes are its photos (paths relative to it).
 *
 * @example
 * const { list, source } = await pairListFor(resolveDataset('att'), 'benchmarks/pairs');
 */
export async function pairListFor(
  dataset: DatasetRef & { pairFile?: string },
  pairsDir: string | undefined,
  seed = 1,
): Promise<{ list: PairList; source: string }> {
  const candidates = [dataset.pairFile, pairsDir ? join(pairsDir, `${dataset.name}.tsv`) : undefined].filter(
    (p): p is string => typeof p === 'string',
  );
  for (const file of candidates) {
    if (existsSync(file)) return { list: await readPairsTsv(file), source: file };
  }
  const identities = await listIdentities(dataset.root);
  if (dataset.maskedDir) {
    // real masked photos: references from the unmasked folder, probes from the masked one
    const masked = await listIdentities(dataset.maskedDir);
    const shared = identities.filter((u) => masked.some((m) => m.identity === u.identity)).length;
    const folds = Math.max(1, Math.min(10, Math.floor(shared / 2)));
    const pairs = generateRealMaskPairs(identities, masked, { folds, authenticPerFold: 300, seed });
    return {
      list: { pairs, meta: { dataset: dataset.name, seed: String(seed), probes: 'real masked photos' } },
      source: `generated (seed ${seed}, real masked probes)`,
    };
  }
  const folds = Math.max(1, Math.min(10, Math.floor(identities.length / 2)));
  const pairs = generatePairs(identities, { folds, authenticPerFold: 300, seed });
  return {
    list: { pairs, meta: { dataset: dataset.name, seed: String(seed) } },
    source: `generated (seed ${seed})`,
  };
}

/**
 * Keeps the pairs of the chosen folds and at most `limit` of them, half authentic and half imposter, in list
 * order (so `--limit-pairs 200 --folds 1` is the first 100 + 100 pairs of fold 1).
 *
 * @example
 * selectPairs(pairs, { folds: [1, 2, 3] }).length; // 1800 for LFW View 2
 */
export function selectPairs(
  pairs: readonly Pair[],
  options: { folds?: readonly number[]; limit?: number },
): Pair[] {
  let kept = options.folds?.length ? pairs.filter((p) => options.folds!.includes(p.fold)) : pairs.slice();
  if (options.limit !== undefined && options.limit < kept.length) {
    const authentic = kept.filter((p) => p.label === 1);
    const imposter = kept.filter((p) => p.label === 0);
    // spread the limit over the folds present so per-fold statistics stay meaningful
    const folds = [...new Set(kept.map((p) => p.fold))];
    const take = (list: Pair[], n: number) => {
      const per = Math.ceil(n / folds.length);
      const out: Pair[] = [];
      for (const f of folds) out.push(...list.filter((p) => p.fold === f).slice(0, per));
      return out.slice(0, n);
    };
    kept = [
      ...take(authentic, Math.ceil(options.limit / 2)),
      ...take(imposter, Math.floor(options.limit / 2)),
    ];
  }
  return kept;
}
