/**
 * The paper's recipe on your own folders, end to end:
 *   1. mask every photo (@mfr/masking),
 *   2. pre-train a backbone with MoCo v2 on masked and unmasked faces (@mfr/contrastive),
 *   3. fine-tune a Siamese matcher on masked/unmasked pairs starting from that backbone (@mfr/siamese),
 * leaving a checkpoint that `mfr bench --models <out>/siamese/best` and `mfr demo --model` accept.
 *
 *   pnpm --filter @mfr/example-pretrain-then-finetune start -- <out dir> <dataset dir> [<dataset dir> ...]
 * Defaults are small (a 64 px ResNet-18, a few hundred steps) so it finishes on a laptop CPU; raise them for
 * real training (see `mfr pretrain --help` and `mfr train --help`).
 */
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectPretrainImages, exportBackbone, trainMoCo } from '@mfr/contrastive/node';
import { type BackboneArch, createRng, freezeFraction, initBackend } from '@mfr/core';
import { loadLayersModelFromDisk } from '@mfr/core/node';
import { maskDataset } from '@mfr/masking/node';
import { createSiamese, type PairDataset, splitPairDataset } from '@mfr/siamese';
import { createFaceLoader, loadPairDataset, trainSiamese } from '@mfr/siamese/node';

/** Options of {@link pretrainThenFinetune}; defaults in brackets. */
export interface RecipeOptions {
  /** Folder-per-identity datasets (`<dir>/<person>/<photo>`). */
  data: string[];
  /** Output folder: masked/, moco/, backbone/, siamese/. */
  out: string;
  /** Backbone architecture ['resnet18']; ResNet widths [32, 64, 128, 256]. */
  arch?: BackboneArch;
  widths?: number[];
  /** Network input side [64]. */
  imageSize?: number;
  /** Central fraction of each photo that holds the face [0.6; use 1 for tight crops like AT&T]. */
  faceFraction?: number;
  pretrainSteps?: number;
  finetuneSteps?: number;
  /** Batch size of both stages [32]. */
  batchSize?: number;
  /** Fraction of the backbone frozen for fine-tuning [0.5, as in the paper]. */
  freeze?: number;
  /** Identities per dataset held out for validation [0.2]; validation trials are 1-of-(imposters + 1). */
  valFraction?: number;
  valImposters?: number;
  seed?: number;
  log?: (line: string) => void;
}

/** What the recipe produced. */
export interface RecipeResult {
  maskedDirs: string[];
  backboneDir: string;
  /** The best Siamese checkpoint folder. */
  checkpoint: string;
  pretrainLoss: number;
  bestValPrecision: number;
}

/**
 * Masks, pre-trains and fine-tunes. Every stage resumes from its output folder when run again.
 *
 * @example
 * const r = await pretrainThenFinetune({ data: ['photos/staff'], out: 'out/recipe', pretrainSteps: 500, finetuneSteps: 1000 });
 * r.checkpoint; // 'out/recipe/siamese/best'
 */
export async function pretrainThenFinetune(options: RecipeOptions): Promise<RecipeResult> {
  const log = options.log ?? (() => undefined);
  const out = resolve(options.out);
  const seed = options.seed ?? 0;
  const imageSize = options.imageSize ?? 64;
  const batchSize = options.batchSize ?? 32;
  const faceFraction = options.faceFraction ?? 0.6;
  await initBackend();

  // 1. masked copies (the paper's white type-a mask), skipping photos already done
  const maskedDirs: string[] = [];
  for (const dir of options.data) {
    const maskedDir = join(out, 'masked', basename(resolve(dir)));
    const r = await maskDataset(dir, maskedDir, { shape: 'a', color: 'white' }, { seed });
    log(`masked ${dir}: ${r.counts.masked + r.counts.skipped} usable of ${r.total}`);
    maskedDirs.push(maskedDir);
  }

  // 2. MoCo v2 pre-training on unmasked photos and their masked copies
  const { train } = await collectPretrainImages({
    data: options.data,
    masked: maskedDirs,
    valIdentities: 0,
    seed,
  });
  const pretrain = await trainMoCo({
    backbone: {
      arch: options.arch ?? 'resnet18',
      inputSize: imageSize,
      widths: options.widths ?? [32, 64, 128, 256],
    },
    images: { train },
    imageSize,
    batchSize,
    steps: options.pretrainSteps ?? 300,
    moco: { queueSize: batchSize * 8 },
    faceFraction,
    checkpointDir: join(out, 'moco'),
    resume: true,
    valEvery: 0,
    seed,
    onProgress: (p) => log(`pretrain step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(3)}`),
  });
  const backboneDir = join(out, 'backbone');
  await exportBackbone(join(out, 'moco'), backboneDir);

  // 3. Siamese fine-tuning from the pre-trained backbone, half of it frozen
  const rng = createRng(`${seed}:split`);
  const trainSets: PairDataset[] = [];
  const validation: PairDataset[] = [];
  for (const [i, dir] of options.data.entries()) {
    const ds = await loadPairDataset({ dataDir: resolve(dir), maskedDir: maskedDirs[i] });
    const split = splitPairDataset(ds, options.valFraction ?? 0.2, rng.fork(ds.name));
    trainSets.push(split.train);
    validation.push(split.heldOut);
  }
  const backbone = await loadLayersModelFromDisk(backboneDir);
  freezeFraction(backbone, options.freeze ?? 0.5);
  const model = createSiamese({
    backbone,
    seed,
    backboneInfo: { init: backboneDir, freeze: options.freeze ?? 0.5 },
  });
  const faces = createFaceLoader({ size: imageSize, framing: 'center', cropFraction: faceFraction });
  try {
    const result = await trainSiamese({
      model,
      train: trainSets,
      validation,
      faces,
      outDir: join(out, 'siamese'),
      steps: options.finetuneSteps ?? 300,
      batchSize,
      validateEvery: Math.max(1, Math.floor((options.finetuneSteps ?? 300) / 3)),
      validationImposters: options.valImposters ?? 19,
      validationTrials: 100,
      keepThreshold: 1,
      seed,
      resume: true,
      meta: { framing: 'center', cropFraction: faceFraction, init: backboneDir },
      onValidation: (e) =>
        log(
          `finetune step ${e.step}: 1-of-${(options.valImposters ?? 19) + 1} precision ${e.valPrecision.toFixed(3)}`,
        ),
    });
    return {
      maskedDirs,
      backboneDir,
      checkpoint: result.bestCheckpoint,
      pretrainLoss: pretrain.finalLoss,
      bestValPrecision: result.bestValPrecision,
    };
  } finally {
    faces.dispose();
    model.dispose();
  }
}

async function cli(): Promise<void> {
  const [out, ...data] = process.argv.slice(2);
  if (!out || data.length === 0) {
    process.stderr.write('usage: main.ts <out dir> <dataset dir> [<dataset dir> ...]\n');
    process.exitCode = 2;
    return;
  }
  const r = await pretrainThenFinetune({ out, data, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(
    `best checkpoint: ${r.checkpoint} (validation precision ${r.bestValPrecision.toFixed(3)})\nbenchmark it: pnpm mfr bench --models ${r.checkpoint} --datasets ${data[0]}\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
