/** What a head sees of one face: one frozen embedder's L2-normalised vector, or several concatenated (fusion). */
import type { FaceVectors } from './vectors.js';

/**
 * `faceres` (1024-d), `faceapi` (128-d), `fusion` (both, each unit-length: 1152-d), `fusion3` (faceres, faceapi
 * and mobileface, each unit-length: 1408-d) or `fusion-upper` (faceres, faceapi and faceres on the upper face,
 * each unit-length: 2176-d).
 */
export type FeatureKind = 'faceres' | 'faceapi' | 'fusion' | 'fusion3' | 'fusion-upper';

/**
 * The feature vector of one face.
 *
 * @example
 * featureVector('fusion', { faceres, faceapi }).length; // 1152
 */
export function featureVector(kind: FeatureKind, v: FaceVectors): Float32Array {
  if (kind === 'faceres') return unit(v.faceres);
  if (kind === 'faceapi') return unit(v.faceapi);
  const parts = [v.faceres, v.faceapi];
  const third = kind === 'fusion3' ? 'mobileface' : kind === 'fusion-upper' ? 'faceres-upper' : null;
  if (third) {
    const extra = v[third];
    if (!extra) throw new Error(`featureVector: ${kind} needs ${third} vectors (load them with ${third})`);
    parts.push(extra);
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(unit(p), at);
    at += p.length;
  }
  return out;
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s || 1);
  return v.map((x) => x * inv);
}
