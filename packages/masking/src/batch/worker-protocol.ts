/** Messages between `maskDataset` and its worker processes. */
import type { LandmarkerOptions } from '../landmarks/create-landmarker.js';
import type { MaskSpec } from '../spec.js';
import type { VerifierOptions } from '../verify/verifier.js';
import type { ProcessedImage } from './process-images.js';

/** What a batch worker is started with: everything but the loaded models, which each worker loads itself. */
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

export type ToWorker =
  | { type: 'init'; init: WorkerInit }
  | { type: 'batch'; id: number; paths: string[] }
  | { type: 'stop' };
export type FromWorker =
  // cpuMs: the worker process's CPU so far (all threads), for the pool's CPU accounting
  | { type: 'ready'; backend: string; cpuMs: number }
  | { type: 'done'; id: number; results: ProcessedImage[]; cpuMs: number }
  | { type: 'failed'; error: string };
