import {
  batchNormGradConfig,
  createBackbone,
  createRng,
  initBackend,
  registerWasmTrainingKernels,
  reluGradConfig,
  WASM_TRAINING_KERNELS,
} from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

// Every comparison runs the same computation on the pure-JS cpu backend (reference kernels) and on wasm (ours).

function randomArray(n: number, seed: string): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

function maxRelError(actual: Float32Array | number[], expected: Float32Array | number[]): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(scale, 1e-12));
  }
  return worst;
}

// Runs fn on a backend with fresh tensors made from the same numbers; returns the outputs' values.
// Also checks that the computation leaves no tensor behind.
async function onBackend(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(fn);
  const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

type Pad = 'same' | 'valid' | number;
interface ConvCase {
  batch: number;
  size: number;
  cin: number;
  cout: number;
  k: number;
  stride: 1 | 2;
  pad: Pad;
}

// a covering set: every kernel size, both strides, both paddings, batch 1-8, odd and even sizes
const CONV_CASES: ConvCase[] = [
  { batch: 1, size: 7, cin: 3, cout: 4, k: 1, stride: 1, pad: 'valid' },
  { batch: 2, size: 8, cin: 5, cout: 3, k: 1, stride: 2, pad: 'same' },
  { batch: 3, size: 9, cin: 4, cout: 6, k: 3, stride: 1, pad: 'same' },
  { batch: 8, size: 8, cin: 3, cout: 5, k: 3, stride: 2, pad: 'same' },
  { batch: 2, size: 10, cin: 2, cout: 3, k: 3, stride: 2, pad: 'valid' },
  { batch: 3, size: 11, cin: 3, cout: 2, k: 3, stride: 2, pad: 'same' },
  { batch: 1, size: 11, cin: 3, cout: 2, k: 5, stride: 1, pad: 'valid' },
  { batch: 4, size: 12, cin: 2, cout: 4, k: 5, stride: 2, pad: 'same' },
  { batch: 2, size: 16, cin: 3, cout: 8, k: 7, stride: 2, pad: 'same' },
  { batch: 5, size: 9, cin: 2, cout: 3, k: 7, stride: 1, pad: 'valid' },
  { batch: 2, size: 9, cin: 3, cout: 4, k: 3, stride: 2, pad: 1 },
];

describe('wasm training kernels', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    await initBackend({ backend: 'wasm' });
  });

  it('registers idempotently and fills the kernels wasm lacks', () => {
    registerWasmTrainingKernels();
    expect(registerWasmTrainingKernels()).toEqual([]);
    for (const config of WASM_TRAINING_KERNELS) {
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
    expect(WASM_TRAINING_KERNELS.map((k) => k.kernelName)).toEqual([
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
    ]);
    expect(tf.getGradient('FusedBatchNorm')).toBe(batchNormGradConfig);
    expect(tf.getGradient('Relu')).toBe(reluGradConfig);
  });

  it.each(CONV_CASES)('conv2d gradients match cpu: %o', async (c) => {
    const xShape: [number, number, number, number] = [c.batch, c.size, c.size, c.cin];
    const wShape: [number, number, number, number] = [c.k, c.k, c.cin, c.cout];
    const xs = randomArray(tf.util.sizeFromShape(xShape), `x${JSON.stringify(c)}`);
    const ws = randomArray(tf.util.sizeFromShape(wShape), `w${JSON.stringify(c)}`);
    const run = () => {
      const x = tf.tensor4d(xs, xShape);
      const w = tf.tensor4d(ws, wShape);
      // weight the output so dy is not constant
      const f = (a: tf.Tensor4D, b: tf.Tensor4D) => {
        const y = tf.conv2d(a, b, c.stride, c.pad);
        return tf.sum(tf.mul(y, tf.sin(y)));
      };
      return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([x, w]);
    };
    const [dxCpu, dwCpu] = await onBackend('cpu', run);
    const [dxWasm, dwWasm] = await onBackend('wasm', run);
    expect(maxRelError(dwWasm, dwCpu)).toBeLessThanOrEqual(1e-4);
    expect(maxRelError(dxWasm, dxCpu)).toBeLessThanOrEqual(1e-4);
  });

  it.each([
    { batch: 1, size: 8, c: 3, mult: 1, k: 3, stride: 1, pad: 'same' as Pad },
    { batch: 4, size: 9, c: 4, mult: 1, k: 3, stride: 2, pad: 'same' as Pad },
    { batch: 2, size: 10, c: 2, mult: 2, k: 5, stride: 2, pad: 'valid' as Pad },
    { batch: 8, size: 7, c: 3, mult: 1, k: 1, stride: 1, pad: 'valid' as Pad },
    { batch: 3, size: 12, c: 2, mult: 3, k: 7, stride: 1, pad: 'same' as Pad },
    { batch: 2, size: 11, c: 5, mult: 1, k: 5, stride: 2, pad: 'same' as Pad },
  ])('depthwise conv2d gradients match cpu: %o', async (c) => {
    const xShape: [number, number, number, number] = [c.batch, c.size, c.size, c.c];
    const wShape: [number, number, number, number] = [c.k, c.k, c.c, c.mult];
    const xs = randomArray(tf.util.sizeFromShape(xShape), `dx${JSON.stringify(c)}`);
    const ws = randomArray(tf.util.sizeFromShape(wShape), `dw${JSON.stringify(c)}`);
    const run = () => {
      const f = (a: tf.Tensor4D, b: tf.Tensor4D) => {
        const y = tf.depthwiseConv2d(a, b, c.stride, c.pad);
        return tf.sum(tf.mul(y, tf.sin(y)));
      };
      return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([
        tf.tensor4d(xs, xShape),
        tf.tensor4d(ws, wShape),
      ]);
    };
    const [dxCpu, dwCpu] = await onBackend('cpu', run);
    const [dxWasm, dwWasm] = await onBackend('wasm', run);
    expect(maxRelError(dwWasm, dwCpu)).toBeLessThanOrEqual(1e-4);
    expect(maxRelError(dxWasm, dxCpu)).toBeLessThanOrEqual(1e-4);
  });

  it.each([
    { size: 5, cin: 3, cout: 4, k: 3, strides: [2, 2] as [number, number], pad: 'same' as const },
    { size: 6, cin: 2, cout: 3, k: 3, strides: [2, 1] as [number, number], pad: 'valid' as const },
    { size: 4, cin: 4, cout: 2, k: 1, strides: [2, 2] as [number, number], pad: 'same' as const },
    { size: 4, cin: 2, cout: 2, k: 4, strides: [3, 3] as [number, number], pad: 'same' as const },
  ])('conv2dTranspose (our Conv2DBackpropInput) matches cpu: %o', async (c) => {
    // conv2dTranspose maps [size, size, cout] back to the shape a conv of the output would read
    const outSize = (n: number, s: number) => (c.pad === 'same' ? n * s : (n - 1) * s + c.k);
    const outShape: [number, number, number, number] = [
      2,
      outSize(c.size, c.strides[0]),
      outSize(c.size, c.strides[1]),
      c.cin,
    ];
    const ys = randomArray(2 * c.size * c.size * c.cout, `ct-y${JSON.stringify(c)}`);
    const ws = randomArray(c.k * c.k * c.cin * c.cout, `ct-w${JSON.stringify(c)}`);
    const run = () => [
      tf.conv2dTranspose(
        tf.tensor4d(ys, [2, c.size, c.size, c.cout]),
        tf.tensor4d(ws, [c.k, c.k, c.cin, c.cout]),
        outShape,
        c.strides,
        c.pad,
      ),
    ];
    const [cpu] = await onBackend('cpu', run);
    const [wasm] = await onBackend('wasm', run);
    expect(wasm.length).toBe(cpu.length);
    expect(maxRelError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
  });

  it('kernels called through runKernel match cpu and leak no tensors', async () => {
    const xShape: [number, number, number, number] = [2, 9, 9, 3];
    const xs = randomArray(tf.util.sizeFromShape(xShape), 'rk-x');
    const dys = randomArray(2 * 5 * 5 * 4, 'rk-dy');
    const run = () => {
      const x = tf.tensor4d(xs, xShape);
      const dy = tf.tensor4d(dys, [2, 5, 5, 4]);
      const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] };
      return [
        tf
          .engine()
          .runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      ];
    };
    const [cpu] = await onBackend('cpu', run);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const [wasm] = await onBackend('wasm', run);
    expect(tf.memory().numTensors).toBe(before);
    expect(maxRelError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
  });

  it('batch-norm gradient equals the original tile-based formula, on cpu and wasm', async () => {
    const shape: [number, number, number, number] = [3, 4, 5, 6];
    const xs = randomArray(tf.util.sizeFromShape(shape), 'bn-x');
    const ps = randomArray(4 * 6, 'bn-p');
    const eps = 1e-3;
    // tfjs-core's formula (FusedBatchNorm_grad.js), written out with tile
    const original = (
      x: tf.Tensor4D,
      mean: tf.Tensor1D,
      variance: tf.Tensor1D,
      scale: tf.Tensor1D,
      dy: tf.Tensor4D,
    ) => {
      const axes = [0, 1, 2];
      const xc = tf.sub(x, mean);
      const dyScaled = tf.mul(dy, scale);
      const r = tf.rsqrt(tf.add(variance, tf.scalar(eps)));
      const minusHalfRCube = tf.mul(tf.mul(tf.mul(r, r), r), tf.scalar(-0.5));
      return [
        tf.mul(tf.mul(dy, tf.tile(tf.reshape(r, [1, 1, 1, 6]), [3, 4, 5, 1])), scale),
        tf.sum(tf.mul(tf.mul(r, tf.scalar(-1)), dyScaled), axes),
        tf.sum(tf.mul(tf.mul(minusHalfRCube, xc), dyScaled), axes),
        tf.sum(tf.mul(dy, tf.mul(xc, r)), axes),
        tf.sum(dy, axes),
      ];
    };
    for (const backend of ['cpu', 'wasm'] as const) {
      const run = () => {
        const x = tf.tensor4d(xs, shape);
        const mean = tf.tensor1d(ps.slice(0, 6));
        const variance = tf.abs(tf.tensor1d(ps.slice(6, 12))) as tf.Tensor1D;
        const scale = tf.tensor1d(ps.slice(12, 18));
        const offset = tf.tensor1d(ps.slice(18, 24));
        const weights = tf.sin(tf.reshape(tf.range(0, x.size), shape));
        const f = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
          tf.sum(tf.mul(tf.batchNorm(a as tf.Tensor4D, m, v, o, s, eps), weights));
        const ours = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([x, mean, variance, scale, offset]);
        const ref = original(x, mean, variance, scale, weights as tf.Tensor4D);
        // inference-style use: only x and offset need gradients (mean, variance, scale are constants)
        const g = (a: tf.Tensor, o: tf.Tensor) =>
          tf.sum(tf.mul(tf.batchNorm(a as tf.Tensor4D, mean, variance, o, scale, eps), weights));
        const partial = tf.grads(g as (...args: tf.Tensor[]) => tf.Tensor)([x, offset]);
        return [...ours, ...ref, ...partial];
      };
      const values = await onBackend(backend, run);
      expect(maxRelError(values[10], values[5])).toBeLessThanOrEqual(1e-5);
      expect(maxRelError(values[11], values[9])).toBeLessThanOrEqual(1e-5);
      for (let i = 0; i < 5; i++) expect(maxRelError(values[i], values[i + 5])).toBeLessThanOrEqual(1e-5);
    }
  });

  it('relu gradient is the known mask dy * (x > 0) on cpu and wasm', async () => {
    const xs = randomArray(200, 'relu-x');
    const ws = randomArray(200, 'relu-w');
    for (const backend of ['cpu', 'wasm'] as const) {
      const [dx] = await onBackend(backend, () => [
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), tf.tensor1d(ws))))(tf.tensor1d(xs)),
      ]);
      // + 0 turns the -0 of 0 * negative weights into 0
      expect(Array.from(dx, (v) => v + 0)).toEqual(Array.from(xs, (x, i) => (x > 0 ? ws[i] : 0)));
    }
  });

  it('a whole ResNet training step on wasm updates the weights as on cpu', async () => {
    const batch = 4;
    const size = 32;
    const pixels = Float32Array.from(
      randomArray(batch * size * size * 3, 'step-x'),
      (v) => 1 / (1 + Math.exp(-v)),
    );
    const labels = [0, 2, 1, 2];
    // forward in training mode (batch norm on batch statistics), cross-entropy, gradients, SGD update
    const step = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const backbone = createBackbone({
        arch: 'resnet18',
        inputSize: size,
        widths: [4, 8, 8, 16],
        seed: 5,
        embeddingDim: 3,
      });
      const before = backbone.trainableWeights.map((w) => Array.from(w.read().dataSync()));
      const optimizer = tf.train.sgd(0.1);
      const x = tf.tensor4d(pixels, [batch, size, size, 3]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
      const loss = optimizer.minimize(
        () =>
          tf.losses.softmaxCrossEntropy(y, backbone.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      ) as tf.Scalar;
      const lossValue = loss.dataSync()[0];
      const after = backbone.trainableWeights.map((w) => Array.from(w.read().dataSync()));
      const names = backbone.trainableWeights.map((w) => w.originalName);
      tf.dispose([x, y, loss]);
      optimizer.dispose();
      backbone.dispose();
      return { before, after, names, lossValue };
    };
    const cpu = await step('cpu');
    const wasm = await step('wasm');
    expect(wasm.names).toEqual(cpu.names);
    expect(wasm.before).toEqual(cpu.before); // same seed, same initial weights on both backends
    expect(Math.abs(wasm.lossValue - cpu.lossValue)).toBeLessThan(1e-4);
    let worstUpdate = 0;
    let worstWeight = 0;
    cpu.after.forEach((after, t) => {
      const updateCpu = after.map((v, i) => v - cpu.before[t][i]);
      const updateWasm = wasm.after[t].map((v, i) => v - wasm.before[t][i]);
      expect(Math.max(...updateCpu.map(Math.abs))).toBeGreaterThan(0); // every weight tensor moved
      worstUpdate = Math.max(worstUpdate, maxRelError(updateWasm, updateCpu));
      worstWeight = Math.max(worstWeight, maxRelError(wasm.after[t], after));
    });
    // measured ~1e-4 (float32 summation order, amplified by batch norm over 4 samples); a wrong kernel gives O(1)
    expect(worstWeight).toBeLessThanOrEqual(5e-4);
    expect(worstUpdate).toBeLessThanOrEqual(5e-4);
  });
});
