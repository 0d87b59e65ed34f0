/** Optimizers for Siamese training and saving their state (moments, iteration) for resumable runs. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** Optimizer choice: Adam (default lr 1e-4) or SGD with momentum (default lr 1e-2, momentum 0.9). */
export interface OptimizerOptions {
  optimizer?: 'adam' | 'sgd';
  learningRate?: number;
  /** SGD momentum. Default 0.9. */
  momentum?: number;
}

/**
 * Creates the optimizer. The paper fine-tunes with Adam at a small learning rate.
 *
 * @example
 * const opt = createOptimizer({ optimizer: 'adam', learningRate: 1e-4 });
 */
export function createOptimizer(options: OptimizerOptions = {}): tf.Optimizer {
  const kind = options.optimizer ?? 'adam';
  if (kind === 'adam') return tf.train.adam(options.learningRate ?? 1e-4);
  if (kind === 'sgd') return tf.train.momentum(options.learningRate ?? 1e-2, options.momentum ?? 0.9);
  throw new Error(`createOptimizer: optimizer must be 'adam' or 'sgd', got "${kind as string}"`);
}

/**
 * Writes `optimizer.json` + `optimizer.bin` (float32 values of every slot) into `dir`.
 *
 * @example
 * await saveOptimizerState(opt, 'out/last');
 */
export async function saveOptimizerState(optimizer: tf.Optimizer, dir: string): Promise<void> {
  const weights = await optimizer.getWeights();
  const specs: { name: string; shape: number[]; size: number }[] = [];
  const chunks: Float32Array[] = [];
  for (const w of weights) {
    const data = (await w.tensor.data()) as Float32Array;
    specs.push({ name: w.name, shape: w.tensor.shape, size: data.length });
    chunks.push(Float32Array.from(data));
  }
  // getWeights returns fresh copies for some slots (e.g. the iteration scalar): free them
  for (const w of weights) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const c of chunks) {
    flat.set(c, offset);
    offset += c.length;
  }
  await writeFile(join(dir, 'optimizer.bin'), Buffer.from(flat.buffer));
  await writeFile(join(dir, 'optimizer.json'), JSON.stringify(specs));
}

/**
 * Restores what {@link saveOptimizerState} wrote. Returns false when `dir` has no optimizer state.
 *
 * @example
 * await loadOptimizerState(opt, 'out/last');
 */
export async function loadOptimizerState(optimizer: tf.Optimizer, dir: string): Promise<boolean> {
  let specs: { name: string; shape: number[]; size: number }[];
  let bytes: Buffer;
  try {
    specs = JSON.parse(await readFile(join(dir, 'optimizer.json'), 'utf8'));
    bytes = await readFile(join(dir, 'optimizer.bin'));
  } catch {
    return false;
  }
  const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const named = specs.map((s) => {
    const tensor = tf.tensor(flat.subarray(offset, offset + s.size), s.shape, 'float32');
    offset += s.size;
    return { name: s.name, tensor };
  });
  await optimizer.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
  return true;
}
