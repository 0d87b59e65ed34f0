// mfr ensemble: two checkpoints on one frozen embedder become one averaging ensemble whose score is the mean of
// the two checkpoints' scores; checkpoints that do not fit together are refused with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mfr/core';
import {
  createGraphEmbedder,
  createSiamese,
  type Embedder,
  embedFace,
  loadSiamese,
  loadSiameseEnsemble,
  readoutSimilarity,
  type SiameseEnsemble,
  type SiameseModel,
} from '@mfr/siamese';
import { saveSiamese } from '@mfr/siamese/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJsonLine, runMfr } from './support/run-mfr.js';

const work = mkdtempSync(join(tmpdir(), 'mfr-cli-ensemble-'));
const dir = (name: string) => join(work, name);
const mfr = (args: string[]) => runMfr(['ensemble', ...args], { env: { MFR_BACKEND: 'wasm' } });
let embedder: Embedder;
let faces: tf.Tensor3D[];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  embedder = await createGraphEmbedder({ preset: 'mobileface' });
  faces = [1, 2].map((seed) =>
    tf.tidy(() => tf.mul(tf.randomUniform([112, 112, 3], 0, 1, 'float32', seed), 255) as tf.Tensor3D),
  );
  // two seeds of one recipe, and one with another head width
  for (const [name, seed, headUnits] of [
    ['a', 1, 8],
    ['b', 2, 8],
    ['wide-head', 3, 16],
  ] as const) {
    const model = createSiamese({ backbone: embedder, adapterUnits: 16, headUnits, seed });
    await saveSiamese(model, dir(name), { seed });
    model.head.dispose();
    model.adapter?.dispose();
  }
});
afterAll(() => {
  tf.dispose(faces);
  embedder.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** The output readout of face 0 against face 1. */
const score = (model: SiameseModel | SiameseEnsemble) =>
  tf.tidy(() => {
    const [x, y] = faces.map((f) => embedFace(model, f));
    return readoutSimilarity(model, x, y, 'output').dataSync()[0];
  });

describe('mfr ensemble', () => {
  it('writes one ensemble scoring the mean of its checkpoints', async () => {
    const run = mfr([dir('a'), dir('b'), '--out', dir('ab'), '--float16', '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(lastJsonLine(run.stdout)).toMatchObject({ members: 2, weights: 'float16' });
    const alone: number[] = [];
    for (const name of ['a', 'b']) {
      const m = await loadSiamese(dir(name), { embedder });
      alone.push(score(m));
      m.dispose();
    }
    const ensemble = await loadSiameseEnsemble(dir('ab'), { embedder });
    expect(ensemble.members).toHaveLength(2);
    // half precision moves scores a little
    expect(Math.abs(score(ensemble) - (alone[0] + alone[1]) / 2)).toBeLessThan(2e-3);
    ensemble.dispose();
  });

  it('refuses one checkpoint, checkpoints of other widths, and ensembles, naming the cause', () => {
    const one = mfr([dir('a'), '--out', dir('x')]);
    expect(one.status).not.toBe(0);
    expect(one.stderr).toMatch(/give two or more checkpoints, got 1/);
    const mixed = mfr([dir('a'), dir('wide-head'), '--out', dir('x')]);
    expect(mixed.status).not.toBe(0);
    expect(mixed.stderr).toMatch(/wide-head" differs from ".*a" in headUnits/);
    const nested = mfr([dir('ab'), dir('a'), '--out', dir('x')]);
    expect(nested.status).not.toBe(0);
    expect(nested.stderr).toMatch(/ab" is already an ensemble of 2; give its member folders instead/);
  });
});
