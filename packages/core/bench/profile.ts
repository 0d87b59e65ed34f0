/**
 * `pnpm bench profile`: where one training step's time goes, per kernel (tf.profile), on one backend.
 * Same workload as `pnpm bench core` (IResNet-18 32-64-128-256 + Dense 128, 100-class softmax, SGD momentum 0.9,
 * batch 32). Prints the kernels by total time and writes bench-results/profile.json.
 * Then bounds two levers: what the optimizer's update of every variable costs against the same arithmetic on one
 * flat array (the most that fusing the update could save), and what one tiny op costs to dispatch.
 *
 * usage: pnpm bench profile [--backend tensorflow|wasm] [--size 64] [--batch-norm fused|layers] [--steps 3]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, normalizeBackendName } from '../src/backend.js';
import { createRng } from '../src/rng.js';
import { createWorkload } from './train_step.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'tensorflow' },
    size: { type: 'string', default: '64' },
    batch: { type: 'string', default: '32' },
    'batch-norm': { type: 'string', default: 'fused' },
    steps: { type: 'string', default: '3' },
    top: { type: 'string', default: '25' },
    out: { type: 'string', default: join(ROOT, 'bench-results', 'profile.json') },
  },
});
const backend = await initBackend({ backend: normalizeBackendName(values.backend as string) });
const size = Number(values.size);
const batch = Number(values.batch);
const fused = values['batch-norm'] !== 'layers';
const work = createWorkload(
  {
    arch: 'iresnet18',
    inputSize: size,
    widths: [32, 64, 128, 256],
    embeddingDim: 128,
    seed: 0,
    fusedBatchNorm: fused,
  },
  100,
  0.01,
  0.9,
);
const rng = createRng('bench-profile');
const images = tf.tensor4d(
  Float32Array.from({ length: batch * size * size * 3 }, () => rng.next()),
  [batch, size, size, 3],
);
const labels = tf.tidy(() =>
  tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, () => rng.int(100)),
      'int32',
    ),
    100,
  ),
) as tf.Tensor2D;
for (let i = 0; i < 3; i++) work.trainStep(images, labels);
const wall: number[] = [];
for (let i = 0; i < Number(values.steps); i++) {
  const t = performance.now();
  work.trainStep(images, labels);
  wall.push(performance.now() - t);
}
const t0 = performance.now();
const info = await tf.profile(() => {
  work.trainStep(images, labels);
});
const profiledMs = performance.now() - t0;
const byName = new Map<string, { calls: number; ms: number }>();
for (const k of info.kernels) {
  const name = k.name || '(customGrad)';
  const e = byName.get(name) ?? { calls: 0, ms: 0 };
  e.calls++;
  e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  byName.set(name, e);
}
const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
// customGrad ops appear as scopes (`*__op`, 'unnamed scope' = BatchNormAct's fused batch norm) whose time includes
// the kernels they run (listed too); native ops run through the backend's executor are not kernels: they show
// only inside such scopes, or not at all (the backward pass of the fused batch norm).
const isScope = (name: string) =>
  name.endsWith('__op') || name === 'unnamed scope' || name === '(customGrad)';
const kernelMs = rows.reduce((a, [name, e]) => a + (isScope(name) ? 0 : e.ms), 0);
const lines = [
  `${backend} ${size}px batch ${batch}, batch norm ${fused ? 'fused (BatchNormAct)' : 'tfjs-layers'}`,
  `unprofiled steps: ${wall.map((w) => w.toFixed(0)).join(' ')} ms; profiled step ${profiledMs.toFixed(0)} ms, ` +
    `${info.kernels.length} kernels, ${kernelMs.toFixed(0)} ms inside leaf kernels (scopes = customGrad ops, ` +
    'their time includes nested kernels and native ops)',
  'kernel                          calls     ms  of step',
  ...rows
    .slice(0, Number(values.top))
    .map(
      ([name, e]) =>
        `${(isScope(name) ? `[scope] ${name}` : name).padEnd(30)} ${String(e.calls).padStart(6)} ${e.ms.toFixed(1).padStart(7)} ${((100 * e.ms) / profiledMs).toFixed(1).padStart(6)}%`,
    ),
];

/** Median ms of `run` over 30 calls after 5 warm-up calls. */
function medianMs(run: () => void): number {
  for (let i = 0; i < 5; i++) run();
  const times = Array.from({ length: 30 }, () => {
    const t = performance.now();
    run();
    return performance.now() - t;
  }).sort((a, b) => a - b);
  return times[15];
}
// the momentum update as the step runs it (one set of ops per variable), on fixed gradients
const variables = [...work.backbone.trainableWeights, ...work.classifier.trainableWeights].map(
  (w) => w.read() as tf.Variable,
);
const grads: tf.NamedTensorMap = Object.fromEntries(
  variables.map((v) => [v.name, tf.randomNormal(v.shape, 0, 1e-3, 'float32', 1)]),
);
const perVariableMs = medianMs(() => work.optimizer.applyGradients(grads));
// the same arithmetic (accumulation = m * accumulation + g; value = value - lr * accumulation) on one flat array
const flatValues = variables.reduce((a, v) => a + v.size, 0);
const [accumulation, value, gradient] = [
  tf.zeros([flatValues]),
  tf.zeros([flatValues]),
  tf.ones([flatValues]),
];
const flatMs = medianMs(() =>
  // no read-back: ops on tfjs-node and wasm finish before they return, as in applyGradients
  tf.tidy(() => {
    tf.add(tf.mul(tf.add(tf.mul(accumulation, 0.9), gradient), -0.01), value);
  }),
);
const tiny = tf.ones([64]);
const tinyOpUs =
  (medianMs(() => tf.tidy(() => void Array.from({ length: 100 }, () => tf.add(tiny, tiny)))) / 100) * 1000;
tf.dispose([accumulation, value, gradient, tiny, ...Object.values(grads)]);
lines.push(
  `optimizer: momentum update of ${variables.length} variables ${perVariableMs.toFixed(1)} ms; the same arithmetic ` +
    `on one flat array of ${flatValues.toLocaleString('en-US')} values ${flatMs.toFixed(1)} ms (at most ` +
    `${(perVariableMs - flatMs).toFixed(1)} ms a step to gain by fusing it)`,
  `dispatch: one tiny op (Add of 64 values) ${tinyOpUs.toFixed(1)} us`,
);

process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(dirname(values.out as string), { recursive: true });
writeFileSync(
  values.out as string,
  `${JSON.stringify({ backend, size, batch, fused, wallMs: wall, profiledMs, kernelMs, kernels: Object.fromEntries(rows), optimizer: { variables: variables.length, values: flatValues, perVariableMs, flatMs }, tinyOpUs }, null, 2)}\n`,
);
tf.dispose([images, labels]);
work.dispose();
