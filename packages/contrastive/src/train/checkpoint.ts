/**
 * MoCo checkpoints: everything a resumed run needs to continue exactly where it stopped. A folder with
 *
 * - `checkpoint.json`: step, queue pointer, RNG state, the run's options, and an index of the tensors;
 * - `tensors.bin`: query and key encoders (backbones + heads, including batch-norm statistics), the queue
 *   and the SGD momentum buffers, float32, concatenated in index order;
 * - `backbone/`: the query backbone as a standalone LayersModel (what {@link exportBackbone} hands on).
 *
 * Written into a temp folder next to the target, then swapped in by rename: a crash leaves the previous
 * checkpoint intact.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RngState } from '@mfr/core';
import { saveLayersModelToDisk, writeFolderAtomic } from '@mfr/core/node';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export const CHECKPOINT_FORMAT = 'mfr-moco-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** One tensor in `tensors.bin`. */
export interface TensorIndexEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements. */
  offset: number;
}

/** The JSON part of a checkpoint. */
export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** Steps completed. */
  step: number;
  queuePointer: number;
  /** State of the MoCo RNG (key shuffles). Data and augmentations are functions of (seed, step). */
  rngState: RngState;
  /** The options of the run (backbone spec, MoCo and trainer options), to rebuild and check on resume. */
  config: Record<string, unknown>;
  /** Monitoring history so far (loss / precision per logged step). */
  history: unknown[];
  tensors: TensorIndexEntry[];
  savedAt: string;
}

/**
 * Writes a checkpoint folder atomically (temp folder + rename).
 *
 * @example
 * await writeCheckpoint('out/moco', meta, named, moco.queryBackbone);
 */
export async function writeCheckpoint(
  dir: string,
  meta: Omit<CheckpointMeta, 'format' | 'version' | 'tensors' | 'savedAt'>,
  tensors: readonly [string, tf.Tensor][],
  backbone: tfl.LayersModel | null,
): Promise<void> {
  await writeFolderAtomic(resolve(dir), (temp) => fillCheckpoint(temp, meta, tensors, backbone), {
    marker: 'checkpoint.json',
  });
}

async function fillCheckpoint(
  temp: string,
  meta: Omit<CheckpointMeta, 'format' | 'version' | 'tensors' | 'savedAt'>,
  tensors: readonly [string, tf.Tensor][],
  backbone: tfl.LayersModel | null,
): Promise<void> {
  const index: TensorIndexEntry[] = [];
  let offset = 0;
  for (const [name, tensor] of tensors) {
    index.push({ name, shape: tensor.shape.slice(), offset });
    offset += tensor.size;
  }
  const data = new Float32Array(offset);
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i][1];
    data.set(
      (t.dtype === 'float32' ? t.dataSync() : Float32Array.from(t.dataSync())) as Float32Array,
      index[i].offset,
    );
  }
  await writeFile(join(temp, 'tensors.bin'), new Uint8Array(data.buffer));
  if (backbone) await saveLayersModelToDisk(backbone, join(temp, 'backbone'));
  const full: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    ...meta,
    tensors: index,
    savedAt: new Date().toISOString(),
  };
  await writeFile(join(temp, 'checkpoint.json'), `${JSON.stringify(full, null, 1)}\n`);
}

/**
 * Reads a checkpoint folder. The caller disposes the returned tensors.
 *
 * @example
 * const { meta, tensors } = await readCheckpoint('out/moco');
 */
export async function readCheckpoint(
  dir: string,
): Promise<{ meta: CheckpointMeta; tensors: Map<string, tf.Tensor> }> {
  const metaPath = join(dir, 'checkpoint.json');
  if (!existsSync(metaPath)) {
    throw new Error(
      `No MoCo checkpoint in "${dir}" (checkpoint.json missing). Train first, or drop --resume.`,
    );
  }
  const meta = JSON.parse(await readFile(metaPath, 'utf8')) as CheckpointMeta;
  if (meta.format !== CHECKPOINT_FORMAT || meta.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `"${metaPath}" is not a ${CHECKPOINT_FORMAT} v${CHECKPOINT_VERSION} file (format ${meta.format}, version ${meta.version})`,
    );
  }
  const bytes = await readFile(join(dir, 'tensors.bin'));
  const expected = meta.tensors.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== expected * 4) {
    throw new Error(
      `"${dir}/tensors.bin" has ${bytes.byteLength} bytes, the index expects ${expected * 4}: the checkpoint is damaged`,
    );
  }
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const tensors = new Map<string, tf.Tensor>();
  for (const entry of meta.tensors) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    tensors.set(
      entry.name,
      tf.tensor(data.subarray(entry.offset, entry.offset + size), entry.shape, 'float32'),
    );
  }
  return { meta, tensors };
}
