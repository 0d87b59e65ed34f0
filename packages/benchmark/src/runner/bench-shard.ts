/**
 * One shard of a benchmark run: masks and embeds only the images of its shard (references and probes, by a stable
 * hash of their paths relative to the dataset), writing only its own cache files. When every shard has run, an
 * unsharded `runBenchmark` over the same cache finds every embedding cached and only scores (`mfr merge` on the
 * cache folder first folds the shard files into the shared ones; it is optional).
 */
import { join, resolve } from 'node:path';
import { currentBackend, formatShard, type Shard } from '@mfr/core';
import { DEFAULT_MASK_SPEC } from '@mfr/masking';
import { findRepoRoot } from '../datasets/resolve.js';
import { loadModels } from '../models/create.js';
import { defaultCacheDir } from '../util/cache-dir.js';
import { type BenchmarkOptions, prepareDataset } from './run-benchmark.js';

/** What one shard did for one dataset. */
export interface ShardDatasetSummary {
  name: string;
  /** Pairs selected (folds, limit, exclusions): the same in every shard. */
  pairsSelected: number;
  /** Images of this shard embedded with every model (or found in the cache). */
  images: number;
  /** Of those, images that could not be read or embedded (recorded, not retried by the shard). */
  failed: number;
  /** Probes of this shard, and how many of them are usable (masked, or the real / unmasked photo exists). */
  probes: number;
  probesUsable: number;
}

/** What {@link runBenchmarkShard} returns. */
export interface BenchmarkShardResult {
  /** `i/n`. */
  shard: string;
  cacheDir: string;
  backend: string;
  datasets: ShardDatasetSummary[];
  seconds: number;
}

/**
 * Runs the masking and embedding stages of a benchmark for one shard. The pair lists, folds, limits and
 * exclusions must be those of the final run (pass the same options), so that the shards embed exactly the images
 * it needs.
 *
 * @example
 * // on node i of 8 (e.g. SLURM_ARRAY_TASK_ID), all sharing /shared/cache:
 * await runBenchmarkShard({ models: ['baseline:faceres'], datasets: ['lfw-view2'], cacheDir: '/shared/cache' }, { index: i, count: 8 });
 * // then, once, anywhere: runBenchmark with the same options scores every pair from the cache
 */
export async function runBenchmarkShard(
  options: BenchmarkOptions,
  shard: Shard,
): Promise<BenchmarkShardResult> {
  const started = Date.now();
  const pairsDir = resolve(options.pairsDir ?? join(findRepoRoot(), 'benchmarks', 'pairs'));
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir());
  const mask = options.mask ?? true;
  const maskSpec = options.maskSpec ?? { ...DEFAULT_MASK_SPEC };
  options.log?.(`cache: ${cacheDir}; shard ${formatShard(shard)}`);
  const loaded = await loadModels(options.models, options.similarity ?? 'cosine');
  try {
    const datasets: ShardDatasetSummary[] = [];
    for (const [i, spec] of options.datasets.entries()) {
      const { dataset, selected, probes, embedded } = await prepareDataset(
        spec,
        i,
        { ...options, shard },
        { pairsDir, cacheDir, mask, maskSpec, models: loaded.models },
      );
      const own = [...probes.values()].filter((p) => p.status !== 'other shard');
      datasets.push({
        name: spec === 'lfw-view2' ? spec : dataset.name,
        pairsSelected: selected.length,
        images: embedded.size,
        failed: [...embedded.values()].filter((e) => !e.vectors).length,
        probes: own.length,
        probesUsable: own.filter((p) => p.path).length,
      });
    }
    return {
      shard: formatShard(shard),
      cacheDir,
      backend: currentBackend(),
      datasets,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    loaded.dispose();
  }
}
