/** What a head sees of one face: one frozen embedder's L2-normalised vector, or several concatenated (fusion). */
import type { FaceVectors } from './vectors.js';

/** `faceres` (1024-d), `faceapi` (128-d) or `fusion` (both, each unit-length: 1152-d). */
export type FeatureKind = 'faceres' | 'faceapi' | 'fusion';

/**
 * The feature vector of one face.
 *
 * @example
 * featureVector('fusion', { faceres, faceapi }).length; // 1152
 */
export function featureVector(kind: FeatureKind, v: FaceVectors): Float32Array {
  if (kind === 'faceres') return unit(v.faceres);
  if (kind === 'faceapi') return unit(v.faceapi);
  const out = new Float32Array(v.faceres.length + v.faceapi.length);
  out.set(unit(v.faceres), 0);
  out.set(unit(v.faceapi), v.faceres.length);
  return out;
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s || 1);
  return v.map((x) => x * inv);
}
