/**
 * `mfr train`: trains a Siamese masked-vs-unmasked matcher on one or more datasets and their masked copies
 * (from the masking job), with hard imposters, 1-of-20 validation on held-out identities and kept checkpoints.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  BACKBONE_ARCHS,
  type BackboneArch,
  createBackbone,
  createRng,
  formatShard,
  freezeFraction,
  validationHoldout,
} from '@mfr/core';
import { loadLayersModelFromDisk } from '@mfr/core/node';
import {
  createGraphEmbedder,
  createSiamese,
  type EmbedderPresetName,
  limitPairDataset,
  loadSiamese,
  type PairDataset,
  type Readout,
  readSiameseInfo,
  SIAMESE_CHECKPOINT_FILE,
  type SiameseModel,
  splitPairDataset,
} from '@mfr/siamese';
import { createFaceLoader, type LandmarkProvider, loadPairDataset, trainSiamese } from '@mfr/siamese/node';
import { type Command, Option } from 'commander';
import { startBackend } from '../cli-support/backend.js';
import { UsageError } from '../cli-support/errors.js';
import { reportResult } from '../cli-support/json-output.js';
import { parseFloatOption, parseIntOption, parseListOption } from '../cli-support/options.js';
import { createProgressReporter, type ProgressReporter } from '../cli-support/progress.js';
import { SHARD_OPTION_HELP, shardOfRun } from '../cli-support/shard.js';
import { readExcludedIdentities } from '../runner/exclude.js';
import { defaultCacheDir } from '../util/cache-dir.js';

interface TrainCommandOptions {
  data: string[];
  masked: string[];
  init?: string;
  backbone: BackboneArch;
  imageSize: number;
  embeddingDim?: number;
  freeze: number;
  hardest: number;
  sampling: 'uniform' | 'stratified';
  steps: number;
  batch: number;
  optimizer: 'adam' | 'sgd';
  lr?: number;
  headUnits: number;
  adapter?: number;
  validateEvery: number;
  valTrials: number;
  valImposters: number;
  valFraction?: number;
  keepThreshold: number;
  readout: Readout;
  framing?: 'center' | 'landmarks';
  cropFraction: number;
  seed: number;
  resume: boolean;
  embeddingCache?: string;
  shard?: string;
  maxIdentities?: number;
  maxPerIdentity?: number;
  minPerIdentity?: number;
  out: string;
  backend?: string;
  json?: boolean;
  excludeIdentities?: string;
}

const BASELINE_PRESETS: readonly EmbedderPresetName[] = ['faceres', 'mobileface'];

// --init: a Siamese checkpoint, a LayersModel folder (e.g. a @mfr/contrastive export), or baseline:<preset>
async function buildModel(options: TrainCommandOptions, log: (line: string) => void): Promise<SiameseModel> {
  const init = options.init;
  const freeze = (model: SiameseModel) => {
    if (model.backbone && options.freeze > 0) {
      const n = freezeFraction(model.backbone, options.freeze);
      log(`froze ${n} weighted backbone layers (${options.freeze * 100}%)`);
    }
    return model;
  };
  if (init?.startsWith('baseline:')) {
    const preset = init.slice('baseline:'.length) as EmbedderPresetName;
    if (!BASELINE_PRESETS.includes(preset)) {
      throw new UsageError(
        `--init ${init}: unknown baseline; use one of ${BASELINE_PRESETS.map((p) => `baseline:${p}`).join(', ')}`,
      );
    }
    const embedder = await createGraphEmbedder({ preset });
    log(`frozen ${preset} embedder (${embedder.dim}-d, ${embedder.inputSize} px) + trainable head`);
    return createSiamese({
      backbone: embedder,
      headUnits: options.headUnits,
      adapterUnits: options.adapter,
      seed: options.seed,
    });
  }
  if (init) {
    const dir = resolve(init);
    if (existsSync(join(dir, SIAMESE_CHECKPOINT_FILE))) {
      // siamese.json says the adapter's width: refuse a different one before loading any network
      const { adapterUnits } = (await readSiameseInfo(dir)).config;
      if (options.adapter !== undefined && options.adapter !== adapterUnits) {
        throw new UsageError(
          `--adapter ${options.adapter}: the checkpoint ${dir} has ${adapterUnits ?? 'no'} adapter units; ` +
            'drop --adapter to continue it as it is, or start from its embedder (--init baseline:<name>)',
        );
      }
      log(`continuing from Siamese checkpoint ${dir}`);
      return freeze(await loadSiamese(dir));
    }
    if (existsSync(join(dir, 'model.json')) || dir.endsWith('.json')) {
      const backbone = await loadLayersModelFromDisk(dir);
      log(`backbone from ${dir} (input ${backbone.inputs[0].shape.slice(1, 3).join('x')})`);
      return freeze(
        createSiamese({
          backbone,
          headUnits: options.headUnits,
          adapterUnits: options.adapter,
          seed: options.seed,
          backboneInfo: { init: dir, freeze: options.freeze },
        }),
      );
    }
    throw new UsageError(
      `--init ${init}: not a Siamese checkpoint (no ${SIAMESE_CHECKPOINT_FILE}), not a model folder (no model.json), not baseline:<name>`,
    );
  }
  const backbone = createBackbone({
    arch: options.backbone,
    inputSize: options.imageSize,
    seed: options.seed,
    ...(options.embeddingDim ? { embeddingDim: options.embeddingDim } : {}),
  });
  return freeze(
    createSiamese({
      backbone,
      headUnits: options.headUnits,
      adapterUnits: options.adapter,
      seed: options.seed,
      backboneInfo: { arch: options.backbone, inputSize: options.imageSize, freeze: options.freeze },
    }),
  );
}

// held-out identities per dataset; a dataset too small for 1-of-N trials is used for training only
function splitForValidation(
  datasets: PairDataset[],
  options: TrainCommandOptions,
  log: (line: string) => void,
): { train: PairDataset[]; validation: PairDataset[] } {
  const rng = createRng(`${options.seed}:split`);
  const train: PairDataset[] = [];
  const validation: PairDataset[] = [];
  for (const ds of datasets) {
    const withProbes = ds.identities.filter((i) => i.probes.length > 0).length;
    const trialSize = options.valImposters + 1;
    // default: the paper's 10%, at least one trial's worth, at most half the identities
    const held =
      options.valFraction === undefined
        ? validationHoldout(withProbes, { preferred: Math.round(0.1 * withProbes), minimum: trialSize }).count
        : Math.round(withProbes * options.valFraction);
    if (held < trialSize) {
      log(
        `${ds.name}: ${held} held-out identities are too few for 1-of-${trialSize} trials; training on all of it`,
      );
      train.push(ds);
      continue;
    }
    const split = splitPairDataset(ds, held / withProbes, rng.fork(ds.name));
    log(
      `${ds.name}: ${split.train.identities.length} training identities, ${split.heldOut.identities.length} held out`,
    );
    train.push(split.train);
    validation.push(split.heldOut);
  }
  if (validation.length === 0) {
    throw new UsageError(
      `no dataset has ${options.valImposters + 1} held-out identities with masked probes (1-of-${options.valImposters + 1} validation ` +
        `needs twice that many identities by default); raise --val-fraction or lower --val-imposters`,
    );
  }
  return { train, validation };
}

/**
 * Registers `mfr train`.
 *
 * @example
 * registerTrainCommand(program);
 * // mfr train --data ../shared/datasets/lfw/images --masked .mfr-cache/masked/lfw --init baseline:faceres --steps 2000 --out out/faceres-head
 */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      'Train a Siamese masked-vs-unmasked matcher (hard imposters, 1-of-20 validation, checkpoints).',
    )
    .requiredOption(
      '--data <dirs>',
      'unmasked folder-per-identity datasets, comma-separated',
      parseListOption(),
    )
    .requiredOption(
      '--masked <dirs>',
      'their masked copies (with manifest.jsonl), same order',
      parseListOption(),
    )
    .requiredOption('--out <dir>', 'output folder (log.jsonl, best/, checkpoints/, state for resuming)')
    .option(
      '--init <source>',
      'Siamese checkpoint folder, backbone model folder (model.json), or baseline:faceres|baseline:mobileface',
    )
    .addOption(
      new Option('--backbone <arch>', 'backbone to create when --init is not given')
        .choices([...BACKBONE_ARCHS])
        .default('resnet18'),
    )
    .option('--image-size <px>', 'input side of a created backbone', parseIntOption({ min: 32 }), 112)
    .option(
      '--embedding-dim <n>',
      "embedding length of a created backbone (default: the architecture's)",
      parseIntOption({ min: 1 }),
    )
    .option(
      '--freeze <fraction>',
      "freeze this fraction of the backbone's weighted layers (paper: 0.5, 0.8, 0.9)",
      parseFloatOption({ min: 0, max: 1 }),
      0,
    )
    .option(
      '--hardest <K>',
      'imposter candidates per imposter pair; the most similar is kept',
      parseIntOption({ min: 1 }),
      1,
    )
    .addOption(
      new Option('--sampling <mode>', 'dataset choice per pair')
        .choices(['uniform', 'stratified'])
        .default('uniform'),
    )
    .option('--steps <n>', 'optimisation steps', parseIntOption({ min: 0 }), 1000)
    .option('--batch <n>', 'pairs per step (half authentic)', parseIntOption({ min: 2 }), 32)
    .addOption(new Option('--optimizer <name>').choices(['adam', 'sgd']).default('adam'))
    .option('--lr <x>', 'learning rate (default 1e-4 Adam, 1e-2 SGD)', parseFloatOption({ min: 0 }))
    .option('--head-units <n>', 'hidden units of the head', parseIntOption({ min: 1 }), 512)
    .option(
      '--adapter <units>',
      'a linear adapter of this width between the embedding and the head, trained with it (default: none)',
      parseIntOption({ min: 1 }),
    )
    .option('--validate-every <n>', 'validation interval in steps', parseIntOption({ min: 1 }), 100)
    .option('--val-trials <n>', 'validation trials', parseIntOption({ min: 1 }), 400)
    .option('--val-imposters <n>', 'imposters per validation trial', parseIntOption({ min: 1 }), 19)
    .option(
      '--val-fraction <x>',
      "fraction of each dataset's identities held out for validation (default: 10%, at least 1 + --val-imposters, at most half)",
      parseFloatOption({ min: 0, max: 0.9 }),
    )
    .option(
      '--keep-threshold <x>',
      'keep checkpoints with validation precision >= this',
      parseFloatOption({ min: 0, max: 1 }),
      0.9,
    )
    .addOption(
      new Option('--readout <name>', 'readout for validation and hard imposters')
        .choices(['output', 'fc512', 'embedding'])
        .default('output'),
    )
    .addOption(
      new Option(
        '--framing <mode>',
        'face framing (default: landmarks for baseline embedders, center otherwise)',
      ).choices(['center', 'landmarks']),
    )
    .option(
      '--crop-fraction <x>',
      'centre crop as a fraction of the shorter side (and the no-face fallback)',
      parseFloatOption({ min: 0.1, max: 1 }),
      0.6,
    )
    .option('--seed <n>', 'seed of initial weights, pairs and validation trials', parseIntOption(), 0)
    .option('--no-resume', 'start over even if --out holds a previous run')
    .option(
      '--max-identities <n>',
      'use at most this many identities per dataset (seeded choice)',
      parseIntOption({ min: 2 }),
    )
    .option('--max-per-identity <n>', 'use at most this many photos per identity', parseIntOption({ min: 1 }))
    .option(
      '--min-per-identity <n>',
      'skip identities with fewer photos (2: authentic pairs always use another photo)',
      parseIntOption({ min: 1 }),
    )
    .option(
      '--exclude-identities <file>',
      'never train or validate on these people: a pair list .tsv (e.g. benchmarks/pairs/lfw-view2.tsv), a split.json or one name per line',
    )
    .option('--backend <name>', 'tfjs backend: tfjs-node, wasm, cpu (default: the fastest available)')
    .option(
      '--json',
      'print one JSON object as the last line of stdout (the readable summary goes to stderr)',
    )
    .option(
      '--embedding-cache <file>',
      'frozen-embedder descriptor cache (default <cache>/embeddings/<model>-<framing>.jsonl; <cache> as in mfr bench)',
    )
    .option(
      '--shard <i/n>',
      `${SHARD_OPTION_HELP}; frozen embedders (--init baseline:...): only fill the embedding cache with shard i's faces, no training`,
    )
    .addHelpText(
      'after',
      `
With --json the last line of stdout is a JSON object: {"bestValPrecision", "bestStep", "checkpoints", ...}.
Progress and validation lines go to stderr; every validation is also appended to <out>/log.jsonl.
Validation holds out 10% of each dataset's identities by default, at least 1 + --val-imposters (20) and at
most half; a dataset too small for that is used for training only.

Examples:
  mfr train --data ../shared/datasets/lfw/images --masked .mfr-cache/masked/lfw --init baseline:faceres --steps 2000 --out out/faceres-head
  mfr train --data a,b --masked .mfr-cache/masked/a,.mfr-cache/masked/b --backbone resnet18 --image-size 112 \\
    --freeze 0.5 --hardest 4 --sampling stratified --steps 5000 --out out/siamese`,
    )
    .action(async (options: TrainCommandOptions, command: Command) => {
      const log = (line: string) => process.stderr.write(`[train] ${line}\n`);
      const shard = shardOfRun(options.shard);
      if (options.data.length !== options.masked.length) {
        throw new UsageError(
          `--data has ${options.data.length} folders but --masked has ${options.masked.length}; give one masked copy per dataset`,
        );
      }
      const backend = await startBackend(command, options.backend);
      const excluded = options.excludeIdentities
        ? await readExcludedIdentities(options.excludeIdentities)
        : undefined;
      const datasets: PairDataset[] = [];
      for (let i = 0; i < options.data.length; i++) {
        let ds = await loadPairDataset({
          dataDir: resolve(options.data[i]),
          maskedDir: resolve(options.masked[i]),
        });
        if (options.maxIdentities || options.maxPerIdentity || options.minPerIdentity) {
          ds = limitPairDataset(
            ds,
            {
              maxIdentities: options.maxIdentities,
              maxImagesPerIdentity: options.maxPerIdentity,
              minImagesPerIdentity: options.minPerIdentity,
            },
            createRng(`${options.seed}:limit:${ds.name}`),
          );
        }
        if (excluded) {
          const kept = ds.identities.filter((identity) => !excluded.has(identity.id));
          log(
            `${ds.name}: left out ${ds.identities.length - kept.length} identities of ${options.excludeIdentities}`,
          );
          ds = { ...ds, identities: kept };
        }
        const probes = ds.identities.reduce((n, id) => n + id.probes.length, 0);
        log(`${ds.name}: ${ds.identities.length} identities, ${probes} masked probes`);
        datasets.push(ds);
      }
      const { train, validation } = splitForValidation(datasets, options, log);
      // which identities were held out, so evaluations can use exactly the unseen ones
      await mkdir(resolve(options.out), { recursive: true });
      await writeFile(
        join(resolve(options.out), 'split.json'),
        `${JSON.stringify(
          {
            datasets: datasets.map((d, i) => ({
              name: d.name,
              data: resolve(options.data[i]),
              masked: resolve(options.masked[i]),
              train: train.find((t) => t.name === d.name)?.identities.map((x) => x.id) ?? [],
              heldOut: validation.find((v) => v.name === d.name)?.identities.map((x) => x.id) ?? [],
            })),
          },
          null,
          1,
        )}\n`,
      );
      const model = await buildModel(options, log);
      const framing = options.framing ?? (model.embedder ? 'landmarks' : 'center');
      let landmarks: LandmarkProvider | undefined;
      let landmarksKey: string | undefined;
      if (framing === 'landmarks') {
        // face-api SSD + 68 landmarks on the unmasked source photo; the masked copy shares its geometry
        const { createFaceAnalyzer } = await import('../models/face-analysis.js');
        const analyzer = await createFaceAnalyzer();
        landmarks = async (image) => (await analyzer.analyze(image, options.cropFraction)).fivePoints;
        landmarksKey = analyzer.key;
      }
      const faces = createFaceLoader({
        size: model.config.inputSize[0],
        framing,
        cropFraction: options.cropFraction,
        ...(landmarks ? { landmarks, landmarksKey } : {}),
      });
      const cacheName = model.embedder
        ? `${model.embedder.key}-${faces.key}`.replace(/[^a-zA-Z0-9.-]+/g, '_')
        : '';
      // two stages, each with its own bar and ETA: embedding with the frozen extractor, then training
      const embedding = createProgressReporter({ label: 'train: embedding faces with the frozen extractor' });
      let progress: ProgressReporter | undefined;
      try {
        const result = await trainSiamese({
          model,
          train,
          validation,
          faces,
          outDir: resolve(options.out),
          steps: options.steps,
          batchSize: options.batch,
          optimizer: options.optimizer,
          ...(options.lr !== undefined ? { learningRate: options.lr } : {}),
          sampling: options.sampling,
          hardest: options.hardest,
          readout: options.readout,
          validateEvery: options.validateEvery,
          validationTrials: options.valTrials,
          validationImposters: options.valImposters,
          keepThreshold: options.keepThreshold,
          seed: options.seed,
          resume: options.resume,
          shard,
          ...(model.embedder
            ? {
                embeddingCacheFile: resolve(
                  options.embeddingCache ?? join(defaultCacheDir(), 'embeddings', `${cacheName}.jsonl`),
                ),
              }
            : {}),
          meta: {
            framing,
            cropFraction: options.cropFraction,
            init: options.init ?? null,
            backbone: options.init ? null : options.backbone,
            freeze: options.freeze,
            hardest: options.hardest,
            sampling: options.sampling,
            datasets: datasets.map((d) => d.name),
          },
          onPrewarm: (done, total) => {
            embedding.setTotal(total);
            embedding.update(done);
          },
          onStep: ({ step, loss, imagesPerSecond }) => {
            if (!progress) {
              embedding.stop();
              progress = createProgressReporter({ label: 'train: steps', total: options.steps });
            }
            progress.update(step, `loss ${loss.toFixed(4)}, ${imagesPerSecond.toFixed(1)} img/s`);
          },
          onValidation: (e) =>
            log(
              `step ${e.step}: validation precision ${(100 * e.valPrecision).toFixed(1)}% (${e.readout}; ` +
                `${Object.entries(e.valPrecisionByReadout)
                  .map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`)
                  .join(', ')})` +
                `${e.best ? ' best' : ''}${e.kept ? ' kept' : ''}, train loss ${Number.isFinite(e.trainLoss) ? e.trainLoss.toFixed(4) : '-'}`,
            ),
        });
        embedding.stop();
        progress?.stop();
        if (shard) {
          const line = `train: shard ${formatShard(shard)}: ${result.shardFaces} faces in the embedding cache; when every shard has run, train without --shard`;
          reportResult(options.json, [line], {
            shard: formatShard(shard),
            shardFaces: result.shardFaces,
            backend,
          });
          return;
        }
        reportResult(
          options.json,
          [
            `train: ${result.steps} steps; best validation precision ${(100 * result.bestValPrecision).toFixed(1)}% at step ${result.bestStep}`,
            `train: best checkpoint ${result.bestCheckpoint ?? '-'}; ${result.checkpoints.length} kept`,
          ],
          {
            bestValPrecision: result.bestValPrecision,
            bestStep: result.bestStep,
            checkpoints: result.checkpoints,
            bestCheckpoint: result.bestCheckpoint,
            imagesPerSecond: result.imagesPerSecond,
            steps: result.steps,
            backend,
            out: resolve(options.out),
            datasets: datasets.map((d) => basename(d.name)),
          },
        );
      } finally {
        embedding.stop();
        progress?.stop();
        faces.dispose();
        model.dispose();
      }
    });
}
