/**
 * `pnpm bench core`: training and inference speed of IResNet-18 (ArcFace layout, widths 32-64-128-256, Dense 128:
 * 2,833,888 parameters) on each tfjs backend available here, and with `--anchors` the identical network in Keras
 * and PyTorch (bench/anchors/*.py), runs interleaved so that ratios compare like with like.
 *
 * Workload (all runtimes): batch 32, a 100-class dense softmax head, softmax cross-entropy on fixed random labels,
 * SGD lr 0.01 momentum 0.9; warm-up steps, then the median of --steps (ms/step); inference: the backbone alone in
 * inference mode, one warm-up batch then the median of --infer-runs (images/s). FLOPs are counted analytically on
 * our model (conv + dense, 2 per multiply-add; a training step counted as 3x forward).
 *
 * Each (runtime, size) runs in its own process, in the order: for each round, for each size: tfjs-node, Keras,
 * PyTorch, wasm (cpu last). Prints a table with ratios and writes bench-results/core.json.
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
const EMBEDDING = 128;
const BACKBONE_PARAMS = 2_833_888;

/** Goals from issue 13: tfjs-node's training step <= 1.0x Keras's; wasm's <= 3.5x tfjs-node's. */
const GOALS = { tensorflowOverKeras: 1.0, wasmOverTensorflow: 3.5 };

const USAGE = `usage: pnpm bench core [options]

Benchmarks IResNet-18 (widths 32-64-128-256, Dense 128; 2,833,888 parameters) training and inference on each
tfjs backend, and with --anchors the same network in Keras and PyTorch, interleaved, with ratios.

options:
  --backends <list>    comma-separated: tensorflow (tfjs-node), wasm, cpu   (default: tensorflow,wasm;
                       backends that cannot start are reported as skipped)
  --anchors            also run bench/anchors/keras_iresnet.py and torch_iresnet.py (skipped, saying how to
                       install, when python3 lacks tensorflow / torch; interpreters: MFR_KERAS_PYTHON,
                       MFR_TORCH_PYTHON, else python3 or /usr/bin/python3, whichever imports the package)
  --sizes <list>       input sizes in px                                      (default: 64,112)
  --rounds <n>         repeat the interleaved sequence, report medians        (default: 1)
  --steps <n>          measured training steps, the median is reported        (default: 10)
  --warmup <n>         warm-up training steps before measuring                (default: 3)
  --infer-runs <n>     measured inference batches                             (default: 10)
  --batch <n>          batch size                                             (default: 32)
  --classes <n>        classes of the softmax head                            (default: 100)
  --batch-norm <form>  fused (BatchNormAct: TensorFlow's fused kernels on tfjs-node) or layers (tfjs-layers'
                       BatchNormalization + Add + ReLU layers): the same network  (default: fused)
  --cpu-steps <n>      measured steps on the pure-JS cpu backend (very slow)  (default: 1, no warm-up)
  --out <file>         JSON output                                            (default: bench-results/core.json)
  -h, --help           this text

Timings are wall-clock on whatever else the machine is doing: on a shared machine compare the ratios of one run.`;

interface SizeResult {
  inputSize: number;
  trainMsPerStep: number;
  trainMsAll: number[];
  /** Process CPU time per step (all threads). */
  trainCpuMsPerStep: number;
  trainGflops?: number;
  inferImagesPerSec: number;
  inferMsPerBatch: number;
  inferGflops?: number;
  forwardGflopPerImage?: number;
  tensorsLeakedPerStep?: number;
  finalLoss: number;
  /** PyTorch: the result per memory format (the reported one is the faster training step). */
  memoryFormat?: string;
  formats?: Record<string, SizeResult>;
}

interface RunnerResult {
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
      anchors: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '64,112' },
      rounds: { type: 'string', default: '1' },
      steps: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      'infer-runs': { type: 'string', default: '10' },
      batch: { type: 'string', default: '32' },
      classes: { type: 'string', default: '100' },
      'batch-norm': { type: 'string', default: 'fused' },
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
  const batchNorm = values['batch-norm'] as string;
  if (batchNorm !== 'fused' && batchNorm !== 'layers') {
    throw new Error(`--batch-norm must be 'fused' or 'layers', got "${batchNorm}"`);
  }
  return {
    help: values.help as boolean,
    worker: values.worker as string | undefined,
    backends: (values.backends as string).split(',').map((b) => normalizeBackendName(b)),
    anchors: values.anchors as boolean,
    sizes: (values.sizes as string).split(',').map((s) => int('sizes', s, 32)),
    rounds: int('rounds', values.rounds as string, 1),
    steps: int('steps', values.steps as string, 1),
    warmup: int('warmup', values.warmup as string, 0),
    inferRuns: int('infer-runs', values['infer-runs'] as string, 1),
    batch: int('batch', values.batch as string, 1),
    classes: int('classes', values.classes as string, 2),
    batchNorm: batchNorm as 'fused' | 'layers',
    cpuSteps: int('cpu-steps', values['cpu-steps'] as string, 1),
    out: values.out as string,
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

// Runs inside the child process for one backend (and, from the parent, one size).
async function worker(name: BackendName, opts: Options): Promise<RunnerResult> {
  const backend = await initBackend({ backend: name });
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
      {
        arch: 'iresnet18',
        inputSize: size,
        widths: WIDTHS,
        embeddingDim: EMBEDDING,
        seed: 0,
        fusedBatchNorm: opts.batchNorm === 'fused',
      },
      opts.classes,
      0.01,
      0.9,
    );
    const count = (m: typeof work.backbone) => m.countParams();
    params = { backbone: count(work.backbone), withHead: count(work.backbone) + count(work.classifier) };
    const pixels = new Float32Array(opts.batch * size * size * 3).map(() => rng.next());
    const images = tf.tensor4d(pixels, [opts.batch, size, size, 3]);
    const labels = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          Array.from({ length: opts.batch }, () => rng.int(opts.classes)),
          'int32',
        ),
        opts.classes,
      ),
    ) as tf.Tensor2D;
    const log = (msg: string) => process.stderr.write(`[${backend} ${size}px] ${msg}\n`);
    for (let i = 0; i < warmup; i++) {
      const t = performance.now();
      work.trainStep(images, labels);
      log(`warm-up step ${i + 1}/${warmup}: ${(performance.now() - t).toFixed(0)} ms`);
    }
    // a first step creates the optimizer's momentum accumulators: count leaks after it
    if (warmup === 0) work.trainStep(images, labels);
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
      tensorsLeakedPerStep: leaked,
      finalLoss: loss,
    });
    tf.dispose([images, labels]);
    work.dispose();
  }
  return { backend, status: 'ok', threads: await threadInfo(backend), params, results };
}

function lastJsonLine(stdout: string): RunnerResult | null {
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(lastLine) as RunnerResult;
  } catch {
    return null;
  }
}

function commonArgs(opts: Options, size: number): string[] {
  return [
    '--sizes',
    String(size),
    '--steps',
    String(opts.steps),
    '--warmup',
    String(opts.warmup),
    '--infer-runs',
    String(opts.inferRuns),
    '--batch',
    String(opts.batch),
    '--classes',
    String(opts.classes),
  ];
}

function runOurs(name: BackendName, opts: Options, size: number): RunnerResult {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    ...commonArgs(opts, size),
    '--batch-norm',
    opts.batchNorm,
    '--cpu-steps',
    String(opts.cpuSteps),
    '--worker',
    name,
  ];
  return runJsonChild(process.execPath, args, name, 'child');
}

/** Runs one measurement process and takes its last JSON line, or says how it failed. */
function runJsonChild(command: string, args: string[], backend: string, who: string): RunnerResult {
  const child = spawnSync(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (
    lastJsonLine(child.stdout) ?? {
      backend,
      status: 'failed',
      reason: `${who} exited with ${child.status}: ${child.stdout.trim().split('\n').pop()?.slice(0, 300)}`,
    }
  );
}

type Anchor = 'keras' | 'pytorch';
const ANCHORS: Record<Anchor, { script: string; module: string; env: string; install: string }> = {
  keras: {
    script: join(HERE, 'anchors', 'keras_iresnet.py'),
    module: 'tensorflow',
    env: 'MFR_KERAS_PYTHON',
    install: "python3 -m pip install 'tensorflow-cpu==2.21.*'",
  },
  pytorch: {
    script: join(HERE, 'anchors', 'torch_iresnet.py'),
    module: 'torch',
    env: 'MFR_TORCH_PYTHON',
    install: 'apt-get install -y python3-torch (Debian; for /usr/bin/python3)',
  },
};

/** The first interpreter that imports the anchor's package, or why none does. */
function findPython(anchor: Anchor): { python: string } | { reason: string } {
  const spec = ANCHORS[anchor];
  const fromEnv = process.env[spec.env];
  const candidates = fromEnv ? [fromEnv] : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', `import ${spec.module}`], {
      stdio: 'ignore',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    if (probe.status === 0) return { python };
  }
  return {
    reason: `no python (${candidates.join(', ')}) imports ${spec.module}: install with ${spec.install}, or set ${spec.env}`,
  };
}

function runAnchor(anchor: Anchor, python: string, opts: Options, size: number): RunnerResult {
  return runJsonChild(python, [ANCHORS[anchor].script, ...commonArgs(opts, size)], anchor, python);
}

/**
 * Merges per-(round, size) runs of one runtime: per size, the run with the median training time (the lower
 * median: with 2 rounds, the faster one). All rounds stay in `rounds`; ratios per round are in the goal checks.
 */
function merge(runs: RunnerResult[]): RunnerResult {
  const ok = runs.filter((r) => r.status === 'ok');
  if (ok.length === 0) return runs[0];
  const bySize = new Map<number, SizeResult[]>();
  for (const r of ok)
    for (const s of r.results ?? []) bySize.set(s.inputSize, [...(bySize.get(s.inputSize) ?? []), s]);
  const results = [...bySize.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, list]) => {
      const sorted = [...list].sort((a, b) => a.trainMsPerStep - b.trainMsPerStep);
      const mid = sorted[Math.floor((sorted.length - 1) / 2)];
      return {
        ...mid,
        rounds: list.map((s) => ({
          trainMsPerStep: s.trainMsPerStep,
          inferImagesPerSec: s.inferImagesPerSec,
        })),
      };
    });
  return { ...ok[0], results };
}

function sizeOf(r: RunnerResult | undefined, size: number): SizeResult | undefined {
  return r?.status === 'ok' ? r.results?.find((s) => s.inputSize === size) : undefined;
}

function printTable(results: RunnerResult[], opts: Options, flops: Record<number, number>): void {
  const names: Record<string, string> = {
    tensorflow: 'tfjs-node',
    wasm: 'tfjs wasm',
    cpu: 'tfjs cpu',
    keras: 'Keras',
    pytorch: 'PyTorch',
  };
  const keras = results.find((r) => r.backend === 'keras');
  const node = results.find((r) => r.backend === 'tensorflow');
  const lines = [
    '',
    `IResNet-18 (widths ${WIDTHS.join('-')}, Dense ${EMBEDDING}; ${BACKBONE_PARAMS.toLocaleString('en')} parameters), ` +
      `batch ${opts.batch}, ${opts.classes}-class softmax head, SGD momentum 0.9; ours with batch norm "${opts.batchNorm}"`,
    `forward FLOPs per image (conv + dense): ${opts.sizes.map((s) => `${(flops[s] / 1e9).toFixed(3)} GFLOP at ${s} px`).join(', ')}; training step = 3x forward`,
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (others' work skews timings; runs were interleaved, compare ratios)`,
    '',
    'runtime     size  train ms/step  x Keras  x tfjs-node  (cpu ms)  train GFLOP/s  infer img/s  x Keras  notes',
  ];
  for (const r of results) {
    if (r.status !== 'ok') {
      lines.push(`${(names[r.backend] ?? r.backend).padEnd(11)} ${r.status}: ${r.reason}`);
      continue;
    }
    for (const s of r.results ?? []) {
      const k = sizeOf(keras, s.inputSize);
      const n = sizeOf(node, s.inputSize);
      const gflops = (3 * flops[s.inputSize] * opts.batch) / (s.trainMsPerStep / 1000) / 1e9;
      const notes = [
        s.memoryFormat ? `best: ${s.memoryFormat}` : '',
        s.formats
          ? Object.entries(s.formats)
              .map(
                ([f, v]) => `${f} ${v.trainMsPerStep.toFixed(0)} ms, ${v.inferImagesPerSec.toFixed(0)} img/s`,
              )
              .join('; ')
          : '',
        s.tensorsLeakedPerStep ? `LEAK ${s.tensorsLeakedPerStep} tensors/step` : '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(
        [
          (names[r.backend] ?? r.backend).padEnd(11),
          `${s.inputSize}px`.padStart(5),
          s.trainMsPerStep.toFixed(0).padStart(14),
          (k ? (s.trainMsPerStep / k.trainMsPerStep).toFixed(2) : '-').padStart(8),
          (n ? (s.trainMsPerStep / n.trainMsPerStep).toFixed(2) : '-').padStart(12),
          `(${s.trainCpuMsPerStep.toFixed(0)})`.padStart(9),
          gflops.toFixed(1).padStart(14),
          s.inferImagesPerSec.toFixed(0).padStart(12),
          (k ? (s.inferImagesPerSec / k.inferImagesPerSec).toFixed(2) : '-').padStart(8),
          ` ${notes}`,
        ].join(' '),
      );
    }
  }
  lines.push(
    '',
    `goals: tfjs-node training <= ${GOALS.tensorflowOverKeras.toFixed(1)}x Keras; wasm training <= ${GOALS.wasmOverTensorflow}x tfjs-node.`,
    'train ms/step: median wall-clock; x Keras: our time / Keras time (< 1 is faster); infer x Keras: our img/s / Keras img/s (> 1 is faster).',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function goalChecks(results: RunnerResult[], sizes: number[]) {
  const get = (name: string, size: number) =>
    sizeOf(
      results.find((r) => r.backend === name),
      size,
    );
  return sizes.map((size) => {
    const node = get('tensorflow', size);
    const wasm = get('wasm', size);
    const keras = get('keras', size);
    const torch = get('pytorch', size);
    const ratio = (a?: SizeResult, b?: SizeResult) => (a && b ? a.trainMsPerStep / b.trainMsPerStep : null);
    const nodeOverKeras = ratio(node, keras);
    const wasmOverNode = ratio(wasm, node);
    return {
      inputSize: size,
      tensorflowOverKeras: nodeOverKeras,
      tensorflowOverPytorch: ratio(node, torch),
      wasmOverTensorflow: wasmOverNode,
      wasmOverKeras: ratio(wasm, keras),
      meetsKerasGoal: nodeOverKeras == null ? null : nodeOverKeras <= GOALS.tensorflowOverKeras,
      meetsWasmGoal: wasmOverNode == null ? null : wasmOverNode <= GOALS.wasmOverTensorflow,
    };
  });
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
    let result: RunnerResult;
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
  const pythons: Partial<Record<Anchor, { python: string } | { reason: string }>> = {};
  if (opts.anchors) for (const a of ['keras', 'pytorch'] as const) pythons[a] = findPython(a);
  // the interleaved sequence: for each round and size, tfjs-node, Keras, PyTorch, wasm, cpu
  const order: string[] = [
    ...opts.backends.filter((b) => b === 'tensorflow' || b === 'tensorflow-gpu'),
    ...(opts.anchors ? ['keras', 'pytorch'] : []),
    ...opts.backends.filter((b) => b !== 'tensorflow' && b !== 'tensorflow-gpu'),
  ];
  const runs = new Map<string, RunnerResult[]>();
  for (let round = 0; round < opts.rounds; round++) {
    for (const size of opts.sizes) {
      for (const name of order) {
        process.stderr.write(`== ${name} ${size}px (round ${round + 1}/${opts.rounds}) ==\n`);
        let result: RunnerResult;
        if (name === 'keras' || name === 'pytorch') {
          const found = pythons[name] as { python: string } | { reason: string };
          result =
            'python' in found
              ? runAnchor(name, found.python, opts, size)
              : { backend: name, status: 'skipped', reason: found.reason };
        } else {
          result = runOurs(name as BackendName, opts, size);
        }
        runs.set(name, [...(runs.get(name) ?? []), result]);
      }
    }
  }
  const results = order.map((name) => merge(runs.get(name) ?? []));
  // FLOPs from our model (the anchors build the same network; their parameter counts are checked below)
  const flops: Record<number, number> = {};
  for (const s of opts.sizes) {
    const ours = results.find((r) => r.status === 'ok' && r.backend !== 'keras' && r.backend !== 'pytorch');
    const fwd = sizeOf(ours, s)?.forwardGflopPerImage;
    flops[s] = fwd != null ? fwd * 1e9 : Number.NaN;
  }
  for (const r of results) {
    if (r.status === 'ok' && r.params && r.params.backbone !== BACKBONE_PARAMS) {
      process.stderr.write(
        `WARNING: ${r.backend} built ${r.params.backbone} backbone parameters, not ${BACKBONE_PARAMS}: not the same network\n`,
      );
    }
  }
  printTable(results, opts, flops);
  const goals = goalChecks(results, opts.sizes);
  // ratios within each round (the runs of one round saw the same machine load)
  const perRound = opts.sizes.map((size, si) => {
    const at = (name: string, round: number) =>
      sizeOf(runs.get(name)?.[round * opts.sizes.length + si], size);
    const ratios = (a: string, b: string) =>
      Array.from({ length: opts.rounds }, (_, round) => {
        const x = at(a, round);
        const y = at(b, round);
        return x && y ? x.trainMsPerStep / y.trainMsPerStep : null;
      });
    return {
      inputSize: size,
      tensorflowOverKeras: ratios('tensorflow', 'keras'),
      tensorflowOverPytorch: ratios('tensorflow', 'pytorch'),
      wasmOverTensorflow: ratios('wasm', 'tensorflow'),
    };
  });
  const fmt = (xs: (number | null)[]) => xs.map((x) => (x == null ? '-' : x.toFixed(2))).join(', ');
  process.stdout.write(
    `${perRound
      .map(
        (p) =>
          `per round, ${p.inputSize}px: tfjs-node/Keras ${fmt(p.tensorflowOverKeras)}; tfjs-node/PyTorch ` +
          `${fmt(p.tensorflowOverPytorch)}; wasm/tfjs-node ${fmt(p.wasmOverTensorflow)}`,
      )
      .join('\n')}\n`,
  );
  const report = {
    benchmark: 'core',
    model: {
      arch: 'iresnet18',
      widths: WIDTHS,
      embeddingDim: EMBEDDING,
      backboneParams: BACKBONE_PARAMS,
      head: `${opts.classes}-class dense softmax`,
      batchNorm: opts.batchNorm,
      forwardGflopPerImage: Object.fromEntries(opts.sizes.map((s) => [s, flops[s] / 1e9])),
    },
    conditions: {
      batch: opts.batch,
      steps: opts.steps,
      warmup: opts.warmup,
      inferRuns: opts.inferRuns,
      rounds: opts.rounds,
      order: order.join(' > '),
      optimizer: 'sgd lr 0.01 momentum 0.9',
      flopsNote: 'conv + dense FLOPs counted analytically (2 per multiply-add); training step = 3x forward',
      inferenceNote: 'backbone embeddings only (inference mode), median of inferRuns after one warm-up',
      timingNote: 'wall-clock medians; trainCpuMsPerStep is process CPU time over all threads',
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverage: os.loadavg(),
      node: process.version,
      date: new Date().toISOString(),
    },
    goals: { ...GOALS, checks: goals, perRound },
    results,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`wrote ${opts.out}\n`);
}

await main();
