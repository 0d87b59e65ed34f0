/**
 * `pnpm bench core`: training and inference speed of the ResNet-18 backbone (widths 32-64-128-256, 2.83M
 * parameters with the 100-class head) on each tfjs backend available here.
 *
 * Per backend and input size: ms per training step (batch 32, forward in training mode, softmax cross-entropy on a
 * dense 100-class head, gradients, plain SGD update; warm-up steps, then the median of --steps), inference
 * images/s (batch 32, median of --infer-runs predict calls), and GFLOP/s achieved (conv + dense FLOPs counted
 * analytically; a training step counted as 3x forward). Each backend runs in its own child process.
 * Prints a table and writes bench-results/core.json.
 *
 * Run `pnpm bench core --help` for the options.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initBackend, normalizeBackendName } from '../src/backend.js';
import { registerTrainingGradients } from '../src/kernels/index.js';
import { createRng } from '../src/rng.js';
import { forwardFlopsPerImage } from './flops.js';
import { createWorkload } from './train_step.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
const WIDTHS = [32, 64, 128, 256];

/** ms/step goals from the issue: the best of Keras and PyTorch for tfjs-node, fixed budgets for wasm. */
const GOALS: Record<string, Record<number, number>> = {
  tensorflow: { 64: 213, 112: 650 },
  wasm: { 64: 800, 112: 2400 },
};
const REFERENCES = { keras: { 64: 225, 112: 650 }, pytorch: { 64: 213, 112: 850 } };

const USAGE = `usage: pnpm bench core [options]

Benchmarks ResNet-18 (widths 32-64-128-256) training and inference on each tfjs backend.

options:
  --backends <list>    comma-separated: tensorflow (tfjs-node), wasm, cpu   (default: tensorflow,wasm;
                       backends that cannot start are reported as skipped)
  --sizes <list>       input sizes in px                                      (default: 64,112)
  --steps <n>          measured training steps, the median is reported        (default: 10)
  --warmup <n>         warm-up training steps before measuring                (default: 3)
  --infer-runs <n>     measured inference batches                             (default: 10)
  --batch <n>          batch size                                             (default: 32)
  --classes <n>        classes of the softmax head                            (default: 100)
  --cpu-steps <n>      measured steps on the pure-JS cpu backend (very slow)  (default: 1, no warm-up)
  --out <file>         JSON output                                            (default: bench-results/core.json)
  -h, --help           this text

Timings are wall-clock on whatever else the machine is doing: run it on a quiet machine for real numbers.`;

interface SizeResult {
  inputSize: number;
  trainMsPerStep: number;
  trainMsAll: number[];
  /** Process CPU time per step (all threads; for single-threaded wasm about the wall time of a quiet machine). */
  trainCpuMsPerStep: number;
  trainGflops: number;
  inferImagesPerSec: number;
  inferMsPerBatch: number;
  inferGflops: number;
  forwardGflopPerImage: number;
  goalMsPerStep: number | null;
  meetsGoal: boolean | null;
  tensorsLeakedPerStep: number;
  finalLoss: number;
}

interface BackendResult {
  backend: string;
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  threads?: string;
  params?: { backbone: number; withHead: number };
  results?: SizeResult[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      backends: { type: 'string', default: 'tensorflow,wasm' },
      sizes: { type: 'string', default: '64,112' },
      steps: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      'infer-runs': { type: 'string', default: '10' },
      batch: { type: 'string', default: '32' },
      classes: { type: 'string', default: '100' },
      'cpu-steps': { type: 'string', default: '1' },
      out: { type: 'string', default: join(ROOT, 'bench-results', 'core.json') },
      worker: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
  return {
    help: values.help as boolean,
    worker: values.worker as string | undefined,
    backends: (values.backends as string).split(',').map((b) => normalizeBackendName(b)),
    sizes: (values.sizes as string).split(',').map((s) => int('sizes', s, 32)),
    steps: int('steps', values.steps as string, 1),
    warmup: int('warmup', values.warmup as string, 0),
    inferRuns: int('infer-runs', values['infer-runs'] as string, 1),
    batch: int('batch', values.batch as string, 1),
    classes: int('classes', values.classes as string, 2),
    cpuSteps: int('cpu-steps', values['cpu-steps'] as string, 1),
    out: values.out as string,
    raw: argv,
  };
}
type Options = ReturnType<typeof parse>;

async function threadInfo(backend: string): Promise<string> {
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    return `${wasm.getThreadsCount()} thread(s), SIMD`;
  }
  if (backend === 'tensorflow')
    return `TensorFlow C library, default thread pools (${os.cpus().length} logical cores)`;
  return '1 thread (pure JavaScript)';
}

// Runs inside the child process for one backend.
async function worker(name: BackendName, opts: Options): Promise<BackendResult> {
  const backend = await initBackend({ backend: name });
  // the faster batch-norm and ReLU gradients, on every backend (createBackbone installs them too)
  registerTrainingGradients();
  const isCpu = backend === 'cpu';
  const steps = isCpu ? opts.cpuSteps : opts.steps;
  const warmup = isCpu ? 0 : opts.warmup;
  const inferRuns = isCpu ? 1 : opts.inferRuns;
  const rng = createRng('bench-core');
  const results: SizeResult[] = [];
  let params = { backbone: 0, withHead: 0 };
  for (const size of opts.sizes) {
    const work = createWorkload(
      { arch: 'resnet18', inputSize: size, widths: WIDTHS, seed: 0 },
      opts.classes,
      0.01,
    );
    const count = (m: typeof work.backbone) => m.countParams();
    params = { backbone: count(work.backbone), withHead: count(work.backbone) + count(work.classifier) };
    const pixels = new Float32Array(opts.batch * size * size * 3).map(() => rng.next());
    const images = tf.tensor4d(pixels, [opts.batch, size, size, 3]);
    const labels = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: opts.batch }, () => rng.int(opts.classes)),
        'int32',
      ),
      opts.classes,
    ) as tf.Tensor2D;
    const log = (msg: string) => process.stderr.write(`[${backend} ${size}px] ${msg}\n`);
    for (let i = 0; i < warmup; i++) {
      const t = performance.now();
      work.trainStep(images, labels);
      log(`warm-up step ${i + 1}/${warmup}: ${(performance.now() - t).toFixed(0)} ms`);
    }
    const before = tf.memory().numTensors;
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let loss = Number.NaN;
    for (let i = 0; i < steps; i++) {
      const cpu = process.cpuUsage();
      const t = performance.now();
      loss = work.trainStep(images, labels);
      times.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
    }
    const leaked = (tf.memory().numTensors - before) / steps;
    log(`train: ${times.map((t) => t.toFixed(0)).join(' ')} ms (loss ${loss.toFixed(3)})`);
    const inferTimes: number[] = [];
    for (let i = 0; i < inferRuns + 1; i++) {
      const t = performance.now();
      const emb = work.embed(images);
      await emb.data();
      emb.dispose();
      if (i > 0 || inferRuns === 1) inferTimes.push(performance.now() - t);
    }
    const backboneFlops = forwardFlopsPerImage(work.backbone);
    const fwd = backboneFlops + forwardFlopsPerImage(work.classifier);
    const trainMs = median(times);
    const inferMs = median(inferTimes);
    const goal = GOALS[backend]?.[size] ?? null;
    results.push({
      inputSize: size,
      trainMsPerStep: trainMs,
      trainMsAll: times,
      trainCpuMsPerStep: median(cpuTimes),
      trainGflops: (3 * fwd * opts.batch) / (trainMs / 1000) / 1e9,
      inferImagesPerSec: opts.batch / (inferMs / 1000),
      inferMsPerBatch: inferMs,
      inferGflops: (backboneFlops * opts.batch) / (inferMs / 1000) / 1e9,
      forwardGflopPerImage: fwd / 1e9,
      goalMsPerStep: goal,
      meetsGoal: goal == null ? null : trainMs <= goal,
      tensorsLeakedPerStep: leaked,
      finalLoss: loss,
    });
    tf.dispose([images, labels]);
    work.dispose();
  }
  return { backend, status: 'ok', threads: await threadInfo(backend), params, results };
}

function runChild(name: BackendName, opts: Options): BackendResult {
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      ...opts.raw.filter((a) => a !== '--worker'),
      '--worker',
      name,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const lastLine = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(lastLine) as BackendResult;
  } catch {
    return {
      backend: name,
      status: 'failed',
      reason: `child exited with ${child.status}: ${lastLine.slice(0, 300)}`,
    };
  }
}

function printTable(results: BackendResult[], opts: Options): void {
  const lines = [
    '',
    `ResNet-18 (widths ${WIDTHS.join('-')}), batch ${opts.batch}, ${opts.classes}-class softmax head, plain SGD`,
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (others' work skews timings)`,
    '',
    'backend     size  train ms/step  goal   ok  (cpu ms)  train GFLOP/s  infer img/s  infer GFLOP/s  threads',
  ];
  for (const r of results) {
    if (r.status !== 'ok') {
      lines.push(`${r.backend.padEnd(11)} ${r.status}: ${r.reason}`);
      continue;
    }
    for (const s of r.results ?? []) {
      lines.push(
        [
          r.backend.padEnd(11),
          `${s.inputSize}px`.padStart(5),
          s.trainMsPerStep.toFixed(0).padStart(14),
          (s.goalMsPerStep == null ? '-' : String(s.goalMsPerStep)).padStart(6),
          (s.meetsGoal == null ? '-' : s.meetsGoal ? 'yes' : 'NO').padStart(4),
          `(${s.trainCpuMsPerStep.toFixed(0)})`.padStart(9),
          s.trainGflops.toFixed(1).padStart(15),
          s.inferImagesPerSec.toFixed(0).padStart(12),
          s.inferGflops.toFixed(1).padStart(14),
          `  ${r.threads}`,
        ].join(' '),
      );
    }
  }
  const ref = Object.entries(REFERENCES)
    .map(
      ([k, v]) =>
        `${k} ${Object.entries(v)
          .map(([s, ms]) => `${ms} ms @${s}px`)
          .join(', ')}`,
    )
    .join('; ');
  lines.push(
    '',
    `references (ms/step): ${ref}`,
    'train ms/step is the median wall-clock time; (cpu ms) is the process CPU time per step over all threads.',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  let opts: Options;
  try {
    opts = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (opts.worker) {
    let result: BackendResult;
    try {
      result = await worker(normalizeBackendName(opts.worker), opts);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0];
      result = {
        backend: opts.worker,
        status: /could not start/.test(message) ? 'skipped' : 'failed',
        reason: message,
      };
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const results = opts.backends.map((name) => {
    process.stderr.write(`== ${name} ==\n`);
    return runChild(name, opts);
  });
  printTable(results, opts);
  const report = {
    benchmark: 'core',
    model: { arch: 'resnet18', widths: WIDTHS, head: `${opts.classes}-class dense softmax` },
    conditions: {
      batch: opts.batch,
      steps: opts.steps,
      warmup: opts.warmup,
      inferRuns: opts.inferRuns,
      optimizer: 'sgd lr 0.01',
      flopsNote: 'conv + dense FLOPs counted analytically (2 per multiply-add); training step = 3x forward',
      inferenceNote:
        'backbone embeddings only (predict, inference mode), median of inferRuns after one warm-up',
      timingNote: 'wall-clock medians; trainCpuMsPerStep is process CPU time over all threads',
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverage: os.loadavg(),
      node: process.version,
      date: new Date().toISOString(),
    },
    goals: GOALS,
    references: REFERENCES,
    results,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`wrote ${opts.out}\n`);
}

await main();
