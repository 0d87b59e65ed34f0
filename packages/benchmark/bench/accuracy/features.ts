/** What a head sees of one face: one frozen embedder's L2-normalised vector, or several concatenated (fusion). */
import type { FaceVectors } from './vectors.js';

/**
 * `faceres` (1024-d), `faceapi` (128-d), `fusion` (both, each unit-length: 1152-d) or `fusion3` (faceres, faceapi
 * and mobileface, each unit-length: 1408-d).
 */
export type FeatureKind = 'faceres' | 'faceapi' | 'fusion' | 'fusion3';

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
  if (kind === 'fusion3') {
    if (!v.mobileface)
      throw new Error('featureVector: fusion3 needs mobileface vectors (load them with mobileface)');
    parts.push(v.mobileface);
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
