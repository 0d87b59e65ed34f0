/**
 * `pnpm bench contrastive [--steps n] [--batch n]`: images per second of one MoCo v2 step (two augmentations,
 * momentum update, key forward with split-batch BN, query forward + backward, SGD, enqueue) for resnet18 at
 * 64 and 112 px on every backend that starts here (tfjs-node, wasm). Each backend runs in its own process.
 * Writes bench-results/contrastive.json. Numbers are noisy when other jobs share the CPU.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { augmentBatch, createMoCo, createSgd } from '@mfr/contrastive';
import { createBackbone, createRng, initBackend } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';

interface Row {
  backend: string;
  arch: string;
  imageSize: number;
  batch: number;
  steps: number;
  secondsPerStep: number;
  imagesPerSecond: number;
}

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const steps = arg('steps', 3);
const batch = arg('batch', 32);
const worker = args.indexOf('--worker');

async function measure(backend: string): Promise<Row[]> {
  const name = await initBackend({ backend: backend as 'wasm' });
  const rows: Row[] = [];
  for (const imageSize of [64, 112]) {
    const moco = createMoCo({
      backbone: () => createBackbone({ arch: 'resnet18', inputSize: imageSize }),
      queueSize: 4096,
    });
    const sgd = createSgd(moco.trainableVariables());
    const rng = createRng(0);
    const images = tf.randomUniform([batch, imageSize, imageSize, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const step = () => {
      const q = augmentBatch(images, rng);
      const k = augmentBatch(images, rng);
      moco.step(q, k, sgd, 0.01);
      tf.dispose([q, k]);
    };
    step(); // warm-up: kernels compile, buffers allocate
    const start = performance.now();
    for (let i = 0; i < steps; i++) step();
    const secondsPerStep = (performance.now() - start) / 1000 / steps;
    rows.push({
      backend: name,
      arch: 'resnet18',
      imageSize,
      batch,
      steps,
      secondsPerStep,
      imagesPerSecond: batch / secondsPerStep,
    });
    console.error(
      `${name} resnet18 ${imageSize}px batch ${batch}: ${(batch / secondsPerStep).toFixed(1)} images/s`,
    );
    images.dispose();
    sgd.dispose();
    moco.dispose();
  }
  return rows;
}

if (worker >= 0) {
  const rows = await measure(args[worker + 1]);
  process.stdout.write(`${JSON.stringify(rows)}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  const skipped: Record<string, string> = {};
  for (const backend of ['tfjs-node', 'wasm']) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--worker', backend, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const last = child.stdout.trim().split('\n').at(-1) ?? '';
    if (child.status === 0 && last.startsWith('[')) rows.push(...(JSON.parse(last) as Row[]));
    else skipped[backend] = `exit ${child.status}`;
  }
  const result = {
    benchmark: 'contrastive',
    what: 'one MoCo v2 training step (augment x2, momentum update, keys with split BN, query fwd+bwd, SGD, enqueue)',
    queueSize: 4096,
    cpus: cpus().length,
    note: 'noisy when other jobs share the CPU',
    date: new Date().toISOString(),
    rows,
    skipped,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', 'contrastive.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.table(
    rows.map((r) => ({
      ...r,
      secondsPerStep: r.secondsPerStep.toFixed(3),
      imagesPerSecond: r.imagesPerSecond.toFixed(1),
    })),
  );
}
