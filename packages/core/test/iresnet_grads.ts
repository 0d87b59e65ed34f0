/**
 * Shared by the IResNet gradient tests (wasm/cpu and tfjs-node): one training step's gradients and moving
 * statistics of the BatchNormAct form (fused path on tfjs-node) against the tfjs-layers form
 * (BatchNormalization + Add + ReLU layers) of the same network, on the same weights and batch.
 */
import { createBackbone, createRng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export interface GradientComparison {
  /** Weights compared (trainable weights + moving statistics). */
  compared: number;
  /** Largest |fast - plain| / max(|plain|) over each gradient tensor. */
  maxRelativeGradError: number;
  /** Same for the moving statistics after the step. */
  maxRelativeStatError: number;
  /** Loss of each form. */
  losses: [number, number];
  /** Names whose tensors differ in shape or are missing (must be empty). */
  mismatched: string[];
}

/** Gives every weight (incl. gamma, beta, moving statistics) seeded, non-trivial values, identical by name. */
function randomiseWeights(models: tfl.LayersModel[], seed: string): void {
  const rng = createRng(seed);
  const values = new Map<string, Float32Array>();
  for (const w of models[0].weights) {
    const size = w.shape.reduce((a: number, b) => a * (b as number), 1);
    const name = w.originalName;
    const v = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      if (name.endsWith('/gamma')) v[i] = 0.5 + rng.next();
      else if (name.endsWith('/beta')) v[i] = 0.2 * (rng.next() - 0.5);
      else if (name.endsWith('/moving_variance')) v[i] = 0.5 + rng.next();
      else if (name.endsWith('/moving_mean')) v[i] = 0.1 * (rng.next() - 0.5);
      else v[i] = (rng.next() - 0.5) * Math.sqrt(12 / Math.max(1, size / (w.shape.at(-1) as number)));
    }
    values.set(name, v);
  }
  for (const m of models) {
    for (const w of m.weights) {
      const v = values.get(w.originalName);
      if (!v) throw new Error(`weight ${w.originalName} missing from the other form`);
      const t = tf.tensor(v, w.shape as number[]);
      w.write(t);
      t.dispose();
    }
  }
}

const relErr = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => {
    const scale = Math.max(tf.max(tf.abs(b)).dataSync()[0], 1e-12);
    return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / scale;
  });

/** Builds both forms of a small IResNet-18, runs one gradient step on each, compares. Disposes everything. */
export function compareIResNetGradients(size = 32, batch = 4): GradientComparison {
  const opts = { arch: 'iresnet18' as const, inputSize: size, widths: [8, 8, 16, 16], embeddingDim: 12 };
  const fast = createBackbone({ ...opts, fusedBatchNorm: true });
  const plain = createBackbone({ ...opts, fusedBatchNorm: false });
  randomiseWeights([fast, plain], 'iresnet-grads');
  const rng = createRng('iresnet-grads-batch');
  const x = tf.tensor4d(
    Float32Array.from({ length: batch * size * size * 3 }, () => rng.next()),
    [batch, size, size, 3],
  );
  const target = tf.tensor2d(
    Float32Array.from({ length: batch * 12 }, () => rng.next() - 0.5),
    [batch, 12],
  );
  const step = (model: tfl.LayersModel) => {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(x, { training: true }) as tf.Tensor;
      return tf.sum(tf.mul(tf.square(out), target)) as tf.Scalar;
    }, vars);
    const byName = new Map<string, tf.Tensor>();
    model.trainableWeights.forEach((w, i) => {
      byName.set(w.originalName, grads[vars[i].name]);
    });
    for (const w of model.weights) if (!w.trainable) byName.set(w.originalName, w.read());
    const loss = value.dataSync()[0];
    value.dispose();
    return { byName, loss, owned: Object.values(grads) };
  };
  const a = step(fast);
  const b = step(plain);
  let maxGrad = 0;
  let maxStat = 0;
  const mismatched: string[] = [];
  for (const [name, tb] of b.byName) {
    const ta = a.byName.get(name);
    if (!ta || ta.shape.join() !== tb.shape.join()) {
      mismatched.push(name);
      continue;
    }
    const e = relErr(ta, tb);
    if (name.includes('moving_')) maxStat = Math.max(maxStat, e);
    else maxGrad = Math.max(maxGrad, e);
  }
  if (a.byName.size !== b.byName.size) mismatched.push(`count ${a.byName.size} vs ${b.byName.size}`);
  const result = {
    compared: b.byName.size,
    maxRelativeGradError: maxGrad,
    maxRelativeStatError: maxStat,
    losses: [a.loss, b.loss] as [number, number],
    mismatched,
  };
  tf.dispose([...a.owned, ...b.owned, x, target]);
  fast.dispose();
  plain.dispose();
  return result;
}
