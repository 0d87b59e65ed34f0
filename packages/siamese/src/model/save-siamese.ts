/** Node: writing trained Siamese models to a folder that `loadSiamese` reads back. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { saveLayersModelToDisk, writeFileAtomic } from '@mfr/core/node';
import { SIAMESE_CHECKPOINT_FILE, type SiameseCheckpointInfo } from './checkpoint.js';
import type { SiameseModel } from './siamese.js';

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
  if (model.adapter) await saveLayersModelToDisk(model.adapter, join(dir, 'adapter'));
  if (model.backbone) await saveLayersModelToDisk(model.backbone, join(dir, 'backbone'));
  const info: SiameseCheckpointInfo = {
    format: 'mfr-siamese',
    version: 1,
    config: model.config,
    ...(meta ? { meta } : {}),
  };
  // siamese.json last and atomically: a folder with it is complete
  await writeFileAtomic(join(dir, SIAMESE_CHECKPOINT_FILE), `${JSON.stringify(info, null, 2)}\n`);
}
