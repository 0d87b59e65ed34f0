/**
 * Our trained Siamese checkpoints (single models or averaging ensembles) as benchmark models. Each image is framed the way the checkpoint was trained
 * (5-point alignment from the redone detection for embedder backbones, or a centre crop), embedded once, and
 * pairs are scored with the chosen readout (`output`, `fc512`, `embedding`).
 */
import { basename, dirname, resolve } from 'node:path';
import { alignFace, cropAndResize } from '@mfr/core';
import { embedFace, loadSiameseEnsemble, readoutSimilarity, readSiameseInfo } from '@mfr/siamese';
import * as tf from '@tensorflow/tfjs-core';
import { hashJson } from '../util/fs.js';
import type { BenchModel } from './types.js';

/** How a checkpoint wants its faces framed. */
export interface CheckpointFraming {
  framing: 'landmarks' | 'center';
  /** Centre-crop side as a fraction of the shorter image side (for 'center'). */
  cropFraction: number;
}

/**
 * Loads a Siamese checkpoint folder as a {@link BenchModel}. Framing comes from the checkpoint's metadata
 * (`meta.framing`, `meta.cropFraction`) when present; otherwise 5-point alignment for frozen-embedder backbones
 * and a 0.6 centre crop for trained backbones (what the Siamese trainer defaults to).
 *
 * @example
 * const model = await createCheckpointModel('.mfr-cache/models/siamese-lfw', 'fc512');
 */
export async function createCheckpointModel(
  path: string,
  readout: 'output' | 'fc512' | 'embedding',
): Promise<BenchModel> {
  const dir = resolve(path);
  let info: Awaited<ReturnType<typeof readSiameseInfo>>;
  try {
    info = await readSiameseInfo(dir);
  } catch (error) {
    throw new Error(
      `Model "${path}": not a Siamese checkpoint folder (${(error as Error).message.split('\n')[0]}). Give a folder with siamese.json, or baseline:<name>.`,
    );
  }
  // a single checkpoint loads as an ensemble of one, with the same scores
  const model = await loadSiameseEnsemble(dir);
  const meta = (info.meta ?? {}) as Record<string, unknown>;
  const framing: CheckpointFraming = {
    framing:
      meta.framing === 'center' || meta.framing === 'landmarks'
        ? meta.framing
        : info.config.backbone.kind === 'embedder'
          ? 'landmarks'
          : 'center',
    cropFraction: typeof meta.cropFraction === 'number' ? meta.cropFraction : 0.6,
  };
  const [h, w] = info.config.inputSize;
  // the cache id covers the weights' identity (folder + saved metadata) and the framing
  const id = `ckpt-${basename(dir)}-${hashJson({ dir, info, framing })}`;
  return {
    id,
    label: `${checkpointName(dir)}#${readout}`,
    family: 'ours',
    async embed({ image, analysis }) {
      const fivePoints = framing.framing === 'landmarks' ? (await analysis()).fivePoints : null;
      // a fused model appends face-api's descriptor of the same face (the analysis computes it as face-api does)
      const fused = info.config.fused?.includes('faceapi')
        ? Float32Array.from((await analysis()).faceapiDescriptor)
        : undefined;
      const out = tf.tidy(() => {
        let face: tf.Tensor3D;
        if (fivePoints) {
          face = alignFace(image, fivePoints, { size: h });
        } else {
          const [ih, iw] = image.shape;
          const side = Math.min(ih, iw) * framing.cropFraction;
          face = cropAndResize(image, { x: (iw - side) / 2, y: (ih - side) / 2, width: side, height: side }, [
            h,
            w,
          ]);
        }
        return embedFace(model, face, fused);
      });
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
    score(reference, probe) {
      const s = tf.tidy(() =>
        readoutSimilarity(
          model,
          tf.tensor2d(reference, [1, reference.length]),
          tf.tensor2d(probe, [1, probe.length]),
          readout,
        ),
      );
      try {
        return s.dataSync()[0];
      } finally {
        s.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}

/**
 * A readable name for a checkpoint folder: its name, prefixed by the run folder for the trainer's generic
 * `best`, `last` and `checkpoints/...` folders.
 *
 * @example
 * checkpointName('/x/out/faceres-head/best'); // 'faceres-head/best'
 */
export function checkpointName(dir: string): string {
  const name = basename(dir);
  const parent = basename(dirname(dir));
  if (name === 'best' || name === 'last') return `${parent}/${name}`;
  if (parent === 'checkpoints') return `${basename(dirname(dirname(dir)))}/${name}`;
  return name;
}
