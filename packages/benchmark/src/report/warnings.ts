/** Warnings of a benchmark run: the dataset x model entries whose scores show a broken model. */
import type { BenchmarkResults } from '../runner/run-benchmark.js';

/**
 * One line per dataset x model whose scores are NaN, infinite or all the same (see scoreHealth), naming the
 * model, the dataset, what is wrong and what to do; empty when every model looks healthy. Pooled rows add
 * nothing (a pooled problem is always some dataset's problem) and are left out.
 *
 * @example
 * benchmarkWarnings(results);
 * // ['model "run1/best#output" on dataset "lfw": all 600 scores are the same value, 0.5 (...). Its EER, ...']
 */
export function benchmarkWarnings(results: Pick<BenchmarkResults, 'results'>): string[] {
  return results.results
    .filter((r) => r.health && !r.health.ok)
    .map(
      (r) =>
        `model "${r.model}" on dataset "${r.dataset}": ${r.health.message}. Its EER, FRR100 and TAR figures are meaningless; fix or retrain the model, or leave it out of --models.`,
    );
}
