import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { startBackend } from '../cli-support/backend.js';
import { UsageError } from '../cli-support/errors.js';
import { printJsonResult } from '../cli-support/json-output.js';
import { parseIntOption, parseListOption } from '../cli-support/options.js';
import { SHARD_OPTION_HELP, shardOfRun } from '../cli-support/shard.js';
import { splitModelList } from '../models/parse-spec.js';
import type { SimilarityKind } from '../models/types.js';
import { benchmarkWarnings } from '../report/warnings.js';
import { writeBenchmarkReport } from '../report/write-report.js';
import { type BenchmarkShardResult, runBenchmarkShard } from '../runner/bench-shard.js';
import { readExcludedIdentities } from '../runner/exclude.js';
import { type BenchmarkOptions, type BenchmarkResults, runBenchmark } from '../runner/run-benchmark.js';
import { stageProgress } from '../runner/stage-progress.js';

interface BenchCommandOptions {
  models: string;
  datasets: string[];
  pairs?: string;
  out: string;
  folds?: number[];
  limitPairs?: number;
  maskedDir?: string;
  name?: string[];
  mask: boolean;
  maskSpec?: string;
  similarity: SimilarityKind;
  cache?: string;
  seed: number;
  backend?: string;
  excludeIdentities?: string;
  shard?: string;
  json?: boolean;
}

/** The default model list: the three baselines. */
export const DEFAULT_BENCH_MODELS = 'baseline:faceapi,baseline:faceres,baseline:mobileface';

/**
 * Registers `mfr bench`: masked-probe verification over datasets and models, with results.json, results.md,
 * scores.csv, plots and index.html in `--out`.
 *
 * @example
 * registerBenchCommand(program);
 * // mfr bench --models baseline:faceapi --datasets lfw-view2 --folds 1 --limit-pairs 200 --out out/quick
 */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(
      'Benchmark models on masked-probe verification: unmasked reference vs masked probe, EER/FRR100 per dataset.',
    )
    .option(
      '--models <list>',
      'comma list: baseline:faceapi|faceres|mobileface|faceres-upper, a Siamese checkpoint folder[#output|#fc512|#embedding], ensemble:a+b',
      DEFAULT_BENCH_MODELS,
    )
    .option(
      '--datasets <list>',
      'comma list: lfw-view2 (LFW View 2 pairs), lfw, yaleb, att (our lists in benchmarks/pairs) or folders (one sub-folder per identity)',
      parseListOption(),
      ['lfw-view2'],
    )
    .option(
      '--name <list>',
      'report names of the datasets, comma list in --datasets order (default: the folder name, or its parent for .../unmasked)',
      parseListOption(),
    )
    .option('--pairs <dir>', 'folder of pair lists <dataset>.tsv (default: benchmarks/pairs)')
    .option('--out <dir>', 'output folder', 'bench-results/bench')
    .option(
      '--folds <list>',
      'folds to run, e.g. 1,2,3 (default all)',
      parseListOption(parseIntOption({ min: 1 })),
    )
    .option(
      '--limit-pairs <n>',
      'at most n pairs per dataset (half authentic), for quick runs',
      parseIntOption({ min: 2 }),
    )
    .option(
      '--masked-dir <dir>',
      'folder of REAL masked photos mirroring the dataset folder (used as they are)',
    )
    .option('--no-mask', 'compare unmasked probes (a sanity check of the baselines)')
    .option(
      '--mask-spec <json>',
      'mask description for synthetic masks, e.g. \'{"shape":"a","color":"white"}\'',
    )
    .addOption(
      new Option('--similarity <kind>', 'similarity of plain embeddings: cosine, or l2 = 1 / (1 + distance)')
        .choices(['cosine', 'l2'])
        .default('cosine'),
    )
    .option('--cache <dir>', 'cache folder (default: MFR_CACHE, else $XDG_CACHE_HOME/mfr, else ~/.cache/mfr)')
    .option('--seed <n>', 'seed for generated pair lists and masks', parseIntOption(), 1)
    .option(
      '--backend <name>',
      'tfjs backend: tfjs-node, wasm, cpu (default: MFR_BACKEND or the fastest available)',
    )
    .option(
      '--exclude-identities <file>',
      "leave out pairs with these identities: a model's split.json (its training identities) or one name per line",
    )
    .option('--shard <i/n>', `${SHARD_OPTION_HELP}; a shard only masks and embeds into --cache (no report)`)
    .option('--json', 'print one JSON object as the last line of stdout')
    .addHelpText(
      'after',
      `
Embeddings are cached under <cache>/embeddings/ (by model and file hash): an interrupted run resumes.
Masked probes are made by @mfr/masking and cached under <cache>/masked/<dataset>-<spec hash>/output/.
<cache> is --cache, else MFR_CACHE, else $XDG_CACHE_HOME/mfr, else ~/.cache/mfr (printed at start).

Sharding: with --shard i/n the run masks and embeds only the images of shard i (same options and --cache on every
shard), writing only its own cache files, and prints what it did. When all n have run, the same command without
--shard scores every pair from the cache and writes the report (mfr merge <cache> first folds the shard files into
the shared ones; optional). See docs/scale.md.

Examples:
  mfr bench --datasets lfw-view2 --folds 1 --limit-pairs 200 --out out/quick
  mfr bench --models baseline:faceapi,baseline:faceres --datasets lfw-view2,lfw,yaleb,att --out bench-results/all
  mfr bench --models out/siamese/best#output --datasets ./staff --masked-dir ./staff-masked`,
    )
    .action(async (options: BenchCommandOptions, command: Command) => {
      if (options.name && options.name.length !== options.datasets.length) {
        throw new UsageError(
          `--name has ${options.name.length} names but --datasets has ${options.datasets.length} datasets; give one name per dataset`,
        );
      }
      let maskSpec: Record<string, unknown> | undefined;
      if (options.maskSpec) {
        try {
          maskSpec = JSON.parse(options.maskSpec) as Record<string, unknown>;
        } catch {
          throw new UsageError(
            `--mask-spec must be JSON, e.g. '{"shape":"wide","color":"light-blue"}'; got ${options.maskSpec}`,
          );
        }
      }
      const models = splitModelList(options.models);
      if (models.length === 0) throw new UsageError('--models: give at least one model.');
      const excludeIdentities = options.excludeIdentities
        ? await readExcludedIdentities(options.excludeIdentities)
        : undefined;
      const shard = shardOfRun(options.shard);
      const backend = await startBackend(command, options.backend);
      const progress = stageProgress();
      let results: BenchmarkResults | undefined;
      let shardDone: BenchmarkShardResult | undefined;
      const benchOptions: BenchmarkOptions = {
        models,
        datasets: options.datasets,
        pairsDir: options.pairs,
        folds: options.folds,
        limitPairs: options.limitPairs,
        maskedDir: options.maskedDir,
        names: options.name,
        mask: options.mask,
        maskSpec,
        similarity: options.similarity,
        cacheDir: options.cache,
        seed: options.seed,
        excludeIdentities,
        onProgress: progress.onProgress,
        log: (line) => process.stderr.write(`${line}\n`),
      };
      try {
        if (shard) shardDone = await runBenchmarkShard(benchOptions, shard);
        else results = await runBenchmark(benchOptions);
      } finally {
        progress.stop();
      }
      if (shardDone) {
        process.stderr.write(`${shardSummary(shardDone)}\n`);
        if (options.json) printJsonResult(shardDone);
        return;
      }
      if (!results) return;
      const out = resolve(options.out);
      await writeBenchmarkReport(results, out);
      process.stderr.write(
        `\n${summaryTable(results)}\nbackend ${backend}; report written to ${out}/index.html\n`,
      );
      for (const warning of benchmarkWarnings(results)) process.stderr.write(`mfr: warning: ${warning}\n`);
      if (options.json) printJsonResult(benchJson(results, out));
    });
}

/** The `--json` object: per dataset x model the headline numbers and fold statistics. */
export function benchJson(results: BenchmarkResults, out: string): object {
  const row = (r: BenchmarkResults['results'][number]) => ({
    dataset: r.dataset,
    model: r.model,
    maskSource: r.maskSource,
    eer: r.eer,
    frr100: r.frr100,
    tarAtFar1e3: r.tarAtFar1e3,
    pairs: r.pairs,
    folds: r.folds.count,
    eerMean: r.folds.eerMean,
    eerStd: r.folds.eerStd,
    frr100Mean: r.folds.frr100Mean,
    frr100Std: r.folds.frr100Std,
  });
  return {
    out,
    seconds: results.seconds,
    warnings: benchmarkWarnings(results),
    results: results.results.map(row),
    pooled: results.pooled.map(row),
    dropped: Object.fromEntries(results.datasets.map((d) => [d.name, d.dropped])),
    excluded: Object.fromEntries(results.datasets.map((d) => [d.name, d.pairsExcluded])),
  };
}

/** What a shard run did, per dataset (stderr). */
function shardSummary(done: BenchmarkShardResult): string {
  const lines = [
    `shard ${done.shard} (backend ${done.backend}, ${done.seconds.toFixed(1)} s), cache ${done.cacheDir}:`,
  ];
  for (const d of done.datasets)
    lines.push(
      `  ${d.name}: ${d.images} images embedded (${d.failed} unreadable), ${d.probesUsable} of ${d.probes} probes usable`,
    );
  lines.push(
    'when every shard has run: the same mfr bench command without --shard scores and writes the report',
  );
  return lines.join('\n');
}

function summaryTable(results: BenchmarkResults): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);
  const lines = ['dataset        model                      EER  FRR100  TAR@1e-3  pairs'];
  for (const r of [...results.results, ...results.pooled]) {
    lines.push(
      `${r.dataset.padEnd(14)} ${r.model.padEnd(22)} ${pct(r.eer)} ${pct(r.frr100)} ${pct(r.tarAtFar1e3)}   ${r.pairs}`,
    );
  }
  return lines.join('\n');
}
