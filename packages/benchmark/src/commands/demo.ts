import { join, resolve } from 'node:path';
import { initBackend } from '@mfr/core';
import type { Command } from 'commander';
import { UsageError } from '../cli-support/errors.js';
import { printJsonResult } from '../cli-support/json-output.js';
import { parseIntOption } from '../cli-support/options.js';
import { DEFAULT_DEMO_BASELINE, DEFAULT_DEMO_MODEL_DIR, runDemo } from '../demo/run-demo.js';
import { writeDemoReport } from '../demo/write-demo-report.js';
import { stageProgress } from '../runner/stage-progress.js';

interface DemoCommandOptions {
  model?: string;
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
 * Registers `mfr demo`: mask the faces in face-api's sample photos (or a folder), match every masked face
 * against all unmasked faces and write an HTML report.
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
      `model: baseline:faceapi|faceres|mobileface or a Siamese checkpoint folder[#readout] (default: ${DEFAULT_DEMO_MODEL_DIR} if it holds a checkpoint, else ${DEFAULT_DEMO_BASELINE})`,
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
  mfr demo --model baseline:faceres --out out/demo-faceres
  mfr demo --data ./my-faces --model .mfr-cache/models/siamese#fc512`,
    )
    .action(async (options: DemoCommandOptions) => {
      let maskSpec: Record<string, unknown> | undefined;
      if (options.maskSpec) {
        try {
          maskSpec = JSON.parse(options.maskSpec) as Record<string, unknown>;
        } catch {
          throw new UsageError(`--mask-spec must be JSON; got ${options.maskSpec}`);
        }
      }
      const backend = await initBackend({ backend: options.backend as never, verbose: true });
      const out = resolve(options.out);
      const progress = stageProgress();
      let result: Awaited<ReturnType<typeof runDemo>>;
      try {
        result = await runDemo({
          model: options.model,
          data: options.data,
          probesPerIdentity: options.probes,
          maxIdentities: options.maxIdentities,
          maskSpec,
          seed: options.seed,
          thumbsDir: out,
          onProgress: progress.onProgress,
          log: (line) => process.stderr.write(`${line}\n`),
        });
      } finally {
        progress.stop();
      }
      await writeDemoReport(result, out);
      const human = options.json ? process.stderr : process.stdout;
      human.write(`\nmodel ${result.modelSpec} (backend ${backend})\n`);
      for (const p of result.probes) {
        human.write(
          `${p.id.padEnd(28)} rank ${String(p.rank).padStart(3)}  ${p.top1 ? 'top-1 correct' : `top-1 wrong (${result.gallery[p.bestIndex].id})`}${p.detection === 'fallback' ? '  [masked face not detected: centre crop]' : ''}\n`,
        );
      }
      human.write(
        `\n${result.probes.length} masked probes vs ${result.gallery.length} unmasked faces: top-1 ${(100 * result.top1Accuracy).toFixed(1)}%, mean rank ${result.meanRank.toFixed(2)}, EER ${(100 * result.eer).toFixed(1)}%, FRR100 ${(100 * result.frr100).toFixed(1)}% (${result.seconds.toFixed(1)} s)\nreport: ${join(out, 'index.html')}\n`,
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
          seconds: result.seconds,
          ranks: result.probes.map((p) => ({ probe: p.id, rank: p.rank, top1: p.top1 })),
        });
      }
    });
}
