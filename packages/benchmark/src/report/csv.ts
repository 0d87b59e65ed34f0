/** scores.csv: one row per pair and model. */
import type { BenchmarkResults } from '../runner/run-benchmark.js';

/**
 * The scores of every pair as CSV: `dataset,fold,label,reference,probe,model,score` (paths relative to the
 * dataset root as in the pair list; the probe column names the pair list's probe, whose masked copy was scored).
 *
 * @example
 * await writeFile('out/scores.csv', scoresCsv(results));
 */
export function scoresCsv(results: BenchmarkResults): string {
  const rows = ['dataset,fold,label,reference,probe,model,score'];
  for (const d of results.datasets) {
    for (const p of d.pairs) {
      for (const [model, score] of Object.entries(p.scores)) {
        rows.push(
          [d.name, p.fold, p.label, csvField(p.reference), csvField(p.probe), csvField(model), score].join(
            ',',
          ),
        );
      }
    }
  }
  return `${rows.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
