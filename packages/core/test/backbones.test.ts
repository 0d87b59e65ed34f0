import {
  BACKBONE_ARCHS,
  countParams,
  createBackbone,
  freezeFraction,
  GroupNormalization,
  groupsFor,
  initBackend,
} from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';

// small ResNet widths keep the test fast (building weights dominates); the defaults are checked separately
const SMALL_WIDTHS = [8, 8, 16, 24];
const EXPECTED_WIDTH: Record<string, number> = {
  resnet18: 24,
  resnet34: 24,
  resnet50: 4 * 24,
  iresnet18: 24,
  iresnet34: 24,
  iresnet50: 24,
  iresnet100: 24,
  mobilenetv2: 1280,
  smallcnn: 64,
};

function outputOf(model: tfl.LayersModel, size: number, batch = 2): number[] {
  return tf.tidy(() => (model.predict(tf.fill([batch, size, size, 3], 0.5)) as tf.Tensor).shape);
}

describe('backbones', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it.each(BACKBONE_ARCHS.flatMap((arch) => [32, 64].map((size) => ({ arch, size }))))(
    '$arch at $size px gives [batch, pooled width]',
    ({ arch, size }) => {
      const widths = arch.includes('resnet') ? SMALL_WIDTHS : undefined;
      const model = createBackbone({ arch, inputSize: size, widths });
      expect(model.inputs[0].shape).toEqual([null, size, size, 3]);
      expect(outputOf(model, size)).toEqual([2, EXPECTED_WIDTH[arch]]);
      model.dispose();
    },
  );

  it('uses the paper widths by default: 2048-d for resnet50', () => {
    const r50 = createBackbone({ arch: 'resnet50', inputSize: 32 });
    expect(outputOf(r50, 32, 1)).toEqual([1, 2048]);
    r50.dispose();
  });

  it('projects to embeddingDim with a dense layer, and keeps the pooled width when equal', () => {
    const projected = createBackbone({ arch: 'smallcnn', inputSize: 32, embeddingDim: 10 });
    expect(outputOf(projected, 32, 3)).toEqual([3, 10]);
    expect(projected.getLayer('embedding_projection').getClassName()).toBe('Dense');
    const same = createBackbone({ arch: 'smallcnn', inputSize: 32, embeddingDim: 64 });
    expect(same.layers.some((l) => l.name === 'embedding_projection')).toBe(false);
    const resnet = createBackbone({
      arch: 'resnet18',
      inputSize: 32,
      widths: [8, 8, 16, 16],
      embeddingDim: 128,
    });
    expect(outputOf(resnet, 32)).toEqual([2, 128]);
    tf.dispose([projected, same, resnet].map((m) => m.dispose()) as never);
  });

  it('resnet18 with widths 32-64-128-256 has 2.83M parameters (within 1%)', () => {
    const model = createBackbone({ arch: 'resnet18', inputSize: 64, widths: [32, 64, 128, 256] });
    const total = countParams(model);
    // independent count: convs (no bias) + 4 numbers per batch-norm channel, standard ResNet-18 with 7x7 stem
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout;
    const convs =
      conv(7, 3, 32) +
      4 * conv(3, 32, 32) +
      (conv(3, 32, 64) + 3 * conv(3, 64, 64) + conv(1, 32, 64)) +
      (conv(3, 64, 128) + 3 * conv(3, 128, 128) + conv(1, 64, 128)) +
      (conv(3, 128, 256) + 3 * conv(3, 256, 256) + conv(1, 128, 256));
    const bnChannels = 32 + 4 * 32 + 5 * 64 + 5 * 128 + 5 * 256;
    expect(total).toBe(convs + 4 * bnChannels);
    expect(Math.abs(total - 2.83e6) / 2.83e6).toBeLessThanOrEqual(0.01);
    expect(countParams(model, { trainableOnly: true })).toBe(convs + 2 * bnChannels);
    model.dispose();
  });

  it('freezeFraction freezes the first fraction of weighted layers and validates its input', () => {
    const model = createBackbone({ arch: 'smallcnn', inputSize: 32 });
    const weighted = model.layers.filter((l) => l.weights.length > 0);
    expect(weighted.length).toBe(6); // 3 convs + 3 batch norms
    expect(freezeFraction(model, 0.5)).toBe(3);
    expect(weighted.map((l) => l.trainable)).toEqual([false, false, false, true, true, true]);
    // the remaining trainable weights are those of conv3 and its norm
    expect(model.trainableWeights.map((w) => w.originalName).sort()).toEqual([
      'conv2_norm/beta',
      'conv2_norm/gamma',
      'conv3_conv/kernel',
      'conv3_norm/beta',
      'conv3_norm/gamma',
    ]);
    expect(freezeFraction(model, 1)).toBe(6);
    expect(model.trainableWeights).toHaveLength(0);
    expect(freezeFraction(model, 0)).toBe(0);
    expect(weighted.every((l) => l.trainable)).toBe(true);
    for (const bad of [-0.1, 1.5, Number.NaN]) expect(() => freezeFraction(model, bad)).toThrow(/fraction/);
    model.dispose();
  });

  it('gives identical initial weights for the same seed and different ones for another seed', () => {
    const weightsOf = (seed: number) => {
      const model = createBackbone({
        arch: 'resnet18',
        inputSize: 32,
        widths: [4, 8, 8, 8],
        seed,
        embeddingDim: 5,
      });
      const named = new Map(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
      model.dispose();
      return named;
    };
    const a = weightsOf(3);
    const b = weightsOf(3);
    const c = weightsOf(4);
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...b.values()]).toEqual([...a.values()]);
    // conv kernels and the projection differ with another seed (batch-norm ones/zeros do not)
    for (const name of [
      'stem_conv/kernel',
      'stage3_block1_shortcut_conv/kernel',
      'embedding_projection/kernel',
    ]) {
      expect(a.get(name)?.length).toBeGreaterThan(0);
      expect(c.get(name)).not.toEqual(a.get(name));
    }
  });

  it('group normalization normalises each group of channels per sample (independent computation)', () => {
    const [n, h, w, ch, groups] = [2, 3, 3, 4, 2];
    const values = Array.from({ length: n * h * w * ch }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 4)));
    const layer = new GroupNormalization({ groups, epsilon: 1e-5 });
    const out = tf.tidy(() => (layer.apply(tf.tensor4d(values, [n, h, w, ch])) as tf.Tensor).dataSync());
    const per = ch / groups;
    for (let s = 0; s < n; s++) {
      for (let g = 0; g < groups; g++) {
        const idx: number[] = [];
        for (let p = 0; p < h * w; p++)
          for (let c = g * per; c < (g + 1) * per; c++) idx.push((s * h * w + p) * ch + c);
        const mean = idx.reduce((a, i) => a + values[i], 0) / idx.length;
        const variance = idx.reduce((a, i) => a + (values[i] - mean) ** 2, 0) / idx.length;
        for (const i of idx) expect(out[i]).toBeCloseTo((values[i] - mean) / Math.sqrt(variance + 1e-5), 4);
      }
    }
    expect(() => new GroupNormalization({ groups: 3 }).apply(tf.zeros([1, 2, 2, 4]))).toThrow(/groups/);
  });

  it('group-norm backbones keep information at 32 px (at least 4 channels per group)', () => {
    expect([256, 128, 64, 32, 24, 16, 8, 6].map((c) => groupsFor(c))).toEqual([32, 32, 16, 8, 6, 4, 2, 1]);
    const model = createBackbone({
      arch: 'resnet18',
      inputSize: 32,
      widths: [8, 8, 16, 16],
      normalization: 'group',
    });
    const out = tf.tidy(() => {
      const a = tf.fill([1, 32, 32, 3], 0.2);
      const b = tf.reshape(tf.mul(tf.range(0, 32 * 32 * 3), 1 / (32 * 32 * 3)), [1, 32, 32, 3]);
      return (model.predict(tf.concat([a, b])) as tf.Tensor).arraySync() as number[][];
    });
    // the last stage is 1x1: single-channel groups would normalise every value to 0
    expect(out[0].some((v) => Math.abs(v) > 1e-3)).toBe(true);
    expect(out[0]).not.toEqual(out[1]);
    model.dispose();
  });

  it('saves and reloads a group-norm model (custom layer) with identical outputs', async () => {
    const model = createBackbone({
      arch: 'resnet18',
      inputSize: 32,
      widths: [8, 8, 16, 16],
      normalization: 'group',
      seed: 9,
    });
    expect(model.layers.some((l) => l.getClassName() === 'GroupNormalization')).toBe(true);
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    const x = tf.tidy(() =>
      tf.reshape(tf.mul(tf.range(0, 2 * 32 * 32 * 3), 1 / (2 * 32 * 32 * 3)), [2, 32, 32, 3]),
    );
    const [a, b] = [model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    tf.dispose([a, b, x]);
    model.dispose();
    loaded.dispose();
  });

  it('the first conv (ImageConv2D) computes no gradient with respect to the image', async () => {
    const model = createBackbone({ arch: 'smallcnn', inputSize: 32 });
    expect(model.layers[1].getClassName()).toBe('ImageConv2D');
    const x = tf.fill([2, 32, 32, 3], 0.5) as tf.Tensor4D;
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
    const names = profile.kernels.map((k) => k.name);
    // 3 convs: filter gradients for all, input gradients only for the two that do not read the image
    expect(names.filter((n) => n === 'Conv2DBackpropFilter')).toHaveLength(3);
    expect(names.filter((n) => n === 'Conv2DBackpropInput')).toHaveLength(2);
    x.dispose();
    model.dispose();
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => createBackbone({ arch: 'vgg' as never, inputSize: 32 })).toThrow(/arch/);
    expect(() => createBackbone({ arch: 'resnet18', inputSize: 16 })).toThrow(/inputSize/);
    expect(() => createBackbone({ arch: 'resnet18', inputSize: 32, widths: [8, 8] })).toThrow(/widths/);
    expect(() => createBackbone({ arch: 'mobilenetv2', inputSize: 32, widthMultiplier: 0 })).toThrow(
      /widthMultiplier/,
    );
  });

  it('does not leak tensors across repeated inference', () => {
    const model = createBackbone({ arch: 'mobilenetv2', inputSize: 32, widthMultiplier: 0.5 });
    outputOf(model, 32);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) outputOf(model, 32);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
