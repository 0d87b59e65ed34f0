/** What the runner needs from a model: one representation per image, and a similarity for a pair of them. */
import type * as tf from '@tensorflow/tfjs-core';
import type { FaceAnalysis } from './face-analysis.js';

/** How two embeddings become a similarity (higher = more likely the same person). */
export type SimilarityKind = 'l2' | 'cosine';

/** One image as the runner hands it to models. */
export interface PreparedImage {
  /** Absolute file path. */
  path: string;
  /** Decoded RGB, float32 0-255, `[h, w, 3]` (owned by the runner; do not dispose). */
  image: tf.Tensor3D;
  /** The shared face analysis (detector, landmarks, face-api descriptor), computed on first use and cached. */
  analysis(): Promise<FaceAnalysis>;
}

/** A model the benchmark can score pairs with. */
export interface BenchModel {
  /** Stable id for the embedding cache: changes whenever the representation would change. */
  readonly id: string;
  /** Name in reports (`faceapi`, `faceres`, `checkpoint.json#fc512`). */
  readonly label: string;
  /** 'baseline' or 'ours'. */
  readonly family: 'baseline' | 'ours';
  /** Per-image representation (an embedding, or the features a pair head consumes). */
  embed(input: PreparedImage): Promise<Float32Array>;
  /**
   * Pair score from two representations, higher = same person. Absent for plain embedders: the runner
   * then uses the chosen {@link SimilarityKind}.
   */
  score?(reference: Float32Array, probe: Float32Array): number;
  /** Frees weights. */
  dispose(): void;
}
