/** Float32 vectors as base64 text, for the benchmark's JSON-lines caches (`openJsonlCache` in @mfr/core/node). */

/**
 * Float32 vectors as compact base64 text (about 3x smaller than JSON numbers).
 *
 * @example
 * decodeVector(encodeVector(new Float32Array([1, 2]))); // Float32Array [1, 2]
 */
export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

/** Inverse of {@link encodeVector}. */
export function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
