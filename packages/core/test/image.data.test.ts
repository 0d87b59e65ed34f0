import { initBackend } from '@mfr/core';
import { readImage, readImagePixels } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../../../test-support/datasets.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// The three datasets' own formats (see the datasets README): runs under `pnpm test:data`.
describe('readImage on the real datasets', () => {
  it('reads LFW JPEG colour, AT&T and Yale B greyscale PNG, at their documented sizes', async () => {
    const lfw = await readImage(datasetPath('lfw/images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg'));
    expect(lfw.shape).toEqual([250, 250, 3]);
    const att = await readImagePixels(datasetPath('att/s1/1.png'));
    expect([att.width, att.height]).toEqual([92, 112]);
    expect(att.data[300]).toBe(att.data[301]);
    const yale = await readImage(datasetPath('yaleb/yaleB01/yaleB01_P00A+000E+00.png'));
    expect(yale.shape).toEqual([192, 168, 3]);
    const [min, max] = tf.tidy(() => [tf.min(yale).dataSync()[0], tf.max(yale).dataSync()[0]]);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(255);
    tf.dispose([lfw, yale]);
  });
});
