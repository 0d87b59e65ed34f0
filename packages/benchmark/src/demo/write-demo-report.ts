/** The demo's outputs: demo.json, demo.md, ROC/DET plots and index.html with the masked probes and their matches. */
import { join } from 'node:path';
import { verificationReport } from '@mfr/metrics';
import { detPlotSpec, renderSvg, rocPlotSpec, svgToPng } from '../plots/index.js';
import { type HtmlExample, type HtmlPlot, reportHtml } from '../report/html.js';
import { writeFileAtomic } from '../util/fs.js';
import type { DemoResult } from './run-demo.js';

/**
 * The demo's results as Markdown: the summary and one line per masked probe.
 *
 * @example
 * demoMarkdown(result).split('\n')[0]; // '# mfr demo: masked probes vs unmasked faces'
 */
export function demoMarkdown(result: DemoResult): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    '# mfr demo: masked probes vs unmasked faces',
    '',
    `Model \`${result.modelSpec}\`; faces from ${result.source}.`,
    '',
    '| gallery faces | masked probes | top-1 correct | mean rank | EER | FRR100 | genuine / impostor pairs | probes without a detected face |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${result.gallery.length} | ${result.probes.length} | ${pct(result.top1Accuracy)} | ${result.meanRank.toFixed(2)} | ${pct(result.eer)} | ${pct(result.frr100)} | ${result.genuinePairs} / ${result.impostorPairs} | ${result.probes.filter((p) => p.detection === 'fallback').length} |`,
    '',
    '## Masked probes',
    '',
    '| probe | source | rank of true face | top-1 match | true score | best score | detection |',
    '| --- | --- | ---: | --- | ---: | ---: | --- |',
  ];
  for (const p of result.probes) {
    lines.push(
      `| ${p.id} | ${p.source} | ${p.rank} | ${p.top1 ? 'correct' : `wrong (${result.gallery[p.bestIndex].id})`} | ${p.trueScore.toFixed(3)} | ${p.bestScore.toFixed(3)} | ${p.detection} |`,
    );
  }
  if (result.skipped > 0)
    lines.push('', `${result.skipped} images had no detectable face and could not be masked.`);
  lines.push('', `Run time ${result.seconds.toFixed(1)} s.`, '');
  return lines.join('\n');
}

/**
 * Writes demo.json, demo.md, plots and index.html into `outDir` (thumbnails were written by runDemo).
 *
 * @example
 * await writeDemoReport(await runDemo({ thumbsDir: 'mfr-demo' }), 'mfr-demo');
 */
export async function writeDemoReport(result: DemoResult, outDir: string): Promise<string[]> {
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    await writeFileAtomic(join(outDir, name), data);
    files.push(name);
  };
  await write('demo.json', JSON.stringify(result, null, 1));
  const markdown = demoMarkdown(result);
  await write('demo.md', markdown);
  const labels: number[] = [];
  const scores: number[] = [];
  result.scores.forEach((row, i) => {
    row.forEach((s, j) => {
      scores.push(s);
      labels.push(j === result.probes[i].trueIndex ? 1 : 0);
    });
  });
  const report = verificationReport({ scores, labels });
  const plots: HtmlPlot[] = [];
  for (const [name, spec] of [
    ['roc', rocPlotSpec([{ name: result.model, report }], { title: 'ROC, masked probes' })],
    ['det', detPlotSpec([{ name: result.model, report }], { title: 'DET, masked probes' })],
  ] as const) {
    const svg = await renderSvg(spec);
    await write(`plots/${name}.svg`, svg);
    await write(`plots/${name}.png`, await svgToPng(svg));
    plots.push({ title: name.toUpperCase(), svg: `plots/${name}.svg` });
  }
  const examples: HtmlExample[] = result.probes.map((p) => ({
    dataset: p.source,
    label: 1,
    reference: result.gallery[p.trueIndex].thumbnail ?? null,
    probe: p.thumbnail ?? null,
    referenceName: `${result.gallery[p.trueIndex].id} (unmasked)`,
    probeName: `${p.id} (masked)`,
    scores: { [result.model]: p.trueScore },
    note: p.top1
      ? 'rank 1: correct'
      : `rank ${p.rank}; best match ${result.gallery[p.bestIndex].id} (${p.bestScore.toFixed(3)})`,
  }));
  await write(
    'index.html',
    reportHtml({
      title: 'mfr demo: masked-to-unmasked face matching',
      summary: `Every masked probe was matched against all ${result.gallery.length} unmasked faces with ${result.model}. Top-1 correct: ${(100 * result.top1Accuracy).toFixed(1)}%, EER ${(100 * result.eer).toFixed(1)}%.`,
      markdown,
      plots,
      examples,
    }),
  );
  return files;
}
