/** Expected weight byte counts from a weights manifest, so short or wrong shards are caught before decoding. */
import type * as tf from '@tensorflow/tfjs-core';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/**
 * Bytes one manifest entry occupies, or `null` for string tensors (variable length: each element is a
 * uint32 byte count followed by the bytes).
 *
 * @example
 * weightEntryBytes({ name: 'w', shape: [3, 3], dtype: 'float32', quantization: { dtype: 'float16' } }); // 18
 */
export function weightEntryBytes(entry: tf.io.WeightsManifestEntry): number | null {
  if (entry.dtype === 'string') return null;
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const quantized = entry.quantization?.dtype;
  const per = quantized ? QUANTIZED_BYTES[quantized] : DTYPE_BYTES[entry.dtype];
  if (per === undefined) {
    throw new Error(
      `weight "${entry.name}": unknown dtype ${quantized ?? entry.dtype} in the weights manifest`,
    );
  }
  return count * per;
}

/**
 * Total bytes a weight group needs, walking string tensors through `data` (their size is stored inline).
 * Returns `Infinity` when a string tensor runs past the end of `data` (the data is truncated).
 *
 * @example
 * const expected = expectedGroupBytes(manifest[0].weights, bytes);
 */
export function expectedGroupBytes(entries: readonly tf.io.WeightsManifestEntry[], data: Uint8Array): number {
  let offset = 0;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const entry of entries) {
    const fixed = weightEntryBytes(entry);
    if (fixed !== null) {
      offset += fixed;
      continue;
    }
    const count = entry.shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < count; i++) {
      if (offset + 4 > data.byteLength) return Number.POSITIVE_INFINITY;
      offset += 4 + view.getUint32(offset, true);
    }
  }
  return offset;
}
