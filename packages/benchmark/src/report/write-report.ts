/**
 * Writes a benchmark's outputs: results.json (with warnings about broken models), results.md, scores.csv, plots
 * (SVG + PNG), thumbnails, index.html.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '@mfr/core/node';
import { detPlotSpec, farFrrPlotSpec, renderSvg, rocPlotSpec, svgToPng } from '../plots/index.js';
import type { BenchmarkResults } from '../runner/run-benchmark.js';
import { scoresCsv } from './csv.js';
import { type HtmlExample, type HtmlPlot, reportHtml } from './html.js';
import { resultsMarkdown } from './markdown.js';
import { writeThumbnail } from './thumbnails.js';
import { benchmarkWarnings } from './warnings.js';

/** Options of {@link writeBenchmarkReport}. */
export interface WriteReportOptions {
  /** Example pairs per class shown in index.html (default 3 authentic + 3 imposter, from the first dataset). */
  examplesPerClass?: number;
  /** Also write PNG copies of the plots (default true). */
  png?: boolean;
}

/** The files written, relative to the output folder. */
export interface WrittenReport {
  files: string[];
}

/**
 * Writes every output of a run into `outDir` (created; files replaced atomically).
 *
 * @example
 * const results = await runBenchmark({ models: ['baseline:faceapi'], datasets: ['att'] });
 * await writeBenchmarkReport(results, 'bench-results/att');
 */
export async function writeBenchmarkReport(
  results: BenchmarkResults,
  outDir: string,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    await writeFileAtomic(join(outDir, name), data);
    files.push(name);
  };
  // pairs go to the CSV; the JSON keeps warnings, statistics, curves and dataset notes
  const json = {
    warnings: benchmarkWarnings(results),
    ...results,
    datasets: results.datasets.map(({ pairs: _pairs, ...rest }) => rest),
  };
  await write('results.json', JSON.stringify(json, null, 1));
  const markdown = resultsMarkdown(results);
  await write('results.md', markdown);
  await write('scores.csv', scoresCsv(results));

  const plots: HtmlPlot[] = [];
  const plot = async (name: string, title: string, spec: Parameters<typeof renderSvg>[0]) => {
    const svg = await renderSvg(spec);
    await write(`plots/${name}.svg`, svg);
    if (options.png ?? true) await write(`plots/${name}.png`, await svgToPng(svg));
    plots.push({ title, svg: `plots/${name}.svg` });
  };
  for (const d of results.datasets) {
    const entries = results.results.filter((r) => r.dataset === d.name);
    const named = entries.map((r) => ({ name: r.model, report: r.report }));
    const slug = safeName(d.name);
    await plot(
      `roc-${slug}`,
      `ROC, ${d.name}`,
      rocPlotSpec(named, { title: `ROC, ${d.name}`, logFar: true }),
    );
    await plot(`det-${slug}`, `DET, ${d.name}`, detPlotSpec(named, { title: `DET, ${d.name}` }));
    for (const r of entries) {
      await plot(
        `far-frr-${slug}-${safeName(r.model)}`,
        `FAR/FRR vs threshold, ${d.name}, ${r.model}`,
        farFrrPlotSpec(r.report, { title: `${d.name}, ${r.model}: EER ${(100 * r.eer).toFixed(1)}%` }),
      );
    }
  }

  const examples: HtmlExample[] = [];
  const perClass = options.examplesPerClass ?? 3;
  const first = results.datasets[0];
  if (first) {
    const chosen = [
      ...first.pairs.filter((p) => p.label === 1).slice(0, perClass),
      ...first.pairs.filter((p) => p.label === 0).slice(0, perClass),
    ];
    for (const [i, p] of chosen.entries()) {
      const ref = `thumbs/${i}-reference.jpg`;
      const probe = `thumbs/${i}-probe.jpg`;
      const refOk = await writeThumbnail(p.referencePath, join(outDir, ref));
      const probeOk = await writeThumbnail(p.probePath, join(outDir, probe));
      if (refOk) files.push(ref);
      if (probeOk) files.push(probe);
      examples.push({
        dataset: first.name,
        label: p.label,
        reference: refOk ? ref : null,
        probe: probeOk ? probe : null,
        referenceName: p.reference,
        probeName: `${p.probe}${first.maskSource === 'synthetic' ? ' (masked)' : ''}`,
        scores: p.scores,
      });
    }
  }
  await write(
    'index.html',
    reportHtml({
      title: 'Masked-probe face verification benchmark',
      summary: `Models: ${results.models.map((m) => m.label).join(', ')}. Datasets: ${results.datasets
        .map((d) => `${d.name} (${d.maskSource} masks)`)
        .join(', ')}. Scores: higher = same person.`,
      markdown,
      plots,
      examples,
    }),
  );
  return { files };
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_');
}
