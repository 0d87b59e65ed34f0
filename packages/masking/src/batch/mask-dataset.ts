/**
 * Masks every image of a folder tree into a mirrored output tree, with a resumable `manifest.jsonl`.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentBackend, inShard, type Shard } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';
import { createLandmarker, type LandmarkerOptions } from '../landmarks/create-landmarker.js';
import type { Landmarker } from '../landmarks/types.js';
import type { MaskStatus } from '../mask-image.js';
import { type MaskSpec, parseMaskSpec } from '../spec.js';
import { createVerifier, type VerifierOptions } from '../verify/verifier.js';
import { createFailureTally, type FailureSummary } from './failures.js';
import { appendManifest, dropTornTail, readMaskManifest } from './manifest.js';
import { MANIFEST_NAME, type ManifestEntry, type ManifestRecord } from './manifest-format.js';
import {
  type ProcessContext,
  type ProcessedImage,
  processImages,
  type StageTimings,
} from './process-images.js';
import {
  attemptManifestPath,
  countShardImages,
  listShardFolders,
  mergeMaskShards,
  readShardStart,
  writeShardDone,
} from './shards.js';
import { removeStaleTempFiles } from './stale-temps.js';
import { countImages, walkImages } from './walk.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

/** Counts of the statuses, plus images skipped because a previous run finished them. */
export interface MaskCounts {
  masked: number;
  noFace: number;
  notVerified: number;
  errors: number;
  /** Finished in an earlier run (listed in the manifest), not redone. */
  skipped: number;
}

/** What `onProgress` receives after every image. */
export interface MaskProgress {
  /** Images handled so far (including skipped ones). */
  readonly done: number;
  readonly total: number;
  readonly counts: Readonly<MaskCounts>;
  /** Seconds left at the current rate (null until one image was processed). */
  readonly eta: number | null;
  /** Processed (not skipped) images per second so far. */
  readonly imagesPerSecond: number;
  /** The entry just written (absent for skipped images). */
  readonly entry?: ManifestEntry;
}

export interface MaskDatasetOptions {
  /** Landmarker to use, or options to create one (in each worker). Default `{ kind: 'face68' }`. */
  readonly landmarker?: Landmarker | LandmarkerOptions;
  /** Re-detector options (see `createVerifier`), or `false` to skip verification. Default: its defaults. */
  readonly verifier?: VerifierOptions | false;
  /** Base seed; each image's seed is `imageSeed(seed, relativePath)`. Default 0. */
  readonly seed?: number | string;
  /** Mask the largest face or all faces. Default `'largest'`. */
  readonly faces?: 'largest' | 'all';
  /** Process at most this many images (the first in sorted order). Default: all. */
  readonly limit?: number;
  /** Also write each binary mask as `<output>/.masks/<path>.png`. Default false. */
  readonly saveMasks?: boolean;
  /** JPEG / WebP quality of masked images. Default 95. */
  readonly quality?: number;
  /** Redo images whose manifest status is `error` (e.g. after fixing a file). Default false. */
  readonly retryErrors?: boolean;
  /**
   * Worker processes, each with its own tfjs engine and models (and on tfjs-node one TensorFlow thread per op,
   * unless `TF_NUM_INTRAOP_THREADS` is set). Default 1 (in this process). Use one per core; the landmarker must
   * then be given as options, not an instance.
   */
  readonly workers?: number;
  /**
   * Images that go through the nets together (see `maskImages`). Default 16: on tfjs-node a batch of 16 costs
   * about half the CPU per image of one at a time (the 68-point net: 3.0 instead of 5.3 ms per face). Photos of
   * several megapixels go through a few at a time (`BATCH_PIXEL_BUDGET`), so memory does not grow with their size.
   */
  readonly batchSize?: number;
  /** Called after every image. */
  readonly onProgress?: (progress: MaskProgress) => void;
  /**
   * Mask only this shard of the images (by a stable hash of the relative path, see `shardOf` in @mfr/core) and
   * write its manifest lines to `<output>/.shards/<i>-of-<n>/`, never to shared files; join the shards with
   * `mergeMaskShards` (`mfr merge`). Default: all images (a run without a shard folds in what shards did).
   */
  readonly shard?: Shard | null;
}

/** What `maskDataset` returns. */
export interface MaskDatasetResult {
  readonly total: number;
  readonly counts: MaskCounts;
  /** Milliseconds for the whole run. */
  readonly ms: number;
  /** Processed (not skipped) images per second, end to end. */
  readonly imagesPerSecond: number;
  /**
   * CPU milliseconds spent on the processed images after the models loaded: every thread of this process and of
   * the worker processes (robust to other programs sharing the cores, unlike `imagesPerSecond`).
   */
  readonly cpuMs: number;
  /** Summed per-stage milliseconds over processed images. */
  readonly stageMs: StageTimings;
  readonly manifestPath: string;
  /** The tfjs backend the models ran on. */
  readonly backend: string;
  /** The images of this run that were not masked, grouped by reason (error category, no-face, not-verified). */
  readonly failures: FailureSummary;
  /** Images skipped because an earlier run recorded them as `error` (redo them with `retryErrors`). */
  readonly earlierErrors: number;
  /** Temp files of interrupted earlier runs that were deleted from the output tree (relative paths). */
  readonly staleTempFiles: string[];
}

const countKey: Record<MaskStatus, keyof MaskCounts> = {
  masked: 'masked',
  'no-face': 'noFace',
  'not-verified': 'notVerified',
  error: 'errors',
};

function workerUrl(): URL {
  // sources (tsx / vitest): ./worker.ts next to this file; the build: dist/batch/worker.js
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  for (const candidate of ['worker.ts', 'worker.js', 'batch/worker.js', 'batch/worker.cjs']) {
    const path = join(here, '..', candidate);
    if (existsSync(path)) return new URL(`file://${path}`);
  }
  throw new Error(`maskDataset: cannot find the batch worker script next to ${here}`);
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

interface Pool {
  run(paths: string[]): Promise<ProcessedImage[]>;
  /** CPU milliseconds of image work so far: this process since the pool opened, plus the workers since ready. */
  cpuMs(): number;
  /** How many batches may be in flight at once. */
  readonly capacity: number;
  close(): Promise<void>;
  readonly backend: string;
}

async function localPool(ctx: ProcessContext, ownsLandmarker: boolean): Promise<Pool> {
  const start = process.cpuUsage();
  return {
    cpuMs: () => cpuMsSince(start),
    // two batches in flight: one decodes or encodes (sharp, on libuv threads) while the other runs the models
    capacity: 2,
    backend: currentBackend(),
    run: (paths) => processImages(ctx, paths),
    async close() {
      if (ownsLandmarker) ctx.landmarker.dispose();
      // the verifier is always created here
      ctx.verifier?.dispose();
    },
  };
}

async function workerPool(init: WorkerInit, count: number): Promise<Pool> {
  const script = fileURLToPath(workerUrl());
  // a .ts worker (sources, under tsx or vitest) runs under tsx's loader
  const execArgv = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  // one TensorFlow thread per op in each worker (tfjs-node): n workers on n cores, none waiting on another's pool
  const env = { TF_NUM_INTRAOP_THREADS: '1', ...process.env };
  const pending = new Map<number, { resolve: (v: ProcessedImage[]) => void; reject: (e: Error) => void }>();
  const load = new Map<ChildProcess, number>();
  const owner = new Map<number, ChildProcess>();
  let nextId = 0;
  let backend = '';
  const started: ChildProcess[] = [];
  // each worker's CPU: when it was ready (model loading) and in its latest message
  const cpuAtReady = new Map<ChildProcess, number>();
  const cpuLatest = new Map<ChildProcess, number>();
  const stopAll = () => {
    for (const child of started) child.kill();
  };
  const workers = await Promise.all(
    Array.from({ length: count }, async () => {
      const child = fork(script, [], { execArgv, env, serialization: 'advanced' });
      started.push(child);
      await new Promise<void>((ready, fail) => {
        child.once('error', fail);
        child.once('exit', (code) =>
          fail(new Error(`maskDataset worker exited (code ${code}) while starting`)),
        );
        child.on('message', (m: FromWorker) => {
          if (m.type === 'ready') {
            backend = m.backend;
            cpuAtReady.set(child, m.cpuMs);
            cpuLatest.set(child, m.cpuMs);
            ready();
          } else if (m.type === 'failed') fail(new Error(`maskDataset worker could not start: ${m.error}`));
          else if (m.type === 'done') {
            load.set(child, (load.get(child) ?? 1) - 1);
            cpuLatest.set(child, m.cpuMs);
            pending.get(m.id)?.resolve(m.results);
            pending.delete(m.id);
          }
        });
        child.send({ type: 'init', init } satisfies ToWorker);
      }).catch((error) => {
        stopAll();
        throw error;
      });
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      // a worker that dies (or whose channel breaks) fails the batches it holds: the run stops, a rerun resumes
      const failInFlight = (error: Error) => {
        for (const [id, w] of owner) if (w === child) pending.get(id)?.reject(error);
      };
      child.on('exit', (code, signal) =>
        failInFlight(
          new Error(`maskDataset worker stopped (code ${code}, signal ${signal}) with images in flight`),
        ),
      );
      child.on('error', (error) => failInFlight(new Error(`maskDataset worker: ${error.message}`)));
      load.set(child, 0);
      return child;
    }),
  );
  const start = process.cpuUsage();
  return {
    cpuMs: () =>
      cpuMsSince(start) +
      workers.reduce((sum, w) => sum + (cpuLatest.get(w) ?? 0) - (cpuAtReady.get(w) ?? 0), 0),
    // two batches per worker: one decodes or encodes (libuv threads) while the other runs the models
    capacity: count * 2,
    backend,
    run(paths) {
      const worker = workers.reduce((a, b) => ((load.get(b) ?? 0) < (load.get(a) ?? 0) ? b : a));
      load.set(worker, (load.get(worker) ?? 0) + 1);
      const id = nextId++;
      owner.set(id, worker);
      return new Promise((resolveRun, rejectRun) => {
        pending.set(id, { resolve: resolveRun, reject: rejectRun });
        worker.send({ type: 'batch', id, paths } satisfies ToWorker);
      }).finally(() => owner.delete(id)) as Promise<ProcessedImage[]>;
    },
    async close() {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((done) => {
              if (w.exitCode !== null || w.signalCode !== null) return done();
              w.once('exit', () => done());
              w.send({ type: 'stop' } satisfies ToWorker);
              // a worker that does not stop within 10 s is killed
              setTimeout(() => w.kill(), 10_000).unref();
            }),
        ),
      );
    },
  };
}

/** Whether `path` lies strictly inside `folder` (both absolute). */
function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Throws a clear Error unless `inputDir` is an existing folder.
 *
 * @example
 * await checkInputFolder('photos/'); // fine
 * await checkInputFolder('photos/a.jpg'); // throws: "photos/a.jpg" is a file; pass a folder of images ...
 */
async function checkInputFolder(inputDir: string): Promise<void> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(inputDir)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new Error(`maskDataset: input folder "${inputDir}" does not exist; pass a folder of images`);
    throw new Error(
      `maskDataset: cannot read the input folder "${inputDir}": ${(error as Error).message}; check its permissions`,
    );
  }
  if (!isFolder)
    throw new Error(`maskDataset: "${inputDir}" is a file; pass a folder of images (searched recursively)`);
}

/** The manifest of earlier runs (empty on a first run), with a line cut short by a crash removed. */
async function readPreviousRun(manifestPath: string): Promise<ReadonlyMap<string, ManifestRecord>> {
  const previous = await readMaskManifest(manifestPath, { allowMissing: true });
  // the next appended line must not be glued onto the partial one
  if (previous.tornTail) await dropTornTail(manifestPath);
  return previous.entries;
}

const isLandmarker = (x: unknown): x is Landmarker => typeof (x as Landmarker)?.detect === 'function';

// when only the largest face is masked, face68 need not run its landmark net (the costliest) on the others
function largestOnly(
  landmarker: Landmarker | LandmarkerOptions,
  faces: 'largest' | 'all',
): Landmarker | LandmarkerOptions {
  if (isLandmarker(landmarker) || faces !== 'largest' || landmarker.kind === 'facemesh') return landmarker;
  return landmarker.maxFaces === undefined ? { ...landmarker, maxFaces: 1 } : landmarker;
}

/**
 * Masks a folder of face images into `outputDir`, mirroring its layout, and records every image in
 * `outputDir/manifest.jsonl` (source, output, status, face box, landmarks, spec, seed, ms). Outputs are
 * written atomically; a rerun skips images the manifest lists as finished (redoing `error`s with `retryErrors`)
 * and first deletes temp files that an interrupted run left in the output tree; a corrupt or empty file becomes
 * an `error` entry and the run goes on (`result.failures` groups what was not masked, and why). Files are
 * streamed (sorted order), never all listed in memory.
 * Only `masked` images are written: `not-verified` ones are discarded, as in the paper.
 *
 * @example
 * await initBackend();
 * const r = await maskDataset('../shared/datasets/att', 'out/att-masked', { shape: 'a' }, {
 *   seed: 1, onProgress: (p) => console.log(p.done, '/', p.total),
 * });
 * console.log(r.counts); // { masked: 392, noFace: 2, notVerified: 6, errors: 0, skipped: 0 }
 */
export async function maskDataset(
  inputDir: string,
  outputDir: string,
  spec: Partial<MaskSpec> = {},
  options: MaskDatasetOptions = {},
): Promise<MaskDatasetResult> {
  const start = performance.now();
  const input = resolve(inputDir);
  const output = resolve(outputDir);
  await checkInputFolder(inputDir);
  if (input === output) throw new Error('maskDataset: the output folder must differ from the input folder');
  if (existsSync(output) && !(await stat(output)).isDirectory())
    throw new Error(`maskDataset: the output "${outputDir}" is a file; pass a folder (created when missing)`);
  const full = parseMaskSpec(spec);
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1)
    throw new Error(`maskDataset: workers must be an integer >= 1, got ${workers}`);
  const batchSize = options.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`maskDataset: batchSize must be an integer >= 1, got ${batchSize}`);
  const quality = options.quality ?? 95;
  const faces = options.faces ?? 'largest';
  const seed = options.seed ?? 0;
  const exclude = isInside(output, input) ? [output] : [];
  const shard = options.shard ?? null;
  const manifestPath = shard ? attemptManifestPath(output, shard) : join(output, MANIFEST_NAME);
  // a plain run first folds in what shards did; a shard reads, and then writes, only its own files
  if (!shard && (await listShardFolders(output)).length > 0)
    await mergeMaskShards(output, { requireComplete: false });
  const previous = shard ? await readShardStart(output, shard) : await readPreviousRun(manifestPath);
  // other attempts of a shard may be writing into the tree: their temp files are removed by the merge
  const staleTempFiles =
    existsSync(output) && !shard
      ? await removeStaleTempFiles(output, { exclude: isInside(input, output) ? [input] : [] })
      : [];
  const total = shard
    ? await countShardImages(input, { exclude, limit: options.limit, shard })
    : await countImages(input, { exclude, limit: options.limit });

  const landmarkerOption = largestOnly(options.landmarker ?? { kind: 'face68' as const }, faces);
  const verifierOptions = options.verifier === false ? null : (options.verifier ?? {});
  if (workers > 1 && isLandmarker(landmarkerOption)) {
    throw new Error(
      'maskDataset: with workers > 1 pass landmarker options ({ kind }), not a loaded landmarker',
    );
  }
  // models load on the first image that needs work, so a finished rerun costs no model loading
  const openPool = async (): Promise<Pool> => {
    if (workers > 1 && !isLandmarker(landmarkerOption)) {
      return workerPool(
        {
          inputDir: input,
          outputDir: output,
          spec: full,
          landmarker: landmarkerOption,
          verifier: verifierOptions,
          faces,
          seed,
          saveMasks: options.saveMasks ?? false,
          quality,
          backend: tf.getBackend(),
        },
        workers,
      );
    }
    const owns = !isLandmarker(landmarkerOption);
    const landmarker = isLandmarker(landmarkerOption)
      ? landmarkerOption
      : await createLandmarker(landmarkerOption);
    const verifier = verifierOptions ? await createVerifier(verifierOptions) : null;
    return localPool(
      {
        inputDir: input,
        outputDir: output,
        spec: full,
        landmarker,
        verifier,
        faces,
        seed,
        saveMasks: options.saveMasks ?? false,
        quality,
      },
      owns,
    );
  };
  let pool = null as Pool | null;

  const counts: MaskCounts = { masked: 0, noFace: 0, notVerified: 0, errors: 0, skipped: 0 };
  const failures = createFailureTally();
  let earlierErrors = 0;
  const stageMs: StageTimings = { decode: 0, detect: 0, render: 0, verify: 0, encode: 0 };
  let done = 0;
  let processed = 0;
  // throughput is timed from when the models are loaded (loading takes seconds and is not per image)
  let workStart = performance.now();
  const report = (entry?: ManifestEntry) => {
    const seconds = (performance.now() - workStart) / 1000;
    const rate = processed > 0 && seconds > 0 ? processed / seconds : 0;
    options.onProgress?.({
      done,
      total,
      counts: { ...counts },
      eta: rate > 0 ? (total - done) / rate : null,
      imagesPerSecond: rate,
      entry,
    });
  };
  const finished = (entry: ManifestRecord | undefined): boolean => {
    if (!entry) return false;
    if (entry.status === 'error') return !options.retryErrors;
    // a masked image whose file went missing is redone
    return entry.status !== 'masked' || (!!entry.output && existsSync(join(output, entry.output)));
  };

  const inFlight = new Set<Promise<void>>();
  const dispatch = async (paths: string[]) => {
    if (!pool) {
      pool = await openPool();
      workStart = performance.now();
    }
    const task = (async () => {
      for (const { entry, timings } of await (pool as Pool).run(paths)) {
        await appendManifest(manifestPath, entry);
        counts[countKey[entry.status]]++;
        failures.add(entry);
        for (const k of Object.keys(stageMs) as (keyof StageTimings)[]) stageMs[k] += timings[k];
        processed++;
        done++;
        report(entry);
      }
    })();
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    if (inFlight.size >= (pool as Pool).capacity) await Promise.race(inFlight);
  };
  let batch: string[] = [];
  let poolCpuMs = 0;
  try {
    let seen = 0;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    for await (const path of walkImages(input, { exclude })) {
      if (seen++ >= limit) break;
      if (!inShard(path, shard)) continue;
      const old = previous.get(path);
      if (finished(old)) {
        counts.skipped++;
        if (old?.status === 'error') earlierErrors++;
        done++;
        report();
        continue;
      }
      batch.push(path);
      if (batch.length === batchSize) {
        await dispatch(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await dispatch(batch);
    await Promise.all(inFlight);
    poolCpuMs = pool?.cpuMs() ?? 0;
  } finally {
    await pool?.close();
  }
  if (shard) await writeShardDone(output, shard, total);
  const ms = performance.now() - start;
  const workSeconds = (performance.now() - workStart) / 1000;
  return {
    total,
    counts,
    ms,
    imagesPerSecond: processed > 0 ? processed / workSeconds : 0,
    cpuMs: poolCpuMs,
    stageMs,
    manifestPath,
    backend: pool?.backend ?? tf.getBackend(),
    failures: failures.summary(),
    earlierErrors,
    staleTempFiles,
  };
}
