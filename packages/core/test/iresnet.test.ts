import {
  BatchNormAct,
  countParams,
  createBackbone,
  createRng,
  IRESNET_DEPTHS,
  initBackend,
  nativeTensorFlow,
} from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareIResNetGradients } from './iresnet_grads.js';

// The reference network: IResNet-18, widths 32-64-128-256, global average pool, Dense 128.
const REFERENCE = { arch: 'iresnet18', widths: [32, 64, 128, 256], embeddingDim: 128 } as const;

describe('iresnet', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('IResNet-18 (32-64-128-256, Dense 128) has 2,833,888 parameters, counted independently', () => {
    const model = createBackbone({ ...REFERENCE, inputSize: 64 });
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout;
    const widths = [32, 64, 128, 256];
    let convs = conv(3, 3, 32); // stem 3x3
    let cin = 32;
    for (const w of widths) {
      // block 1: 3x3 stride 2, 3x3, 1x1 projection; block 2: two 3x3
      convs += conv(3, cin, w) + conv(3, w, w) + conv(1, cin, w) + 2 * conv(3, w, w);
      cin = w;
    }
    const bnChannels = 32 + 5 * (32 + 64 + 128 + 256);
    const dense = 256 * 128 + 128;
    expect(countParams(model)).toBe(convs + 4 * bnChannels + dense);
    expect(countParams(model)).toBe(2_833_888);
    expect(countParams(model, { trainableOnly: true })).toBe(convs + 2 * bnChannels + dense);
    // same count in the tfjs-layers form
    const plain = createBackbone({ ...REFERENCE, inputSize: 64, fusedBatchNorm: false });
    expect(countParams(plain)).toBe(2_833_888);
    expect(plain.layers.some((l) => l.getClassName() === 'BatchNormAct')).toBe(false);
    model.dispose();
    plain.dispose();
  });

  it.each([64, 112])('gives [batch, 128] at %i px, stride 1 stem and stride 2 at every stage', (size) => {
    const model = createBackbone({ ...REFERENCE, inputSize: size });
    const out = tf.tidy(() => (model.predict(tf.fill([2, size, size, 3], 0.5)) as tf.Tensor).shape);
    expect(out).toEqual([2, 128]);
    const side = (name: string) => (model.getLayer(name).outputShape as number[])[1];
    expect(side('stem_norm')).toBe(size);
    expect([1, 2, 3, 4].map((s) => side(`stage${s}_block2_2_norm`))).toEqual(
      [2, 4, 8, 16].map((d) => Math.ceil(size / d)),
    );
    expect((model.getLayer('stem_conv').getWeights()[0].shape as number[]).slice(0, 2)).toEqual([3, 3]);
    model.dispose();
  });

  it('builds 18/34/50/100 with the ArcFace block counts and the arcface head', () => {
    for (const [arch, depths] of Object.entries(IRESNET_DEPTHS)) {
      const model = createBackbone({
        arch: arch as keyof typeof IRESNET_DEPTHS,
        inputSize: 32,
        widths: [4, 4, 8, 8],
        head: 'arcface',
        embeddingDim: 16,
      });
      const blocks = model.layers.filter((l) => /_block\d+_1_conv$/.test(l.name)).length;
      expect(blocks).toBe(depths.reduce((a, b) => a + b, 0));
      expect(model.layers.filter((l) => l.name.endsWith('_shortcut_conv'))).toHaveLength(4);
      // BN -> flatten (2x2x8) -> dense 16 -> BN without scale
      expect(model.getLayer('embedding').getWeights()[0].shape).toEqual([2 * 2 * 8, 16]);
      expect(
        model
          .getLayer('embedding_norm')
          .getWeights()
          .map((w) => w.shape),
      ).toEqual([[16], [16], [16]]);
      expect(tf.tidy(() => (model.predict(tf.fill([3, 32, 32, 3], 0.3)) as tf.Tensor).shape)).toEqual([
        3, 16,
      ]);
      model.dispose();
    }
  });

  it('takes PReLU, dropout and the 512-d arcface default; rejects bad options naming the fix', () => {
    const model = createBackbone({
      arch: 'iresnet18',
      inputSize: 32,
      widths: [4, 4, 8, 8],
      activation: 'prelu',
      head: 'arcface',
      dropout: 0.4,
    });
    expect(model.getLayer('stem_relu').getClassName()).toBe('PReLU');
    expect(model.getLayer('head_dropout').getClassName()).toBe('Dropout');
    expect(model.outputs[0].shape).toEqual([null, 512]);
    model.dispose();
    const base = { arch: 'iresnet18' as const, inputSize: 32 };
    expect(() => createBackbone({ ...base, head: 'gap' as never })).toThrow(
      /head must be 'pool' or 'arcface'/,
    );
    expect(() => createBackbone({ ...base, activation: 'gelu' as never })).toThrow(/'relu' or 'prelu'/);
    expect(() => createBackbone({ ...base, dropout: 1 })).toThrow(/dropout/);
    expect(() => createBackbone({ ...base, widths: [8, 8] })).toThrow(/4 positive integers/);
  });

  it('the BatchNormAct form trains to the gradients and moving statistics of the tfjs-layers form (1e-4 of max)', () => {
    // off tfjs-node the BatchNormAct form runs the composite customGrad (closed-form gradient, sums as matMul);
    // iresnet.tfjs-node.test.ts checks the native kernels. Measured: 3.5e-6 (gradients), 7e-7 (statistics).
    expect(nativeTensorFlow()).toBeNull();
    const before = tf.memory().numTensors;
    const r = compareIResNetGradients();
    expect(r.mismatched).toEqual([]);
    expect(r.compared).toBe(107); // every trainable weight and moving statistic, matched by name
    expect(r.maxRelativeGradError).toBeLessThanOrEqual(1e-4);
    expect(r.maxRelativeStatError).toBeLessThanOrEqual(1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('inference matches the tfjs-layers form, and save/reload keeps the outputs', async () => {
    const opts = {
      arch: 'iresnet18' as const,
      inputSize: 32,
      widths: [4, 8, 8, 8],
      embeddingDim: 6,
      seed: 5,
    };
    const fast = createBackbone(opts);
    const plain = createBackbone({ ...opts, fusedBatchNorm: false });
    // train one step on each so the moving statistics move away from 0/1
    const x = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 3 * 32 * 32 * 3)), [3, 32, 32, 3]));
    for (const m of [fast, plain]) tf.tidy(() => m.apply(x, { training: true }) as tf.Tensor);
    let artifacts: tf.io.ModelArtifacts | null = null;
    await fast.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    const [a, b, c] = [fast, plain, loaded].map((m) => m.predict(x) as tf.Tensor);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
    expect(diff).toBeLessThanOrEqual(1e-5);
    expect(Array.from(c.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.getLayer('stage1_block1_2_norm').getClassName()).toBe('BatchNormAct');
    tf.dispose([a, b, c, x]);
    for (const m of [fast, plain, loaded]) m.dispose();
  });

  it('does not grow tf.memory() across training steps (SGD with momentum)', () => {
    const model = createBackbone({ arch: 'iresnet18', inputSize: 32, widths: [4, 4, 8, 8], embeddingDim: 5 });
    const opt = tf.train.momentum(0.01, 0.9);
    const rng = createRng('iresnet-memory');
    const x = tf.tensor4d(
      Float32Array.from({ length: 2 * 32 * 32 * 3 }, () => rng.next()),
      [2, 32, 32, 3],
    );
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = () =>
      tf.dispose(
        opt.minimize(
          () => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
          true,
          vars,
        ) as tf.Scalar,
      );
    step(); // creates the optimizer's accumulators
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    opt.dispose();
    model.dispose();
  });

  it('BatchNormAct rejects a shortcut of another width, saying what to do', () => {
    const input = tfl.input({ shape: [4, 4, 8] });
    const other = tfl.input({ shape: [4, 4, 4] });
    expect(() => new BatchNormAct({ name: 'bad' }).apply([input, other])).toThrow(/Project the shortcut/);
  });
});
