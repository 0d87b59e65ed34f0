/**
 * Saving and loading trained Siamese models. A checkpoint is a folder:
 * `siamese.json` (format, config, metadata), `head/` and, for LayersModel backbones, `backbone/`
 * (each `model.json` + `weights.bin` through @mfr/core's disk IO handler). Frozen GraphModel embedders are not
 * copied: `siamese.json` names the preset or model path and loading rebuilds the embedder from it.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLayersModelFromDisk, saveLayersModelToDisk } from '@mfr/core';
import { createGraphEmbedder } from '../embedders/graph-embedder.js';
import { createSiamese, type SiameseConfig, type SiameseModel } from './siamese.js';

/** The file that marks a Siamese checkpoint folder. */
export const SIAMESE_CHECKPOINT_FILE = 'siamese.json';

/** Contents of `siamese.json`. */
export interface SiameseCheckpointInfo {
  format: 'mfr-siamese';
  version: 1;
  config: SiameseConfig;
  /** Anything the trainer wants to remember (step, validation precision, options). */
  meta?: Record<string, unknown>;
}

/**
 * Writes a model to `dir` (created if needed; files are replaced).
 *
 * @example
 * await saveSiamese(model, '.mfr-cache/models/lfw-faceres-head', { step: 2000, valPrecision: 0.93 });
 */
export async function saveSiamese(
  model: SiameseModel,
  dir: string,
  meta?: Record<string, unknown>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await saveLayersModelToDisk(model.head, join(dir, 'head'));
  if (model.backbone) await saveLayersModelToDisk(model.backbone, join(dir, 'backbone'));
  const info: SiameseCheckpointInfo = {
    format: 'mfr-siamese',
    version: 1,
    config: model.config,
    ...(meta ? { meta } : {}),
  };
  // siamese.json last and atomically: a folder with it is complete
  const tmp = join(dir, `${SIAMESE_CHECKPOINT_FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`);
  await rename(tmp, join(dir, SIAMESE_CHECKPOINT_FILE));
}

/**
 * Reads `siamese.json` of a checkpoint folder. Errors say what is missing.
 *
 * @example
 * const { config, meta } = await readSiameseInfo('out/train/best');
 */
export async function readSiameseInfo(dir: string): Promise<SiameseCheckpointInfo> {
  const file = join(dir, SIAMESE_CHECKPOINT_FILE);
  let info: SiameseCheckpointInfo;
  try {
    info = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `loadSiamese: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
        'pass a folder written by saveSiamese / mfr train (e.g. <out>/best)',
    );
  }
  if (info.format !== 'mfr-siamese')
    throw new Error(`loadSiamese: ${file} is not a Siamese checkpoint (format "${info.format}")`);
  return info;
}

/**
 * Loads a model saved by {@link saveSiamese}. Frozen embedders are rebuilt from their preset or model path.
 *
 * @example
 * const model = await loadSiamese('.mfr-cache/models/lfw-faceres-head');
 * const scores = await similarity(model, refs, probes);
 */
export async function loadSiamese(dir: string): Promise<SiameseModel> {
  const info = await readSiameseInfo(dir);
  const { config } = info;
  const head = await loadLayersModelFromDisk(join(dir, 'head'));
  try {
    const backbone =
      config.backbone.kind === 'embedder'
        ? await createGraphEmbedder(config.backbone.spec)
        : await loadLayersModelFromDisk(join(dir, 'backbone'));
    return createSiamese({
      backbone,
      head,
      headUnits: config.headUnits,
      normalizeEmbeddings: config.normalizeEmbeddings,
      ...(config.backbone.kind === 'layers' && config.backbone.info
        ? { backboneInfo: config.backbone.info }
        : {}),
    });
  } catch (error) {
    head.dispose();
    throw error;
  }
}
