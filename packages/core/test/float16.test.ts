import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, float16Bits, initBackend } from '@mfr/core';
import { loadLayersModelFromDisk, saveLayersModelToDisk } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** binary16 bits to a number, from the format's definition (independent of float16Bits). */
function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = await mkdtemp(join(tmpdir(), 'mfr-f16-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('float16Bits', () => {
  it('gives the bit patterns numpy gives (ties to even, overflow to infinity, subnormals)', () => {
    // from numpy: np.float32(v).astype(np.float16).view(np.uint16)
    const cases: [number, number][] = [
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [65520, 0x7c00],
      [0.1, 0x2e66],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000],
      [3 * 2 ** -26, 0x0001],
      [1 + 2 ** -11, 0x3c00],
      [1 + 3 * 2 ** -11, 0x3c02],
      [6.1e-5, 0x03ff],
      [-0, 0x8000],
      [Number.NEGATIVE_INFINITY, 0xfc00],
    ];
    for (const [value, bits] of cases) expect(float16Bits(value), `${value}`).toBe(bits);
    expect(fromHalf(float16Bits(Number.NaN))).toBeNaN();
  });

  it('maps every finite half back to itself, and random floats to the nearest half', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = fromHalf(h);
      if (Number.isFinite(v)) expect(float16Bits(v)).toBe(h);
    }
    const rng = createRng('float16');
    for (let i = 0; i < 20000; i++) {
      const v = Math.fround(rng.normal() * 2 ** Math.round(rng.normal() * 8));
      if (Math.abs(v) >= 65520) continue; // beyond the largest half: infinity, checked above
      const h = float16Bits(v);
      const err = Math.abs(fromHalf(h) - v);
      // neither neighbour is nearer
      for (const n of [h - 1, h + 1]) {
        if ((n & 0x7fff) < 0x7c00 && (n & 0x8000) === (h & 0x8000)) {
          expect(err).toBeLessThanOrEqual(Math.abs(fromHalf(n) - v));
        }
      }
    }
  });
});

describe("saveLayersModelToDisk({ weights: 'float16' })", () => {
  it('halves the weight file, and tfjs loads the weights rounded to half precision', async () => {
    const before = tf.memory().numTensors;
    const model = tfl.sequential();
    model.add(
      tfl.layers.dense({
        units: 16,
        inputShape: [8],
        activation: 'sigmoid',
        biasInitializer: 'randomNormal',
      }),
    );
    model.add(tfl.layers.dense({ units: 1 }));
    const full = join(dir, 'full');
    const half = join(dir, 'half');
    await saveLayersModelToDisk(model, full);
    await saveLayersModelToDisk(model, half, { weights: 'float16' });
    const bytes = async (d: string) => (await stat(join(d, 'weights.bin'))).size;
    expect(await bytes(half)).toBe((await bytes(full)) / 2);
    const loaded = await loadLayersModelFromDisk(half);
    const [original, back] = [model.getWeights(), loaded.getWeights()];
    for (const [i, w] of original.entries()) {
      const expected = Array.from(w.dataSync(), (v) => fromHalf(float16Bits(v)));
      expect(Array.from(back[i].dataSync())).toEqual(expected);
    }
    const x = tf.ones([2, 8]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(1e-2);
    tf.dispose([x, a, b]);
    loaded.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
