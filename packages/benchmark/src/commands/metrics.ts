import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type FrrAtFar, type VerificationReport, verificationReport } from '@mfr/metrics';
import { type Command, Option } from 'commander';
import { printJsonResult } from '../cli-support/json-output.js';
import { parseFloatOption, parseIntOption, parseListOption } from '../cli-support/options.js';
import { readScoreTable } from '../cli-support/read-score-table.js';
import { metricsPlotSpec } from '../plots/metrics-plot-spec.js';
import { renderSvg } from '../plots/render-svg.js';

interface MetricsCommandOptions {
  distance?: boolean;
  json?: boolean;
  plot?: string;
  far: number[];
  eerMethod: 'rocch' | 'sweep';
  bootstrap: number;
  seed: number;
  labelColumn: string;
  scoreColumn: string;
  identityColumn: string;
  curves?: boolean;
}

/**
 * Registers `mfr metrics <scores-file>`: verification statistics (EER with threshold, FRR100, FRR1000, FRR at
 * FAR targets, AUC, d') of a CSV/TSV score file, as text, JSON (--json) and SVG plots (--plot).
 *
 * @example
 * registerMetricsCommand(program);
 * // mfr metrics scores.csv --json --plot out/metrics.svg
 */
export function registerMetricsCommand(program: Command): void {
  program
    .command('metrics')
    .description(
      'Verification metrics of a score file (CSV/TSV with a header containing "label" and "score"; label 1 = same person).',
    )
    .argument('<scores-file>', 'CSV or TSV file; extra columns are allowed (e.g. "identity" for --bootstrap)')
    .option('--distance', 'scores are distances: lower means same person (match rule: score <= threshold)')
    .option('--json', 'print one JSON object as the last line of stdout (the readable report goes to stderr)')
    .option('--plot <out.svg>', 'write FAR/FRR-vs-threshold and ROC plots as SVG')
    .option(
      '--far <list>',
      'FAR targets for "FRR at FAR < target"',
      parseListOption(parseFloatOption({ min: 0, max: 1 })),
      [0.01, 0.001, 0.0001],
    )
    .addOption(
      new Option('--eer-method <method>', 'EER reported as "eer"')
        .choices(['rocch', 'sweep'])
        .default('rocch'),
    )
    .option(
      '--bootstrap <n>',
      'bootstrap replicates for an EER confidence interval (0 = off)',
      parseIntOption({ min: 0 }),
      0,
    )
    .option('--seed <n>', 'seed of the bootstrap', parseIntOption(), 1)
    .option('--label-column <name>', 'label column', 'label')
    .option('--score-column <name>', 'score column', 'score')
    .option('--identity-column <name>', 'identity column used by --bootstrap when present', 'identity')
    .option('--curves', 'include the down-sampled curves in the JSON')
    .addHelpText(
      'after',
      `
Match rule: same person when score >= threshold (score <= threshold with --distance).
EER: ROC convex hull (bob.measure eer_rocch) by default; the threshold sweep EER is also reported.
FRR100 / FRR1000: lowest FRR over thresholds with FAR < 1% / 0.1% (the paper's rule), with that threshold.

Examples:
  mfr metrics scores.csv
  mfr metrics distances.tsv --distance --json | tail -n 1
  mfr metrics scores.csv --bootstrap 1000 --plot out/metrics.svg`,
    )
    .action(async (file: string, options: MetricsCommandOptions) => {
      const table = await readScoreTable(file, {
        labelColumn: options.labelColumn,
        scoreColumn: options.scoreColumn,
        identityColumn: options.identityColumn,
      });
      const report = verificationReport(
        { scores: table.scores, labels: table.labels },
        {
          higherIsMatch: !options.distance,
          farTargets: options.far,
          eerMethod: options.eerMethod,
          bootstrap:
            options.bootstrap > 0
              ? { samples: options.bootstrap, seed: options.seed, identities: table.identities ?? undefined }
              : undefined,
        },
      );
      const out = options.json ? process.stderr : process.stdout;
      out.write(formatReport(file, report));
      if (options.plot) {
        await mkdir(dirname(options.plot), { recursive: true });
        await writeFile(options.plot, await renderSvg(metricsPlotSpec(report, { title: file })));
        out.write(`plot written to ${options.plot}\n`);
      }
      if (options.json) {
        const { curves, ...summary } = report;
        printJsonResult({ file, ...summary, ...(options.curves ? { curves } : {}) });
      }
    });
}

const percent = (rate: number) => `${(100 * rate).toFixed(rate !== 0 && rate < 0.001 ? 4 : 2)}%`;
const number = (value: number) =>
  Number.isFinite(value) ? Number(value.toPrecision(6)).toString() : String(value);

function formatFrr(name: string, entry: FrrAtFar): string {
  const warning = entry.resolved ? '' : '  (too few impostors to resolve this FAR)';
  return `${name.padEnd(14)}${percent(entry.frr).padStart(9)}  at FAR < ${percent(entry.farTarget)}: threshold ${number(entry.threshold)}, achieved FAR ${percent(entry.achievedFar)}${warning}\n`;
}

/** The human-readable report of `mfr metrics`. */
function formatReport(file: string, report: VerificationReport): string {
  const lines = [
    `${file}: ${report.genuineCount} genuine, ${report.impostorCount} impostor scores; match rule ${report.matchRule}\n`,
    `${'EER'.padEnd(14)}${percent(report.eer).padStart(9)}  (${report.eerMethod}; rocch ${percent(report.eerRocch)}, sweep ${percent(report.eerSweep)})\n`,
    `${'EER threshold'.padEnd(14)}${number(report.eerThreshold).padStart(9)}  (FAR ${percent(report.eerFar)}, FRR ${percent(report.eerFrr)})\n`,
  ];
  if (report.eerInterval) {
    const ci = report.eerInterval;
    lines.push(
      `${'EER interval'.padEnd(14)}${`${percent(ci.lower)} - ${percent(ci.upper)}`.padStart(9)}  (${100 * ci.confidence}% bootstrap, ${ci.samples} x ${ci.resampling} resampling)\n`,
    );
  }
  lines.push(formatFrr('FRR100', report.frr100), formatFrr('FRR1000', report.frr1000));
  for (const entry of report.frrAtFar) {
    if (entry.farTarget === 0.01 || entry.farTarget === 0.001) continue;
    lines.push(formatFrr(`FRR@FAR ${entry.farTarget}`, entry));
  }
  lines.push(
    `${'AUC'.padEnd(14)}${report.auc.toFixed(5).padStart(9)}\n`,
    `${"d'".padEnd(14)}${number(report.dPrime).padStart(9)}\n`,
  );
  // FAR-resolution cautions are already marked on their lines above
  for (const warning of report.warnings)
    if (!warning.startsWith('FAR target')) lines.push(`warning: ${warning}\n`);
  return lines.join('');
}
