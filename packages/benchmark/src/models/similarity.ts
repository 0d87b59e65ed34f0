/** Similarities between embeddings; always "higher means more likely the same person". */
import type { SimilarityKind } from './types.js';

/**
 * `1 / (1 + ||a - b||)`, the paper's conversion of a Euclidean distance to a similarity in (0, 1].
 *
 * @example
 * l2Similarity(new Float32Array([0, 0]), new Float32Array([3, 4])); // 1 / 6
 */
export function l2Similarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return 1 / (1 + Math.sqrt(sum));
}

/**
 * Cosine similarity in [-1, 1]; 0 when either vector is all zeros.
 *
 * @example
 * cosineSimilarity([1, 0], [1, 1]); // 0.7071
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * The similarity function for a {@link SimilarityKind}.
 *
 * @example
 * similarityFunction('cosine')([1, 0], [0, 1]); // 0
 */
export function similarityFunction(
  kind: SimilarityKind,
): (a: ArrayLike<number>, b: ArrayLike<number>) => number {
  if (kind === 'l2') return l2Similarity;
  if (kind === 'cosine') return cosineSimilarity;
  throw new Error(`Unknown similarity "${kind}": use l2 (1 / (1 + distance)) or cosine.`);
}

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    throw new Error(`similarity: embeddings of different lengths (${a.length} vs ${b.length})`);
}
