import { join, resolve } from 'node:path';
import { writeFolderAtomic } from '@mfr/core/node';
import { type Command, InvalidArgumentError } from 'commander';
import { startBackend } from '../cli-support/backend.js';
import { UsageError } from '../cli-support/errors.js';
import { printJsonResult } from '../cli-support/json-output.js';
import { parseFloatOption, parseIntOption } from '../cli-support/options.js';
import { DEFAULT_DEMO_FAR, DEMO_FARS, decisionsLine } from '../demo/demo-decisions.js';
import { type DemoOptions, type DemoResult, runDemo } from '../demo/run-demo.js';
import { writeDemoReport } from '../demo/write-demo-report.js';
import { stageProgress } from '../runner/stage-progress.js';

interface DemoCommandOptions {
  model?: string;
  far: number;
  data?: string;
  out: string;
  probes: number;
  maxIdentities: number;
  maskSpec?: string;
  seed: number;
  backend?: string;
  json?: boolean;
}

/**
 * `--far`: 0.01 or 0.001 (the false accept rates a calibration.json holds).
 *
 * @example
 * parseFar('0.001'); // 0.001
 */
function parseFar(value: string): number {
  const far = parseFloatOption({ min: 0, max: 1 })(value);
  if (!(DEMO_FARS as readonly number[]).includes(far)) {
    throw new InvalidArgumentError(`expected ${DEMO_FARS.join(' or ')}, got "${value}".`);
  }
  return far;
}

/**
 * Registers `mfr demo`: mask the faces in face-api's sample photos (or a folder), match every masked face
 * against all unmasked faces with the shipped model (or --model), decide every pair at the model's calibrated
 * threshold and write an HTML report. The report folder appears (or replaces an earlier demo's) only when the
 * run succeeds; a broken model (NaN or constant scores) fails the run.
 *
 * @example
 * registerDemoCommand(program);
 * // mfr demo --out mfr-demo
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Mask faces and match each masked face against all unmasked faces (1:N); writes an HTML report.',
    )
    .option(
      '--model <model>',
      'model: baseline:faceapi|faceres|mobileface|faceres-upper or a Siamese checkpoint folder[#readout] (default: the calibrated model shipped with @mfr/siamese)',
    )
    .option(
      '--far <rate>',
      "decide every pair at the model's threshold calibrated at this false accept rate: 0.01 or 0.001 (needs a checkpoint folder with calibration.json; baselines have none)",
      parseFar,
      DEFAULT_DEMO_FAR,
    )
    .option(
      '--data <dir>',
      'folder-per-identity photos (default: the sample photos shipped with @vladmandic/face-api)',
    )
    .option('--out <dir>', 'output folder', 'mfr-demo')
    .option('--probes <n>', 'masked probes per identity with --data', parseIntOption({ min: 1 }), 2)
    .option('--max-identities <n>', 'identities used with --data', parseIntOption({ min: 2 }), 50)
    .option('--mask-spec <json>', 'mask description, e.g. \'{"shape":"a","color":"white"}\'')
    .option('--seed <n>', 'seed of the masks', parseIntOption(), 1)
    .option(
      '--backend <name>',
      'tfjs backend: tfjs-node, wasm, cpu (default: MFR_BACKEND or the fastest available)',
    )
    .option('--json', 'print one JSON object as the last line of stdout')
    .addHelpText(
      'after',
      `
Examples:
  mfr demo
  mfr demo --far 0.001
  mfr demo --model baseline:faceres --out out/demo-faceres
  mfr demo --data ./my-faces --model out/siamese/best#output`,
    )
    .action(async (options: DemoCommandOptions, command: Command) => {
      let maskSpec: Record<string, unknown> | undefined;
      if (options.maskSpec) {
        try {
          maskSpec = JSON.parse(options.maskSpec) as Record<string, unknown>;
        } catch {
          throw new UsageError(`--mask-spec must be JSON; got ${options.maskSpec}`);
        }
      }
      const backend = await startBackend(command, options.backend);
      const out = resolve(options.out);
      const progress = stageProgress();
      let result: DemoResult;
      try {
        // written into a temporary sibling folder that replaces --out only once the whole report is there
        result = await writeFolderAtomic(
          out,
          (staging) =>
            demoIntoFolder(staging, {
              model: options.model,
              far: options.far,
              data: options.data,
              probesPerIdentity: options.probes,
              maxIdentities: options.maxIdentities,
              maskSpec,
              seed: options.seed,
              onProgress: progress.onProgress,
              log: (line) => process.stderr.write(`${line}\n`),
            }),
          { marker: 'demo.json' },
        );
      } finally {
        progress.stop();
      }
      const human = options.json ? process.stderr : process.stdout;
      const decisions = decisionsLine(result.decisions, result.noDecisionsReason);
      if (!options.json) process.stderr.write(`${decisions}\n`);
      human.write(`\nmodel ${result.modelSpec} (backend ${backend})\n`);
      for (const p of result.probes) {
        human.write(
          `${p.id.padEnd(28)} rank ${String(p.rank).padStart(3)}  ${p.top1 ? 'top-1 correct' : `top-1 wrong (${result.gallery[p.bestIndex].id})`}${p.detection === 'fallback' ? '  [masked face not detected: centre crop]' : ''}${result.decisions && p.trueScore < result.decisions.threshold ? '  false reject' : ''}\n`,
        );
      }
      human.write(
        `\n${result.probes.length} masked probes vs ${result.gallery.length} unmasked faces: top-1 ${(100 * result.top1Accuracy).toFixed(1)}%, mean rank ${result.meanRank.toFixed(2)}, EER ${(100 * result.eer).toFixed(1)}%, FRR100 ${(100 * result.frr100).toFixed(1)}% (${result.seconds.toFixed(1)} s)\n${decisions}\nreport: ${join(out, 'index.html')}\n`,
      );
      if (options.json) {
        printJsonResult({
          out,
          model: result.modelSpec,
          gallery: result.gallery.length,
          probes: result.probes.length,
          top1Accuracy: result.top1Accuracy,
          meanRank: result.meanRank,
          eer: result.eer,
          frr100: result.frr100,
          decisions: result.decisions && {
            far: result.decisions.far,
            threshold: result.decisions.threshold,
            genuineAccepted: result.decisions.genuineAccepted,
            falseRejects: result.decisions.falseRejects,
            impostorAccepted: result.decisions.impostorAccepted,
            impostorRejected: result.decisions.impostorRejected,
          },
          noDecisionsReason: result.noDecisionsReason,
          seconds: result.seconds,
          ranks: result.probes.map((p) => ({ probe: p.id, rank: p.rank, top1: p.top1 })),
        });
      }
    });
}

/**
 * Runs the demo with its thumbnails and report written into `dir`.
 *
 * @example
 * const result = await demoIntoFolder('mfr-demo.tmp', { model: 'baseline:faceapi' });
 */
async function demoIntoFolder(dir: string, options: Omit<DemoOptions, 'thumbsDir'>): Promise<DemoResult> {
  const result = await runDemo({ ...options, thumbsDir: dir });
  await writeDemoReport(result, dir);
  return result;
}
