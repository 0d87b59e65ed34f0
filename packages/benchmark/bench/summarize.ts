/**
 * Prints Markdown rows for docs/benchmark.md from the results.json files of several runs:
 *   node --import tsx packages/benchmark/bench/summarize.ts bench-results/lfw-view2-folds1-3 bench-results/att ...
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
console.log(
  '| run | dataset | masks | model | pairs | EER | FRR100 | TAR@FAR1e-3 | EER mean ± std (folds) | FRR100 mean ± std |',
);
console.log('| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const dir of process.argv.slice(2)) {
  const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  for (const e of r.results) {
    const f = e.folds;
    console.log(
      `| ${dir.replace(/^.*\//, '')} | ${e.dataset} | ${e.maskSource} | ${e.model} | ${e.pairs} | ${pct(e.eer)} | ${pct(e.frr100)} | ${pct(e.tarAtFar1e3)} | ${pct(f.eerMean)} ± ${(100 * f.eerStd).toFixed(1)} (${f.count}) | ${pct(f.frr100Mean)} ± ${(100 * f.frr100Std).toFixed(1)} |`,
    );
  }
  for (const d of r.datasets) {
    console.log(
      `<!-- ${dir}: ${d.name} used ${d.pairsUsed}/${d.pairsSelected} (auth ${d.used.authentic}, imp ${d.used.imposter}); dropped ${JSON.stringify(d.dropped.byReason)}; fallbacks refs ${d.images.referenceFallbacks}/${d.images.references}, probes ${d.images.probeFallbacks}/${d.images.probes}; ${Math.round(r.seconds)} s -->`,
    );
  }
}
