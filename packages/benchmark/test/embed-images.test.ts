import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../test-support/sample-faces.js';
import { createBaseline, createFaceAnalyzer, embedImages } from '../src/index.js';

const FACES = join(mkdtempSync(join(tmpdir(), 'mfr-embed-faces-')), 'faces');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  // one person, two pictures
  await writeSampleDataset(FACES, { identities: 1, perIdentity: 2 });
});

describe('embedImages', () => {
  it('embeds each image once per model, caches on disk and leaks no tensors', async () => {
    const analyzer = await createFaceAnalyzer();
    const models = [await createBaseline('faceapi'), await createBaseline('mobileface')];
    const cacheDir = mkdtempSync(join(tmpdir(), 'mfr-embed-'));
    const jobs = [
      { path: join(FACES, 'face-01', '1.jpg'), fallbackCrop: 1 },
      { path: join(FACES, 'face-01', '2.jpg'), fallbackCrop: 1 },
      { path: join(FACES, 'face-01', '1.jpg'), fallbackCrop: 1 },
      { path: join(FACES, 'missing.png'), fallbackCrop: 1 },
    ];
    // warm-up: the first run compiles kernels and loads nothing else afterwards
    await embedImages(jobs.slice(0, 1), models, {
      cacheDir: mkdtempSync(join(tmpdir(), 'mfr-embed-')),
      analyzer,
    });
    const before = tf.memory().numTensors;
    let progressCalls = 0;
    const result = await embedImages(jobs, models, {
      cacheDir,
      analyzer,
      onProgress: () => void progressCalls++,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(progressCalls).toBe(3);
    const a = result.get(jobs[0].path)!;
    expect(a.vectors!.map((v) => v.length)).toEqual([128, 256]);
    expect(a.face).toBe('face');
    expect(result.get(jobs[3].path)).toMatchObject({
      vectors: null,
      error: expect.stringMatching(/missing\.png/),
    });
    // a second run reads everything from the cache: same vectors
    let cached = 0;
    const again = await embedImages(jobs.slice(0, 2), models, {
      cacheDir,
      onProgress: (_d, _t, c) => {
        cached = c;
      },
    });
    expect(cached).toBe(2);
    expect(Array.from(again.get(jobs[1].path)!.vectors![1])).toEqual(
      Array.from(result.get(jobs[1].path)!.vectors![1]),
    );
    for (const m of models) m.dispose();
  });
});
