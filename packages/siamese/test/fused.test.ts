// Models that fuse face-api's descriptor with their embedder's embedding: the descriptor itself (checked against
// face-api's own detect -> landmarks -> descriptor chain on a real photo), the per-part normalisation, and the
// checkpoint round trip.
import { initBackend } from '@mfr/core';
import { readImage } from '@mfr/core/node';
import { loadFaceApi } from '@mfr/masking';
import { faceApiModelDir } from '@mfr/masking/node';
import {
  createFaceApiDescriber,
  createGraphEmbedder,
  createSiamese,
  type Embedder,
  embed,
  embedFace,
} from '@mfr/siamese';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplePhotoPaths } from '../../../test-support/sample-faces.js';
import { roundTrip, tinyBackbone } from './fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function tinyEmbedder(): Embedder {
  const net = tinyBackbone(3);
  return {
    key: 'test:tiny',
    dim: 8,
    inputSize: 16,
    spec: { modelPath: 'tiny', inputSize: 16, outputName: 'out' },
    embed: (batch) => tf.tidy(() => net.predict(tf.div(batch, 255)) as tf.Tensor2D),
    dispose: () => net.dispose(),
  };
}

describe('face-api descriptor from landmarks', () => {
  it("equals face-api's own withFaceDescriptors() for every face of a real photo", async () => {
    const faceapi = await loadFaceApi();
    const dir = faceApiModelDir();
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(dir);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(dir);
    await faceapi.nets.faceRecognitionNet.loadFromDisk(dir);
    const image = await readImage(samplePhotoPaths()[0]);
    const input = tf.cast(image, 'int32');
    const faces = (await faceapi.detectAllFaces(input).withFaceLandmarks().withFaceDescriptors()) as {
      landmarks: { positions: { x: number; y: number }[] };
      descriptor: Float32Array;
    }[];
    input.dispose();
    expect(faces.length).toBeGreaterThanOrEqual(2);
    const describer = await createFaceApiDescriber();
    const before = tf.memory().numTensors;
    for (const face of faces) {
      const mine = await describer.describe(
        image,
        face.landmarks.positions.map((p) => [p.x, p.y] as [number, number]),
      );
      expect(mine).toHaveLength(128);
      for (let i = 0; i < 128; i++) expect(mine[i]).toBeCloseTo(face.descriptor[i], 4);
    }
    const region = await describer.describeRegion(image, { x: 400, y: 350, width: 200, height: 240 });
    expect(region).toHaveLength(128);
    expect(tf.memory().numTensors).toBe(before);
    await expect(describer.describe(image, [[1, 2]])).rejects.toThrow(/expected 68 landmarks, got 1/);
    describer.dispose();
    image.dispose();
  });
});

describe('fused models', () => {
  it('normalise each part on its own, refuse plain embed(), and survive a checkpoint round trip', async () => {
    const model = createSiamese({ backbone: tinyEmbedder(), headUnits: 4, fused: ['faceapi'] });
    expect(model.config.embeddingDim).toBe(8 + 128);
    expect(model.config.fused).toEqual(['faceapi']);
    expect(model.head.inputs[0].shape).toEqual([null, 2 * 136]);
    const raw = tf.concat([tf.fill([1, 8], 3), tf.fill([1, 128], -2)], 1) as tf.Tensor2D;
    const prepared = model.prepareEmbedding(raw);
    const values = prepared.dataSync();
    // each part has unit length: 8 values of 1/sqrt(8), 128 of -1/sqrt(128)
    expect(values[0]).toBeCloseTo(1 / Math.sqrt(8), 6);
    expect(values[8]).toBeCloseTo(-1 / Math.sqrt(128), 6);
    expect(() => model.prepareEmbedding(tf.zeros([1, 8]) as tf.Tensor2D)).toThrow(
      /embeddings have 8 values, the model takes 136 \(its embedder's 8 followed by the fused faceapi\)/,
    );
    await expect(embed(model, [tf.zeros([16, 16, 3]) as tf.Tensor3D])).rejects.toThrow(
      /fuses faceapi descriptors, which need each face's landmarks/,
    );
    // embedFace appends the face's descriptor: its part of the embedding is the descriptor at unit length
    const face = tf.zeros([16, 16, 3]) as tf.Tensor3D;
    const descriptor = Float32Array.from({ length: 128 }, (_, i) => (i === 5 ? 4 : 0));
    const before = tf.memory().numTensors;
    const one = embedFace(model, face, descriptor);
    expect(one.shape).toEqual([1, 136]);
    const part = Array.from(one.dataSync()).slice(8);
    expect(part[5]).toBeCloseTo(1, 6);
    expect(part.reduce((n, x) => n + Math.abs(x), 0)).toBeCloseTo(1, 6);
    one.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => embedFace(model, face)).toThrow(/fuses faceapi descriptors; pass the face's descriptor/);
    tf.dispose([raw, prepared, face]);
    model.dispose();
    expect(() => createSiamese({ backbone: tinyBackbone(), fused: ['faceapi'] })).toThrow(
      /fused descriptors go with a frozen embedder backbone/,
    );
  });

  it('load back with their fused descriptors and the same head', async () => {
    const model = createSiamese({
      backbone: await createGraphEmbedder({ preset: 'mobileface' }),
      headUnits: 4,
      fused: ['faceapi'],
    });
    const { back, before, after } = await roundTrip(model, 5);
    expect(back.config).toEqual(model.config);
    expect(back.config.embeddingDim).toBe(256 + 128);
    expect(after).toEqual(before);
    back.dispose();
    model.dispose();
  });
});
