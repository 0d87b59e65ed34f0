// cli-support: shared helpers of the `mfr` commands; plots: Vega-Lite specs and headless rendering
export * from './cli-support/index.js';
export * from './plots/index.js';
// the benchmark: datasets, pair lists, models, runner, reports, demo
export * from './datasets/index.js';
export * from './pairs/index.js';
export * from './models/index.js';
export { runBenchmark, DEFAULT_BENCH_MASK } from './runner/run-benchmark.js';
export type {
  BenchmarkOptions,
  BenchmarkResults,
  DatasetOutcome,
  ResultEntry,
  ScoredPair,
} from './runner/run-benchmark.js';
export { embedImages, type EmbedImagesOptions, type EmbeddedImage, type ImageJob } from './runner/embed-images.js';
export { pairListFor, selectPairs } from './runner/pair-source.js';
export { resolveProbes, readManifestStatuses, type ProbeSource } from './runner/probes.js';
export { meanStd, scoreStatistics, type Headline, type ScoreStatistics } from './runner/statistics.js';
export * from './report/index.js';
export * from './demo/run-demo.js';
export { demoMarkdown, writeDemoReport } from './demo/write-demo-report.js';
export { sampleImagePaths } from './demo/sources.js';
