/**
 * The benchmark: datasets -> pair lists -> masked probes -> embeddings (cached) -> scores -> statistics.
 * Writing the report is separate (see report/write-report.ts), so the same results can be rendered again.
 */

import { join, resolve } from 'node:path';
import { currentBackend, inShard, type Shard } from '@mfr/core';
import { DEFAULT_MASK_SPEC } from '@mfr/masking';
import { identityOf } from '../datasets/folder.js';
import {
  type DatasetRef,
  findRepoRoot,
  type MaskSource,
  maskSourceOf,
  resolveDataset,
} from '../datasets/resolve.js';
import { loadModels } from '../models/create.js';
import type { BenchModel, SimilarityKind } from '../models/types.js';
import type { Pair } from '../pairs/types.js';
import { defaultCacheDir } from '../util/cache-dir.js';
import { embedImages } from './embed-images.js';
import { pairListFor, selectPairs } from './pair-source.js';
import { resolveProbes } from './probes.js';
import { type ScoreStatistics, scoreStatistics } from './statistics.js';

/** Options of {@link runBenchmark}; defaults in brackets. */
export interface BenchmarkOptions {
  /** Model arguments (`baseline:faceapi`, checkpoint paths, `ensemble:a+b`). */
  models: string[];
  /** Dataset arguments: `lfw`, `lfw-view2`, `yaleb`, `att`, or folders. */
  datasets: string[];
  /** Folder of pair lists [`<repo>/benchmarks/pairs`]. */
  pairsDir?: string;
  /** Folds to run [all]. */
  folds?: number[];
  /** At most this many pairs per dataset, balanced [all]. */
  limitPairs?: number;
  /** Real masked photos for folder datasets (`--masked-dir`). */
  maskedDir?: string;
  /** Report names of the datasets, in the order of `datasets` [each folder's name, see datasetNameOf]. */
  names?: string[];
  /** Mask the probes [true]; false = unmasked sanity run. */
  mask?: boolean;
  /** Mask description for synthetic masks [@mfr/masking's DEFAULT_MASK_SPEC, light-blue NIST wide]. */
  maskSpec?: Record<string, unknown>;
  /** Similarity of plain embeddings ['cosine']. */
  similarity?: SimilarityKind;
  /** Cache root [`MFR_CACHE`, else `$XDG_CACHE_HOME/mfr`, else `~/.cache/mfr`]. */
  cacheDir?: string;
  /** Seed for generated lists and masks [1]. */
  seed?: number;
  /**
   * Identities to leave out (e.g. those a trained model saw): pairs with such a reference or probe are removed
   * before scoring and counted in the report [none]. See readExcludedIdentities.
   */
  excludeIdentities?: ReadonlySet<string>;
  /**
   * Mask and embed only this shard of the images (by a stable hash of their relative paths), writing only this
   * shard's cache files: see `runBenchmarkShard`. runBenchmark itself scores all pairs and ignores it.
   */
  shard?: Shard | null;
  /** Progress: a stage name and counts. */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Log lines (human text). */
  log?: (line: string) => void;
}

/** One scored pair. */
export interface ScoredPair extends Pair {
  /** Absolute paths of the images compared. */
  referencePath: string;
  probePath: string;
  /** Score per scorer label. */
  scores: Record<string, number>;
}

/** What happened to one dataset. */
export interface DatasetOutcome {
  name: string;
  root: string;
  maskSource: MaskSource;
  pairList: string;
  /** Pairs of the chosen folds left out because they involve an excluded identity (--exclude-identities). */
  pairsExcluded: number;
  /** Pairs selected (folds, limit) before dropping. */
  pairsSelected: number;
  pairsUsed: number;
  /** Pairs dropped because the probe failed masking (by status) or an image could not be read. */
  dropped: { authentic: number; imposter: number; byReason: Record<string, number> };
  /** Authentic / imposter balance of the pairs used. */
  used: { authentic: number; imposter: number };
  images: { references: number; probes: number; referenceFallbacks: number; probeFallbacks: number };
  pairs: ScoredPair[];
}

/** One row of the results: a dataset (or 'pooled') x a model. */
export interface ResultEntry extends ScoreStatistics {
  dataset: string;
  model: string;
  family: string;
  maskSource: MaskSource | 'mixed';
}

/** Everything a benchmark run produced. */
export interface BenchmarkResults {
  createdAt: string;
  backend: string;
  options: {
    models: string[];
    datasets: string[];
    folds: number[] | 'all';
    limitPairs: number | null;
    mask: boolean;
    maskSpec: Record<string, unknown> | null;
    similarity: SimilarityKind;
    excludedIdentities: number;
  };
  models: { label: string; spec: string; family: string }[];
  datasets: DatasetOutcome[];
  results: ResultEntry[];
  /** All datasets together, per model. */
  pooled: ResultEntry[];
  seconds: number;
}

/**
 * Runs the benchmark. Each image is embedded once per model (cached on disk, so a rerun resumes), every pair
 * is scored, and verification statistics are computed per dataset and pooled.
 *
 * @example
 * const results = await runBenchmark({ models: ['baseline:faceapi'], datasets: ['lfw-view2'], folds: [1] });
 * results.results[0].eer;
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResults> {
  const started = Date.now();
  const repo = findRepoRoot();
  const pairsDir = resolve(options.pairsDir ?? join(repo, 'benchmarks', 'pairs'));
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir());
  const mask = options.mask ?? true;
  const maskSpec = options.maskSpec ?? { ...DEFAULT_MASK_SPEC };
  const similarity = options.similarity ?? 'cosine';
  const log = options.log ?? (() => undefined);
  log(`cache: ${cacheDir}`);

  const loaded = await loadModels(options.models, similarity);
  try {
    const outcomes: DatasetOutcome[] = [];
    for (const [i, spec] of options.datasets.entries()) {
      // scoring needs every embedding: shards only fill the caches (runBenchmarkShard)
      const { dataset, maskSource, source, list, eligible, selected, probes, embedded } =
        await prepareDataset(
          spec,
          i,
          { ...options, shard: null },
          { pairsDir, cacheDir, mask, maskSpec, models: loaded.models },
        );
      const refPath = (p: Pair) => join(dataset.root, p.reference);
      const outcome: DatasetOutcome = {
        // folders are named by their base name; lfw-view2 keeps its protocol name
        name: spec === 'lfw-view2' ? spec : dataset.name,
        root: dataset.root,
        maskSource,
        pairList: source,
        pairsExcluded:
          selectPairs(list.pairs, { folds: options.folds }).length -
          selectPairs(eligible, { folds: options.folds }).length,
        pairsSelected: selected.length,
        pairsUsed: 0,
        dropped: { authentic: 0, imposter: 0, byReason: {} },
        used: { authentic: 0, imposter: 0 },
        images: { references: 0, probes: 0, referenceFallbacks: 0, probeFallbacks: 0 },
        pairs: [],
      };
      const refs = new Set<string>();
      const probeSet = new Set<string>();
      for (const pair of selected) {
        const probe = probes.get(pair.probe)!;
        const ref = embedded.get(refPath(pair));
        const emb = probe.path ? embedded.get(probe.path) : undefined;
        const reason = !probe.path
          ? `probe ${probe.status}`
          : !ref?.vectors
            ? 'reference unreadable'
            : !emb?.vectors
              ? 'probe unreadable'
              : null;
        if (reason) {
          outcome.dropped[pair.label === 1 ? 'authentic' : 'imposter']++;
          outcome.dropped.byReason[reason] = (outcome.dropped.byReason[reason] ?? 0) + 1;
          continue;
        }
        const scores: Record<string, number> = {};
        for (const scorer of loaded.scorers) {
          scores[scorer.label] = loaded.score(
            scorer,
            scorer.members.map((i) => ref!.vectors![i]),
            scorer.members.map((i) => emb!.vectors![i]),
          );
        }
        outcome.pairs.push({ ...pair, referencePath: refPath(pair), probePath: probe.path!, scores });
        outcome.used[pair.label === 1 ? 'authentic' : 'imposter']++;
        if (!refs.has(refPath(pair))) {
          refs.add(refPath(pair));
          if (ref!.face === 'fallback') outcome.images.referenceFallbacks++;
        }
        if (!probeSet.has(probe.path!)) {
          probeSet.add(probe.path!);
          if (emb!.face === 'fallback') outcome.images.probeFallbacks++;
        }
      }
      outcome.pairsUsed = outcome.pairs.length;
      outcome.images.references = refs.size;
      outcome.images.probes = probeSet.size;
      if (outcome.used.authentic === 0 || outcome.used.imposter === 0) {
        throw new Error(
          `Dataset ${spec}: after dropping failed probes, ${outcome.used.authentic} authentic and ${outcome.used.imposter} imposter pairs remain; both are needed.`,
        );
      }
      log(
        `${outcome.name}: ${outcome.pairsUsed} pairs scored, ${outcome.dropped.authentic + outcome.dropped.imposter} dropped; face fallbacks: ${outcome.images.referenceFallbacks} references, ${outcome.images.probeFallbacks} probes`,
      );
      outcomes.push(outcome);
    }

    const results: ResultEntry[] = [];
    const pooled: ResultEntry[] = [];
    for (const scorer of loaded.scorers) {
      for (const o of outcomes) {
        results.push({
          dataset: o.name,
          model: scorer.label,
          family: scorer.family,
          maskSource: o.maskSource,
          ...scoreStatistics(
            o.pairs.map((p) => p.scores[scorer.label]),
            o.pairs.map((p) => p.label),
            o.pairs.map((p) => p.fold),
          ),
        });
      }
      if (outcomes.length > 1) {
        const all = outcomes.flatMap((o) => o.pairs);
        // folds of different datasets are pooled by number (fold k of every dataset together)
        pooled.push({
          dataset: 'pooled',
          model: scorer.label,
          family: scorer.family,
          maskSource:
            new Set(outcomes.map((o) => o.maskSource)).size === 1 ? outcomes[0].maskSource : 'mixed',
          ...scoreStatistics(
            all.map((p) => p.scores[scorer.label]),
            all.map((p) => p.label),
            all.map((p) => p.fold),
          ),
        });
      }
    }
    return {
      createdAt: new Date().toISOString(),
      backend: currentBackend(),
      options: {
        models: options.models,
        datasets: options.datasets,
        folds: options.folds?.length ? options.folds : 'all',
        limitPairs: options.limitPairs ?? null,
        mask,
        maskSpec: mask ? maskSpec : null,
        similarity,
        excludedIdentities: options.excludeIdentities?.size ?? 0,
      },
      models: loaded.scorers.map((s) => ({ label: s.label, spec: s.spec, family: s.family })),
      datasets: outcomes,
      results,
      pooled,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    loaded.dispose();
  }
}

/** Shared settings of {@link prepareDataset}, resolved once per run. */
export interface PrepareContext {
  pairsDir: string;
  cacheDir: string;
  mask: boolean;
  maskSpec: Record<string, unknown>;
  models: readonly BenchModel[];
}

/**
 * One dataset up to its embeddings: the pair list and its selection (folds, limit, excluded identities), the
 * probe images (masked when synthetic) and every image embedded with every model (cached). With `options.shard`
 * only the images of that shard are masked and embedded (see `runBenchmarkShard`); scoring needs all of them.
 *
 * @example
 * const { selected, embedded } = await prepareDataset('att', 0, options, context);
 */
export async function prepareDataset(
  spec: string,
  i: number,
  options: BenchmarkOptions,
  context: PrepareContext,
) {
  const { pairsDir, cacheDir, mask, maskSpec } = context;
  const log = options.log ?? (() => undefined);
  const progress = options.onProgress ?? (() => undefined);
  const shard = options.shard ?? null;
  const dataset = datasetFor(spec, options.maskedDir, pairsDir, options.names?.[i]);
  const maskSource = maskSourceOf(dataset, mask);
  const { list, source } = await pairListFor(dataset, pairsDir, options.seed ?? 1);
  const excluded = options.excludeIdentities;
  const eligible = excluded
    ? list.pairs.filter((p) => !excluded.has(identityOf(p.reference)) && !excluded.has(identityOf(p.probe)))
    : list.pairs;
  const selected = selectPairs(eligible, { folds: options.folds, limit: options.limitPairs });
  if (selected.length === 0)
    throw new Error(`Dataset ${spec}: no pairs in the chosen folds (${options.folds}).`);
  log(`${dataset.name}: ${selected.length} pairs from ${source} (${maskSource} masks)`);
  const probes = await resolveProbes(
    dataset,
    selected.map((p) => p.probe),
    {
      maskSource,
      maskSpec,
      cacheDir,
      seed: options.seed ?? 1,
      shard,
      onProgress: (done, total) => progress(`masking ${dataset.name}`, done, total),
    },
  );
  const refPath = (p: Pair) => join(dataset.root, p.reference);
  const jobs = [
    ...selected
      .filter((p) => inShard(p.reference, shard))
      .map((p) => ({ path: refPath(p), fallbackCrop: dataset.fallbackCrop })),
    ...[...probes.values()]
      .filter((p) => p.path)
      .map((p) => ({ path: p.path!, fallbackCrop: dataset.fallbackCrop })),
  ];
  const embedded = await embedImages(jobs, context.models, {
    cacheDir,
    shard,
    onProgress: (done, total) => progress(`embedding ${dataset.name}`, done, total),
  });
  return { dataset, maskSource, source, list, eligible, selected, probes, embedded };
}

/** `lfw-view2` is LFW's images with the View 2 pair list; everything else resolves as a dataset. */
function datasetFor(
  spec: string,
  maskedDir: string | undefined,
  pairsDir: string,
  name?: string,
): DatasetRef & { pairFile?: string } {
  if (spec === 'lfw-view2') {
    return { ...resolveDataset('lfw', { name }), pairFile: join(pairsDir, 'lfw-view2.tsv') };
  }
  return resolveDataset(spec, { maskedDir, name });
}
