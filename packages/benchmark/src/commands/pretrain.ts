import {
  collectPretrainImages,
  exportBackbone,
  type PretrainProgress,
  trainMoCo,
} from '@mfr/contrastive/node';
import { BACKBONE_ARCHS, type BackboneArch } from '@mfr/core';
import { type Command, Option } from 'commander';
import { startBackend } from '../cli-support/backend.js';
import { UsageError } from '../cli-support/errors.js';
import { reportResult } from '../cli-support/json-output.js';
import { parseFloatOption, parseIntOption, parseListOption } from '../cli-support/options.js';
import { createProgressReporter } from '../cli-support/progress.js';

interface PretrainCommandOptions {
  data: string[];
  masked?: string[];
  backbone: BackboneArch;
  widths?: number[];
  imageSize: number;
  batch: number;
  steps?: number;
  epochs?: number;
  out: string;
  resume?: boolean;
  queueSize: number;
  lr: number;
  momentum: number;
  temperature: number;
  dim: number;
  shuffleBn: 'split' | 'group' | 'none';
  bnSplits: number;
  faceFraction: number;
  minImages: number;
  valIdentities?: number;
  valTrials: number;
  valEvery: number;
  checkpointEvery: number;
  seed: number;
  backend?: string;
  export?: string;
  json?: boolean;
}

/**
 * Registers `mfr pretrain`: MoCo v2 pre-training of a backbone on face folders (and their synthetic masked
 * copies), with checkpoints, resume, monitoring and a final JSON line.
 *
 * @example
 * registerPretrainCommand(program);
 * // mfr pretrain --data ../shared/datasets/lfw/images --backbone resnet18 --image-size 64 --batch 64 --steps 2000 --out out/moco
 */
export function registerPretrainCommand(program: Command): void {
  program
    .command('pretrain')
    .description('MoCo v2 contrastive pre-training of a backbone on masked and unmasked faces.')
    .requiredOption(
      '--data <dirs>',
      'dataset folders (<dir>/<identity>/<image>), comma-separated',
      parseListOption(),
    )
    .option(
      '--masked <dirs>',
      'masked output folders of `mfr mask` (with manifest.jsonl), comma-separated',
      parseListOption(),
    )
    .addOption(
      new Option('--backbone <arch>', 'backbone architecture')
        .choices([...BACKBONE_ARCHS])
        .default('resnet18'),
    )
    .option(
      '--widths <list>',
      'ResNet stage widths, e.g. 32,64,128,256',
      parseListOption(parseIntOption({ min: 1 })),
    )
    .option('--image-size <px>', 'network input side', parseIntOption({ min: 32 }), 112)
    .option('--batch <n>', 'batch size', parseIntOption({ min: 2 }), 32)
    .option('--steps <n>', 'training steps (or --epochs)', parseIntOption({ min: 1 }))
    .option('--epochs <n>', 'epochs over the training images (or --steps)', parseFloatOption({ min: 0 }))
    .requiredOption('--out <dir>', 'checkpoint folder (the exported backbone goes to <dir>/backbone)')
    .option('--resume', 'continue from the checkpoint in --out')
    .option(
      '--queue-size <n>',
      'MoCo queue size K (a multiple of --batch)',
      parseIntOption({ min: 1 }),
      65536,
    )
    .option(
      '--lr <x>',
      'learning rate at batch 128, scaled linearly with --batch',
      parseFloatOption({ min: 0 }),
      0.015,
    )
    .option('--momentum <m>', 'key encoder momentum', parseFloatOption({ min: 0, max: 1 }), 0.999)
    .option('--temperature <t>', 'softmax temperature', parseFloatOption({ min: 1e-6 }), 0.2)
    .option('--dim <n>', 'projection dimension', parseIntOption({ min: 1 }), 128)
    .addOption(
      new Option(
        '--shuffle-bn <mode>',
        'batch-norm leakage guard: split key batches, group-norm backbone, or none',
      )
        .choices(['split', 'group', 'none'])
        .default('split'),
    )
    .option('--bn-splits <n>', "key sub-batches in 'split' mode", parseIntOption({ min: 1 }), 4)
    .option(
      '--face-fraction <f>',
      'central fraction of each image holding the face (LFW: ~0.6)',
      parseFloatOption({ min: 0.05, max: 1 }),
      1,
    )
    .option('--min-images <n>', 'skip identities with fewer images', parseIntOption({ min: 1 }), 1)
    .option(
      '--val-identities <n>',
      'identities held out for validation (default: 100, at most half of them, none below 40 identities)',
      parseIntOption({ min: 0 }),
    )
    .option('--val-trials <n>', '1-of-20 validation trials', parseIntOption({ min: 1 }), 200)
    .option('--val-every <n>', 'steps between validations (0 = off)', parseIntOption({ min: 0 }), 250)
    .option('--checkpoint-every <n>', 'steps between checkpoints', parseIntOption({ min: 1 }), 500)
    .option('--seed <n>', 'seed of everything random', parseIntOption(), 0)
    .option('--backend <name>', 'tfjs backend: tfjs-node, wasm, cpu (default: the fastest available)')
    .option('--export <dir>', 'also export the trained backbone (without the projection head) to this folder')
    .option(
      '--json',
      'print one JSON object as the last line of stdout (the readable summary goes to stderr)',
    )
    .addHelpText(
      'after',
      `
Defaults follow MoCo v2 and the paper: K 65536, m 0.999, T 0.2, MLP head, SGD momentum 0.9, weight decay 1e-4,
lr 0.015 at batch 128 with a cosine schedule. Validation: masked-to-unmasked 1-of-20 precision on held-out
identities (unmasked-to-unmasked when no masked copies are given); chance is 0.05. By default 100 identities
are held out, at most half of a small dataset's, and none when that leaves fewer than 20 (under 40 identities).

--resume continues from the checkpoint in --out with the same options; a finished run reports its last loss.
The cosine schedule is laid out for --steps, so a finished run cannot be extended with a larger --steps.

Examples:
  mfr pretrain --data ../shared/datasets/lfw/images --min-images 5 --face-fraction 0.6 --backbone resnet18 \\
    --widths 32,64,128,256 --image-size 64 --batch 64 --queue-size 4096 --steps 3000 --out out/moco
  mfr pretrain --data ../shared/datasets/lfw/images --masked out/masked/lfw ... --out out/moco --resume`,
    )
    .action(async (options: PretrainCommandOptions, command: Command) => {
      if ((options.steps === undefined) === (options.epochs === undefined)) {
        throw new UsageError('give exactly one of --steps <n> or --epochs <n>');
      }
      if (options.queueSize % options.batch !== 0) {
        throw new UsageError(
          `--queue-size ${options.queueSize} must be a multiple of --batch ${options.batch}`,
        );
      }
      const backend = await startBackend(command, options.backend);
      const images = await collectPretrainImages({
        data: options.data,
        masked: options.masked,
        minImagesPerIdentity: options.minImages,
        valIdentities: options.valIdentities,
        seed: options.seed,
      });
      process.stderr.write(
        `pretrain: ${images.train.length} training images (${images.maskedCount.train} with masked copies), ` +
          `${images.val.length} validation images, backend ${backend}\npretrain: ${images.valReason}\n`,
      );
      const progress = createProgressReporter({ label: 'pretrain', total: options.steps ?? 0 });
      const describe = (p: PretrainProgress) =>
        `loss ${Number.isFinite(p.loss) ? p.loss.toFixed(4) : '-'} lr ${p.lr.toExponential(2)} ${p.imagesPerSecond.toFixed(1)} img/s` +
        (p.valPrecision !== undefined ? ` val@1of20 ${p.valPrecision.toFixed(3)}` : '');
      const result = await trainMoCo({
        backbone: {
          arch: options.backbone,
          inputSize: options.imageSize,
          widths: options.widths,
          seed: options.seed,
        },
        images,
        imageSize: options.imageSize,
        batchSize: options.batch,
        steps: options.steps,
        epochs: options.epochs,
        lr: options.lr,
        moco: {
          queueSize: options.queueSize,
          momentum: options.momentum,
          temperature: options.temperature,
          dim: options.dim,
          shuffleBN: options.shuffleBn,
          bnSplits: options.bnSplits,
        },
        faceFraction: options.faceFraction,
        seed: options.seed,
        checkpointDir: options.out,
        checkpointEvery: options.checkpointEvery,
        resume: options.resume,
        valEvery: options.valEvery,
        valTrials: options.valTrials,
        onProgress: (p) => {
          progress.setTotal(p.totalSteps);
          progress.update(p.step, describe(p));
          if (p.valPrecision !== undefined)
            process.stderr.write(`\npretrain: step ${p.step} ${describe(p)}\n`);
        },
      });
      progress.stop();
      const exported = options.export ? await exportBackbone(options.out, options.export) : null;
      const ranNothing = result.stepsThisRun === 0;
      reportResult(
        options.json,
        [
          `pretrain: ${ranNothing ? 'nothing to do: the run in --out is finished' : `ran ${result.stepsThisRun} steps`} ` +
            `(${result.steps}/${result.totalSteps}); last loss ${Number.isFinite(result.finalLoss) ? result.finalLoss.toFixed(4) : '-'}` +
            (result.imagesPerSecond !== null ? `, ${result.imagesPerSecond.toFixed(1)} img/s` : ''),
          `validation 1-of-20 precision: ${result.valPrecision === null ? 'off' : result.valPrecision.toFixed(3)}` +
            (result.baselinePrecision !== null ? ` (untrained ${result.baselinePrecision.toFixed(3)})` : ''),
          `checkpoint: ${options.out}${exported ? `; backbone exported to ${exported.outDir}` : ''}`,
        ],
        {
          steps: result.steps,
          totalSteps: result.totalSteps,
          stepsThisRun: result.stepsThisRun,
          finalLoss: result.finalLoss,
          imagesPerSecond: result.imagesPerSecond,
          valPrecision: result.valPrecision,
          baselinePrecision: result.baselinePrecision,
          valMasked: result.valMasked,
          backend,
          checkpoint: options.out,
          exported: exported?.outDir ?? null,
          curve: result.history
            .filter((h) => h.valPrecision !== undefined)
            .map((h) => [h.step, h.valPrecision]),
        },
      );
    });
}
