/** Messages between `maskDataset` and its worker threads. */
import type { LandmarkerOptions } from '../landmarks/create-landmarker.js';
import type { MaskSpec } from '../spec.js';
import type { VerifierOptions } from '../verify/verifier.js';
import type { ManifestEntry } from './manifest-format.js';
import type { StageTimings } from './process-image.js';

/** workerData of a batch worker: everything but the loaded models, which each worker loads itself. */
export interface WorkerInit {
  inputDir: string;
  outputDir: string;
  spec: MaskSpec;
  landmarker: LandmarkerOptions;
  /** null: no verification. */
  verifier: VerifierOptions | null;
  faces: 'largest' | 'all';
  seed: number | string;
  saveMasks: boolean;
  quality: number;
  /** Backend name to force in the worker (the parent's), or undefined for `initBackend()`'s choice. */
  backend?: string;
}

export type ToWorker = { type: 'image'; id: number; path: string } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'done'; id: number; entry: ManifestEntry; timings: StageTimings }
  | { type: 'failed'; error: string };
