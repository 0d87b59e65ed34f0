import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBaseline, createFaceAnalyzer, embedImages } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ATT = join(ROOT, '..', 'shared', 'datasets', 'att');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('embedImages', () => {
  it('embeds each image once per model, caches on disk and leaks no tensors', async () => {
    const analyzer = await createFaceAnalyzer();
    const models = [await createBaseline('faceapi'), await createBaseline('mobileface')];
    const cacheDir = mkdtempSync(join(tmpdir(), 'mfr-embed-'));
    const jobs = [
      { path: join(ATT, 's7', '1.png'), fallbackCrop: 1 },
      { path: join(ATT, 's7', '2.png'), fallbackCrop: 1 },
      { path: join(ATT, 's7', '1.png'), fallbackCrop: 1 },
      { path: join(ATT, 'missing.png'), fallbackCrop: 1 },
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
