/**
 * Test fixtures: a small real slice of LFW and a synthetic "masked" copy of it (the lower part of each face
 * painted grey, standing in for @mfr/masking's output), with a manifest.jsonl in the masking job's format.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage, writeImage } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export const LFW = fileURLToPath(new URL('../../../../shared/datasets/lfw/images', import.meta.url));

/** The first `count` LFW identities (sorted) with at least `minImages` photos, `perIdentity` photos each. */
export async function lfwSlice(
  count: number,
  perIdentity = 2,
  minImages = 2,
): Promise<Map<string, string[]>> {
  const names = (await readdir(LFW)).sort();
  const out = new Map<string, string[]>();
  for (const name of names) {
    const files = (await readdir(join(LFW, name))).filter((f) => f.endsWith('.jpg')).sort();
    if (files.length < minImages) continue;
    out.set(
      name,
      files.slice(0, perIdentity).map((f) => join(LFW, name, f)),
    );
    if (out.size === count) break;
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
      lines.push(JSON.stringify({ source: relative(LFW, file), output, status: 'masked' }));
    }
  }
  // one failed entry: must not become a probe
  const [firstName, firstFiles] = [...slice.entries()][0];
  lines.push(
    JSON.stringify({
      source: relative(LFW, firstFiles[0]),
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
