/** Node: writing trained Siamese models and ensembles to a folder that `loadSiamese(Ensemble)` reads back. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type SaveLayersModelOptions, saveLayersModelToDisk, writeFileAtomic } from '@mfr/core/node';
import {
  configDifferences,
  ENSEMBLE_MEMBERS_SHARE,
  SIAMESE_CHECKPOINT_FILE,
  type SiameseCheckpointInfo,
} from './checkpoint.js';
import type { SiameseModel } from './siamese.js';

/** Options of {@link saveSiamese} and {@link saveSiameseEnsemble}. */
export type SaveSiameseOptions = SaveLayersModelOptions;

/**
 * Writes a model to `dir` (created if needed; files are replaced). `{ weights: 'float16' }` halves the files.
 *
 * @example
 * await saveSiamese(model, '.mfr-cache/models/lfw-faceres-head', { step: 2000, valPrecision: 0.93 });
 */
export async function saveSiamese(
  model: SiameseModel,
  dir: string,
  meta?: Record<string, unknown>,
  options: SaveSiameseOptions = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await saveLayersModelToDisk(model.head, join(dir, 'head'), options);
  if (model.adapter) await saveLayersModelToDisk(model.adapter, join(dir, 'adapter'), options);
  if (model.backbone) await saveLayersModelToDisk(model.backbone, join(dir, 'backbone'), options);
  await writeInfo(dir, {
    format: 'mfr-siamese',
    version: 1,
    config: model.config,
    ...(meta ? { meta } : {}),
  });
}

/**
 * Writes an averaging ensemble: each model to `member-<i>/` (with `memberMeta[i]`), then `siamese.json` listing
 * them. The models must share their config (one embedder, the same widths), as `loadSiameseEnsemble` requires.
 *
 * @example
 * await saveSiameseEnsemble([a, b, c], 'out/heads', { recipe: 'r10' }, { weights: 'float16' });
 */
export async function saveSiameseEnsemble(
  models: readonly SiameseModel[],
  dir: string,
  meta?: Record<string, unknown>,
  options: SaveSiameseOptions & { memberMeta?: readonly Record<string, unknown>[] } = {},
): Promise<void> {
  if (models.length === 0) throw new Error('saveSiameseEnsemble: give at least one model');
  for (const [i, m] of models.entries()) {
    const differ = configDifferences(models[0].config, m.config);
    if (differ.length > 0) {
      throw new Error(
        `saveSiameseEnsemble: model ${i} has another config than model 0 (${differ.join(', ')}); ${ENSEMBLE_MEMBERS_SHARE}`,
      );
    }
  }
  const members = models.map((_, i) => `member-${i + 1}`);
  const { memberMeta, ...save } = options;
  for (const [i, m] of models.entries()) await saveSiamese(m, join(dir, members[i]), memberMeta?.[i], save);
  await writeInfo(dir, {
    format: 'mfr-siamese',
    version: 1,
    config: models[0].config,
    members,
    ...(meta ? { meta } : {}),
  });
}

// siamese.json last and atomically: a folder with it is complete
async function writeInfo(dir: string, info: SiameseCheckpointInfo): Promise<void> {
  await writeFileAtomic(join(dir, SIAMESE_CHECKPOINT_FILE), `${JSON.stringify(info, null, 2)}\n`);
}
