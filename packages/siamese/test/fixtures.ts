/**
 * Test fixtures: real faces cropped from face-api's sample photos (a folder per person, see test-support) and a
 * synthetic "masked" copy of them (the lower part of each face painted grey, standing in for @mfr/masking's
 * output), with a manifest.jsonl in the masking job's format.
 */

import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readImage, writeImage } from '@mfr/core/node';
import { loadSiamese, type SiameseModel } from '@mfr/siamese';
import { saveSiamese } from '@mfr/siamese/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';

/** The sample-face dataset (`face-01` .. `face-22`, two pictures each), written on first use. */
export const FACES_DIR = join(mkdtempSync(join(tmpdir(), 'mfr-siamese-faces-')), 'faces');
let written: Promise<string> | undefined;

/** The first `count` people of the sample-face dataset (sorted), `perIdentity` pictures each. */
export async function faceSlice(count: number, perIdentity = 2): Promise<Map<string, string[]>> {
  written ??= writeSampleDataset(FACES_DIR, { perIdentity: 2 });
  await written;
  const names = (await readdir(FACES_DIR)).sort().slice(0, count);
  const out = new Map<string, string[]>();
  for (const name of names) {
    const files = (await readdir(join(FACES_DIR, name))).sort().slice(0, perIdentity);
    out.set(
      name,
      files.map((f) => join(FACES_DIR, name, f)),
    );
  }
  return out;
}

/** Writes grey-lower-half copies of the slice into `<dir>/<name>/<file>.png` and a manifest; returns the dir. */
export async function maskedCopy(slice: Map<string, string[]>, label: string): Promise<string> {
  const dir = join(tmpdir(), `mfr-siamese-${label}-${process.pid}`);
  const lines: string[] = [];
  for (const [name, files] of slice) {
    await mkdir(join(dir, name), { recursive: true });
    for (const file of files) {
      const output = join(name, `${file.split('/').pop()!.replace('.jpg', '')}.png`);
      const image = await readImage(file);
      const masked = tf.tidy(() => {
        const [h, w] = image.shape;
        const cut = Math.round(h * 0.58);
        const top = tf.slice(image, [0, 0, 0], [cut, w, 3]);
        return tf.concat([top, tf.fill([h - cut, w, 3], 128)], 0) as tf.Tensor3D;
      });
      await writeImage(join(dir, output), masked);
      tf.dispose([image, masked]);
      lines.push(JSON.stringify({ source: relative(FACES_DIR, file), output, status: 'masked' }));
    }
  }
  // one failed entry: must not become a probe
  const [firstName, firstFiles] = [...slice.entries()][0];
  lines.push(
    JSON.stringify({
      source: relative(FACES_DIR, firstFiles[0]),
      output: `${firstName}/failed.png`,
      status: 'no-face',
    }),
  );
  await writeFile(join(dir, 'manifest.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

/** A tiny conv backbone: 16x16 RGB in [0, 1] -> 8-d embedding. Layers: conv, conv, dense. */
export function tinyBackbone(seed = 1): tfl.LayersModel {
  const input = tfl.input({ shape: [16, 16, 3] });
  let x = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
    })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 8, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }) })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** Random RGB images 0-255. */
export function randomImages(n: number, size: number, seed: number): tf.Tensor4D {
  return tf.tidy(
    () => tf.mul(tf.randomUniform([n, size, size, 3], 0, 1, 'float32', seed), 255) as tf.Tensor4D,
  );
}

/**
 * Saves `model`, loads it back, and returns the loaded model with both models' logits on the same random
 * embeddings (each row against the rows reversed), so a test can check that nothing was lost. The caller disposes
 * the loaded model.
 */
export async function roundTrip(
  model: SiameseModel,
  seed: number,
): Promise<{ back: SiameseModel; before: number[]; after: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'mfr-round-trip-'));
  try {
    await saveSiamese(model, dir);
    const back = await loadSiamese(dir);
    const e = tf.randomNormal([4, model.config.embeddingDim], 0, 1, 'float32', seed) as tf.Tensor2D;
    const [before, after] = [model, back].map((m) =>
      tf.tidy(() => m.logits(m.prepareEmbedding(e), m.prepareEmbedding(tf.reverse(e, 0))).arraySync()),
    );
    e.dispose();
    return { back, before, after };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
