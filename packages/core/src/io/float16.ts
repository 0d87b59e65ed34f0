/**
 * Half-precision weights: saving a model's float32 weights as IEEE 754 binary16 halves its files. tfjs reads
 * them back as float32 by itself (manifest entries carry `quantization: { dtype: 'float16' }`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { weightEntryBytes } from './weight_bytes.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The binary16 bit pattern nearest to `value` (ties to even; beyond 65504 gives infinity; NaN stays NaN).
 *
 * @example
 * float16Bits(1); // 0x3c00
 * float16Bits(0.1); // 0x2e66 (0.0999755859375)
 */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // subnormal halves: the full 24-bit significand shifted into 10 bits, or zero
    if (e < -10) return sign;
    const shift = 14 - e;
    const full = mantissa | 0x800000;
    const half = full >>> shift;
    return sign | roundedUp(half, full & ((1 << shift) - 1), 1 << (shift - 1));
  }
  // a carry out of the mantissa moves to the next exponent (and from the largest finite value to infinity)
  return sign | roundedUp((e << 10) | (mantissa >>> 13), mantissa & 0x1fff, 0x1000);
}

function roundedUp(truncated: number, rest: number, halfway: number): number {
  return rest > halfway || (rest === halfway && (truncated & 1) === 1) ? truncated + 1 : truncated;
}

/**
 * Wraps an IOHandler so that `save` writes float32 weights as float16 (other dtypes are kept as they are).
 * Values change by at most half a unit in the last place of binary16 (about 0.05% relative).
 *
 * @example
 * await model.save(withFloat16Weights(tf.io.browserDownloads('head')));
 */
export function withFloat16Weights(handler: tf.io.IOHandler): tf.io.IOHandler {
  if (!handler.save) throw new Error('withFloat16Weights: the handler given cannot save');
  const save = handler.save.bind(handler);
  return {
    ...handler,
    save: (artifacts) => save(halved(artifacts)),
  };
}

function halved(artifacts: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const specs = artifacts.weightSpecs ?? [];
  if (artifacts.weightData === undefined || specs.length === 0) return artifacts;
  const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const parts: Uint8Array[] = [];
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.quantization || spec.dtype === 'string') {
      throw new Error(
        `withFloat16Weights: weight "${spec.name}" is ${spec.quantization ? 'already quantized' : 'a string'}; save it without withFloat16Weights`,
      );
    }
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const size = weightEntryBytes(spec)!;
    const chunk = bytes.slice(offset, offset + size);
    offset += size;
    if (spec.dtype !== 'float32') {
      parts.push(chunk);
      outSpecs.push(spec);
      continue;
    }
    const values = new Float32Array(chunk.buffer);
    const half = new Uint16Array(count);
    for (let i = 0; i < count; i++) half[i] = float16Bits(values[i]);
    parts.push(new Uint8Array(half.buffer));
    outSpecs.push({ ...spec, quantization: { dtype: 'float16' } });
  }
  if (offset !== bytes.byteLength) {
    throw new Error(
      `withFloat16Weights: the weight specs cover ${offset} bytes but the weight data has ${bytes.byteLength}`,
    );
  }
  // each part owns its whole buffer (a slice or a new array), so the buffers are the bytes
  const weightData = tf.io.CompositeArrayBuffer.join(parts.map((p) => p.buffer as ArrayBuffer));
  return { ...artifacts, weightSpecs: outSpecs, weightData };
}
