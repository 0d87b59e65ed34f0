/** Broken models for tests: tiny Siamese checkpoints whose weights are all one value. */
import { initBackend } from '@mfr/core';
import { createSiamese } from '@mfr/siamese';
import { saveSiamese } from '@mfr/siamese/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Writes a tiny Siamese checkpoint (16 px conv backbone, 4-unit head, centre-crop framing) with every weight of
 * `parts` set to `value`: NaN gives NaN scores (as after a diverged training run), 0 gives one score (0.5) for
 * every pair. With `parts` 'head' the backbone keeps its random weights, so embeddings stay finite (a diverged
 * head on a frozen embedder). Returns `dir`, usable as `--model <dir>`.
 *
 * @example
 * await writeBrokenCheckpoint(join(work, 'nan'), Number.NaN);
 */
export async function writeBrokenCheckpoint(
  dir: string,
  value: number,
  parts: 'all' | 'head' = 'all',
): Promise<string> {
  await initBackend({ backend: 'wasm' });
  const backbone = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3 }),
      tfl.layers.globalAveragePooling2d({}),
    ],
  });
  const model = createSiamese({ backbone, headUnits: 4 });
  try {
    for (const part of parts === 'all' ? [backbone, model.head] : [model.head]) {
      const filled = part.getWeights().map((w) => tf.fill(w.shape, value));
      part.setWeights(filled);
      tf.dispose(filled);
    }
    await saveSiamese(model, dir, { framing: 'center' });
  } finally {
    model.dispose();
  }
  return dir;
}
