/** results.md: a table like the paper's Table 6 (rows datasets, columns model x {EER, FRR100}) plus TAR@FAR=1e-3. */
import type { BenchmarkResults, ResultEntry } from '../runner/run-benchmark.js';
import { benchmarkWarnings } from './warnings.js';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const pm = (mean: number, std: number) =>
  Number.isFinite(mean) ? `${pct(mean)} ± ${(100 * std).toFixed(1)}` : 'n/a';

/**
 * The results as Markdown: warnings about broken models (first, when there are any), the Table-6-style
 * summary, fold means, dataset notes (synthetic/real masks, pairs dropped, fallbacks) and the run's settings.
 *
 * @example
 * await writeFile('out/results.md', resultsMarkdown(results));
 */
export function resultsMarkdown(results: BenchmarkResults): string {
  const models = results.models.map((m) => m.label);
  const rows = [...results.datasets.map((d) => d.name), ...(results.pooled.length ? ['pooled'] : [])];
  const find = (dataset: string, model: string): ResultEntry | undefined =>
    (dataset === 'pooled' ? results.pooled : results.results).find(
      (r) => r.dataset === dataset && r.model === model,
    );
  const lines: string[] = [];
  lines.push('# Masked-probe verification results', '');
  lines.push(
    `Unmasked reference vs ${results.options.mask ? 'masked' : '**unmasked** (--no-mask)'} probe; similarity of embeddings: ${results.options.similarity}; backend ${results.backend}; ${results.createdAt}.`,
    '',
  );
  lines.push(...warningsSection(benchmarkWarnings(results)));
  lines.push('## EER and FRR100 (pooled over the folds run)', '');
  lines.push(
    `| dataset | masks | ${models.map((m) => `${m} EER | ${m} FRR100 | ${m} TAR@FAR1e-3`).join(' | ')} |`,
  );
  lines.push(`| --- | --- | ${models.map(() => '---: | ---: | ---:').join(' | ')} |`);
  for (const row of rows) {
    const d = results.datasets.find((x) => x.name === row);
    const masks = d ? d.maskSource : 'mixed';
    const cells = models.map((m) => {
      const r = find(row, m);
      return r ? `${pct(r.eer)} | ${pct(r.frr100)} | ${pct(r.tarAtFar1e3)}` : 'n/a | n/a | n/a';
    });
    lines.push(`| ${row} | ${masks} | ${cells.join(' | ')} |`);
  }
  lines.push('', '## Mean ± std over folds', '');
  lines.push('| dataset | model | folds | EER | FRR100 | TAR@FAR1e-3 | pairs |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  let unresolved = false;
  for (const r of [...results.results, ...results.pooled]) {
    // a fold with < 100 imposter pairs cannot resolve FAR 1%: its FRR100 is FRR at zero false accepts
    const flag =
      r.folds.frr100Unresolved > 0 ? ` (${r.folds.frr100Unresolved} of ${r.folds.count} folds †)` : '';
    unresolved ||= flag !== '';
    lines.push(
      `| ${r.dataset} | ${r.model} | ${r.folds.count} | ${pm(r.folds.eerMean, r.folds.eerStd)} | ${pm(r.folds.frr100Mean, r.folds.frr100Std)}${flag} | ${pm(r.folds.tarAtFar1e3Mean, r.folds.tarAtFar1e3Std)} | ${r.pairs} |`,
    );
  }
  if (unresolved) {
    lines.push(
      '',
      '† These folds have fewer than 100 imposter pairs, so FAR 1% cannot be resolved: their FRR100 is the FRR at ' +
        'zero false accepts (a stricter point). Read the pooled FRR100 above instead.',
    );
  }
  lines.push('', '## Datasets', '');
  lines.push(
    '| dataset | masks | pair list | excluded (seen identities) | pairs selected | used (auth/imp) | dropped (auth/imp) | drop reasons | no-face fallbacks (refs/probes) |',
  );
  lines.push('| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const d of results.datasets) {
    const reasons = Object.entries(d.dropped.byReason)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    lines.push(
      `| ${d.name} | ${d.maskSource} | ${d.pairList.replace(/^.*benchmarks\//, 'benchmarks/')} | ${d.pairsExcluded} | ${d.pairsSelected} | ${d.pairsUsed} (${d.used.authentic}/${d.used.imposter}) | ${d.dropped.authentic}/${d.dropped.imposter} | ${reasons || '-'} | ${d.images.referenceFallbacks}/${d.images.references} / ${d.images.probeFallbacks}/${d.images.probes} |`,
    );
  }
  lines.push('', '## Settings', '');
  lines.push(`- models: ${results.models.map((m) => `\`${m.spec}\``).join(', ')}`);
  lines.push(`- folds: ${results.options.folds === 'all' ? 'all' : results.options.folds.join(', ')}`);
  lines.push(`- limit pairs: ${results.options.limitPairs ?? 'none'}`);
  lines.push(
    `- mask: ${results.options.maskSpec ? `\`${JSON.stringify(results.options.maskSpec)}\`` : 'none'}`,
  );
  lines.push(`- run time: ${results.seconds.toFixed(0)} s`);
  lines.push('');
  return lines.join('\n');
}

/** A `## Warnings` section with one bullet per warning, or nothing. */
function warningsSection(warnings: readonly string[]): string[] {
  if (warnings.length === 0) return [];
  return ['## Warnings', '', ...warnings.map((w) => `- **warning**: ${w}`), ''];
}
