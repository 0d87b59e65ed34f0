// cli-support: shared helpers of the `mfr` commands; plots: Vega-Lite specs and headless rendering
export * from './cli-support/index.js';
// the benchmark: datasets, pair lists, models, runner, reports, demo
export * from './datasets/index.js';
export { type DemoRanks, demoRanks, type ProbeRank } from './demo/demo-ranks.js';
export * from './demo/run-demo.js';
export { sampleImagePaths } from './demo/sources.js';
export { demoMarkdown, writeDemoReport } from './demo/write-demo-report.js';
export * from './models/index.js';
export * from './pairs/index.js';
export * from './plots/index.js';
export * from './report/index.js';
export * from './runner/bench-shard.js';
export {
  type EmbeddedImage,
  type EmbedImagesOptions,
  embedImages,
  type ImageJob,
} from './runner/embed-images.js';
export { readExcludedIdentities } from './runner/exclude.js';
export * from './runner/merge-shards.js';
export { pairListFor, selectPairs } from './runner/pair-source.js';
export {
  type ManifestOutput,
  type ProbeSource,
  readManifestOutputs,
  readManifestStatuses,
  resolveProbes,
} from './runner/probes.js';
export type {
  BenchmarkOptions,
  BenchmarkResults,
  DatasetOutcome,
  ResultEntry,
  ScoredPair,
} from './runner/run-benchmark.js';
export { runBenchmark } from './runner/run-benchmark.js';
export { type ScoreHealth, scoreHealth } from './runner/score-health.js';
export { type Headline, meanStd, type ScoreStatistics, scoreStatistics } from './runner/statistics.js';
