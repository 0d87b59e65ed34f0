/**
 * The demo's outputs: demo.json, demo.md, ROC/DET plots and index.html. The report says what the pairs are, then
 * lists the mistakes at the calibrated threshold first (false accepts, false rejects), then each masked probe's
 * closest lookalike (different people), then the same-person pairs, with thumbnails in index.html.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '@mfr/core/node';
import { verificationReport } from '@mfr/metrics';
import { detPlotSpec, renderSvg, rocPlotSpec, svgToPng } from '../plots/index.js';
import type { HtmlExample, HtmlPlot } from '../report/html.js';
import { type DemoPair, decisionsLine, formatFar } from './demo-decisions.js';
import { demoHtml } from './demo-html.js';
import type { DemoResult } from './run-demo.js';

/** At most this many false accepts / false rejects are listed in the tables (all are in demo.json). */
export const DEMO_MAX_LISTED_PAIRS = 100;
/** At most this many false accepts / false rejects are shown with thumbnails in index.html. */
export const DEMO_MAX_PAIR_THUMBNAILS = 30;

/** One part of the demo report: a heading, paragraphs, a Markdown table and the pairs shown with thumbnails. */
export interface DemoSection {
  heading: string;
  /** Markdown paragraphs (one line each). */
  paragraphs: string[];
  /** A Markdown table (its lines), or none. */
  table: string[];
  /** Pairs shown with thumbnails in index.html. */
  examples: HtmlExample[];
}

/** The demo report's content, shared by demo.md and index.html. */
export interface DemoReportContent {
  title: string;
  /** Markdown under the title: the model, what the pairs are, the summary table. */
  intro: string[];
  sections: DemoSection[];
  /** Markdown closing lines (skipped images, run time). */
  footer: string[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
/** `n` and a noun, plural unless n is 1: plural(1, 'false accept') -> '1 false accept'. */
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
/** Scores near the threshold: 4 decimals, so an accepted and a rejected score never print the same. */
const score4 = (x: number) => x.toFixed(4);

/**
 * Plain words on what the same-person and different-person pairs of this run are.
 *
 * @example
 * pairsExplained(result)[0];
 * // '**Same-person pairs**: each masked probe is a crop of the same photo as its reference with a synthetic mask ...'
 */
export function pairsExplained(result: DemoResult): string[] {
  const others = result.gallery.length - 1;
  return result.mode === 'sample-photos'
    ? [
        '**Same-person pairs**: each masked probe is a crop of the same photo as its reference with a synthetic mask drawn on it — the easiest case (same pose, light and camera; only the mask differs).',
        `**Different-person pairs**: each masked probe against the ${others} other faces found in the photos, each taken to be a different person.`,
      ]
    : [
        "**Same-person pairs**: each masked probe is another photo of the same person as its reference (the person's first photo), masked — the mask, pose, light and camera all differ.",
        `**Different-person pairs**: each masked probe against the ${others} other people's reference photos.`,
      ];
}

/**
 * The report's sections, in order: decisions at the threshold, false accepts, false rejects, the closest
 * different-person pairs, the same-person pairs.
 *
 * @example
 * demoReportContent(result).sections.map((s) => s.heading);
 * // ['Decisions at the calibrated threshold', 'False accepts: ...', 'False rejects: ...', 'Different-person pairs: ...', 'Same-person pairs']
 */
export function demoReportContent(result: DemoResult): DemoReportContent {
  const d = result.decisions;
  const decide = (score: number) => (d ? score >= d.threshold : null);
  const words = (score: number, genuine: boolean) => {
    const accepted = decide(score);
    if (accepted === null) return '—';
    if (accepted) return genuine ? 'accepted' : 'accepted (false accept)';
    return genuine ? 'rejected (false reject)' : 'rejected';
  };
  const probeName = (i: number) => `${result.probes[i].id} (masked)`;
  const galleryName = (j: number) => `${result.gallery[j].id} (unmasked)`;
  const example = (i: number, j: number, score: number, note: string): HtmlExample => ({
    dataset: result.probes[i].source,
    label: j === result.probes[i].trueIndex ? 1 : 0,
    reference: result.gallery[j].thumbnail ?? null,
    probe: result.probes[i].thumbnail ?? null,
    referenceName: galleryName(j),
    probeName: probeName(i),
    scores: { [result.model]: score },
    note,
  });
  const intro = [
    `Model \`${result.modelSpec}\`; faces from ${result.source}.`,
    '',
    ...pairsExplained(result).flatMap((line) => [line, '']),
    '| gallery faces | masked probes | top-1 correct | mean rank | EER | FRR100 | genuine / impostor pairs | probes without a detected face |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${result.gallery.length} | ${result.probes.length} | ${pct(result.top1Accuracy)} | ${result.meanRank.toFixed(2)} | ${pct(result.eer)} | ${pct(result.frr100)} | ${result.genuinePairs} / ${result.impostorPairs} | ${result.probes.filter((p) => p.detection === 'fallback').length} |`,
  ];
  const sections: DemoSection[] = [];

  if (d) {
    const genuine = d.genuineAccepted + d.falseRejects;
    const impostor = d.impostorAccepted + d.impostorRejected;
    sections.push({
      heading: 'Decisions at the calibrated threshold',
      paragraphs: [
        `Threshold **${score4(d.threshold)}**, calibrated for a false accept rate of ${formatFar(d.far)} on ${d.measuredOn}: a pair scoring at or above it is accepted (declared the same person), below it rejected.`,
        `Here: ${d.falseRejects} of ${genuine} same-person pairs rejected (false reject rate ${pct(d.falseRejects / Math.max(1, genuine))}), ${d.impostorAccepted} of ${impostor} different-person pairs accepted (false accept rate ${pct(d.impostorAccepted / Math.max(1, impostor))}).`,
      ],
      table: [
        '| pairs | accepted | rejected |',
        '| --- | ---: | ---: |',
        `| same person (${genuine}) | ${d.genuineAccepted} | ${plural(d.falseRejects, 'false reject')} |`,
        `| different people (${impostor}) | ${plural(d.impostorAccepted, 'false accept')} | ${d.impostorRejected} |`,
      ],
      examples: [],
    });
    const listed = (pairs: DemoPair[], what: string): string[] =>
      pairs.length > DEMO_MAX_LISTED_PAIRS
        ? [
            `The ${DEMO_MAX_LISTED_PAIRS} ${what} of ${pairs.length} are listed; demo.json (decisions) has them all.`,
          ]
        : [];
    sections.push({
      heading: 'False accepts: different people accepted as the same person',
      paragraphs:
        d.falseAcceptPairs.length === 0
          ? ['None: no different-person pair scored at or above the threshold.']
          : [
              `${plural(d.falseAcceptPairs.length, 'different-person pair')} scored at or above the threshold, highest score first.`,
              ...listed(d.falseAcceptPairs, 'highest-scoring'),
            ],
      table:
        d.falseAcceptPairs.length === 0
          ? []
          : [
              '| masked probe | source | accepted as (unmasked) | score |',
              '| --- | --- | --- | ---: |',
              ...d.falseAcceptPairs
                .slice(0, DEMO_MAX_LISTED_PAIRS)
                .map(
                  (p) =>
                    `| ${p.probeId} | ${result.probes[p.probe].source} | ${p.galleryId} | ${score4(p.score)} |`,
                ),
            ],
      examples: d.falseAcceptPairs
        .slice(0, DEMO_MAX_PAIR_THUMBNAILS)
        .map((p) => example(p.probe, p.gallery, p.score, 'accepted: false accept')),
    });
    sections.push({
      heading: 'False rejects: the same person rejected',
      paragraphs:
        d.falseRejectPairs.length === 0
          ? ['None: every same-person pair scored at or above the threshold.']
          : [
              `${plural(d.falseRejectPairs.length, 'same-person pair')} scored below the threshold, lowest score first.`,
              ...listed(d.falseRejectPairs, 'lowest-scoring'),
            ],
      table:
        d.falseRejectPairs.length === 0
          ? []
          : [
              '| masked probe | source | its own face (unmasked) | score | rank of own face |',
              '| --- | --- | --- | ---: | ---: |',
              ...d.falseRejectPairs
                .slice(0, DEMO_MAX_LISTED_PAIRS)
                .map(
                  (p) =>
                    `| ${p.probeId} | ${result.probes[p.probe].source} | ${p.galleryId} | ${score4(p.score)} | ${result.probes[p.probe].rank} |`,
                ),
            ],
      examples: d.falseRejectPairs
        .slice(0, DEMO_MAX_PAIR_THUMBNAILS)
        .map((p) =>
          example(p.probe, p.gallery, p.score, `rejected: false reject; rank ${result.probes[p.probe].rank}`),
        ),
    });
  } else {
    sections.push({
      heading: 'Decisions at a calibrated threshold',
      paragraphs: [
        `No calibrated threshold: ${result.noDecisionsReason ?? 'the model has none'}, so no pair is accepted or rejected here (no false accepts or false rejects to list). The ranks, EER and FRR100 need no threshold. The default model (shipped with @mfr/siamese) is calibrated.`,
      ],
      table: [],
      examples: [],
    });
  }

  const closest = result.probes
    .map((p, i) => ({ i, j: p.closestImpostorIndex, score: p.closestImpostorScore }))
    .sort((a, b) => b.score - a.score);
  sections.push({
    heading: "Different-person pairs: each masked probe's closest lookalike",
    paragraphs: [
      `For each masked probe, the other person's face that scored highest (its hardest different-person pair), highest score first${d ? `; accepted at threshold ${score4(d.threshold)} means a false accept` : ''}.`,
    ],
    table: [
      '| masked probe | source | closest other face (unmasked) | score | decision |',
      '| --- | --- | --- | ---: | --- |',
      ...closest.map(
        ({ i, j, score }) =>
          `| ${result.probes[i].id} | ${result.probes[i].source} | ${result.gallery[j].id} | ${score4(score)} | ${words(score, false)} |`,
      ),
    ],
    examples: closest.map(({ i, j, score }) => {
      const accepted = decide(score);
      return example(
        i,
        j,
        score,
        accepted === null ? 'closest lookalike' : accepted ? 'accepted: false accept' : 'rejected',
      );
    }),
  });

  sections.push({
    heading: 'Same-person pairs',
    paragraphs: [
      `Each masked probe against its own unmasked face, and where that face ranked among all ${result.gallery.length} faces (1 = top-1 correct).`,
    ],
    table: [
      '| probe | source | rank of true face | top-1 match | true score | best score | detection | decision |',
      '| --- | --- | ---: | --- | ---: | ---: | --- | --- |',
      ...result.probes.map(
        (p) =>
          `| ${p.id} | ${p.source} | ${p.rank} | ${p.top1 ? 'correct' : `wrong (${result.gallery[p.bestIndex].id})`} | ${score4(p.trueScore)} | ${score4(p.bestScore)} | ${p.detection} | ${words(p.trueScore, true)} |`,
      ),
    ],
    examples: result.probes.map((p, i) => {
      const accepted = decide(p.trueScore);
      const rank = p.top1
        ? 'rank 1: correct'
        : `rank ${p.rank}; best match ${result.gallery[p.bestIndex].id} (${score4(p.bestScore)})`;
      return example(
        i,
        p.trueIndex,
        p.trueScore,
        accepted === null ? rank : `${rank}; ${accepted ? 'accepted' : 'rejected: false reject'}`,
      );
    }),
  });

  const footer: string[] = [];
  if (result.skipped > 0)
    footer.push(`${result.skipped} images had no detectable face and could not be masked.`, '');
  footer.push(`Run time ${result.seconds.toFixed(1)} s.`);
  return { title: 'mfr demo: masked probes vs unmasked faces', intro, sections, footer };
}

/**
 * The demo's results as Markdown: what the pairs are, the summary, the decisions and their mistakes, the closest
 * different-person pairs and the same-person pairs.
 *
 * @example
 * demoMarkdown(result).split('\n')[0]; // '# mfr demo: masked probes vs unmasked faces'
 */
export function demoMarkdown(result: DemoResult): string {
  const content = demoReportContent(result);
  const lines = [`# ${content.title}`, '', ...content.intro];
  for (const section of content.sections) {
    lines.push('', `## ${section.heading}`, '');
    for (const paragraph of section.paragraphs) lines.push(paragraph, '');
    if (section.table.length > 0) lines.push(...section.table, '');
    lines.pop();
  }
  lines.push('', ...content.footer, '');
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
  await write('demo.md', demoMarkdown(result));
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
  await write(
    'index.html',
    demoHtml({
      content: demoReportContent(result),
      summary: `Every masked probe was matched against all ${result.gallery.length} unmasked faces with ${result.model}. Top-1 correct: ${pct(result.top1Accuracy)}, EER ${pct(result.eer)}; ${decisionsLine(result.decisions, result.noDecisionsReason)}.`,
      plots,
    }),
  );
  return files;
}
