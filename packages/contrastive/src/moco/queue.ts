/**
 * The MoCo dictionary: a fixed-size FIFO of L2-normalised keys stored as a `[dim, K]` matrix (so the
 * negative logits are a plain `q @ queue`), filled as a ring buffer with a write pointer.
 */

import type { Rng } from '@mfr/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A ring buffer of keys. `enqueue` overwrites the oldest `B` columns; `K % B == 0` keeps every write in one
 * contiguous slice (as in MoCo).
 *
 * @example
 * const queue = new KeyQueue(128, 4096, createRng(0));
 * queue.enqueue(keys); // keys [B, 128], B divides 4096
 * queue.dispose();
 */
export class KeyQueue {
  /** `[dim, size]`, columns are keys. */
  readonly keys: tf.Variable<tf.Rank.R2>;
  /** Column where the next batch of keys is written. */
  pointer = 0;

  constructor(
    readonly dim: number,
    readonly size: number,
    rng: Rng,
  ) {
    if (!Number.isInteger(size) || size <= 0)
      throw new Error(`KeyQueue: size must be a positive integer, got ${size}`);
    // random unit columns, as in MoCo: the first K negatives are noise until real keys replace them
    const values = Float32Array.from({ length: dim * size }, () => rng.normal());
    this.keys = tf.tidy(() => {
      const raw = tf.tensor2d(values, [dim, size]);
      return tf.variable(tf.div(raw, tf.norm(raw, 2, 0, true)), false) as tf.Variable<tf.Rank.R2>;
    });
  }

  /** Throws a clear error unless the queue size is a multiple of `batchSize`. */
  checkBatchSize(batchSize: number): void {
    if (this.size % batchSize !== 0) {
      const lower = Math.floor(this.size / batchSize) * batchSize;
      throw new Error(
        `MoCo queue size ${this.size} is not a multiple of the batch size ${batchSize}: ` +
          `choose a batch size that divides ${this.size}, or a queue size that is a multiple of ${batchSize} (e.g. ${lower || batchSize}).`,
      );
    }
  }

  /** Writes `keys` `[B, dim]` over the oldest B columns and advances the pointer (mod K). */
  enqueue(keys: tf.Tensor2D): void {
    const [batch, dim] = keys.shape;
    if (dim !== this.dim) throw new Error(`KeyQueue.enqueue: keys have dim ${dim}, queue has ${this.dim}`);
    this.checkBatchSize(batch);
    const ptr = this.pointer;
    const next = tf.tidy(() => {
      const parts: tf.Tensor2D[] = [];
      if (ptr > 0) parts.push(tf.slice(this.keys, [0, 0], [this.dim, ptr]));
      parts.push(tf.transpose(keys));
      if (ptr + batch < this.size)
        parts.push(tf.slice(this.keys, [0, ptr + batch], [this.dim, this.size - ptr - batch]));
      return tf.concat(parts, 1);
    });
    this.keys.assign(next);
    next.dispose();
    this.pointer = (ptr + batch) % this.size;
  }

  dispose(): void {
    this.keys.dispose();
  }
}
