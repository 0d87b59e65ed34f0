// The accuracy study's heads over frozen vectors (bench/accuracy/), on synthetic people whose answer is known:
// every person is a random centre, photos are noisy copies and masked copies are noisier. A head that learns
// anything ranks a person's own reference first far more often than chance (1 in 20); MoCo's loss falls.
import { createRng, initBackend } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureVector } from '../bench/accuracy/features.js';
import { pretrainAdapter } from '../bench/accuracy/moco-adapter.js';
import { type TrainingPool, trainVectorHead } from '../bench/accuracy/vector-head.js';
import { cosineSimilarity } from '../src/models/similarity.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function syntheticPool(people: number, photos: number, maskedNoise: number): TrainingPool {
  const rng = createRng(7);
  const pool: TrainingPool = {
    identities: new Map(),
    unmasked: new Map(),
    masked: new Map([['wide', new Map()]]),
  };
  const around = (centre: number[], noise: number) =>
    Float32Array.from(centre, (c) => c + rng.normal(0, noise));
  for (let p = 0; p < people; p++) {
    const faceres = Array.from({ length: 24 }, () => rng.normal());
    const faceapi = Array.from({ length: 8 }, () => rng.normal());
    const rels: string[] = [];
    for (let k = 0; k < photos; k++) {
      const rel = `person${p}/${k}.jpg`;
      rels.push(rel);
      pool.unmasked.set(rel, { faceres: around(faceres, 0.4), faceapi: around(faceapi, 0.4) });
      pool.masked
        .get('wide')!
        .set(rel, { faceres: around(faceres, maskedNoise), faceapi: around(faceapi, maskedNoise) });
    }
    pool.identities.set(`person${p}`, rels);
  }
  return pool;
}

describe('accuracy study heads', () => {
  it('fuses unit-length embedder vectors and scores cosines', () => {
    const v = { faceres: Float32Array.from([3, 4]), faceapi: Float32Array.from([0, 2]) };
    expect(Array.from(featureVector('fusion', v))).toEqual([0.6000000238418579, 0.800000011920929, 0, 1]);
    expect(Array.from(featureVector('faceapi', v))).toEqual([0, 1]);
    const three = { ...v, mobileface: Float32Array.from([0, 0, 5]) };
    expect(Array.from(featureVector('fusion3', three))).toEqual([
      0.6000000238418579, 0.800000011920929, 0, 1, 0, 0, 1,
    ]);
    expect(() => featureVector('fusion3', v)).toThrow(/fusion3 needs mobileface vectors/);
    const upper = { ...v, 'faceres-upper': Float32Array.from([0, -2]) };
    expect(Array.from(featureVector('fusion-upper', upper))).toEqual([
      0.6000000238418579, 0.800000011920929, 0, 1, 0, -1,
    ]);
    expect(() => featureVector('fusion-upper', three)).toThrow(/fusion-upper needs faceres-upper vectors/);
    expect(cosineSimilarity(Float32Array.from([1, 0]), Float32Array.from([1, 1]))).toBeCloseTo(
      Math.SQRT1_2,
      6,
    );
  });

  it('trains a hard-imposter head far above chance and keeps no tensors', async () => {
    const pool = syntheticPool(120, 3, 1.0);
    const before = tf.memory().numTensors;
    const head = await trainVectorHead(
      {
        name: 'synthetic',
        features: 'fusion',
        styles: ['wide'],
        hardest: 4,
        steps: 200,
        lr: 3e-3,
        headUnits: 32,
      },
      pool,
    );
    // chance is 0.05 for 1-of-20
    expect(head.bestValPrecision).toBeGreaterThan(0.6);
    const a = pool.unmasked.get('person0/0.jpg')!;
    const same = pool.masked.get('wide')!.get('person0/1.jpg')!;
    const other = pool.masked.get('wide')!.get('person1/1.jpg')!;
    const [authentic, imposter] = head.score([a, a], [same, other]);
    expect(authentic).toBeGreaterThan(imposter);
    head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives the logits of score()'s probabilities, each distinct photo through the adapter once", async () => {
    const pool = syntheticPool(40, 2, 1.0);
    const before = tf.memory().numTensors;
    const head = await trainVectorHead(
      {
        name: 'logits',
        features: 'fusion',
        styles: ['wide'],
        hardest: 1,
        steps: 20,
        headUnits: 16,
        adapter: 8,
      },
      pool,
    );
    const refs = ['person0/0.jpg', 'person1/0.jpg', 'person2/0.jpg'].map((r) => pool.unmasked.get(r)!);
    const probes = ['person0/1.jpg', 'person3/1.jpg'].map((q) => pool.masked.get('wide')!.get(q)!);
    // every reference against every probe: repeated vector objects
    const r = refs.flatMap((v) => probes.map(() => v));
    const q = refs.flatMap(() => probes);
    const logits = head.logits(r, q);
    const probabilities = head.score(r, q);
    expect(logits).toHaveLength(6);
    for (let i = 0; i < 6; i++) expect(1 / (1 + Math.exp(-logits[i]))).toBeCloseTo(probabilities[i], 5);
    expect(new Set(Array.from(logits)).size).toBeGreaterThan(1);
    head.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pre-trains the adapter with MoCo: the InfoNCE loss falls', async () => {
    const pool = syntheticPool(80, 2, 0.8);
    const before = tf.memory().numTensors;
    const { weights, losses } = await pretrainAdapter(pool, {
      features: 'fusion',
      units: 16,
      styles: ['wide'],
      steps: 120,
      batch: 32,
      queue: 256,
      lr: 0.1,
    });
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 20)) - 0.3);
    expect(weights[0].shape).toEqual([32, 16]);
    tf.dispose(weights);
    expect(tf.memory().numTensors).toBe(before);
  });
});
