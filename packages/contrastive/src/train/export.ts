/** Hands the pre-trained backbone on: the query encoder without the projection head, as a LayersModel on disk. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadLayersModelFromDisk, saveLayersModelToDisk } from '@mfr/core/node';

/**
 * Writes the query backbone of a MoCo checkpoint to `outDir` (`model.json` + `weights.bin`), ready for
 * `loadLayersModelFromDisk` (e.g. by @mfr/siamese to fine-tune). Returns the embedding size.
 *
 * @example
 * await exportBackbone('out/moco', '.mfr-cache/pretrained/lfw-resnet18-64');
 */
export async function exportBackbone(
  checkpointDir: string,
  outDir: string,
): Promise<{ outDir: string; embeddingSize: number }> {
  const source = join(checkpointDir, 'backbone');
  if (!existsSync(join(source, 'model.json'))) {
    throw new Error(
      `exportBackbone: "${checkpointDir}" holds no MoCo checkpoint backbone (backbone/model.json); train with a checkpoint folder first.`,
    );
  }
  // load + save (rather than copy) so the export is checked to be a loadable model
  const model = await loadLayersModelFromDisk(source);
  try {
    await saveLayersModelToDisk(model, outDir);
    return { outDir, embeddingSize: model.outputs[0].shape[1] as number };
  } finally {
    model.dispose();
  }
}
