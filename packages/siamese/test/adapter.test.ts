// Models with an adapter between the embedding and the head: the prepared embedding against the same maths
// written out in plain arrays, the head's width, the errors for mismatched parts, and the checkpoint round trip.
import { initBackend } from '@mfr/core';
import { createAdapter, createHead, createSiamese } from '@mfr/siamese';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { roundTrip, tinyBackbone } from './fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('adapter', () => {
  it('maps the normalised embedding by its kernel and normalises again, as plain arithmetic does', () => {
    const model = createSiamese({ backbone: tinyBackbone(), headUnits: 4, adapterUnits: 3, seed: 2 });
    expect(model.config.adapterUnits).toBe(3);
    expect(model.config.embeddingDim).toBe(8);
    expect(model.head.inputs[0].shape).toEqual([null, 6]);
    const kernel = model.adapter!.getWeights()[0].arraySync() as number[][]; // [8, 3]
    expect(model.adapter!.getWeights()).toHaveLength(1); // no bias
    const row = [3, -1, 0, 2, 5, -4, 1, 1];
    const raw = tf.tensor2d([row]);
    const before = tf.memory().numTensors;
    const prepared = model.prepareEmbedding(raw);
    expect(tf.memory().numTensors).toBe(before + 1);
    const e = unit(row);
    const expected = unit([0, 1, 2].map((j) => e.reduce((s, x, i) => s + x * kernel[i][j], 0)));
    const got = Array.from(prepared.dataSync());
    for (let j = 0; j < 3; j++) expect(got[j]).toBeCloseTo(expected[j], 5);
    tf.dispose([raw, prepared]);
    model.dispose();
  });

  it('refuses parts that do not fit together, naming both widths', () => {
    expect(() => createAdapter(8, 0)).toThrow(/adapterUnits must be a positive integer, got 0/);
    const backbone = tinyBackbone();
    const wrongInput = createAdapter(5, 3);
    const adapter = createAdapter(8, 3);
    const wideHead = createHead(8, 4);
    expect(() => createSiamese({ backbone, adapter: wrongInput })).toThrow(
      /adapter takes 5 values, the embedding has 8/,
    );
    expect(() => createSiamese({ backbone, adapter, adapterUnits: 4 })).toThrow(
      /the adapter given has 3 units but adapterUnits is 4/,
    );
    expect(() => createSiamese({ backbone, adapter, head: wideHead })).toThrow(
      /head takes 16 features, expected 2 \* 3 \(the adapter's width\)/,
    );
    for (const m of [backbone, wrongInput, adapter, wideHead]) m.dispose();
  });

  it('survives a checkpoint round trip with the same config and logits', async () => {
    const model = createSiamese({ backbone: tinyBackbone(), headUnits: 4, adapterUnits: 3, seed: 1 });
    const { back, before, after } = await roundTrip(model, 3);
    expect(back.config).toEqual(model.config);
    expect(back.adapter).not.toBeNull();
    expect(after).toEqual(before);
    back.dispose();
    model.dispose();
  });
});
